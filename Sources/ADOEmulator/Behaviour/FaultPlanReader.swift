import Yams

/// Reads the fault-file format (docs/emulator.md "Fault injection") from YAML, reporting the line and column of
/// the first problem. Unknown keys are errors, so a misspelt selector never silently matches everything.
struct FaultPlanReader {
    let file: String

    private static let planKeys: Set<String> = ["seed", "rules", "keepAlive"]
    private static let ruleKeys: Set<String> = [
        "name", "method", "route", "path", "probability", "nth", "every", "after", "count", "fault", "retryAfter",
        "delay", "close", "message",
    ]
    private static let writeMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    func plan(_ text: String) throws(FaultPlanError) -> FaultPlan {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error)
        } catch {
            throw FaultPlanError(file: file, line: 0, column: 0, problem: "cannot read YAML: \(error)")
        }
        guard let root else { return FaultPlan() }
        let top = try mapping(root, "the fault file", allowed: Self.planKeys)
        var plan = FaultPlan()
        if let seed = top["seed"] { plan.seed = UInt64(try integer(seed, "seed", minimum: 0)) }
        if let keepAlive = top["keepAlive"] {
            switch keepAlive.node.scalar?.string.lowercased() {
            case "true": plan.keepAlive = true
            case "false": plan.keepAlive = false
            default: throw fail(keepAlive.node, "keepAlive must be true or false")
            }
        }
        if let rules = top["rules"] {
            guard case .sequence(let sequence) = rules.node else { throw fail(rules.node, "rules must be a list") }
            for (index, item) in sequence.enumerated() { plan.rules.append(try rule(item, number: index + 1)) }
        }
        return plan
    }

    private struct Entry {
        var node: Node
        var key: Node
    }

    private func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws(FaultPlanError) -> [String: Entry] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var result: [String: Entry] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, "keys must be plain words") }
            guard allowed.contains(name) else {
                let expected = allowed.sorted().joined(separator: ", ")
                throw fail(key, "unknown key '\(name)' in \(what) (expected one of: \(expected))")
            }
            result[name] = Entry(node: value, key: key)
        }
        return result
    }

    private func rule(_ node: Node, number: Int) throws(FaultPlanError) -> FaultRule {
        let what = "rule \(number)"
        let fields = try mapping(node, what, allowed: Self.ruleKeys)
        let name =
            try fields["name"].map { entry throws(FaultPlanError) in try string(entry, "name") } ?? "rule-\(number)"
        var methods: Set<String>?
        if let method = fields["method"] {
            let names: [Node]
            if case .sequence(let sequence) = method.node { names = Array(sequence) } else { names = [method.node] }
            var set: Set<String> = []
            for item in names {
                guard let text = item.scalar?.string.uppercased(), !text.isEmpty else {
                    throw fail(item, "method must be a method name, 'write' or a list of them")
                }
                if text == "WRITE" { set.formUnion(Self.writeMethods) } else { set.insert(text) }
            }
            methods = set
        }
        let route = try fields["route"].map { entry throws(FaultPlanError) in try string(entry, "route") }
        let path = try fields["path"].map { entry throws(FaultPlanError) in try string(entry, "path") }
        if route != nil, path != nil, let entry = fields["path"] {
            throw fail(entry.key, "\(what) has both route and path; give one")
        }
        var selector = FaultRule.Selector.always
        var chosen: String?
        for key in ["probability", "nth", "every", "after"] {
            guard let entry = fields[key] else { continue }
            if let chosen { throw fail(entry.key, "\(what) has both \(chosen) and \(key); give one selector") }
            chosen = key
            switch key {
            case "probability":
                guard let value = entry.node.scalar.flatMap({ Double($0.string) }), value >= 0, value <= 1 else {
                    throw fail(entry.node, "probability must be a number from 0 to 1")
                }
                selector = .probability(value)
            case "nth": selector = .nth(try integer(entry, key, minimum: 1))
            case "every": selector = .every(try integer(entry, key, minimum: 1))
            default: selector = .after(try integer(entry, key, minimum: 0))
            }
        }
        let count = try fields["count"].map { entry throws(FaultPlanError) in try integer(entry, "count", minimum: 1) }
        guard let faultEntry = fields["fault"] else { throw fail(node, "\(what) needs a fault") }
        let action = try action(faultEntry, fields: fields, what: what)
        return FaultRule(
            name: name,
            methods: methods,
            route: route,
            path: path,
            selector: selector,
            count: count,
            action: action
        )
    }

    private func action(_ entry: Entry, fields: [String: Entry], what: String) throws(FaultPlanError)
        -> FaultRule.Action
    {
        let kind = try string(entry, "fault").lowercased()
        func only(_ allowed: Set<String>) throws(FaultPlanError) {
            for key in ["retryAfter", "delay", "close", "message"] where !allowed.contains(key) {
                if let extra = fields[key] { throw fail(extra.key, "\(key) does not apply to fault '\(kind)'") }
            }
        }
        func close() throws(FaultPlanError) -> FaultRule.Close {
            guard let entry = fields["close"] else { return .reset }
            guard let close = FaultRule.Close(rawValue: try string(entry, "close").lowercased()) else {
                throw fail(entry.node, "close must be 'reset' or 'eof'")
            }
            return close
        }
        switch kind {
        case "429", "500", "502", "503", "504":
            try only(["retryAfter", "message"])
            let retryAfter = try fields["retryAfter"].map { entry throws(FaultPlanError) in
                try integer(entry, "retryAfter", minimum: 0)
            }
            let message = try fields["message"].map { entry throws(FaultPlanError) in try string(entry, "message") }
            return .status(Int(kind) ?? 500, retryAfter: retryAfter ?? (kind == "429" ? 1 : nil), message: message)
        case "reset":
            try only(["close"])
            return .reset(try close())
        case "lost-response":
            try only(["close"])
            return .lostResponse(try close())
        case "slow":
            try only(["delay"])
            guard let delay = fields["delay"] else { throw fail(entry.key, "fault 'slow' needs a delay (e.g. 40s)") }
            guard let seconds = Durations.seconds(try string(delay, "delay")) else {
                throw fail(delay.node, "delay must be a duration such as 500ms, 40s or 2m")
            }
            return .slow(seconds)
        default:
            throw fail(
                entry.node,
                "unknown fault '\(kind)' (expected 429, 500, 502, 503, 504, reset, slow or lost-response)"
            )
        }
    }

    private func string(_ entry: Entry, _ key: String) throws(FaultPlanError) -> String {
        guard let text = entry.node.scalar?.string, !text.isEmpty else {
            throw fail(entry.node, "\(key) must be a non-empty text")
        }
        return text
    }

    private func integer(_ entry: Entry, _ key: String, minimum: Int) throws(FaultPlanError) -> Int {
        guard let value = entry.node.scalar.flatMap({ Int($0.string) }), value >= minimum else {
            throw fail(entry.node, "\(key) must be a whole number ≥ \(minimum)")
        }
        return value
    }

    private func fail(_ node: Node, _ problem: String) -> FaultPlanError {
        FaultPlanError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, problem: problem)
    }

    private func yamlError(_ error: YamlError) -> FaultPlanError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return FaultPlanError(file: file, line: mark.line, column: mark.column, problem: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return FaultPlanError(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                problem: "duplicate key \(keys)"
            )
        default:
            return FaultPlanError(file: file, line: 0, column: 0, problem: "invalid YAML: \(error)")
        }
    }
}
