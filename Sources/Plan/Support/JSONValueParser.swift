import Foundation

extension JSONValue {
    /// Parses JSON text (RFC 8259). Much faster than `JSONDecoder` into `JSONValue`, whose `Decodable` init has to
    /// try each type in turn; plans of large organizations are tens of megabytes.
    public static func parse(_ data: Data) throws -> JSONValue {
        var parser = JSONValueParser(bytes: [UInt8](data))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw JSONValueParser.Failure(offset: parser.index, "trailing characters") }
        return value
    }
}

struct JSONValueParser {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var problem: String
        init(offset: Int, _ problem: String) {
            self.offset = offset
            self.problem = problem
        }
        var description: String { "invalid JSON at byte \(offset): \(problem)" }
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is tolerated (some ADO error bodies carry one).
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw Failure(offset: index, "nested too deeply") }
        guard index < bytes.count else { throw Failure(offset: index, "unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { return .object(members) }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\""), consume: false) else { throw Failure(offset: index, "expected a key") }
                let key = try string()
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw Failure(offset: index, "expected ':'") }
                skipWhitespace()
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { continue }
                if peek(UInt8(ascii: "}")) { return .object(members) }
                throw Failure(offset: index, "expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { continue }
                if peek(UInt8(ascii: "]")) { return .array(items) }
                throw Failure(offset: index, "expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return try number()
        }
    }

    private mutating func peek(_ byte: UInt8, consume: Bool = true) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        if consume { index += 1 }
        return true
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw Failure(offset: index, "expected \(word)")
        }
        index += expected.count
    }

    private mutating func number() throws -> JSONValue {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        guard index > start, let text = String(bytes: bytes[start..<index], encoding: .utf8) else {
            throw Failure(offset: start, "unexpected character")
        }
        if let integer = Int(text) { return .int(integer) }
        guard let double = Double(text) else { throw Failure(offset: start, "bad number '\(text)'") }
        return .double(double)
    }

    private mutating func string() throws -> String {
        index += 1
        var utf8: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    // Surrogates must pair up (as JSONDecoder and the ADOClient parser require): a high one followed
                    // by anything but a low one used to underflow and trap (found by fuzzing).
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw Failure(offset: index, "unpaired surrogate") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw Failure(offset: index, "unpaired surrogate")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw Failure(offset: index, "unpaired surrogate")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Failure(offset: index, "bad \\u escape") }
                    utf8.append(contentsOf: Array(String(unicode).utf8))
                default: throw Failure(offset: index - 1, "bad escape")
                }
            default:
                utf8.append(byte)
            }
        }
        throw Failure(offset: index, "unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let text = String(bytes: bytes[index..<index + 4], encoding: .ascii),
            let value = UInt32(text, radix: 16)
        else { throw Failure(offset: index, "bad \\u escape") }
        index += 4
        return value
    }
}
