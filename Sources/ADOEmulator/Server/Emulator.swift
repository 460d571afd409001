import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A validated snapshot, parsed once and cheap to copy: start as many emulators from it as you like.
public struct EmulatorSnapshot: Sendable {
    let model: OrgModel

    /// Reads and validates a snapshot file; throws `SnapshotError` (one line naming the file and JSON path).
    public static func load(contentsOf url: URL, displayName: String? = nil) throws -> EmulatorSnapshot {
        EmulatorSnapshot(model: try SnapshotLoader.load(contentsOf: url, displayName: displayName))
    }

    /// Validates snapshot bytes; `name` is used in error messages.
    public static func load(data: Data, name: String = "snapshot.json") throws -> EmulatorSnapshot {
        EmulatorSnapshot(model: try SnapshotLoader.load(data, file: name))
    }

    /// The organization name (`{org}` in URLs).
    public var organizationName: String { model.organization.name }
}

/// Options of one emulator instance.
public struct EmulatorConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Rewritten (atomically) with the state dump at start and after every successful write.
    public var stateOut: URL?
    /// Page size of graph lists; small by default so continuation loops are exercised.
    public var graphPageSize: Int
    public var logger: Logger
    /// Delay before every ADO request (`--latency`, `--jitter`, `--seed`).
    public var latency: LatencyOptions?
    /// TSTU budget per identity (`--rate-limit`); nil: no throttling.
    public var rateLimit: RateLimitPolicy?
    /// Fault rules at start (`--faults`); the control route can replace them at run time.
    public var faults: FaultPlan?
    /// JSON Lines file each completed request is appended to (`--request-log`); the caller creates it.
    public var requestLog: URL?
    /// Time and waiting for latency, throttling and slow faults; tests inject one that does not sleep.
    public var clock: any EmulatorClock

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        stateOut: URL? = nil,
        graphPageSize: Int = 5,
        logger: Logger? = nil,
        latency: LatencyOptions? = nil,
        rateLimit: RateLimitPolicy? = nil,
        faults: FaultPlan? = nil,
        requestLog: URL? = nil,
        clock: any EmulatorClock = SystemClock()
    ) {
        self.host = host
        self.port = port
        self.stateOut = stateOut
        self.graphPageSize = max(1, graphPageSize)
        self.logger = logger ?? Emulator.quietLogger()
        self.latency = latency
        self.rateLimit = rateLimit
        self.faults = faults
        self.requestLog = requestLog
        self.clock = clock
    }
}

/// A minted pipeline job token.
public struct PipelineToken: Sendable, Equatable {
    public var token: String
    /// Identity descriptor the job runs as.
    public var identity: String
    public var displayName: String
    /// `project` or `projectCollection`.
    public var scope: String
}

/// One request-log line (`GET /{org}/_emulator/requests`).
public struct LoggedRequest: Sendable, Equatable {
    public var seq: Int
    public var method: String
    public var path: String
    public var query: String
    /// The route template that served it; `nil` when no route matched.
    public var route: String?
    public var status: Int
    /// Caller's identity descriptor; `nil` for anonymous or rejected requests.
    public var caller: String?
    public var isWrite: Bool
    public var requestBytes: Int
    /// Response body bytes (0 when the connection was dropped).
    public var bytes: Int
    /// The fault rule that fired on this request, if any.
    public var fault: String?
    /// A fault dropped the connection; the client got no response (`status` is what the handler answered, or 0
    /// when the request was never handled).
    public var dropped: Bool
    /// Milliseconds the emulator waited on purpose (latency, throttling delay, slow fault).
    public var delayMs: Int
    /// TSTUs charged to the caller (when a rate limit is configured).
    public var tstu: Double?
    /// `delayed` or `blocked` when the rate limit acted.
    public var throttle: String?
}

/// Errors of the emulator's in-process API.
public enum EmulatorError: Error, Sendable, CustomStringConvertible {
    case unknownDefinition(Int)
    case missingIdentity(String)
    case stateOut(String)

    public var description: String {
        switch self {
        case .unknownDefinition(let id): "no build definition with id \(id)"
        case .missingIdentity(let name): "the snapshot has no identity for \(name)"
        case .stateOut(let reason): "cannot write the state dump: \(reason)"
        }
    }
}

/// One running (or runnable) emulated organization.
public struct Emulator: Sendable {
    public let organizationName: String
    let configuration: EmulatorConfiguration
    let services: EmulatorServices
    let dispatcher: Dispatcher

    public init(snapshot: EmulatorSnapshot, configuration: EmulatorConfiguration = EmulatorConfiguration()) {
        let model = snapshot.model
        let organization = model.organization
        var prefixes = [organization.url.lowercased()]
        if let components = URLComponents(string: organization.url), let host = components.host?.lowercased(),
            host == "dev.azure.com"
        {
            prefixes += ["vssps", "vsaex", "vsrm"].map { "https://\($0).dev.azure.com\(components.path.lowercased())" }
        }
        prefixes = prefixes.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let pauses = Pauses(clock: configuration.clock)
        let faults = FaultInjector(plan: configuration.faults ?? FaultPlan())
        let services = EmulatorServices(
            store: Store(model: model, stateOut: configuration.stateOut),
            requestLog: RequestLog(file: configuration.requestLog),
            faults: faults,
            pauses: pauses,
            organizationName: organization.name,
            tenantId: organization.tenantId,
            collectionId: organization.collectionId,
            servicePrefixes: prefixes,
            graphPageSize: configuration.graphPageSize,
            processId: UUID().uuidString.lowercased(),
            deploymentId: "e2f0c8d1-4a7b-4c6e-9f10-\(organization.collectionId.suffix(12))"
        )
        self.organizationName = organization.name
        self.configuration = configuration
        self.services = services
        var middlewares: [any RequestMiddleware] = [RequestLogMiddleware(), CommonHeadersMiddleware()]
        if let latency = configuration.latency, latency.latency > 0 || latency.jitter > 0 {
            middlewares.append(LatencyMiddleware(options: latency, pauses: pauses))
        }
        middlewares.append(FaultMiddleware(injector: faults, pauses: pauses))
        if let policy = configuration.rateLimit {
            middlewares.append(RateLimitMiddleware(limiter: RateLimiter(policy: policy), pauses: pauses))
        }
        middlewares.append(AuthenticationMiddleware())
        self.dispatcher = Dispatcher(table: Routes.table(), services: services, middlewares: middlewares)
    }

    /// The Hummingbird application as a service; `onRunning` receives the bound port once the socket listens.
    /// At graceful shutdown every deliberate wait (latency, throttling, slow faults) ends at once.
    public func makeService(onRunning: @escaping @Sendable (Int) async -> Void) -> some Service {
        EmulatorServer(
            application: Application(
                responder: EmulatorResponder(dispatcher: dispatcher),
                configuration: ApplicationConfiguration(
                    address: .hostname(configuration.host, port: configuration.port),
                    serverName: nil
                ),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                logger: configuration.logger
            ),
            pauses: services.pauses
        )
    }

    /// Replaces the fault rules (counters restart), as `PUT /{org}/_emulator/faults` does.
    public func setFaults(_ plan: FaultPlan) async { await services.faults.replace(with: plan) }

    /// Removes every fault rule, as `DELETE /{org}/_emulator/faults` does.
    public func clearFaults() async { await services.faults.replace(with: FaultPlan()) }

    /// Counters per route template, caller, status, fault and throttling over the current request log
    /// (`GET /{org}/_emulator/requests?summary=true`), as canonical JSON.
    public func requestSummary() async -> Data { Data(JSONWriter.canonical(await services.requestLog.summary())) }

    /// Writes the `--state-out` file now (the server also rewrites it after every successful write).
    public func writeStateOut() async throws {
        do { try await services.store.persist() } catch { throw EmulatorError.stateOut("\(error)") }
    }

    /// The live state in snapshot format: canonical JSON, byte-stable (docs/emulator.md).
    public func stateDump() async -> Data { Data(await services.store.dump()) }

    public func requestLog() async -> [LoggedRequest] {
        await services.requestLog.all().map {
            LoggedRequest(
                seq: $0.seq,
                method: $0.method,
                path: $0.path,
                query: $0.query,
                route: $0.route,
                status: $0.status,
                caller: $0.caller,
                isWrite: $0.isWrite,
                requestBytes: $0.requestBytes,
                bytes: $0.bytes,
                fault: $0.fault,
                dropped: $0.dropped,
                delayMs: $0.delayMs,
                tstu: $0.tstu,
                throttle: $0.throttle
            )
        }
    }

    public func clearRequestLog() async { await services.requestLog.clear() }

    /// Mints a bearer token for the identity the definition's jobs run as under the current settings.
    public func mintPipelineToken(definitionId: Int) async throws -> PipelineToken {
        try await PipelineRoutes.mint(definitionId: definitionId, store: services.store)
    }

    /// A logger that only reports problems (tests start many emulators).
    public static func quietLogger() -> Logger {
        var logger = Logger(label: "ado-emulator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }
}

/// The Hummingbird application plus the emulator's shutdown duty: release every deliberate wait.
struct EmulatorServer<Inner: Service>: Service {
    let application: Inner
    let pauses: Pauses

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            pauses.release()
        }
    }
}
