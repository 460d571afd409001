import Crypto
import Foundation

/// A property an input broke: the fuzz targets trap on it (so libFuzzer saves the input), the replay tests fail.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Shared checks of the messages every entry point may produce.
enum MessageCheck {
    /// Raw error text that must never reach a user (Foundation's NSError and DecodingError renderings).
    static let rawErrorMarkers = [
        "Error Domain=", "NSCocoaErrorDomain", "NSError", "DecodingError", "dataCorrupted(", "keyNotFound(",
        "typeMismatch(", "valueNotFound(", "The data couldn’t be read", "Swift.",
    ]

    /// `text` is one non-empty line without raw Foundation error text (unless the input itself holds that text, as
    /// messages may quote the input).
    static func oneLine(_ text: String, _ what: String, input: String) throws(InvariantViolation) {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw InvariantViolation("\(what) is empty") }
        if let scalar = text.unicodeScalars.first(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
            let code = String(scalar.value, radix: 16)
            throw InvariantViolation("\(what) spans lines (U+\(code)): \(text.debugDescription)")
        }
        for marker in rawErrorMarkers where text.contains(marker) && !input.contains(marker) {
            throw InvariantViolation("\(what) shows raw error text '\(marker)': \(text.debugDescription)")
        }
    }
}

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
