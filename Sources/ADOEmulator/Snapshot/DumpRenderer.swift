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

    /// Members of the dump that come from the live model rather than the loaded document.
    static let live: Set<String> = ["acls", "buildDefinitions", "pipelineSettings", "files"]

    /// The dump's bytes in one buffer (the state route).
    func render(_ model: OrgModel) -> [UInt8] { renderPieces(model).joined() }

    /// The dump as runs of bytes, cached pieces referenced rather than copied (the `--state-out` writer sends
    /// them to the file one after the other).
    func renderPieces(_ model: OrgModel) -> DumpPieces {
        var keys = Set(model.document.keys)
        keys.insert("acls")
        if !model.definitions.isEmpty { keys.insert("buildDefinitions") }
        if !model.files.isEmpty { keys.insert("files") }
        var out = DumpPieces()
        out.append(UInt8(ascii: "{"))
        for (offset, key) in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            out.append(contentsOf: offset == 0 ? [0x0A, 0x20, 0x20] : [UInt8(ascii: ","), 0x0A, 0x20, 0x20])
            out.appendString(key)
            out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            switch key {
            case "acls": renderACLs(model, into: &out)
            case "buildDefinitions": renderDefinitions(model, into: &out)
            case "files": renderFiles(model, into: &out)
            case "pipelineSettings":
                var bytes: [UInt8] = []
                JSONWriter.writeCanonical(model.settingsDocument(), indent: 2, into: &bytes)
                out.append(piece: bytes)
            default:
                if fixed[key] == nil {
                    var bytes: [UInt8] = []
                    JSONWriter.writeCanonical(model.document[key] ?? .null, indent: 2, into: &bytes)
                    fixed[key] = bytes
                }
                out.append(piece: fixed[key] ?? [])
            }
        }
        out.append(contentsOf: [0x0A, UInt8(ascii: "}"), 0x0A])
        out.finish()
        return out
    }

    private func renderACLs(_ model: OrgModel, into out: inout DumpPieces) {
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
            out.appendString(namespaceId)
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
                out.append(piece: piece?.bytes ?? [])
                kept[key] = piece
            }
            next[namespaceId] = kept
            out.append(contentsOf: [0x0A, 0x20, 0x20, 0x20, 0x20, UInt8(ascii: "]")])
        }
        out.append(contentsOf: [0x0A, 0x20, 0x20, UInt8(ascii: "}")])
        acls = next
    }

    private func renderDefinitions(_ model: OrgModel, into out: inout DumpPieces) {
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
            out.append(piece: definitions[index].bytes)
        }
        definitions.removeLast(max(0, definitions.count - model.definitions.count))
        out.append(contentsOf: [0x0A, 0x20, 0x20, UInt8(ascii: "]")])
    }

    private func renderFiles(_ model: OrgModel, into out: inout DumpPieces) {
        if files?.value != model.files {
            var bytes: [UInt8] = []
            var object = JSONObject()
            for (key, text) in model.files { object[key] = .string(text) }
            JSONWriter.writeCanonical(.object(object), indent: 2, into: &bytes)
            files = Piece(value: model.files, bytes: bytes)
        }
        out.append(piece: files?.bytes ?? [])
    }
}

/// A dump as runs of bytes: separators and small pieces are merged into runs, large cached pieces are kept as
/// their own runs (shared, not copied).
struct DumpPieces: Sendable {
    private(set) var runs: [[UInt8]] = []
    private var current: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ byte: UInt8) {
        current.append(byte)
        count += 1
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        current.append(contentsOf: bytes)
        count += bytes.count
    }

    mutating func append(contentsOf bytes: Repeated<UInt8>) {
        current.append(contentsOf: bytes)
        count += bytes.count
    }

    mutating func appendString(_ text: String) {
        let before = current.count
        JSONWriter.writeString(text, into: &current)
        count += current.count - before
    }

    /// A rendered piece: copied into the current run when small, referenced as its own run when large.
    mutating func append(piece: [UInt8]) {
        guard piece.count >= 4096 else { return append(contentsOf: piece) }
        finish()
        runs.append(piece)
        count += piece.count
    }

    /// Closes the current run (call before reading `runs`).
    mutating func finish() {
        guard !current.isEmpty else { return }
        runs.append(current)
        current = []
    }

    func joined() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for run in runs { bytes.append(contentsOf: run) }
        bytes.append(contentsOf: current)
        return bytes
    }
}
