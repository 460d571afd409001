/// Serializes `JSON`. Two forms:
/// - compact, members in insertion order (HTTP responses, like ADO's own bodies);
/// - canonical: keys sorted by code point, two-space indent, `": "` separators, a final newline — the same bytes
///   as Python's `json.dump(indent=2, sort_keys=True, ensure_ascii=False)`, so `make-snapshot.py`'s output and the
///   emulator's state dump of an unchanged organization are identical.
enum JSONWriter {
    static func compact(_ value: JSON, rewriting rewrite: ((String) -> String)? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        writeCompact(value, into: &out, rewrite: rewrite)
        return out
    }

    static func canonical(_ value: JSON) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        writeCanonical(value, indent: 0, into: &out)
        out.append(0x0A)
        return out
    }

    private static func writeCompact(_ value: JSON, into out: inout [UInt8], rewrite: ((String) -> String)?) {
        switch value {
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                writeCompact(member, into: &out, rewrite: rewrite)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                writeCompact(element, into: &out, rewrite: rewrite)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let string):
            writeString(rewrite.map { $0(string) } ?? string, into: &out)
        default:
            writeScalar(value, into: &out)
        }
    }

    /// Appends `value` in canonical form as it appears at `indent` (the dump renderer splices cached pieces).
    static func writeCanonical(_ value: JSON, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .object(let object):
            if object.isEmpty {
                out.append(contentsOf: Array("{}".utf8))
                return
            }
            out.append(UInt8(ascii: "{"))
            let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (offset, key) in keys.enumerated() {
                out.append(contentsOf: offset == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
                writeString(key, into: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                writeCanonical(object[key] ?? .null, indent: indent + 2, into: &out)
            }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: Array("[]".utf8))
                return
            }
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                out.append(contentsOf: offset == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
                writeCanonical(element, indent: indent + 2, into: &out)
            }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "]"))
        case .string(let string):
            writeString(string, into: &out)
        default:
            writeScalar(value, into: &out)
        }
    }

    private static func writeScalar(_ value: JSON, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .int(let number): out.append(contentsOf: Array(String(number).utf8))
        case .double(let number):
            if number.isFinite, number.rounded() == number, abs(number) < 1e16 {
                out.append(contentsOf: Array("\(Int(number)).0".utf8))
            } else {
                out.append(contentsOf: Array("\(number)".utf8))
            }
        default: break
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
