import Foundation
import EmulatorSupport
import Plan
import Testing

@Suite struct DecoderTests {
    @Test func decodesBitmasksHighestBitFirst() throws {
        let (namespace, names) = try BitDecoder.decode("16404", namespace: "git").get()
        #expect(namespace.name == "Git Repositories")
        #expect(names.joined(separator: " | ") == "PullRequestContribute | CreateBranch | GenericContribute")
        #expect(try BitDecoder.decode("0x80", namespace: "build").get().1 == ["QueueBuilds"])
        #expect(try BitDecoder.decode("1048577", namespace: NamespaceID.git).get().1 == ["Administer", "bit 1048576"])
        #expect(throws: BitDecoder.Failure.self) { try BitDecoder.decode("12", namespace: "gti").get() }
        #expect(BitDecoder.decode("12", namespace: "gti").failureDescription == "unknown security namespace 'gti' (did you mean git?)")
        #expect(BitDecoder.decode("x", namespace: "git").failureDescription == "found 'x', expected a bitmask (decimal, or hex with 0x)")
    }

    static let tf401027 = "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'repository'."

    @Test func decodesTF401027FromRawText() throws {
        let decoded = try #require(ErrorDecoder.decode(Self.tf401027).first)
        #expect(decoded.code == "TF401027" && decoded.permissions == ["PullRequestContribute"] && decoded.bits == 16384)
        #expect(decoded.scope == "repository" && decoded.namespaceId == NamespaceID.git)
        #expect(decoded.identity?.kind == .buildService && decoded.identity?.guid == Contoso.collectionId)
        // With the organization, the guid places the identity.
        let placed = try #require(ErrorDecoder.decode(Self.tf401027, index: OrgIndex(Contoso.state())).first)
        #expect(placed.identity?.kind == .collectionBuildService)
        #expect(placed.identity?.descriptor == Contoso.collectionBuildService)
        let project = Self.tf401027.replacingOccurrences(of: Contoso.collectionId, with: Contoso.payments)
        let scoped = try #require(ErrorDecoder.decode(project, index: OrgIndex(Contoso.state())).first)
        #expect(scoped.identity?.kind == .projectBuildService && scoped.identity?.projectName == "Payments")
        #expect(scoped.identity?.descriptor == Contoso.paymentsBuildService)
    }

    @Test func decodesADOAWExecutedRecordsWithDoubledBackslashes() throws {
        let line = #"{"name":"add_pr_comment","status":"failed","context":null,"result":null,"error":"Failed to add comment to PR #4711 (HTTP 403 Forbidden): {\"$id\":\"1\",\"innerException\":null,\"message\":\"TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Build\\\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'repository'.\",\"typeName\":\"GitNeedsPermissionException\",\"typeKey\":\"GitNeedsPermissionException\",\"errorCode\":0,\"eventId\":3000}","timestamp":"2026-06-12T10:14:04Z"}"#
        let decoded = try #require(ErrorDecoder.decode(line + "\n" + line.replacingOccurrences(of: "4711", with: "4712")).first)
        #expect(decoded.tool == "add-pr-comment" && decoded.httpStatus == 403)
        #expect(decoded.identity?.guid == Contoso.collectionId)
        #expect(ErrorDecoder.decode(line + "\n" + line).count == 2)
        // A raw JSON body with escaped backslashes.
        let body = #"{"$id":"1","message":"TF401027: You need the Git 'CreateBranch' permission to perform this action. Details: identity 'Build\\a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f', scope 'branch'.","typeKey":"GitNeedsPermissionException"}"#
        let branch = try #require(ErrorDecoder.decode(body, index: OrgIndex(Contoso.state())).first)
        #expect(branch.permissions == ["CreateBranch"] && branch.scope == "branch")
        #expect(branch.identity?.kind == .projectBuildService)
    }

    @Test func anHTMLErrorPageGivesTheMessageWithoutMarkup() throws {
        let page = EmulatorSupport.Fixtures.repositoryRoot.appendingPathComponent(
            "Tests/adopermTests/Fixtures/bad/errors/html-error-page.html"
        )
        let decoded = try #require(ErrorDecoder.decode(try String(contentsOf: page, encoding: .utf8)).first)
        #expect(decoded.code == "TF400813")
        #expect(decoded.message == "TF400813: Resource not available for anonymous access. Client authentication required.")
    }

    @Test func decodesTheOtherCodes() throws {
        let texts = [
            "TF401019: The Git repository with name or identifier payments-api does not exist or you do not have permissions for the operation you are attempting.",
            "VS800075: The project with id 'vstfs:///Classification/TeamProject/b7956b12-4d3c-4e6f-9081-2b3c4d5e6f70' does not exist, or you do not have permission to access it.",
            "TF50309: The following account does not have sufficient permissions to complete the operation: backup@contoso.com. The following permissions are needed to perform this operation: Create new projects.",
            "VS402356: You do not have the permissions required to perform the attempted operation on this process.",
            "TF400813: The user 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' is not authorized to access this resource.",
            "TF215106: Access denied. Project Collection Build Service (contoso) needs Queue builds permissions for build pipeline 57:Deploy-Canary in team project Payments to perform the action.",
            "TF237111: The current user does not have permissions to save work items under the specified area path.",
        ]
        let decoded = ErrorDecoder.decode(texts.joined(separator: "\n"), index: OrgIndex(Contoso.state()))
        #expect(decoded.map(\.code) == ["TF401019", "VS800075", "TF50309", "VS402356", "TF400813", "TF215106", "TF237111"])
        #expect(decoded[0].repository == "payments-api" && decoded[0].permissions == ["GenericRead"])
        #expect(decoded[1].projectName == "Shared" && decoded[1].permissions == ["GENERIC_READ"])
        #expect(decoded[2].permissions == ["CREATE_PROJECTS"] && decoded[2].identity?.descriptor == Contoso.backup)
        #expect(decoded[2].namespaceId == NamespaceID.collection && decoded[2].scope == "organization")
        #expect(decoded[3].permissions == ["Edit"] && decoded[3].namespaceId == NamespaceID.process)
        #expect(!decoded[4].isPermissionError)
        #expect(decoded[5].permissions == ["QueueBuilds"] && decoded[5].bits == 128 && decoded[5].definitionId == 57)
        #expect(decoded[5].identity?.kind == .collectionBuildService && decoded[5].projectName == "Payments")
        #expect(decoded[6].permissions == ["WORK_ITEM_WRITE"])
    }

    @Test func decodesTheWorkItemVariantAndPipelineNumbers() throws {
        let text = "2026-07-20T09:14:04Z TF401027: The identity 'Payments Build Service (contoso)' needs the following permission to perform this action: Edit work item comments."
        let decoded = try #require(ErrorDecoder.decode(text, index: OrgIndex(Contoso.state())).first)
        #expect(decoded.namespaceId == NamespaceID.css && decoded.permissions == ["WORK_ITEM_SAVE_COMMENT"])
        #expect(decoded.identity?.kind == .projectBuildService && decoded.identity?.descriptor == Contoso.paymentsBuildService)
        let queue = "TF215106: Access denied. Project Collection Build Service (contoso) needs Queue builds permissions for build pipeline 31:Nightly in team project Payments to perform the action."
        #expect(ErrorDecoder.decode(queue).first?.definitionId == 31)
        #expect(ErrorDecoder.decode("Failed to queue build for pipeline 57 (HTTP 403 Forbidden): " + queue).first?.tool == "queue-build")
    }

    @Test func explainsTheSeedWithTheOrganization() throws {
        let index = OrgIndex(Contoso.state())
        let errors = ErrorDecoder.decode(Self.tf401027, index: index)
        let (plan, notes) = try Explainer.plan(for: errors, index: index, createdAt: Scenario.createdAt)
        #expect(notes.count == 1 && notes[0].contains("pass --pipeline Project/name"))
        let finding = try #require(plan.findings.first)
        #expect(plan.findings.count == 1 && finding.status == .gap && finding.resource == "Payments/payments-api")
        #expect(finding.cause?.kind == "explicit-deny")
        // Without a pipeline the subject is the identity itself; naming the pipeline brings remedies 1 and 2.
        #expect(finding.ranking == ["1 service-connection not-applicable", "2 job-scope not-applicable", "3 lift-deny viable *"])
        let (withPipeline, pipelineNotes) = try Explainer.plan(
            for: errors, index: index, pipeline: .pipeline(project: "Payments", name: "payments-pr-reviewer"),
            createdAt: Scenario.createdAt)
        #expect(withPipeline.findings.first?.ranking == ["1 service-connection manual", "2 job-scope viable *", "3 lift-deny viable"])
        #expect(pipelineNotes.isEmpty)
    }

    @Test func explainsTheXoperoRestoreError() throws {
        let index = OrgIndex(Contoso.state())
        let text = "TF50309: The following account does not have sufficient permissions to complete the operation: backup@contoso.com. The following permissions are needed to perform this operation: Create new projects."
        let (plan, _) = try Explainer.plan(for: ErrorDecoder.decode(text, index: index), index: index, createdAt: Scenario.createdAt)
        let finding = try #require(plan.findings.first)
        #expect(finding.token == "NAMESPACE:" && finding.missing == ["CREATE_PROJECTS"])
        #expect(finding.remedy(.grant)?.recommended == true)
    }

    @Test func rendersTheDecoding() throws {
        let rendered = ExplainRenderer.render(ErrorDecoder.decode(Self.tf401027, index: OrgIndex(Contoso.state())))
        #expect(rendered.contains("identity    Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10 → Project Collection Build Service (contoso) (collection-scoped job identity: the guid is the collection id)"))
        #expect(rendered.contains("permission  PullRequestContribute (16384) in Git Repositories"))
        #expect(ExplainRenderer.render([]).hasPrefix("no known Azure DevOps error found"))
    }
}

extension Result where Failure: CustomStringConvertible {
    var failureDescription: String? {
        if case .failure(let failure) = self { return failure.description }
        return nil
    }
}
