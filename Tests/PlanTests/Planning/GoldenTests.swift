import Foundation
import Plan
import Testing

/// Rendered plans of every scenario, compared byte for byte with `Fixtures/golden/` (regenerate with
/// `ADOPERM_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then review the diff).
@Suite struct GoldenTests {
    @Test(arguments: Scenario.all.map(\.name))
    func renderedPlansMatchTheGoldenFiles(_ name: String) throws {
        let scenario = try #require(Scenario.all.first { $0.name == name })
        let plan = try scenario.plan()
        let json = String(decoding: plan.fileData(), as: UTF8.self)
        #expect(try Fixtures.matchesGolden(json, "golden/\(name).json"), "plan.json differs from golden/\(name).json")
        #expect(try Fixtures.matchesGolden(TextRenderer.render(plan), "golden/\(name).txt"))
        #expect(try Fixtures.matchesGolden(MarkdownRenderer.render(plan), "golden/\(name).md"))
        #expect(!TextRenderer.render(plan).contains("\u{1B}"), "the library never emits ANSI codes")
    }
}
