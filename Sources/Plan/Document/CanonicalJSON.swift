import Foundation

/// The one JSON encoding adoperm hashes and writes: sorted keys, `/` not escaped, integers only. Compact for
/// digests; `pretty` (same key order, two-space indent, trailing newline) for files people read.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> Data {
        encoder(pretty: false).encodeOrFail(value)
    }

    public static func pretty(_ value: some Encodable) -> Data {
        var data = encoder(pretty: true).encodeOrFail(value)
        data.append(0x0A)
        return data
    }

    private static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONEncoder {
    /// Plan's values are plain structs, strings, integers and booleans: encoding cannot fail. A failure would be a
    /// programming error (a non-finite double), not bad input.
    fileprivate func encodeOrFail(_ value: some Encodable) -> Data {
        do {
            return try encode(value)
        } catch {
            preconditionFailure("canonical JSON encoding failed: \(error)")
        }
    }
}
