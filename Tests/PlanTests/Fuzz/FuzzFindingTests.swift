import Foundation
import Plan
import Testing

/// The bugs the fuzzers found in the manifest parser and the plan verifier, pinned by exact messages (the replay
/// tests run the reproducers themselves).
@Suite("Fuzz findings: manifest and plan")
struct FuzzFindingTests {
    @Test("a value with line breaks is quoted escaped, on one line")
    func quotedValuesStayOneLine() throws {
        let text = #""a\nb\e[31m""# + "\n"
        let error = try #require(throws: DiagnosticError.self) { try Manifest.parse(text, file: "m.yaml") }
        #expect(error.description == #"m.yaml:1:1: error: found 'a\nb\u{1B}[31m' for the manifest, expected a mapping"#)
    }

    @Test("duplicated non-scalar keys are reported the same way every time")
    func duplicateComplexKeys() throws {
        let text = "version: 1\nrequirements:\n? - id:\n: 1\n? - id:\n: 2\nrequirements: []\n"
        let error = try #require(throws: DiagnosticError.self) { try Manifest.parse(text, file: "m.yaml") }
        #expect(error.description.hasPrefix("m.yaml:1:1: error: duplicate key "))
        #expect(error.description.contains("a non-scalar key"))
        #expect(!error.description.contains("uncovertable"))
    }

    @Test("a rejected plan quotes its format escaped")
    func planFormatIsEscaped() {
        let data = Data(#"{"format": "adoperm-plan/1\n\u0000"}"#.utf8)
        #expect(PlanDocument.verify(data) == .invalid(#"format is 'adoperm-plan/1\n\u{0}', expected 'adoperm-plan/1'"#))
    }

    @Test("a high surrogate not followed by a low one is refused instead of trapping")
    func unpairedSurrogates() throws {
        for text in [#""\ud800\u0000""#, #""\ud800x""#, #""\udc00""#, #""\ud800\n""#] {
            #expect(throws: (any Error).self, "\(text)") { try JSONValue.parse(Data(text.utf8)) }
        }
        #expect(try JSONValue.parse(Data(#""\ud83d\ude00\u00e9""#.utf8)) == .string("😀é"))
    }
}
