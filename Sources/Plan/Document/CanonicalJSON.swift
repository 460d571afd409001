import Foundation

/// The one JSON form adoperm hashes and writes. A `JSONValue` is written with object keys sorted by their UTF-8
/// bytes, `/` not escaped, only `"`, `\` and control characters escaped, integers in decimal. `compact` is what
/// digests are computed over; `pretty` (two-space indent, trailing newline) is what files hold. Typed values go
/// through `JSONEncoder` once to become a `JSONValue`.
public enum CanonicalJSON {
    /// Compact canonical bytes of a typed value.
    public static func encode(_ value: some Encodable) -> Data {
        if let json = value as? JSONValue { return compact(json) }
        return compact(jsonValue(value))
    }

    /// Indented canonical bytes of a typed value, with a trailing newline.
    public static func pretty(_ value: some Encodable) -> Data {
        let json = (value as? JSONValue) ?? jsonValue(value)
        var out: [UInt8] = []
        write(json, into: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return Data(out)
    }

    public static func compact(_ value: JSONValue) -> Data {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0, pretty: false)
        return Data(out)
    }

    /// A typed value as a `JSONValue` (what `JSONEncoder` and parsing its text give; plans hold only strings,
    /// integers and booleans).
    public static func jsonValue(_ value: some Encodable) -> JSONValue {
        do {
            return try JSONValueEncoder.encode(value)
        } catch {
            preconditionFailure("a plan value cannot be encoded: \(error)")
        }
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .int(let number): out.append(contentsOf: Array(String(number).utf8))
        case .double(let number):
            out.append(contentsOf: Array((number.rounded() == number && abs(number) < 1e15
                ? String(Int(number)) : String(number)).utf8))
        case .string(let text): string(text, into: &out)
        case .array(let items):
            guard !items.isEmpty else { return out.append(contentsOf: Array("[]".utf8)) }
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1, pretty)
                write(item, into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(&out, indent, pretty)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return out.append(contentsOf: Array("{}".utf8)) }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (offset, key) in keys.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1, pretty)
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(members[key] ?? .null, into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(&out, indent, pretty)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int, _ pretty: Bool) {
        guard pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: [UInt8](repeating: 0x20, count: indent * 2))
    }

    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
