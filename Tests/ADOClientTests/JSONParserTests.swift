import ADOClient
import Foundation
import Plan
import PropertyBased
import Testing

@Suite struct JSONParserTests {
    @Test func parsesADOErrorBodyWithByteOrderMark() throws {
        let body =
            Data([0xEF, 0xBB, 0xBF])
            + Data(
                #"{"$id":"1","innerException":null,"message":"TF200016: The following project does not exist: X.","typeKey":"ProjectDoesNotExistWithNameException","errorCode":0,"eventId":3000}"#
                    .utf8
            )
        let value = try JSONParser.parse(body)
        #expect(value["message"]?.stringValue == "TF200016: The following project does not exist: X.")
        #expect(value["errorCode"] == .int(0))
        #expect(value["innerException"] == .null)
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        let value = try JSONParser.parse(#"{"a": 16404, "b": -1, "c": 0.25, "d": 1e3, "e": 9223372036854775807}"#)
        #expect(value["a"] == .int(16404))
        #expect(value["b"] == .int(-1))
        #expect(value["c"] == .double(0.25))
        #expect(value["d"] == .double(1000))
        #expect(value["e"] == .int(Int.max))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"["\u0000", "a\\b", "\ud83d\ude00", "\/", "Tab\there"]"#)
        #expect(value == .array([.string("\u{0}"), .string("a\\b"), .string("😀"), .string("/"), .string("Tab\there")]))
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "tru", #""\x""#, "01", "1.", #"{"a":1} x"#, #""\ud800""#])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func reportsLineAndColumn() {
        let result = Result { () throws(JSONParseError) in try JSONParser.parse("{\n  \"a\": ?\n}") }
        guard case .failure(let error) = result else {
            Issue.record("expected a parse error")
            return
        }
        #expect(error.line == 2)
        #expect(error.column == 8)
    }

    @Test func writerSortsKeysAndIsStable() {
        let value = JSONValue.object([
            "b": .int(1), "a": .array([.string("x/y"), .null, .bool(true)]), "c": .object([:]),
        ])
        #expect(JSONWriter.string(value) == #"{"a":["x/y",null,true],"b":1,"c":{}}"#)
        #expect(JSONWriter.data(value) == JSONWriter.data(value))
    }

    @Test func writeThenParseRoundTrips() async {
        let scalars = Gen.oneOf(
            Gen.int(in: -1_000_000...1_000_000).map { JSONValue.int($0) },
            Gen.letterOrNumber.string(of: 0...12).map { JSONValue.string($0) },
            Gen.bool.map { JSONValue.bool($0) }
        )
        let objects = scalars.array(of: 0...6).map { values in
            JSONValue.object(
                Dictionary(uniqueKeysWithValues: values.enumerated().map { ("k\($0.offset)\\\"", $0.element) })
            )
        }
        await propertyCheck(input: objects.array(of: 0...4)) { elements in
            let value = JSONValue.array(elements)
            #expect((try? JSONParser.parse(JSONWriter.data(value))) == value)
            #expect((try? JSONParser.parse(JSONWriter.string(value, pretty: false))) == value)
        }
    }
}
