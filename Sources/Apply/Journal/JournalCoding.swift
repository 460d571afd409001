import Crypto
import Foundation

/// The byte form of journal lines: sorted keys, no escaped slashes, one line each.
enum JournalCoding {
    static func encode(_ record: JournalRecord) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(record)
    }

    static func decode(_ line: Data) throws -> JournalRecord {
        try JSONDecoder().decode(JournalRecord.self, from: line)
    }

    /// SHA-256 hex of a line's bytes (without its newline): the next line's `prev`.
    static func digest(_ line: Data) -> String {
        SHA256.hash(data: line).map { String(format: "%02x", $0) }.joined()
    }
}
