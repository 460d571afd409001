import ADOClient
import ADOEmulator
import Apply
import EmulatorSupport
import Foundation
import Plan
import Synchronization

/// A clock that never sleeps: it records the sleeps asked for and advances its time by them.
final class VirtualClock: RetryClock {
    private let state = Mutex<(elapsed: Duration, slept: [Duration])>((.zero, []))
    let start = Date(timeIntervalSince1970: 1_795_478_400)

    func now() -> Duration { state.withLock { $0.elapsed } }

    func sleep(for duration: Duration) async throws {
        state.withLock {
            $0.slept.append(duration)
            $0.elapsed += duration
        }
    }

    func jitter() -> Double { 0.5 }

    func wallClock() -> Date {
        let (seconds, attoseconds) = now().components
        return start.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }

    var sleeps: [Duration] { state.withLock { $0.slept } }
}

/// Plans, clients and directories for the tests.
enum TestSupport {
    static let createdAt = "2026-11-24T00:00:00Z"

    /// The reviewer requirement of the seed (docs/example-org.md) with ado-aw-write as the write connection.
    static let seedManifest = """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: pr-reviewer
            description: Payments PR reviewer comments on PRs
            subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
            allow:
              - git: { project: Payments, repository: payments-api }
                permissions: [GenericRead, PullRequestContribute]
        remediation:
          serviceConnection: { project: Payments, name: ado-aw-write }
        """

    /// A client of the emulator as alice (Project Collection Administrators).
    static func client(
        _ emulator: EmulatorHandle,
        pat: String = Fixtures.Credentials.alicePAT,
        clock: any RetryClock = SystemRetryClock()
    )
        throws -> OrganizationClient
    {
        OrganizationClient(
            endpoint: try OrganizationEndpoint(organizationURL: emulator.organizationURL.absoluteString),
            credential: Credential(kind: .pat, secret: pat),
            transport: try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(20))),
            clock: clock
        )
    }

    /// The plan of `manifest` against the live emulator, made the way `adoperm plan` makes it.
    static func plan(_ manifest: String, client: OrganizationClient, localFiles: [String: String] = [:]) async throws
        -> PlanDocument
    {
        let parsed = try Manifest.parse(manifest, file: "adoperm.yaml")
        let snapshot = try await OrgStateLoader(client: client).loadSnapshot(manifest: parsed, localFiles: localFiles)
            .snapshot
        let state = try OrgState(snapshot: snapshot)
        let index = OrgIndex(state)
        let desired = try ManifestExpander.expand(parsed, index: index, localFiles: localFiles)
        let bound = try Binder.bind(desired, to: index)
        return Planner.makePlan(bound, index: index, createdAt: createdAt).sealed()
    }

    /// The plan of `manifest` against the example snapshot file, offline.
    static func offlinePlan(_ manifest: String) throws -> PlanDocument {
        let state = try OrgState(snapshotData: try Fixtures.contosoSnapshot())
        let parsed = try Manifest.parse(manifest, file: "adoperm.yaml")
        let index = OrgIndex(state)
        let bound = try Binder.bind(try ManifestExpander.expand(parsed, index: index, localFiles: [:]), to: index)
        return Planner.makePlan(bound, index: index, createdAt: createdAt).sealed()
    }

    /// The changes of remedy `rank` (and `kind`) of the plan's first gap.
    static func remedy(_ plan: PlanDocument, rank: Int, kind: Remedy.Kind? = nil, finding: Int = 0) -> Remedy? {
        let gaps = plan.findings.filter { $0.status == .gap }
        guard finding < gaps.count else { return nil }
        return gaps[finding].remedies.first { $0.rank == rank && (kind == nil || $0.kind == kind) }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "adoperm-apply-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A checkout directory holding the example's agent files of Payments/payments-api.
    static func checkout() throws -> String {
        let root = try temporaryDirectory() + "/checkout"
        let source = Fixtures.repositoryRoot.appendingPathComponent("examples/contoso/files/Payments/payments-api").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source + "/agents", toPath: root + "/agents")
        return root
    }

    /// Options writing under `directory/.adoperm`.
    static func options(
        _ emulator: EmulatorHandle,
        _ directory: String,
        checkout: String? = nil,
        runId: String = "run-1",
        pause: PausePoint? = nil,
        onPause: @escaping @Sendable (PausePoint) -> Void = { _ in }
    )
        -> ApplyOptions
    {
        ApplyOptions(
            organizationURL: emulator.organizationURL.absoluteString,
            journalDirectory: directory + "/.adoperm/journal",
            lockDirectory: directory + "/.adoperm/locks",
            checkout: checkout ?? directory,
            runId: runId,
            pause: pause,
            onPause: onPause
        )
    }

    /// Writes the emulator's log saw (method, route) since the last clear.
    static func writes(_ emulator: EmulatorHandle) async throws -> [String] {
        try await emulator.requestLog().filter(\.isWrite).map { "\($0.method) \($0.path)?\($0.query)" }
    }
}

/// An `OrganizationAPI` that passes through to another one and fails chosen writes, or serves stale reads: the
/// faults the tests inject at the seam (the emulator serves everything else for real).
final class FaultyAPI: OrganizationAPI {
    private struct State {
        var writes = 0
        var staleLeft = 0
        var staleValue: AccessControlList?
    }

    private enum Read {
        case live
        case stale(AccessControlList?)
    }

    let inner: any OrganizationAPI
    /// 1-based numbers of the writes that fail (without reaching the organization).
    let failingWrites: Set<Int>
    /// After the ACE writes numbered in `laggingWrites`, this many ACL reads still return what was stored before.
    let staleReadsAfterWrite: Int
    let laggingWrites: Set<Int>
    private let state = Mutex(State())

    init(
        _ inner: any OrganizationAPI,
        failingWrites: Set<Int> = [],
        staleReadsAfterWrite: Int = 0,
        laggingWrites: Set<Int> = [1]
    ) {
        self.inner = inner
        self.failingWrites = failingWrites
        self.staleReadsAfterWrite = staleReadsAfterWrite
        self.laggingWrites = laggingWrites
    }

    var writes: Int { state.withLock { $0.writes } }

    @discardableResult
    private func nextWrite() throws(ADOError) -> Int {
        let number = state.withLock {
            $0.writes += 1
            return $0.writes
        }
        if failingWrites.contains(number) {
            throw .service(ServiceError(status: 500, message: "injected failure of write \(number)", route: "test"))
        }
        return number
    }

    func accessControlList(namespaceId: String, token: String) async throws(ADOError) -> AccessControlList? {
        let read = state.withLock { state -> Read in
            guard state.staleLeft > 0 else { return .live }
            state.staleLeft -= 1
            return .stale(state.staleValue)
        }
        if case .stale(let value) = read { return value }
        return try await inner.accessControlList(namespaceId: namespaceId, token: token)
    }

    func setEntry(_ target: AceTarget, to state: AceState) async throws(ADOError) {
        let number = try nextWrite()
        let previous = try await inner.accessControlList(namespaceId: target.namespaceId, token: target.token)
        try await inner.setEntry(target, to: state)
        guard laggingWrites.contains(number) else { return }
        let count = staleReadsAfterWrite
        self.state.withLock {
            $0.staleLeft = count
            $0.staleValue = previous
        }
    }

    func settings(projectId: String?) async throws(ADOError) -> PipelineSettings {
        try await inner.settings(projectId: projectId)
    }

    func setSetting(projectId: String?, name: String, value: Bool) async throws(ADOError) {
        try nextWrite()
        try await inner.setSetting(projectId: projectId, name: name, value: value)
    }

    func definition(projectId: String, id: Int) async throws(ADOError) -> (BuildDefinition, JSONValue) {
        try await inner.definition(projectId: projectId, id: id)
    }

    func updateDefinition(projectId: String, id: Int, body: JSONValue) async throws(ADOError) {
        try nextWrite()
        try await inner.updateDefinition(projectId: projectId, id: id, body: body)
    }
}
