import Dispatch
import Foundation
import Plan

/// `adoperm drift --watch`: a run now, then one per schedule tick (with jitter), until SIGINT or SIGTERM.
///
/// After the first run only new, changed and resolved drift is printed. A run that fails (the API is
/// unreachable, answers 5xx) logs one line on stderr and the next tick tries again; only unusable input
/// (manifest, journal, state file) before the first successful run stops the watch (exit 1). The wait between runs
/// is a cancellable sleep raced against a signal source, so a signal ends the watch at once, with exit 0.
struct DriftWatch: Sendable {
    let schedule: WatchSchedule
    let pass: DriftPass
    let printer: DriftPrinter
    let terminal: Terminal
    let verbose: Bool

    func run(_ connection: Connection) async throws -> ExitStatus {
        let signals = StopSignals()
        defer { signals.cancel() }
        terminal.err(
            "adoperm drift: watching \(schedule), jitter up to \(Int(WatchSchedule.jitterShare * 100))% of "
                + "the interval (at most \(Int(WatchSchedule.maximumJitter)) s); stop with Ctrl-C or SIGTERM"
        )
        return try await withThrowingTaskGroup(of: ExitStatus.self) { group in
            group.addTask { try await loop(connection) }
            group.addTask {
                let signal = await signals.next()
                if let signal {
                    terminal.err("adoperm drift: received \(signal == SIGINT ? "SIGINT" : "SIGTERM"), stopping")
                }
                return .success
            }
            let status = try await group.next() ?? .success
            group.cancelAll()
            while let _ = try? await group.next() {}
            return status
        }
    }

    private func loop(_ connection: Connection) async throws -> ExitStatus {
        var planned = Date().timeIntervalSince1970
        var runs = 0
        var reported = false
        while !Task.isCancelled {
            runs += 1
            do {
                let report = try await pass.run(connection, terminal: terminal)
                if Task.isCancelled { break }
                if reported {
                    try printer.changes(report)
                } else {
                    try printer.report(report, watching: true)
                    reported = true
                }
                if verbose {
                    terminal.err(
                        "adoperm drift: run \(runs) at \(report.checkedAt): \(report.summary.items) item(s), "
                            + "\(report.summary.new) new, \(report.summary.resolved) resolved"
                    )
                }
            } catch is CancellationError {
                break
            } catch {
                if !reported && DriftPass.isInputError(error) { throw error }
                let message = (error as? CLIError)?.description ?? ErrorText.oneLine(error)
                terminal.err(
                    "adoperm drift: run \(runs) failed: \(message.replacingOccurrences(of: "\n", with: "; ")); "
                        + "trying again at the next run"
                )
            }
            let now = Date().timeIntervalSince1970
            let next = schedule.nextPlanned(after: planned, now: now)
            let start = schedule.start(planned: next, previous: planned, fraction: Double.random(in: 0..<1))
            planned = next
            if verbose {
                terminal.err("adoperm drift: next run at \(PlanDocument.timestamp(Date(timeIntervalSince1970: start)))")
            }
            let wait = max(start - Date().timeIntervalSince1970, 0)
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            } catch {
                break
            }
        }
        return .success
    }
}

/// SIGINT and SIGTERM delivered through dispatch signal sources (the default handlers are ignored meanwhile).
final class StopSignals: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only cancelled afterwards; the stream is Sendable.
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private var sources: [any DispatchSourceSignal] = []

    init() {
        (stream, continuation) = AsyncStream<Int32>.makeStream()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let continuation = self.continuation
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    /// The next signal; nil when the waiting task is cancelled.
    func next() async -> Int32? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }

    func cancel() {
        for source in sources { source.cancel() }
        continuation.finish()
    }
}
