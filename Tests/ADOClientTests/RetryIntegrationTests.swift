import EmulatorSupport
import Foundation
import Plan
import Synchronization
import Testing

@testable import ADOClient

/// A virtual clock: sleeping advances it instantly and is recorded, so back-off is tested without waiting.
final class VirtualClock: RetryClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
    func now() -> Duration { state.withLock { $0.now } }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.now += duration
            $0.sleeps.append(duration)
        }
    }
    func jitter() -> Double { 1 }
    func wallClock() -> Date { Date(timeIntervalSince1970: 1_700_000_000) }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

/// The client's retry, read-back and throttling paths over real HTTP (a scripted server: the emulator does not
/// inject these failures).
@Suite struct RetryIntegrationTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(8), maxRetryAfter: .seconds(60))

    func client(_ server: ScriptedServer, clock: VirtualClock, timeout: Duration = .seconds(5)) throws
        -> OrganizationClient
    {
        OrganizationClient(
            endpoint: try OrganizationEndpoint(organizationURL: server.url.absoluteString),
            credential: Credential(kind: .pat, secret: "scripted"),
            transport: try CurlTransport(configuration: TransportConfiguration(totalTimeout: timeout)),
            retryPolicy: policy,
            clock: clock
        )
    }

    static let namespaces = #"{"count":0,"value":[]}"#
    static let busy = ScriptedServer.Reply.json(503, "\u{FEFF}" + #"{"message":"TF246017: busy","typeKey":"X"}"#)

    @Test func readsAreRetriedWithBackoffUntilTheyWork() async throws {
        let server = try ScriptedServer([Self.busy, .json(502, "{}"), .json(200, Self.namespaces)])
        defer { server.close() }
        let clock = VirtualClock()
        let client = try client(server, clock: clock)
        #expect(try await client.securityNamespaces().isEmpty)
        #expect(client.log.records.map(\.attempt) == [1, 2, 3])
        #expect(client.log.records.map(\.status) == [503, 502, 200])
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
        #expect(client.log.summary.retries == 2)
    }

    @Test func retryAfterIsHonoured() async throws {
        let server = try ScriptedServer([
            .json(
                429,
                #"{"message":"TF400733: The request has been canceled: Request was blocked"}"#,
                headers: [("Retry-After", "7")]
            ),
            .json(200, Self.namespaces),
        ])
        defer { server.close() }
        let clock = VirtualClock()
        _ = try await client(server, clock: clock).securityNamespaces()
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test func givesUpAfterMaxAttemptsWithTheTypedError() async throws {
        let server = try ScriptedServer(Array(repeating: Self.busy, count: 6))
        defer { server.close() }
        let clock = VirtualClock()
        let client = try client(server, clock: clock)
        let result = await outcome { () async throws(ADOError) in try await client.securityNamespaces() }
        guard case .failure(.service(let error)) = result else {
            Issue.record("expected a service error, got \(result)")
            return
        }
        #expect(error.status == 503)
        #expect(error.code == "TF246017")
        #expect(server.received.count == policy.maxAttempts)
    }

    @Test func hostOfflineIsNotRetried() async throws {
        let server = try ScriptedServer([
            .json(503, #"{"message":"offline"}"#, headers: [("X-VSS-HostOfflineError", "1")])
        ])
        defer { server.close() }
        let client = try client(server, clock: VirtualClock())
        _ = await outcome { () async throws(ADOError) in try await client.securityNamespaces() }
        #expect(server.received.count == 1)
    }

    @Test func timeoutsOfReadsAreRetried() async throws {
        var stalled = ScriptedServer.Reply.json(200, Self.namespaces)
        stalled.stall = .milliseconds(1500)
        let server = try ScriptedServer([stalled, .json(200, Self.namespaces)])
        defer { server.close() }
        let clock = VirtualClock()
        let client = try client(server, clock: clock, timeout: .milliseconds(300))
        #expect(try await client.securityNamespaces().isEmpty)
        #expect(client.log.records.first?.status == nil)
        #expect(client.log.records.first?.failure?.contains("timed out") == true)
        #expect(client.log.records.count == 2)
    }

    @Test func anUnresolvableHostIsNotRetried() async throws {
        // `.invalid` never resolves (RFC 6761).
        let client = OrganizationClient(
            endpoint: try OrganizationEndpoint(organizationURL: "https://adoperm-test.invalid/contoso"),
            credential: nil,
            transport: try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(5))),
            retryPolicy: policy,
            clock: VirtualClock()
        )
        let result = await outcome { () async throws(ADOError) in try await client.securityNamespaces() }
        #expect(result.failureValue == .transport(.hostNotFound(host: "adoperm-test.invalid")))
        #expect(client.log.records.count == 1)
    }

    @Test func writesAreNotRetriedWithoutAReadBack() async throws {
        let server = try ScriptedServer([Self.busy, .json(200, #"{"count":0,"value":[]}"#)])
        defer { server.close() }
        let client = try client(server, clock: VirtualClock())
        let result = await outcome { () async throws(ADOError) in
            try await client.setAccessControlEntries(
                namespaceId: NamespaceID.git,
                token: "repoV2",
                entries: [],
                merge: true
            )
        }
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.status == 503)
        #expect(server.received.filter { $0.method == "POST" }.count == 1)
    }

    @Test func aWriteProvedNotToHaveHappenedIsRetried() async throws {
        let entry = AccessControlEntry(
            descriptor: IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1"),
            allow: 4,
            deny: 0
        )
        let stored = #"{"count":1,"value":[{"descriptor":"Microsoft.TeamFoundation.Identity;S-1","allow":4,"deny":0}]}"#
        let server = try ScriptedServer([Self.busy, .json(200, stored)])
        defer { server.close() }
        let probes = Mutex(0)
        let client = try client(server, clock: VirtualClock())
        let result = try await client.setAccessControlEntries(
            namespaceId: NamespaceID.git,
            token: "repoV2",
            entries: [entry],
            merge: true,
            readBack: ReadBack {
                probes.withLock { $0 += 1 }; return nil
            }
        )
        #expect(result == [entry])
        #expect(probes.withLock { $0 } == 1)
        #expect(server.received.filter { $0.method == "POST" }.count == 2)
    }

    @Test func aWriteProvedToHaveHappenedIsNotRepeated() async throws {
        let entry = AccessControlEntry(
            descriptor: IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1"),
            allow: 4,
            deny: 0
        )
        let server = try ScriptedServer([Self.busy])
        defer { server.close() }
        let client = try client(server, clock: VirtualClock())
        let result = try await client.setAccessControlEntries(
            namespaceId: NamespaceID.git,
            token: "repoV2",
            entries: [entry],
            merge: true,
            readBack: ReadBack { [entry] }
        )
        #expect(result == [entry])
        #expect(server.received.count == 1)
    }

    @Test func aClientErrorOnAWriteIsFinalEvenWithAReadBack() async throws {
        let server = try ScriptedServer([.json(400, #"{"message":"VS403000: bad"}"#)])
        defer { server.close() }
        let probes = Mutex(0)
        let client = try client(server, clock: VirtualClock())
        let result = await outcome { () async throws(ADOError) in
            try await client.setAccessControlEntries(
                namespaceId: NamespaceID.git,
                token: "repoV2",
                entries: [],
                merge: true,
                readBack: ReadBack {
                    probes.withLock { $0 += 1 }; return nil
                }
            )
        }
        #expect(result.isFailure)
        #expect(probes.withLock { $0 } == 0)
    }

    @Test func rateLimitHeadersOnSuccessSlowTheNextRequest() async throws {
        let server = try ScriptedServer([
            .json(200, Self.namespaces, headers: [("Retry-After", "3")]),
            .json(200, Self.namespaces, headers: [("X-RateLimit-Limit", "200"), ("X-RateLimit-Remaining", "5")]),
            .json(200, Self.namespaces),
            .json(200, Self.namespaces),
        ])
        defer { server.close() }
        let clock = VirtualClock()
        let client = try client(server, clock: clock)
        _ = try await client.securityNamespaces()
        #expect(clock.sleeps.isEmpty)
        _ = try await client.securityNamespaces()
        #expect(clock.sleeps == [.seconds(3)])
        _ = try await client.securityNamespaces()
        #expect(clock.sleeps == [.seconds(3), ThrottlePolicy().lowRemainingPause])
        _ = try await client.securityNamespaces()
        #expect(clock.sleeps.count == 2)
    }

    @Test func aRepeatedContinuationTokenStopsPaging() async throws {
        let page = ScriptedServer.Reply.json(
            200,
            #"{"count":1,"value":[{"id":"a","name":"A"}]}"#,
            headers: [("x-ms-continuationtoken", "same")]
        )
        let server = try ScriptedServer([page, page])
        defer { server.close() }
        let client = try client(server, clock: VirtualClock())
        let result = await outcome { () async throws(ADOError) in try await client.projects() }
        guard case .failure(.decoding(_, let detail)) = result else {
            Issue.record("expected a decoding error, got \(result)")
            return
        }
        #expect(detail.contains("repeated continuation token"))
        #expect(server.received.last?.target.contains("continuationToken=same") == true)
    }

    @Test func everyRequestCarriesTheFixedHeaders() async throws {
        let server = try ScriptedServer([.json(200, Self.namespaces)])
        defer { server.close() }
        _ = try await client(server, clock: VirtualClock()).securityNamespaces()
        let headers = try #require(server.received.first?.headers)
        #expect(headers["user-agent"] == "adoperm/\(ADOClientInfo.version)")
        #expect(headers["x-tfs-fedauthredirect"] == "Suppress")
        #expect(headers["accept-encoding"]?.contains("gzip") == true)
        #expect(headers["authorization"] == "Basic " + Data(":scripted".utf8).base64EncodedString())
        #expect(server.received.first?.target == "/contoso/_apis/securitynamespaces?api-version=7.1-preview.1")
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

/// The ready-made read-backs against the emulator's real state.
@Suite struct ReadBackIntegrationTests {
    @Test func aceWriteReadBackSeesWhetherTheBitsAreStored() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let carol = IdentityDescriptor(Fixtures.Contoso.user("carol@contoso.com"))
            let token = "repoV2/\(Fixtures.Contoso.paymentsProjectId)"
            let entry = AccessControlEntry(descriptor: carol, allow: 16384, deny: 0)
            let probe = ReadBack<[AccessControlEntry]>.aceWrite(
                client, namespaceId: NamespaceID.git, token: token, entries: [entry], merge: true)
            #expect(try await probe.probe() == nil)
            _ = try await client.setAccessControlEntries(namespaceId: NamespaceID.git, token: token, entries: [entry], merge: true)
            #expect(try await probe.probe()?.first?.allow == 16384)

            let removal = ReadBack<AccessControlEntry>.permissionRemoval(
                client, namespaceId: NamespaceID.git, bits: 16384, descriptor: carol, token: token)
            #expect(try await removal.probe() == nil)
            _ = try await client.removePermission(namespaceId: NamespaceID.git, bits: 16384, descriptor: carol, token: token)
            #expect(try await removal.probe() != nil)

            let settings = ReadBack<PipelineSettings>.settings(client, project: "Payments", values: ["enforceJobAuthScope": true])
            #expect(try await settings.probe() == nil)
        }
    }
}
