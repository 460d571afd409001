import Foundation
import Plan
import PropertyBased
import Testing

/// Properties of the drift comparison over random organizations built from the Contoso fixture: entries and items
/// agree, reports are deterministic, a second run over the same organization reports nothing new, and a journal
/// change is drift exactly when its object no longer equals the after-image.
@Suite struct DriftPropertyTests {
    typealias F = DriftFixture

    /// A variant: the build service's and the readers' entries on payments-api, Shared's and Payments' toggles.
    struct Variant: Sendable, CustomStringConvertible {
        var serviceAllow: Int
        var serviceDeny: Int
        var readersAllow: Int
        var sharedEnforces: Bool
        var paymentsEnforces: Bool

        var description: String {
            "service \(serviceAllow)/\(serviceDeny), readers \(readersAllow), shared \(sharedEnforces), "
                + "payments \(paymentsEnforces)"
        }

        var state: OrgState {
            var state = Contoso.state()
            state.setACE(
                NamespaceID.git,
                F.repo,
                Contoso.collectionBuildService,
                allow: serviceAllow,
                deny: serviceDeny
            )
            if readersAllow != 0 {
                state.setACE(NamespaceID.git, F.repo, Contoso.paymentsGroups.readers, allow: readersAllow)
            }
            state.pipelineSettings.projects[Contoso.shared, default: PipelineSettings()].values["enforceJobAuthScope"] =
                sharedEnforces
            state.pipelineSettings.projects[Contoso.payments, default: PipelineSettings()].values[
                "enforceJobAuthScope"
            ] = paymentsEnforces
            return state
        }
    }

    static let bits = [0, 2, 4, 16, 16384, 16404, 16406]
    static let variants = Gen.int(in: 0...(bits.count - 1)).array(of: 5).map { picks in
        let masks = picks.map { bits[$0] }
        return Variant(
            serviceAllow: masks[0],
            serviceDeny: masks[1] & ~masks[0],
            readersAllow: masks[2],
            sharedEnforces: picks[3] % 2 == 0,
            paymentsEnforces: picks[4] % 2 == 0
        )
    }

    @Test func entriesAndItemsAgreeAndRunsAreStable() async {
        await propertyCheck(count: 40, input: Self.variants, Self.variants) { before, after in
            do {
                let first = try F.detect(before.state, journal: [F.liftDeny()])
                let second = try F.detect(after.state, journal: [F.liftDeny()], previous: first.state, at: F.later)
                for report in [first.report, second.report] {
                    let refs = Set(report.checks.map(\.ref))
                    #expect(report.items.allSatisfy { refs.contains($0.check) }, "\(before) → \(after)")
                    for check in report.checks {
                        let owned = report.items.filter { $0.check == check.ref }.map(\.key).sorted()
                        #expect(check.items == owned)
                        #expect((check.status == .drift) == !owned.isEmpty)
                    }
                    #expect(report.inSync == report.items.isEmpty)
                    #expect(Set(report.items.map(\.key)).count == report.items.count)
                    #expect(report.summary.items == report.items.count)
                }
                // Deterministic.
                let again = try F.detect(after.state, journal: [F.liftDeny()], previous: first.state, at: F.later)
                #expect(again.report == second.report && again.state.fileData() == second.state.fileData())
                // The same organization once more: nothing new, nothing resolved.
                let third = try F.detect(
                    after.state,
                    journal: [F.liftDeny()],
                    previous: second.state,
                    at: "2026-11-24T02:00:00Z"
                )
                #expect(!third.report.hasNews, "\(after): \(third.report.newItems.map(\.key))")
                #expect(third.report.items.map(\.key) == second.report.items.map(\.key))
                // What resolved is exactly what the first run had and the second has not.
                let gone = Set(first.report.items.map(\.key)).subtracting(second.report.items.map(\.key))
                #expect(Set(second.report.resolved.map(\.key)) == gone)
                // The lift-deny change is drift exactly when the ACE is not its after-image (no entry).
                let journalItem = second.report.items.first { $0.kind == .journal }
                let inEffect = after.serviceAllow == 0 && after.serviceDeny == 0
                #expect((journalItem == nil) == inEffect, "\(after)")
                if let journalItem {
                    let reverted = after.serviceAllow == 0 && after.serviceDeny == 16404
                    #expect(journalItem.journal?.first?.state == (reverted ? .reverted : .altered))
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
