import Foundation
import Plan

/// Small plans written by hand, for the pure parts (selection, ordering, stale check).
enum HandPlan {
    static let git = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
    static let spn = "Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;tenant\\spn"
    static let buildService = "Microsoft.TeamFoundation.ServiceIdentity;host:Build:collection"

    static func ace(_ token: String, _ descriptor: String = spn, before: (Int, Int)? = nil, after: (Int, Int)) -> Change
    {
        Change(
            kind: .ace,
            target: .object([
                "namespaceId": .string(git), "namespace": .string("Git Repositories"), "token": .string(token),
                "descriptor": .string(descriptor),
            ]),
            before: before.map { .object(["allow": .int($0.0), "deny": .int($0.1)]) } ?? .null,
            after: .object(["allow": .int(after.0), "deny": .int(after.1)]),
            summary: "ace on \(token)"
        )
    }

    static func setting(_ name: String = "enforceJobAuthScope", project: String = "p1") -> Change {
        Change(
            kind: .pipelineSetting,
            target: .object([
                "scope": .string("project"), "projectId": .string(project), "project": .string("Payments"),
                "setting": .string(name),
            ]),
            before: .bool(false),
            after: .bool(true),
            summary: "setting \(name)"
        )
    }

    static func frontMatter(_ path: String = "agents/pr-reviewer.md") -> Change {
        Change(
            kind: .frontMatter,
            target: .object([
                "key": .string("permissions.write"), "path": .string(path), "project": .string("Payments"),
                "repository": .string("payments-api"),
            ]),
            before: .null,
            after: .string("ado-aw-write"),
            summary: "front matter \(path)"
        )
    }

    static func manual(_ step: String) -> Change {
        Change(
            kind: .manual,
            target: .object(["action": .string("x")]),
            before: .null,
            after: .object(["steps": .array([.string(step)])]),
            summary: step
        )
    }

    static func remedy(
        _ rank: Int,
        _ kind: Remedy.Kind,
        _ changes: [Change],
        status: Remedy.Status = .viable,
        recommended: Bool = false
    ) -> Remedy {
        var remedy = Remedy(rank: rank, kind: kind, status: status, reason: "\(kind.rawValue)", changes: changes)
        remedy.recommended = recommended
        return remedy
    }

    static func finding(_ requirement: String, _ remedies: [Remedy], resource: String = "Payments/payments-api")
        -> Finding
    {
        var finding = Finding(requirement: requirement, status: .gap, remedies: remedies)
        finding.resource = resource
        return finding
    }

    static func plan(_ findings: [Finding], fingerprints: [String: String] = [:]) -> PlanDocument {
        PlanDocument(
            createdAt: "2026-11-24T00:00:00Z",
            organization: "https://dev.azure.com/contoso",
            manifestSha256: "m",
            fingerprints: fingerprints,
            summary: PlanSummary(
                requirements: findings.count,
                satisfied: 0,
                gaps: findings.count,
                excess: 0,
                unresolvable: 0,
                changes: 0
            ),
            findings: findings
        ).sealed()
    }

    /// One gap with the three ranked remedies of the seed.
    static var seed: PlanDocument {
        let token = "repoV2/p1/r1"
        return plan([
            finding(
                "pr-reviewer",
                [
                    remedy(
                        1,
                        .serviceConnection,
                        [ace(token, after: (16384, 0)), frontMatter(), manual("recompile")],
                        recommended: true
                    ),
                    remedy(2, .jobScope, [setting()]),
                    remedy(3, .liftDeny, [ace(token, buildService, before: (0, 16404), after: (0, 20))]),
                ]
            )
        ])
    }
}
