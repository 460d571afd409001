import Foundation

/// One line of `GET /{org}/_emulator/requests` (and of the `--request-log` JSON Lines file).
struct RequestLogEntry: Sendable {
    var seq: Int
    var method: String
    var path: String
    var query: String
    var route: String?
    /// The status sent, or that would have been sent when a fault dropped the connection (0: dropped before
    /// the request was handled).
    var status: Int
    var caller: String?
    var isWrite: Bool
    var requestBytes: Int
    var bytes: Int
    /// The fault rule that fired, if any.
    var fault: String?
    /// A fault dropped the connection: the client got no response.
    var dropped: Bool
    /// Milliseconds the emulator waited on purpose (latency, throttling, slow fault).
    var delayMs: Int
    /// TSTUs charged (rate limit configured and caller authenticated), else nil.
    var tstu: Double?
    /// `delayed` or `blocked` when the rate limit acted.
    var throttle: String?
    /// Wall milliseconds from arrival to the response (informational; never asserted on).
    var durationMs: Double

    var json: JSON {
        .object(
            JSONObject([
                ("seq", .int(seq)), ("method", .string(method)), ("path", .string(path)), ("query", .string(query)),
                ("route", .orNull(route)), ("status", .int(status)), ("caller", .orNull(caller)),
                ("isWrite", .bool(isWrite)), ("requestBytes", .int(requestBytes)), ("bytes", .int(bytes)),
                ("fault", .orNull(fault)), ("dropped", .bool(dropped)), ("delayMs", .int(delayMs)),
                ("tstu", tstu.map { .double($0) } ?? .null), ("throttle", .orNull(throttle)),
                ("durationMs", .double((durationMs * 1000).rounded() / 1000)),
            ])
        )
    }
}

/// Every request to an ADO route, in completion order (control routes are not logged). With a file, each entry
/// is also appended to it as one JSON line the moment the request completes (`--request-log`).
actor RequestLog {
    private var entries: [RequestLogEntry] = []
    private var nextSeq = 1
    private let file: FileHandle?

    /// `file` is opened for appending; the caller creates (or truncates) it.
    init(file: URL? = nil) {
        self.file = file.flatMap { try? FileHandle(forWritingTo: $0) }
        _ = try? self.file?.seekToEnd()
    }

    func append(_ entry: RequestLogEntry) {
        var entry = entry
        entry.seq = nextSeq
        nextSeq += 1
        entries.append(entry)
        if let file {
            var line = JSONWriter.compact(entry.json)
            line.append(0x0A)
            try? file.write(contentsOf: line)
        }
    }

    func all() -> [RequestLogEntry] { entries }

    /// Clears the log; sequence numbers keep counting so a cleared log is never confused with a fresh one.
    /// The JSON Lines file keeps everything.
    func clear() { entries.removeAll() }

    /// `GET /{org}/_emulator/requests?summary=true`: counters over the entries present.
    func summary() -> JSON { RequestSummary.json(entries) }
}

/// Request counters per route template, per caller, per status, faults and throttling — what a benchmark reports.
enum RequestSummary {
    static func json(_ entries: [RequestLogEntry]) -> JSON {
        struct Counter {
            var count = 0
            var bytes = 0
            var tstu = 0.0
            var statuses: [Int: Int] = [:]
        }
        var routes: [String: (method: String, route: String?, counter: Counter)] = [:]
        var callers: [String: Counter] = [:]
        var statuses: [Int: Int] = [:]
        var faults: [String: Int] = [:]
        var throttled: [String: Int] = ["delayed": 0, "blocked": 0]
        var writes = 0
        var requestBytes = 0
        var bytes = 0
        var delayMs = 0
        var tstu = 0.0
        for entry in entries {
            let routeKey = "\(entry.route ?? "")\u{0}\(entry.method)"
            var route = routes[routeKey] ?? (entry.method, entry.route, Counter())
            route.counter.count += 1
            route.counter.bytes += entry.bytes
            route.counter.tstu += entry.tstu ?? 0
            route.counter.statuses[entry.status, default: 0] += 1
            routes[routeKey] = route
            var caller = callers[entry.caller ?? ""] ?? Counter()
            caller.count += 1
            caller.bytes += entry.bytes
            caller.tstu += entry.tstu ?? 0
            caller.statuses[entry.status, default: 0] += 1
            callers[entry.caller ?? ""] = caller
            statuses[entry.status, default: 0] += 1
            if let fault = entry.fault { faults[fault, default: 0] += 1 }
            if let throttle = entry.throttle { throttled[throttle, default: 0] += 1 }
            if entry.isWrite { writes += 1 }
            requestBytes += entry.requestBytes
            bytes += entry.bytes
            delayMs += entry.delayMs
            tstu += entry.tstu ?? 0
        }
        func statusObject(_ counts: [Int: Int]) -> JSON {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (String($0.key), JSON.int($0.value)) }))
        }
        func rounded(_ value: Double) -> JSON { .double((value * 1e6).rounded() / 1e6) }
        let routeList: [JSON] = routes.sorted { $0.key < $1.key }.map { _, value in
            [
                "method": .string(value.method), "route": .orNull(value.route), "count": .int(value.counter.count),
                "bytes": .int(value.counter.bytes), "tstu": rounded(value.counter.tstu),
                "statuses": statusObject(value.counter.statuses),
            ]
        }
        let callerList: [JSON] = callers.sorted { $0.key < $1.key }.map { key, value in
            [
                "caller": key.isEmpty ? .null : .string(key), "count": .int(value.count),
                "bytes": .int(value.bytes), "tstu": rounded(value.tstu), "statuses": statusObject(value.statuses),
            ]
        }
        return [
            "requests": .int(entries.count), "writes": .int(writes), "requestBytes": .int(requestBytes),
            "bytes": .int(bytes), "delayMs": .int(delayMs), "tstu": rounded(tstu),
            "statuses": statusObject(statuses),
            "faults": .object(JSONObject(faults.sorted { $0.key < $1.key }.map { ($0.key, JSON.int($0.value)) })),
            "throttled": .object(JSONObject(throttled.sorted { $0.key < $1.key }.map { ($0.key, JSON.int($0.value)) })),
            "routes": .array(routeList), "callers": .array(callerList),
        ]
    }
}
