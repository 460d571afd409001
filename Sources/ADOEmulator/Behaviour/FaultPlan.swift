import Foundation

/// Injected faults (`serve --faults faults.yaml`, `PUT /{org}/_emulator/faults`; docs/emulator.md "Fault
/// injection"): rules tried in order on every ADO request; the first rule that matches the request and whose
/// selector picks it fires, and later rules do not see that request.
public struct FaultPlan: Sendable, Equatable {
    /// Seeds the `probability` selectors.
    public var seed: UInt64
    public var rules: [FaultRule]
    /// `false`: every ADO response says `Connection: close`, so clients never reuse a connection. HTTP clients
    /// (libcurl among them) silently re-send a request whose *reused* connection dies before the first response
    /// byte, which hides a `reset` — and repeats a `lost-response` write. Tests that must see every dropped
    /// connection turn keep-alive off.
    public var keepAlive: Bool

    public init(seed: UInt64 = 0, rules: [FaultRule] = [], keepAlive: Bool = true) {
        self.seed = seed
        self.rules = rules
        self.keepAlive = keepAlive
    }

    /// Reads a fault file (YAML; JSON is YAML too). Errors name `file:line:column`.
    public static func load(contentsOf url: URL) throws(FaultPlanError) -> FaultPlan {
        guard let data = try? Data(contentsOf: url) else {
            throw FaultPlanError(file: url.path, line: 0, column: 0, problem: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: url.path)
    }

    /// Parses fault-file text.
    public static func parse(_ text: String, file: String = "faults.yaml") throws(FaultPlanError) -> FaultPlan {
        try FaultPlanReader(file: file).plan(text)
    }
}

/// One fault rule: which requests it matches, which of those it picks, and what it does to them.
public struct FaultRule: Sendable, Equatable {
    /// Which matching requests fire (counted per rule from 1, in arrival order).
    public enum Selector: Sendable, Equatable {
        /// Every matching request.
        case always
        /// Each matching request with this probability, drawn from the plan's seed, the rule and the request
        /// (method, path, query, body) and how many times that same request was seen: the same run of requests
        /// gets the same faults in any interleaving, and a retry gets a fresh draw.
        case probability(Double)
        /// Only the n-th matching request.
        case nth(Int)
        /// The n-th, 2n-th, 3n-th, …
        case every(Int)
        /// Every matching request after the n-th.
        case after(Int)
    }

    /// How a dropped connection ends.
    public enum Close: String, Sendable, Equatable {
        /// TCP reset: the client reads ECONNRESET.
        case reset
        /// Orderly close without a response byte: the client reads end-of-file.
        case eof
    }

    /// What happens to a picked request.
    public enum Action: Sendable, Equatable {
        /// Answer with this status (429, 500, 502, 503, 504) and an ADO WrappedException body; the request is
        /// not handled. 429 carries `Retry-After` (default 1) and the TF400733 body.
        case status(Int, retryAfter: Int?, message: String?)
        /// Drop the connection before handling the request (nothing is applied).
        case reset(Close)
        /// Handle the request, then hold the response this many seconds (to outlast a client's timeout).
        case slow(Double)
        /// Handle the request (a write is applied), then drop the connection without a response.
        case lostResponse(Close)
    }

    public var name: String
    /// Upper-case methods; nil matches any.
    public var methods: Set<String>?
    /// A route template as the request log names it (`/{org}/_apis/accesscontrolentries/{namespaceId}`),
    /// compared without case.
    public var route: String?
    /// A glob on the decoded path: `*` within a segment, `**` across segments, `?` one character; no case.
    public var path: String?
    public var selector: Selector
    /// At most this many firings.
    public var count: Int?
    public var action: Action

    public init(
        name: String,
        methods: Set<String>? = nil,
        route: String? = nil,
        path: String? = nil,
        selector: Selector = .always,
        count: Int? = nil,
        action: Action
    ) {
        self.name = name
        self.methods = methods.map { Set($0.map { $0.uppercased() }) }
        self.route = route
        self.path = path
        self.selector = selector
        self.count = count
        self.action = action
    }

    /// Whether the request is one this rule is about (before its selector).
    func matches(method: String, route template: String?, path requestPath: String) -> Bool {
        if let methods, !methods.contains(method) { return false }
        if let route, template?.lowercased() != route.lowercased() { return false }
        if let path, !Glob.matches(path.lowercased(), requestPath.lowercased()) { return false }
        return true
    }
}

/// A fault file that does not read.
public struct FaultPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var problem: String

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(problem)" : "\(file): \(problem)"
    }
}

/// Path globs: `*` any run within a segment, `**` any run (slashes too), `?` one character but `/`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        // reachable[j]: the pattern prefix consumed so far can match text prefix of length j.
        var reachable = [Bool](repeating: false, count: t.count + 1)
        reachable[0] = true
        var i = 0
        while i < p.count {
            var next = [Bool](repeating: false, count: t.count + 1)
            if p[i] == UInt8(ascii: "*") {
                let crossesSlash = i + 1 < p.count && p[i + 1] == UInt8(ascii: "*")
                var open = false
                for j in 0...t.count {
                    if reachable[j] { open = true }
                    next[j] = open
                    if j < t.count && !crossesSlash && t[j] == UInt8(ascii: "/") { open = false }
                }
                i += crossesSlash ? 2 : 1
            } else {
                for j in 0..<t.count where reachable[j] {
                    if p[i] == t[j] || (p[i] == UInt8(ascii: "?") && t[j] != UInt8(ascii: "/")) { next[j + 1] = true }
                }
                i += 1
            }
            reachable = next
        }
        return reachable[t.count]
    }
}
