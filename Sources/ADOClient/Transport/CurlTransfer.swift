import CCurlShim
import Foundation
import Synchronization

/// What one libcurl transfer produced (a single hop: redirects are handled by `CurlTransport`).
struct CurlHopResult: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var bytesSent: Int
    var bytesReceived: Int
    var duration: Duration
    var httpVersion: String
    var newConnections: Int
}

/// Options for one hop, already decided by `CurlTransport` (URL policy, credential, redirects).
struct CurlHopRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [String]
    var body: Data?
    var totalTimeout: Duration
    var noProxy: Bool
}

/// One easy handle and the buffers its callbacks fill. The callbacks run on the engine thread only; the result is
/// handed to the waiting task through the continuation, which orders those writes before its reads.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let url: String
    private let maxBodyBytes: Int

    // Engine-thread state while the transfer runs.
    fileprivate var body = Data()
    fileprivate var headers: [(name: String, value: String)] = []
    fileprivate var overflowed = false

    /// Set by cancellation from any thread; the progress callback aborts the transfer when it sees it.
    let cancelRequested = Atomic<Bool>(false)

    private enum Completion {
        case idle
        case waiting(CheckedContinuation<Result<CurlHopResult, TransportError>, Never>)
        case done
    }
    private let completion = Mutex<Completion>(.idle)

    init(_ request: CurlHopRequest, configuration: TransportConfiguration, share: OpaquePointer) throws(TransportError)
    {
        guard ccurl_global_init() == CURLE_OK, let easy = curl_easy_init() else {
            throw .engineFailure("curl_easy_init failed")
        }
        self.easy = easy
        self.url = request.url
        self.maxBodyBytes = configuration.maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = configure(request, configuration: configuration, share: share)
        guard code == CURLE_OK else {
            throw .engineFailure("curl option rejected: " + String(cString: curl_easy_strerror(code)))
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func configure(_ request: CurlHopRequest, configuration: TransportConfiguration, share: OpaquePointer)
        -> CURLcode
    {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        codes.append(ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url))
        codes.append(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(ccurl_easy_setopt_share(easy, ccurl_share_handle(share)))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        codes.append(ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds))
        codes.append(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.totalTimeout.milliseconds))
        // "" = every encoding this libcurl can decode (gzip, deflate, br, zstd); bodies arrive decoded.
        codes.append(ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        codes.append(ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent))
        if let caBundle = configuration.caBundlePath {
            codes.append(ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, caBundle))
        }
        // libcurl picks up http_proxy / https_proxy / no_proxy itself; loopback is never proxied.
        if request.noProxy { codes.append(ccurl_easy_setopt_string(easy, CURLOPT_NOPROXY, "*")) }

        switch request.method {
        case .get: codes.append(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case .head: codes.append(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
        case .post, .put, .patch, .delete:
            // A write never reuses a kept-alive connection: when a reused connection dies before the first response
            // byte, libcurl silently sends the request again on a new one, so a write whose response was lost would
            // reach the server twice. On a fresh connection the drop surfaces as `connectionFailed`, and the caller's
            // read-back decides whether the write happened.
            codes.append(ccurl_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1))
            if request.method != .post {
                codes.append(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
            if let body = request.body, !body.isEmpty {
                codes.append(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                // COPYPOSTFIELDS copies, so the Data may go away before the transfer runs.
                codes.append(
                    body.withUnsafeBytes { buffer in
                        ccurl_easy_setopt_pointer(
                            easy,
                            CURLOPT_COPYPOSTFIELDS,
                            UnsafeMutableRawPointer(mutating: buffer.baseAddress)
                        )
                    }
                )
            } else if request.method != .delete {
                codes.append(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0))
                codes.append(ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, ""))
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        // An empty "Expect:" stops libcurl from waiting for 100-continue on larger bodies.
        for line in request.headers + ["Expect:"] {
            guard let appended = curl_slist_append(list, line) else { return CURLE_OUT_OF_MEMORY }
            list = appended
        }
        headerList = list
        codes.append(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))

        codes.append(ccurl_easy_set_write_callback(easy, curlWriteCallback, me))
        codes.append(ccurl_easy_set_header_callback(easy, curlHeaderCallback, me))
        codes.append(ccurl_easy_set_progress_callback(easy, curlProgressCallback, me))
        return codes.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    // MARK: completion

    /// Stores the continuation; returns false (and resumes it with `cancelled`) when cancellation came first.
    func arm(_ continuation: CheckedContinuation<Result<CurlHopResult, TransportError>, Never>) -> Bool {
        let cancelled = cancelRequested.load(ordering: .acquiring)
        let armed = completion.withLock { state -> Bool in
            guard case .idle = state, !cancelled else { state = .done; return false }
            state = .waiting(continuation)
            return true
        }
        if !armed { continuation.resume(returning: .failure(.cancelled)) }
        return armed
    }

    /// Resumes the waiting task once; later calls do nothing.
    func finish(_ result: Result<CurlHopResult, TransportError>) {
        let continuation = completion.withLock {
            state -> CheckedContinuation<Result<CurlHopResult, TransportError>, Never>? in
            guard case .waiting(let continuation) = state else { state = .done; return nil }
            state = .done
            return continuation
        }
        continuation?.resume(returning: result)
    }

    /// Builds the result after libcurl reported the transfer done with `code` (engine thread).
    func complete(code: CURLcode) {
        if code != CURLE_OK {
            finish(.failure(error(for: code)))
            return
        }
        var status = 0
        var version = 0
        var downloaded: curl_off_t = 0
        var uploaded: curl_off_t = 0
        var micros: curl_off_t = 0
        var connects = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded)
        _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        _ = ccurl_easy_getinfo_off_t(easy, CURLINFO_TOTAL_TIME_T, &micros)
        finish(
            .success(
                CurlHopResult(
                    status: status,
                    headers: HTTPHeaders(headers),
                    body: body,
                    bytesSent: Int(uploaded),
                    bytesReceived: Int(downloaded),
                    duration: .microseconds(Int64(micros)),
                    httpVersion: Self.versionName(version),
                    newConnections: connects
                )
            )
        )
    }

    private func error(for code: CURLcode) -> TransportError {
        if overflowed { return .responseTooLarge(url: url, limit: maxBodyBytes) }
        if cancelRequested.load(ordering: .acquiring) || code == CURLE_ABORTED_BY_CALLBACK { return .cancelled }
        if code == CURLE_OPERATION_TIMEDOUT { return .timedOut(url: url) }
        if code == CURLE_COULDNT_RESOLVE_HOST, let host = URL(string: url)?.host() { return .hostNotFound(host: host) }
        let detail = String(cString: errorBuffer)
        return .connectionFailed(url: url, reason: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
    }

    private static func versionName(_ version: Int) -> String {
        switch version {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_1_1): "1.1"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: ""
        }
    }

    // MARK: callbacks (engine thread)

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > maxBodyBytes {
            overflowed = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func receiveHeaderLine(_ line: String) {
        let trimmed = Self.trimmingHTTPSpace(line[...])
        if trimmed.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue): only the final response's fields count.
            headers.removeAll()
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(Self.trimmingHTTPSpace(trimmed[..<colon]))
        let value = String(Self.trimmingHTTPSpace(trimmed[trimmed.index(after: colon)...]))
        headers.append((name: name, value: value))
    }

    /// Without leading and trailing spaces, tabs, CR and LF (HTTP's optional white space and the line end).
    /// Foundation's `trimmingCharacters` bridged each header through NSString: 6 % of a 2,500-request plan's CPU.
    static func trimmingHTTPSpace(_ text: Substring) -> Substring {
        func space(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, space(utf8[start]) { start = utf8.index(after: start) }
        while end > start, space(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return text[start..<end]
    }
}

private let curlWriteCallback: ccurl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let curlHeaderCallback: ccurl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    transfer.receiveHeaderLine(line)
    return length
}

private let curlProgressCallback: ccurl_progress_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.cancelRequested.load(ordering: .relaxed) ? 1 : 0
}

extension Duration {
    /// Whole milliseconds, at least 1 (libcurl treats 0 as "no timeout").
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
