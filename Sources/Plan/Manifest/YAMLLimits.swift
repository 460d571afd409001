/// Hard limits on every YAML file adoperm reads (manifest, agent front matter, compiled pipeline YAML), checked
/// before the text reaches the YAML parser or is turned into a tree, so hostile input costs bounded time and memory
/// (docs/choices.md "Input limits").
enum YAMLLimits {
    /// 16 MiB: six times the 10,000-requirement manifest `ado-emulator generate` writes (2.7 MB).
    static let maxBytes = 16 * 1024 * 1024
    /// Levels of nesting of the tree (a manifest needs about 8).
    static let maxDepth = 64
    /// What the textual pre-scan allows before the parser runs: the parser composes recursively, so input nested
    /// thousands deep would exhaust the stack before `maxDepth` could be checked on the tree.
    static let maxScannedDepth = 512

    static func check(_ text: String, file: String, lineOffset: Int) throws(Diagnostic) {
        let bytes = text.utf8.count
        guard bytes <= maxBytes else {
            throw Diagnostic(
                .error,
                "found a file of \(bytes) bytes, expected at most \(maxBytes) bytes (16 MiB)",
                at: SourceLocation(file: file, line: 1 + lineOffset, column: 1)
            )
        }
        if let line = lineTooDeep(text) {
            throw Diagnostic(
                .error,
                "found YAML nested more than \(maxScannedDepth) levels deep, expected a flatter document",
                at: SourceLocation(file: file, line: line + lineOffset, column: 1)
            )
        }
    }

    /// The first line at which an upper bound of the nesting depth passes `maxScannedDepth`, if any. The bound is
    /// the open flow brackets (`[`, `{` outside quotes and comments) plus the line's indentation and leading
    /// block indicators (`- `, `? `, `: `): a block collection nests deeper only by indenting or by a compact
    /// indicator. Brackets in block scalars are counted too, which only makes the bound larger.
    static func lineTooDeep(_ text: String) -> Int? {
        var flow = 0
        var line = 1
        var atLineStart = true
        var indent = 0
        var quote: UInt8?
        var comment = false
        var previous: UInt8 = 0x0A
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            defer {
                previous = byte
                index += 1
            }
            if byte == 0x0A {
                line += 1
                atLineStart = true
                indent = 0
                comment = false
                if flow == 0 { quote = nil }
                continue
            }
            if comment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if atLineStart {
                let next = index + 1 < utf8.count ? utf8[index + 1] : 0x20
                if byte == 0x20 || byte == 0x09 {
                    indent += 1
                    continue
                }
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":"),
                    next == 0x20 || next == 0x0A
                {
                    indent += 1
                    if indent + flow > maxScannedDepth { return line }
                    continue
                }
                atLineStart = false
                if indent + flow > maxScannedDepth { return line }
            }
            switch byte {
            case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09 || previous == 0x0A:
                comment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                // A quote opens a quoted scalar only where a scalar can start.
                if [0x20, 0x09, 0x0A, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(previous) {
                    quote = byte
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
                if indent + flow > maxScannedDepth { return line }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flow = max(0, flow - 1)
            default:
                break
            }
        }
        return nil
    }

    /// Where the alias after the node starting at `last` is written: the first `*name` at a token boundary after
    /// it. Nil when it cannot be found (the caller then points at the anchored node).
    static func aliasLocation(
        after last: (line: Int, column: Int),
        in text: String,
        file: String,
        lineOffset: Int
    ) -> SourceLocation? {
        var line = 1
        var column = 1
        var previous: Unicode.Scalar = "\n"
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            defer {
                previous = scalar
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            guard (line, column) > last, scalar == "*", " \t\n[{,".unicodeScalars.contains(previous) else { continue }
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if !" \t\n,]}".unicodeScalars.contains(next) {
                return SourceLocation(file: file, line: line + lineOffset, column: column)
            }
        }
        return nil
    }
}
