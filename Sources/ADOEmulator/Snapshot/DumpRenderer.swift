/// Renders the state dump (the same bytes as `JSONWriter.canonical(model.dumpDocument())`) reusing the bytes of
/// everything unchanged since the last rendering: members the emulator never changes are rendered once, each ACL
/// and definition is re-rendered only when it differs from the one its cached bytes came from. A write to a
/// 10,000-repository organization re-renders what it touched and copies the rest.
actor DumpRenderer {
    private struct Piece<Value: Equatable> {
        var value: Value
        var bytes: [UInt8]
    }

    /// Top-level members the emulator never changes, by key.
    private var fixed: [String: [UInt8]] = [:]
    /// namespace id → canonical token → the ACL its bytes (at indent 6) were rendered from.
    private var acls: [String: [String: Piece<StoredACL>]] = [:]
    private var definitions: [Piece<JSONObject>] = []
    private var files: Piece<[String: String]>?
    private var lastSize = 1 << 16

    /// Members of the dump that come from the live model rather than the loaded document.
    static let live: Set<String> = ["acls", "buildDefinitions", "pipelineSettings", "files"]

    func render(_ model: OrgModel) -> [UInt8] {
        var keys = Set(model.document.keys)
        keys.insert("acls")
        if !model.definitions.isEmpty { keys.insert("buildDefinitions") }
        if !model.files.isEmpty { keys.insert("files") }
        var out: [UInt8] = []
        out.reserveCapacity(lastSize + lastSize / 8)
        out.append(UInt8(ascii: "{"))
        for (offset, key) in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            out.append(contentsOf: offset == 0 ? [0x0A, 0x20, 0x20] : [UInt8(ascii: ","), 0x0A, 0x20, 0x20])
            JSONWriter.writeString(key, into: &out)
            out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            switch key {
            case "acls": renderACLs(model, into: &out)
            case "buildDefinitions": renderDefinitions(model, into: &out)
            case "files": renderFiles(model, into: &out)
            case "pipelineSettings": JSONWriter.writeCanonical(model.settingsDocument(), indent: 2, into: &out)
            default:
                if fixed[key] == nil {
                    var bytes: [UInt8] = []
                    JSONWriter.writeCanonical(model.document[key] ?? .null, indent: 2, into: &bytes)
                    fixed[key] = bytes
                }
                out.append(contentsOf: fixed[key] ?? [])
            }
        }
        out.append(contentsOf: [0x0A, UInt8(ascii: "}"), 0x0A])
        lastSize = out.count
        return out
    }

    private func renderACLs(_ model: OrgModel, into out: inout [UInt8]) {
        let namespaces = model.acls.filter { !$0.value.isEmpty }.keys.sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        guard !namespaces.isEmpty else {
            out.append(contentsOf: Array("{}".utf8))
            return
        }
        var next: [String: [String: Piece<StoredACL>]] = [:]
        out.append(UInt8(ascii: "{"))
        for (offset, namespaceId) in namespaces.enumerated() {
            out.append(contentsOf: offset == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            out.append(contentsOf: repeatElement(0x20, count: 4))
            JSONWriter.writeString(namespaceId, into: &out)
            out.append(contentsOf: [UInt8(ascii: ":"), 0x20, UInt8(ascii: "[")])
            guard let table = model.acls[namespaceId] else { continue }
            let cached = acls[namespaceId] ?? [:]
            var kept: [String: Piece<StoredACL>] = [:]
            kept.reserveCapacity(table.count)
            for (index, key) in table.sortedKeys.enumerated() {
                guard let acl = table[key] else { continue }
                out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                out.append(contentsOf: repeatElement(0x20, count: 6))
                var piece = cached[key]
                if piece?.value != acl {
                    var bytes: [UInt8] = []
                    JSONWriter.writeCanonical(OrgModel.dumpJSON(acl), indent: 6, into: &bytes)
                    piece = Piece(value: acl, bytes: bytes)
                }
                out.append(contentsOf: piece?.bytes ?? [])
                kept[key] = piece
            }
            next[namespaceId] = kept
            out.append(contentsOf: [0x0A, 0x20, 0x20, 0x20, 0x20, UInt8(ascii: "]")])
        }
        out.append(contentsOf: [0x0A, 0x20, 0x20, UInt8(ascii: "}")])
        acls = next
    }

    private func renderDefinitions(_ model: OrgModel, into out: inout [UInt8]) {
        guard !model.definitions.isEmpty else {
            out.append(contentsOf: Array("[]".utf8))
            return
        }
        out.append(UInt8(ascii: "["))
        for (index, definition) in model.definitions.enumerated() {
            out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            out.append(contentsOf: repeatElement(0x20, count: 4))
            if index >= definitions.count || definitions[index].value != definition {
                var bytes: [UInt8] = []
                JSONWriter.writeCanonical(.object(definition), indent: 4, into: &bytes)
                let piece = Piece(value: definition, bytes: bytes)
                if index < definitions.count { definitions[index] = piece } else { definitions.append(piece) }
            }
            out.append(contentsOf: definitions[index].bytes)
        }
        definitions.removeLast(max(0, definitions.count - model.definitions.count))
        out.append(contentsOf: [0x0A, 0x20, 0x20, UInt8(ascii: "]")])
    }

    private func renderFiles(_ model: OrgModel, into out: inout [UInt8]) {
        if files?.value != model.files {
            var bytes: [UInt8] = []
            var object = JSONObject()
            for (key, text) in model.files { object[key] = .string(text) }
            JSONWriter.writeCanonical(.object(object), indent: 2, into: &bytes)
            files = Piece(value: model.files, bytes: bytes)
        }
        out.append(contentsOf: files?.bytes ?? [])
    }
}
