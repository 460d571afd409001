import CCurlShim
import Foundation
import Synchronization

/// One dedicated thread driving a libcurl multi handle, so blocking network work never runs on Swift's cooperative
/// pool. All transfers share one `CURLSH` (connections, DNS, TLS sessions), so keep-alive connections and HTTP/2
/// streams are reused across requests.
final class CurlEngine: Sendable {
    private let core: EngineCore

    init(configuration: TransportConfiguration) throws(TransportError) {
        core = try EngineCore(configuration: configuration)
        let core = self.core
        let thread = Thread { core.run() }
        thread.name = "adoperm-curl"
        thread.start()
    }

    deinit { core.stop() }

    var share: OpaquePointer { core.share }

    /// Runs one transfer to completion. Cancelling the calling task removes the transfer from the multi handle at
    /// once (the socket is closed; no further bytes are read).
    func perform(_ transfer: CurlTransfer) async -> Result<CurlHopResult, TransportError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if transfer.arm(continuation) { core.submit(transfer) }
            }
        } onCancel: {
            transfer.cancelRequested.store(true, ordering: .releasing)
            core.cancel(transfer)
        }
    }
}

private final class EngineCore: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer
    let share: OpaquePointer

    private struct State {
        var pending: [CurlTransfer] = []
        var cancels: [CurlTransfer] = []
        var running: [ObjectIdentifier: CurlTransfer] = [:]
        var stopping = false
        var multiAlive = true
    }
    private let state = Mutex(State())

    init(configuration: TransportConfiguration) throws(TransportError) {
        guard ccurl_global_init() == CURLE_OK else { throw .engineFailure("curl_global_init failed") }
        guard let share = ccurl_share_create() else { throw .engineFailure("curl_share_init failed") }
        guard let multi = curl_multi_init() else {
            ccurl_share_destroy(share)
            throw .engineFailure("curl_multi_init failed")
        }
        self.share = share
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(
            multi,
            CURLMOPT_MAX_HOST_CONNECTIONS,
            max(1, configuration.maxConcurrentRequestsPerHost)
        )
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping, !transfer.cancelRequested.load(ordering: .acquiring) else { return false }
            state.pending.append(transfer)
            if state.multiAlive { _ = curl_multi_wakeup(multi) }
            return true
        }
        if !accepted { transfer.finish(.failure(.cancelled)) }
    }

    func cancel(_ transfer: CurlTransfer) {
        let id = ObjectIdentifier(transfer)
        let wasPending = state.withLock { state -> Bool in
            if let index = state.pending.firstIndex(where: { $0 === transfer }) {
                state.pending.remove(at: index)
                return true
            }
            if state.running[id] != nil {
                state.cancels.append(transfer)
                if state.multiAlive { _ = curl_multi_wakeup(multi) }
            }
            return false
        }
        if wasPending { transfer.finish(.failure(.cancelled)) }
    }

    func stop() {
        state.withLock { state in
            state.stopping = true
            if state.multiAlive { _ = curl_multi_wakeup(multi) }
        }
    }

    /// The engine thread's loop: add new transfers, drop cancelled ones, drive I/O, report finished ones, then wait
    /// for socket activity, a timer, or a wake-up from `submit`/`cancel`/`stop`.
    func run() {
        var byHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (added, cancelled, stopping) = state.withLock { state in
                let work = (state.pending, state.cancels, state.stopping)
                for transfer in state.pending { state.running[ObjectIdentifier(transfer)] = transfer }
                state.pending.removeAll()
                state.cancels.removeAll()
                return work
            }
            if stopping { break }
            for transfer in added {
                if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    byHandle[transfer.easy] = transfer
                } else {
                    forget(transfer)
                    transfer.finish(.failure(.engineFailure("curl_multi_add_handle failed")))
                }
            }
            for transfer in cancelled where byHandle.removeValue(forKey: transfer.easy) != nil {
                _ = curl_multi_remove_handle(multi, transfer.easy)
                forget(transfer)
                transfer.finish(.failure(.cancelled))
            }
            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            var easy: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while ccurl_multi_next_done(multi, &easy, &code) == 1 {
                guard let handle = easy, let transfer = byHandle.removeValue(forKey: handle) else { continue }
                _ = curl_multi_remove_handle(multi, handle)
                forget(transfer)
                transfer.complete(code: code)
            }
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        let leftovers = state.withLock { state -> [CurlTransfer] in
            state.multiAlive = false
            let all = Array(state.running.values) + state.pending
            state.running.removeAll()
            state.pending.removeAll()
            return all
        }
        for transfer in leftovers {
            if byHandle.removeValue(forKey: transfer.easy) != nil { _ = curl_multi_remove_handle(multi, transfer.easy) }
            transfer.finish(.failure(.cancelled))
        }
        curl_multi_cleanup(multi)
        ccurl_share_destroy(share)
    }

    private func forget(_ transfer: CurlTransfer) {
        _ = state.withLock { $0.running.removeValue(forKey: ObjectIdentifier(transfer)) }
    }
}
