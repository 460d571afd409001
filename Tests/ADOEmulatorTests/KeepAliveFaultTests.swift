import ADOClient
import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// With `keepAlive: false` every injected drop reaches a keep-alive HTTP client (adoperm's libcurl transport):
/// no connection is reused, so libcurl has no stale connection to silently retry on.
@Suite("Fault injection with a keep-alive client")
struct KeepAliveFaultTests {
    static func write(_ organization: URL, _ descriptor: String) -> HTTPRequest {
        let body: [String: Any] = [
            "token": "repoV2", "merge": true,
            "accessControlEntries": [["descriptor": descriptor, "allow": 2, "deny": 0]],
        ]
        return HTTPRequest(
            method: .post,
            url: organization.appendingPathComponent("_apis/accesscontrolentries/\(Contoso.gitNamespace)")
                .appending(queryItems: [URLQueryItem(name: "api-version", value: "7.1")]),
            headers: ["Content-Type": "application/json"],
            body: try? JSONSerialization.data(withJSONObject: body),
            credential: Credential(kind: .pat, secret: Credentials.alicePAT)
        )
    }

    @Test func aLostResponseIsSeenByTheClientAndTheWriteIsAppliedOnce() async throws {
        let plan = try FaultPlan.parse(
            "keepAlive: false\nrules:\n  - method: POST\n    nth: 2\n    fault: lost-response\n"
        )
        try await withEmulator(options: EmulatorOptions(faults: plan)) { emulator in
            let transport = try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(10)))
            let first = try await transport.send(Self.write(emulator.organizationURL, Contoso.user("bob@contoso.com")))
            #expect(first.status == 200)
            #expect(first.headers["Connection"] == "close")
            var failure: TransportError?
            do {
                _ = try await transport.send(Self.write(emulator.organizationURL, Contoso.user("carol@contoso.com")))
            } catch {
                failure = error as? TransportError
            }
            guard case .connectionFailed? = failure else {
                Issue.record("expected the dropped connection to reach the client, got \(String(describing: failure))")
                return
            }
            let log = try await emulator.requestLog()
            #expect(log.count == 2)
            #expect(log.last?.dropped == true && log.last?.fault == "rule-1" && log.last?.status == 200)
            #expect(try await FaultInjectionTests.dumpMentions(emulator, Contoso.user("carol@contoso.com")))
        }
    }

    /// With keep-alive ON (the real service's default) adoperm still sends each write on a fresh connection, so a
    /// response lost after the server applied the write reaches the client instead of being silently re-sent.
    @Test func aWriteOnAKeptAliveClientIsNeverSilentlyResent() async throws {
        let plan = try FaultPlan.parse("rules:\n  - method: POST\n    nth: 2\n    fault: lost-response\n")
        try await withEmulator(options: EmulatorOptions(faults: plan)) { emulator in
            let transport = try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(10)))
            // A read first, so the transport holds a kept-alive connection it could reuse.
            let read = HTTPRequest(
                method: .get,
                url: emulator.organizationURL.appendingPathComponent("_apis/securitynamespaces")
                    .appending(queryItems: [URLQueryItem(name: "api-version", value: "7.1")]),
                credential: Credential(kind: .pat, secret: Credentials.alicePAT)
            )
            #expect(try await transport.send(read).status == 200)
            let first = try await transport.send(Self.write(emulator.organizationURL, Contoso.user("bob@contoso.com")))
            #expect(first.status == 200)
            #expect(first.headers["Connection"] != "close")
            var failure: TransportError?
            do {
                _ = try await transport.send(Self.write(emulator.organizationURL, Contoso.user("carol@contoso.com")))
            } catch {
                failure = error as? TransportError
            }
            guard case .connectionFailed? = failure else {
                Issue.record("expected the dropped connection to reach the client, got \(String(describing: failure))")
                return
            }
            let writes = try await emulator.requestLog().filter(\.isWrite)
            #expect(writes.count == 2, "the lost write must reach the server exactly once")
            #expect(writes.last?.dropped == true)
            #expect(try await FaultInjectionTests.dumpMentions(emulator, Contoso.user("carol@contoso.com")))
        }
    }
}
