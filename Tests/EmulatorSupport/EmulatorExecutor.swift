import Foundation

/// Threads of their own for the in-process emulators of the test process.
///
/// Swift Testing runs tests in parallel on the cooperative pool, which is only as wide as the machine has cores (2
/// here). Without this, an emulator's request handlers queue behind whatever else holds the pool — a synchronous,
/// CPU-bound test (ScaleBenchmark, the cross-check properties) keeps a pool thread for many seconds — and a client
/// with a short timeout sees a local request take seconds (TransportIntegrationTests' 1 s timeout did). A server
/// in its own process never has that problem; these threads give the in-process one the same independence. The
/// server's tasks run here through task executor preference, which child tasks and default actors inherit.
public final class EmulatorExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched under `condition`'s lock.
    public static let shared = EmulatorExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "emulator-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
