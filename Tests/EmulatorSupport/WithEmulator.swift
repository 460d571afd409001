import ADOEmulator
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A running in-process emulator (Hummingbird on 127.0.0.1, a free port).
public struct EmulatorHandle: Sendable {
    /// `http://127.0.0.1:{port}`.
    public let baseURL: URL
    /// `http://127.0.0.1:{port}/{org}`.
    public let organizationURL: URL
    public let port: Int
    /// The in-process API (same state the HTTP routes serve).
    public let emulator: Emulator

    /// The live state in snapshot format (canonical, byte-stable).
    public func stateDump() async throws -> Data { await emulator.stateDump() }

    /// Requests to ADO routes so far.
    public func requestLog() async throws -> [LoggedRequest] { await emulator.requestLog() }

    public func clearRequestLog() async throws { await emulator.clearRequestLog() }

    /// A bearer token for the identity the definition's jobs run as under the current settings.
    public func mintPipelineToken(definitionId: Int) async throws -> (token: String, identity: String) {
        let minted = try await emulator.mintPipelineToken(definitionId: definitionId)
        return (minted.token, minted.identity)
    }

    /// HTTP client for this emulator (raw sockets; see `TestHTTP`).
    public var http: TestHTTP { TestHTTP(port: port) }

    /// Replaces the fault rules (counters restart), like `PUT /{org}/_emulator/faults`.
    public func setFaults(_ plan: FaultPlan) async { await emulator.setFaults(plan) }

    /// Replaces the fault rules with a fault file's text (docs/emulator.md "Fault injection").
    public func setFaults(yaml: String) async throws { await emulator.setFaults(try FaultPlan.parse(yaml)) }

    /// Removes every fault rule.
    public func clearFaults() async { await emulator.clearFaults() }

    /// Counters per route, caller, status, fault and throttling over the request log (canonical JSON).
    public func requestSummary() async throws -> [String: Any] {
        let data = await emulator.requestSummary()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }
}

/// Options of an in-process emulator beyond the snapshot (the `ado-emulator serve` flags).
public struct EmulatorOptions: Sendable {
    /// Rewritten with the state dump at start and after every successful write.
    public var stateOut: URL?
    public var graphPageSize: Int
    /// `--latency` / `--jitter` / `--seed`.
    public var latency: LatencyOptions?
    /// `--rate-limit`.
    public var rateLimit: RateLimitPolicy?
    /// `--faults` (replaceable later with `EmulatorHandle.setFaults`).
    public var faults: FaultPlan?
    /// `--request-log`: JSON Lines file (created or emptied at start).
    public var requestLog: URL?
    /// Time and waits; pass a `TestClock` so delays are recorded instead of slept.
    public var clock: any EmulatorClock

    public init(
        stateOut: URL? = nil,
        graphPageSize: Int = 5,
        latency: LatencyOptions? = nil,
        rateLimit: RateLimitPolicy? = nil,
        faults: FaultPlan? = nil,
        requestLog: URL? = nil,
        clock: any EmulatorClock = SystemClock()
    ) {
        self.stateOut = stateOut
        self.graphPageSize = graphPageSize
        self.latency = latency
        self.rateLimit = rateLimit
        self.faults = faults
        self.requestLog = requestLog
        self.clock = clock
    }
}

/// Starts an emulator serving `snapshot` (a file), runs `body`, then shuts it down gracefully. Parsed snapshots
/// are cached per file path, so starting many emulators from the example costs one parse.
public func withEmulator<T>(
    snapshot: URL = Fixtures.contosoSnapshotURL,
    stateOut: URL? = nil,
    graphPageSize: Int = 5,
    _ body: (EmulatorHandle) async throws -> T
) async throws -> T {
    try await withEmulator(
        snapshot: snapshot,
        options: EmulatorOptions(stateOut: stateOut, graphPageSize: graphPageSize),
        body
    )
}

/// Starts an emulator from snapshot bytes (e.g. `Fixtures.contosoSnapshot(editing:)`).
public func withEmulator<T>(
    snapshotData: Data,
    stateOut: URL? = nil,
    graphPageSize: Int = 5,
    _ body: (EmulatorHandle) async throws -> T
) async throws -> T {
    try await withEmulator(
        snapshotData: snapshotData,
        options: EmulatorOptions(stateOut: stateOut, graphPageSize: graphPageSize),
        body
    )
}

/// Starts an emulator serving `snapshot` with latency, throttling, faults or a request-log file.
public func withEmulator<T>(
    snapshot: URL = Fixtures.contosoSnapshotURL,
    options: EmulatorOptions,
    _ body: (EmulatorHandle) async throws -> T
) async throws -> T {
    let loaded = try await offPool { try SnapshotCache.load(snapshot) }
    return try await run(loaded, options: options, body)
}

/// Starts an emulator from snapshot bytes with latency, throttling, faults or a request-log file.
public func withEmulator<T>(
    snapshotData: Data,
    options: EmulatorOptions,
    _ body: (EmulatorHandle) async throws -> T
) async throws -> T {
    let loaded = try await offPool { try EmulatorSnapshot.load(data: snapshotData, name: "snapshot.json") }
    return try await run(loaded, options: options, body)
}

public enum EmulatorStartError: Error, CustomStringConvertible {
    case didNotStart
    case requestLog(String)

    public var description: String {
        switch self {
        case .didNotStart: "the emulator did not start listening"
        case .requestLog(let path): "cannot create the request log \(path)"
        }
    }
}

private func run<T>(
    _ snapshot: EmulatorSnapshot,
    options: EmulatorOptions,
    _ body: (EmulatorHandle) async throws -> T
) async throws -> T {
    let logger = Emulator.quietLogger()
    if let requestLog = options.requestLog {
        guard FileManager.default.createFile(atPath: requestLog.path, contents: nil) else {
            throw EmulatorStartError.requestLog(requestLog.path)
        }
    }
    let emulator = Emulator(
        snapshot: snapshot,
        configuration: EmulatorConfiguration(
            stateOut: options.stateOut,
            graphPageSize: options.graphPageSize,
            logger: logger,
            latency: options.latency,
            rateLimit: options.rateLimit,
            faults: options.faults,
            requestLog: options.requestLog,
            clock: options.clock
        )
    )
    if options.stateOut != nil { try await emulator.writeStateOut() }
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let service = emulator.makeService { port in
        continuation.yield(port)
        continuation.finish()
    }
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: [.init(service: service)],
            gracefulShutdownSignals: [],
            logger: logger
        )
    )
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        // The server's tasks (connections, handlers, the emulator's actors) run on threads of their own.
        tasks.addTask(executorPreference: EmulatorExecutor.shared) {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            throw EmulatorStartError.didNotStart
        }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let handle = EmulatorHandle(
            baseURL: base,
            organizationURL: base.appendingPathComponent(emulator.organizationName),
            port: port,
            emulator: emulator
        )
        do {
            let result = try await body(handle)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

private enum SnapshotCache {
    static let cache = Mutex<[String: EmulatorSnapshot]>([:])

    static func load(_ url: URL) throws -> EmulatorSnapshot {
        let path = url.standardizedFileURL.path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(path)|\(stamp)|\((attributes?[.size] as? NSNumber)?.intValue ?? -1)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let loaded = try EmulatorSnapshot.load(contentsOf: url)
        cache.withLock { $0[key] = loaded }
        return loaded
    }
}

/// Parses snapshots on a thread of their own: a large one would otherwise hold one of the (two, on this machine)
/// cooperative-pool threads the in-process emulators of tests running alongside need to answer in time.
private func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
