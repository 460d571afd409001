/// One line of `GET /{org}/_emulator/requests`.
struct RequestLogEntry: Sendable {
    var seq: Int
    var method: String
    var path: String
    var query: String
    var route: String?
    var status: Int
    var caller: String?
    var isWrite: Bool
    var requestBytes: Int
    var bytes: Int

    var json: JSON {
        [
            "seq": .int(seq), "method": .string(method), "path": .string(path), "query": .string(query),
            "route": .orNull(route), "status": .int(status), "caller": .orNull(caller), "isWrite": .bool(isWrite),
            "requestBytes": .int(requestBytes), "bytes": .int(bytes),
        ]
    }
}

/// Every request to an ADO route, in arrival order (control routes are not logged).
actor RequestLog {
    private var entries: [RequestLogEntry] = []
    private var nextSeq = 1

    func append(
        method: String,
        path: String,
        query: String,
        route: String?,
        status: Int,
        caller: String?,
        isWrite: Bool,
        requestBytes: Int,
        bytes: Int
    ) {
        entries.append(
            RequestLogEntry(
                seq: nextSeq,
                method: method,
                path: path,
                query: query,
                route: route,
                status: status,
                caller: caller,
                isWrite: isWrite,
                requestBytes: requestBytes,
                bytes: bytes
            )
        )
        nextSeq += 1
    }

    func all() -> [RequestLogEntry] { entries }

    /// Clears the log; sequence numbers keep counting so a cleared log is never confused with a fresh one.
    func clear() { entries.removeAll() }
}
