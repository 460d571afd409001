import ADOClient
import ADOEmulator
import Apply
import EmulatorSupport
import Foundation
import Plan
import Testing

/// How many requests an apply of many ACE changes costs, counted by the emulator (counts are deterministic; times
/// are not asserted). bench/run.py `apply` measures the same at 100 changes.
@Suite("Apply request counts", .serialized)
struct ApplyRequestCountTests {
    static let spec = SyntheticOrgSpec(projects: 30, reposPerProject: 5, pipelines: 150, requirements: 450, seed: 1)

    /// Per gap finding the first viable remedy made only of ACE changes, each entry (token, descriptor) once, and
    /// never changes of two remedies of one finding (apply refuses that).
    static func aceChanges(_ plan: PlanDocument, limit: Int) -> [String] {
        var chosen: [String] = []
        var entries: Set<String> = []
        func remediesTouched(_ finding: Finding, _ ids: Set<String>) -> Set<Int> {
            Set(finding.remedies.filter { $0.changes.contains { ids.contains($0.id) } }.map(\.rank))
        }
        for finding in plan.findings where finding.status == .gap && chosen.count < limit {
            guard
                let remedy = finding.remedies.first(where: {
                    $0.status == .viable && !$0.changes.isEmpty && $0.changes.allSatisfy { $0.kind == .ace }
                })
            else { continue }
            let keys = remedy.changes.map { change in
                let target = change.target
                return [target["namespaceId"]?.stringValue, target["token"]?.stringValue,
                        target["descriptor"]?.stringValue].map { ($0 ?? "").lowercased() }.joined(separator: "|")
            }
            guard Set(keys).count == keys.count, entries.isDisjoint(with: keys),
                chosen.count + remedy.changes.count <= limit
            else { continue }
            let tentative = Set(chosen + remedy.changes.map(\.id))
            guard plan.findings.allSatisfy({ remediesTouched($0, tentative).count <= 1 }) else { continue }
            chosen += remedy.changes.map(\.id)
            entries.formUnion(keys)
        }
        return chosen
    }

    @Test func oneWritePerEntryAndThreeReadsPerACL() async throws {
        let org = try SyntheticOrg.generate(Self.spec)
        try await withEmulator(snapshotData: org.snapshot) { emulator in
            let client = try TestSupport.client(emulator, pat: SyntheticOrg.adminPAT)
            let plan = try await TestSupport.plan(String(decoding: org.manifest, as: UTF8.self), client: client)
            let ids = Self.aceChanges(plan, limit: 40)
            let selection = try Selection.make(
                plan: plan,
                approval: Approval(changeIds: ids, approvedBy: "bench", source: .commandLine)
            )
            var acls: Set<String> = []
            for step in selection.steps {
                guard case .ace(let target, _) = step.operation else { continue }
                acls.insert(target.namespaceId + "|" + target.token.lowercased())
            }
            #expect(selection.steps.count == ids.count)
            #expect(ids.count >= 20, "enough ACE changes (\(ids.count))")
            #expect(acls.count < ids.count, "some ACLs carry several of the changes (\(acls.count) ACLs)")

            try await emulator.clearRequestLog()
            let directory = try TestSupport.temporaryDirectory()
            let outcome = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, directory)
            )
            .run(plan: plan, selection: selection)
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            #expect(run.steps.allSatisfy { $0.status == .verified })

            let log = try await emulator.requestLog()
            let writes = log.filter(\.isWrite)
            let aclReads = log.filter { $0.method == "GET" && $0.route == "/{org}/_apis/accesscontrollists/{namespaceId}" }
            // One write per (token, descriptor); per ACL: the stale check, the before-images, the read-back.
            #expect(writes.count == ids.count)
            #expect(aclReads.count == 3 * acls.count, "\(aclReads.count) ACL reads for \(acls.count) ACLs")
            #expect(log.count == writes.count + aclReads.count, "no other requests")

            // The journal holds every change verified.
            let journal = try Journal.read(path: run.journalPath)
            #expect(journal.outcomes.filter { $0.state == .verified }.count == ids.count)
        }
    }
}
