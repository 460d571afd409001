import EmulatorSupport
import Foundation
import Testing

@testable import ADOEmulator

/// The cached dump renderer and `--state-out`: after every write's response the file and `GET …/_emulator/state`
/// hold exactly what an uncached rendering of the live model gives.
@Suite("State out")
struct StateOutTests {
    static func uncached(_ emulator: EmulatorHandle) async -> Data {
        Data(await emulator.emulator.services.store.read { model, _ in model.dumpBytes() })
    }

    static func expectConsistent(_ emulator: EmulatorHandle, stateOut: URL) async throws {
        let dump = try await emulator.stateDump()
        #expect(dump == (await uncached(emulator)))
        #expect(try Data(contentsOf: stateOut) == dump)
    }

    @Test func everyKindOfWriteLandsInTheFileBeforeItsResponse() async throws {
        let stateOut = try ExecutableTests.temporaryFile("state.json")
        try await withEmulator(stateOut: stateOut) { emulator in
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            #expect(try Data(contentsOf: stateOut) == (try Fixtures.contosoSnapshot()))
            let bob = Contoso.user("bob@contoso.com")
            let branch = Ids.paymentsAPIToken + "/refs/heads/" + GitTokens.encodeSegment("release")
            let set = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
                json: [
                    "token": branch, "merge": true,
                    "accessControlEntries": [["descriptor": bob, "allow": 16, "deny": 4]],
                ]
            )
            #expect(set.status == 200)
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            let changed = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
                json: [
                    "token": Ids.paymentsAPIToken, "merge": true,
                    "accessControlEntries": [["descriptor": bob, "allow": 2, "deny": 0]],
                ]
            )
            #expect(changed.status == 200)
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            let patched = try await emulator.send(
                "PATCH",
                "/Payments/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": true]
            )
            #expect(patched.status == 200)
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            var definition = try await emulator.get("/Payments/_apis/build/definitions/57").object()
            definition["jobAuthorizationScope"] = "project"
            #expect(
                try await emulator.send("PUT", "/Payments/_apis/build/definitions/57", json: definition).status == 200
            )
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            let page = try await emulator.send(
                "PUT",
                "/Shared/_apis/wiki/wikis/Shared.wiki/pages?path=/notes",
                json: ["content": "# Notes\n"]
            )
            #expect(page.status == 201)
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            let removed = try await emulator.send(
                "DELETE",
                "/_apis/accesscontrollists/\(Contoso.gitNamespace)?tokens=\(Ids.paymentsAPIToken)&recurse=true"
            )
            #expect(removed.status == 200)
            try await Self.expectConsistent(emulator, stateOut: stateOut)
        }
    }

    @Test func concurrentWritesLeaveTheLastStateInTheFile() async throws {
        let stateOut = try ExecutableTests.temporaryFile("state.json")
        try await withEmulator(stateOut: stateOut) { emulator in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for bit in 0..<16 {
                    group.addTask {
                        try await emulator.send(
                            "POST",
                            "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
                            json: [
                                "token": "repoV2/\(Contoso.paymentsProjectId)/\(bit)", "merge": true,
                                "accessControlEntries": [
                                    ["descriptor": Contoso.user("bob@contoso.com"), "allow": 1 << bit, "deny": 0]
                                ],
                            ]
                        ).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            try await Self.expectConsistent(emulator, stateOut: stateOut)
            let text = String(decoding: try Data(contentsOf: stateOut), as: UTF8.self)
            #expect((0..<16).allSatisfy { text.contains("\"token\": \"repoV2/\(Contoso.paymentsProjectId)/\($0)\"") })
        }
    }
}
