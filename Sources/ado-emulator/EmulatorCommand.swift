import ADOEmulator
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ado-emulator",
        abstract: "Serves an adoperm snapshot as a live Azure DevOps organization (for tests and offline runs).",
        subcommands: [Serve.self, Generate.self]
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a snapshot. The first line on stdout is the organization URL."
    )

    @Argument(help: "The snapshot (adoperm-snapshot/1 JSON).")
    var snapshot: String

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 0

    @Option(name: .customLong("state-out"), help: "Rewrite this file with the live state after every write.")
    var stateOut: String?

    @Option(name: .customLong("parent-pid"), help: "Exit when this process is gone.")
    var parentPid: Int32?

    @Option(name: .customLong("graph-page-size"), help: "Page size of graph lists.")
    var graphPageSize = 5

    @Option(help: "Delay before every request, e.g. 50ms.")
    var latency: String?

    @Option(help: "Largest random deviation from --latency, e.g. 10ms (deterministic from --seed).")
    var jitter: String?

    @Option(help: "Seed of the latency jitter.")
    var seed: UInt64 = 0

    @Option(
        name: .customLong("rate-limit"),
        help: "TSTU budget per identity: LIMIT/WINDOW[,block=N][,notify=N][,maxdelay=D], or 'ado' (200/5m)."
    )
    var rateLimit: String?

    @Option(help: "Fault rules (YAML; docs/emulator.md \"Fault injection\").")
    var faults: String?

    @Option(name: .customLong("request-log"), help: "Append every completed request to this JSON Lines file.")
    var requestLog: String?

    func run() async throws {
        let logger = Logger(label: "ado-emulator") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let loaded: EmulatorSnapshot
        do {
            loaded = try EmulatorSnapshot.load(contentsOf: URL(fileURLWithPath: snapshot), displayName: snapshot)
        } catch {
            Self.fail("\(error)")
        }
        let configuration = EmulatorConfiguration(
            host: host,
            port: port,
            stateOut: stateOut.map { URL(fileURLWithPath: $0) },
            graphPageSize: graphPageSize,
            logger: logger,
            latency: latencyOptions(),
            rateLimit: rateLimit.map { text in
                do { return try RateLimitPolicy.parse(text) } catch { Self.fail("--rate-limit: \(error)") }
            },
            faults: faults.map { path in
                do { return try FaultPlan.load(contentsOf: URL(fileURLWithPath: path)) } catch { Self.fail("\(error)") }
            },
            requestLog: requestLogFile()
        )
        let emulator = Emulator(snapshot: loaded, configuration: configuration)
        if stateOut != nil {
            do { try await emulator.writeStateOut() } catch { Self.fail("\(error)") }
        }
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        let organization = emulator.organizationName
        let server = emulator.makeService { boundPort in
            // The parent (adoperm --emulate, tests) reads exactly this first line.
            FileHandle.standardOutput.write(Data("http://\(shownHost):\(boundPort)/\(organization)\n".utf8))
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        if let parentPid {
            services.append(
                .init(service: ParentWatcher(pid: parentPid), successTerminationBehavior: .gracefullyShutdownGroup)
            )
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            Self.fail("\(error)")
        }
    }

    private func latencyOptions() -> LatencyOptions? {
        guard latency != nil || jitter != nil else { return nil }
        func seconds(_ text: String?, _ flag: String) -> Double {
            guard let text else { return 0 }
            guard let value = Durations.seconds(text) else {
                Self.fail("\(flag): '\(text)' is not a duration (e.g. 50ms, 0.2s)")
            }
            return value
        }
        return LatencyOptions(latency: seconds(latency, "--latency"), jitter: seconds(jitter, "--jitter"), seed: seed)
    }

    /// Creates (or empties) the request-log file now, so a bad path fails before the server listens.
    private func requestLogFile() -> URL? {
        guard let requestLog else { return nil }
        guard FileManager.default.createFile(atPath: requestLog, contents: nil) else {
            Self.fail("--request-log: cannot create \(requestLog)")
        }
        return URL(fileURLWithPath: requestLog)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("ado-emulator: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// Ends (and so shuts the group down) when the parent process is gone.
struct ParentWatcher: Service {
    let pid: Int32

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if kill(pid, 0) != 0 && errno == ESRCH { return }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
