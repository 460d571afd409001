import Foundation

/// Encodes an `Encodable` straight into a `JSONValue`: the value `JSONEncoder` followed by `JSONValue.parse`
/// gives (missing optionals left out, URLs as their absolute string, `Data` as base64, dates as
/// `JSONEncoder`'s default seconds since 2001), without writing and re-reading the text — for a 10,000-finding
/// plan that round trip was a tenth of `adoperm plan`'s CPU.
enum JSONValueEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let slot = Slot()
        try encodeValue(value, into: slot, codingPath: [])
        return slot.resolved
    }

    fileprivate static func encodeValue(_ value: some Encodable, into slot: Slot, codingPath: [any CodingKey]) throws
    {
        switch value {
        case let json as JSONValue: slot.content = .value(json)
        case let url as URL: slot.content = .value(.string(url.absoluteString))
        case let data as Data: slot.content = .value(.string(data.base64EncodedString()))
        case let date as Date: slot.content = .value(.double(date.timeIntervalSinceReferenceDate))
        default: try value.encode(to: ValueEncoder(slot: slot, codingPath: codingPath))
        }
    }
}

/// Where one encoded value goes; objects and arrays are filled in place and resolved at the end.
private final class Slot {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: Slot])
        case array([Slot])
    }

    var content: Content = .empty

    var resolved: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.resolved))
        case .array(let items): .array(items.map(\.resolved))
        }
    }

    func object() -> Slot {
        if case .object = content { return self }
        content = .object([:])
        return self
    }

    func array() -> Slot {
        if case .array = content { return self }
        content = .array([])
        return self
    }

    func member(_ key: String) -> Slot {
        let slot = Slot()
        if case .object(var members) = content {
            content = .empty
            members[key] = slot
            content = .object(members)
        }
        return slot
    }

    func appended() -> Slot {
        let slot = Slot()
        if case .array(var items) = content {
            content = .empty
            items.append(slot)
            content = .array(items)
        }
        return slot
    }

    var count: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(slot: slot.object(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(slot: slot.array(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).content = .value(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(.bool(value))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(.string(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(.int(value))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(number(value))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(integer(value))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        slot.member(key.stringValue).content = .value(number(Double(value)))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try JSONValueEncoder.encodeValue(value, into: slot.member(key.stringValue), codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        KeyedEncodingContainer(
            KeyedContainer<NestedKey>(slot: slot.member(key.stringValue).object(), codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedContainer(slot: slot.member(key.stringValue).array(), codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder {
        ValueEncoder(slot: slot.member("super"), codingPath: codingPath)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.count }

    mutating func encodeNil() throws { slot.appended().content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.appended().content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.appended().content = .value(.string(value)) }
    mutating func encode(_ value: Int) throws { slot.appended().content = .value(.int(value)) }
    mutating func encode(_ value: Double) throws { slot.appended().content = .value(number(value)) }
    mutating func encode(_ value: Int8) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: Int16) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: Int32) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: Int64) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: UInt8) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: UInt16) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: UInt32) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: UInt64) throws { slot.appended().content = .value(integer(value)) }
    mutating func encode(_ value: Float) throws { slot.appended().content = .value(number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        try JSONValueEncoder.encodeValue(value, into: slot.appended(), codingPath: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: slot.appended().object(), codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(slot: slot.appended().array(), codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { ValueEncoder(slot: slot.appended(), codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
    mutating func encode(_ value: Int) throws { slot.content = .value(.int(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .value(number(value)) }
    mutating func encode(_ value: Int8) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: Int16) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: Int32) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: Int64) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: UInt8) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: UInt16) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: UInt32) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: UInt64) throws { slot.content = .value(integer(value)) }
    mutating func encode(_ value: Float) throws { slot.content = .value(number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONValueEncoder.encodeValue(value, into: slot, codingPath: codingPath)
    }
}

/// A whole number reads back from JSON text as an integer, so it is one here too.
private func number(_ value: Double) -> JSONValue {
    value.rounded() == value && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
}

/// An integer as JSON text would give it back (beyond `Int`'s range: a double, as the parser reads it).
private func integer(_ value: some BinaryInteger) -> JSONValue {
    if let exact = Int(exactly: value) { return .int(exact) }
    return .double(Double(value))
}
