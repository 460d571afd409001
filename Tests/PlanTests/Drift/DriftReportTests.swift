import DriftReports
import Foundation
import Plan
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report writers: JUnit (libxml2, parsed back here with FoundationXML), markdown, text and the Azure
/// Pipelines logging commands.
@Suite struct DriftReportTests {
    typealias F = DriftFixture

    /// Drift on three entries (requirement via the journal, forbid, setting with its pipelines' identities), and
    /// pending / in-sync entries.
    static func drifting() throws -> DriftReport {
        var state = Contoso.state()
        state.setACE(NamespaceID.git, F.repo, Contoso.paymentsGroups.readers, allow: 4)
        state.pipelineSettings.projects[Contoso.shared]?.values["enforceJobAuthScope"] = false
        let text = """
            version: 1
            organization: https://dev.azure.com/contoso
            requirements:
              - id: pr-reviewer
                subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead, PullRequestContribute]
              - id: backup-creates-projects
                subject: { identity: backup@contoso.com }
                allow:
                  - organization: {}
                    permissions: [CREATE_PROJECTS]
              - id: bob-reads
                subject: { identity: bob@contoso.com }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead]
            forbid:
              - id: readers-no-push
                subject: { group: "[Payments]\\\\Readers" }
                git: { project: Payments, repository: payments-api }
                permissions: [GenericContribute, ForcePush]
            settings:
              - project: Shared
                limitJobAuthScope: true
            """
        return try F.detect(state, manifest: text, journal: [F.liftDeny()]).report
    }

    #if canImport(FoundationXML)
        @Test func junitParsesBackWithOneTestcasePerEntryAndOneFailurePerDriftingEntry() throws {
            let report = try Self.drifting()
            let data = try JUnitReport.render(report)
            let document = try XMLDocument(data: data)
            let root = try #require(document.rootElement())
            #expect(root.name == "testsuites")
            let suites = try document.nodes(forXPath: "/testsuites/testsuite")
            #expect(suites.count == 1)
            let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
            // pr-reviewer, backup-creates-projects, bob-reads, readers-no-push, settings/Shared/limitJobAuthScope.
            #expect(cases.count == 5)
            #expect(
                cases.map { $0.attribute(forName: "classname")?.stringValue ?? "" }
                    == ["requirement", "requirement", "requirement", "forbid", "setting"]
            )
            #expect(
                cases.map { $0.attribute(forName: "name")?.stringValue ?? "" }
                    == [
                        "pr-reviewer", "backup-creates-projects", "bob-reads", "readers-no-push",
                        "settings/Shared/limitJobAuthScope",
                    ]
            )
            let failures = try document.nodes(forXPath: "//testcase/failure").compactMap { $0 as? XMLElement }
            #expect(failures.count == 3)
            #expect(try document.nodes(forXPath: "//testcase/skipped").count == 1)
            let suite = try #require(suites.first as? XMLElement)
            #expect(suite.attribute(forName: "tests")?.stringValue == "5")
            #expect(suite.attribute(forName: "failures")?.stringValue == "3")
            #expect(suite.attribute(forName: "skipped")?.stringValue == "1")
            #expect(suite.attribute(forName: "errors")?.stringValue == "0")
            let names = failures.compactMap { ($0.parent as? XMLElement)?.attribute(forName: "name")?.stringValue }
            #expect(names == ["pr-reviewer", "readers-no-push", "settings/Shared/limitJobAuthScope"])
            // The requirement's failure carries both of its items (the requirement and the reverted change), the
            // group name with its backslash intact.
            let message = failures[0].attribute(forName: "message")?.stringValue ?? ""
            #expect(message.contains("pr-reviewer: GenericRead|PullRequestContribute on Payments/payments-api"))
            #expect(message.contains("journal change c-0123456789ab"))
            #expect(failures[1].stringValue?.contains("[Payments]\\Readers") == true)
            #expect(failures[2].stringValue?.contains("Shared/Payments-CI (definition 2560)") == true)
        }
    #endif

    @Test func junitEscapesMarkupAndDropsCharactersXMLCannotCarry() throws {
        var report = try Self.drifting()
        report.items[0].summary = "a <b> & \"c\" \u{01}d"
        let text = String(decoding: try JUnitReport.render(report), as: UTF8.self)
        #expect(text.contains("a &lt;b&gt; &amp; &quot;c&quot; d"))
        #expect(!text.contains("\u{01}"))
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }

    @Test func inSyncReportsHaveNoFailures() throws {
        let report = try F.detect(F.lifted).report
        let text = String(decoding: try JUnitReport.render(report), as: UTF8.self)
        #expect(text.contains("tests=\"3\" failures=\"0\""))
        #expect(!text.contains("<failure"))
        #expect(
            DriftText.render(report).hasSuffix(
                "✓ In sync: 0 items (0 new), 0 resolved; 3 of 3 checks in sync, 0 pending.\n"
            )
        )
        let markdown = DriftMarkdown.render(report)
        #expect(markdown.hasPrefix("# ✅ adoperm drift: in sync — https://dev.azure.com/contoso"))
    }

    @Test func markdownShowsEveryEntryItemAndRemedy() throws {
        let report = try Self.drifting()
        let markdown = DriftMarkdown.render(report)
        #expect(markdown.hasPrefix("# ❌ adoperm drift: 6 items — https://dev.azure.com/contoso"))
        #expect(markdown.contains("| `pr-reviewer` | requirement | ❌ drift (2) |"))
        #expect(markdown.contains("| `backup-creates-projects` | requirement | ⏳ pending |"))
        #expect(markdown.contains("| `bob-reads` | requirement | ✅ in sync |"))
        // Backslashes of group names survive markdown rendering.
        #expect(markdown.contains("[Payments]\\\\Readers holds forbidden GenericContribute"))
        #expect(markdown.contains("```diff"))
        #expect(markdown.contains("- **journal:** `c-0123456789ab`"))
    }

    @Test func textBlocksAndWatchChanges() throws {
        let report = try Self.drifting()
        let text = DriftText.render(report)
        #expect(text.contains("✗ pr-reviewer  requirement drift  new"))
        #expect(text.contains("    journal   c-0123456789ab of run 20261124T000000Z-abcd"))
        #expect(text.contains("✗ Drift: 6 items (6 new), 0 resolved; 1 of 5 checks in sync, 1 pending."))
        // Nothing new, nothing resolved: watch mode prints nothing.
        var quiet = report
        for offset in quiet.items.indices { quiet.items[offset].status = .ongoing }
        #expect(DriftText.renderChanges(quiet).isEmpty)
        #expect(!DriftText.renderChanges(report).isEmpty)
    }

    @Test func pipelineLoggingCommands() throws {
        let report = try Self.drifting()
        let lines = DriftOutput.pipelineIssues(report.items)
        #expect(lines.count == report.items.count)
        #expect(lines.allSatisfy { $0.hasPrefix("##vso[task.logissue type=error;") && !$0.contains("\n") })
        #expect(
            lines[0].hasPrefix(
                "##vso[task.logissue type=error;sourcepath=adoperm.yaml;linenumber=7;columnnumber=9;"
                    + "code=drift-requirement]drift: pr-reviewer: "
            )
        )
        #expect(
            DriftOutput.succeededWithIssues(report)
                == "##vso[task.complete result=SucceededWithIssues;]adoperm drift: 6 drift item(s)"
        )
        let json = String(decoding: DriftOutput.json(report), as: UTF8.self)
        #expect(json.contains("\"format\": \"adoperm-drift/1\""))
        #expect(String(decoding: DriftOutput.jsonLine(report), as: UTF8.self).split(separator: "\n").count == 1)
    }
}
