import EmulatorSupport
import Foundation
import Plan
import Testing

@testable import ADOClient

/// The libcurl transport against a real emulator over HTTP.
@Suite struct TransportIntegrationTests {
    @Test func badCredentialIsUnauthorizedPromptlyWithADOsMessage() async throws {
        try await withEmulator { emulator in
            // A 1 s total timeout: a hang (URLSession's behaviour on this 401) would surface as timedOut.
            let transport = try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(1)))
            let url = emulator.organizationURL.appendingPathComponent("_apis/projects")
            let result = await outcome { () async throws(TransportError) in
                try await transport.send(
                    HTTPRequest(method: .get, url: url, credential: Credential(kind: .pat, secret: "wrong-pat"))
                )
            }
            guard case .failure(.unauthorized(let status, let message)) = result else {
                Issue.record("expected unauthorized, got \(result)")
                return
            }
            #expect(status == 401)
            #expect(message.hasPrefix("TF400813: The user"))
        }
    }

    @Test func signInPageWithoutSuppressionIsUnauthorized() async throws {
        try await withEmulator { emulator in
            var configuration = TransportConfiguration(totalTimeout: .seconds(1))
            configuration.omitFedAuthRedirectSuppression = true
            let transport = try CurlTransport(configuration: configuration)
            let url = emulator.organizationURL.appendingPathComponent("_apis/projects")
            let result = await outcome { () async throws(TransportError) in
                try await transport.send(
                    HTTPRequest(method: .get, url: url, credential: Credential(kind: .pat, secret: "wrong-pat"))
                )
            }
            guard case .failure(.unauthorized(let status, _)) = result else {
                Issue.record("expected unauthorized, got \(result)")
                return
            }
            #expect(status == 203)
        }
    }

    @Test func crossHostRedirectNeverCarriesTheCredential() async throws {
        try await withEmulator { first in
            try await withEmulator { second in
                let secret = "cross-host-secret-pat"
                let credential = Credential(kind: .pat, secret: secret)
                let target = "http://localhost:\(second.port)/_emulator/echo"
                var components = URLComponents(
                    url: first.baseURL.appendingPathComponent("_emulator/redirect"),
                    resolvingAgainstBaseURL: false
                )!
                components.queryItems = [URLQueryItem(name: "location", value: target)]
                let redirect = components.url!

                // Default policy: not followed at all.
                let refusing = try CurlTransport()
                let refused = await outcome { () async throws(TransportError) in
                    try await refusing.send(HTTPRequest(method: .get, url: redirect, credential: credential))
                }
                guard case .failure(.redirectToOtherHost(let from, let to)) = refused else {
                    Issue.record("expected a refused redirect, got \(refused)")
                    return
                }
                #expect(from == "http://127.0.0.1:\(first.port)")
                #expect(to == "http://localhost:\(second.port)")

                // Following without the credential: the other host sees every header but Authorization.
                let following = try CurlTransport(
                    configuration: TransportConfiguration(crossHostRedirects: .followWithoutCredential)
                )
                let response = try await following.send(
                    HTTPRequest(method: .get, url: redirect, credential: credential)
                )
                let seen = try JSONParser.parse(response.body)
                #expect(response.status == 200)
                #expect(response.metrics.redirects == 1)
                #expect(seen["authorization"] == nil)
                #expect(seen["x-tfs-fedauthredirect"]?.stringValue == "Suppress")
                #expect(seen["user-agent"]?.stringValue == TransportConfiguration.defaultUserAgent)
                #expect(
                    !String(decoding: response.body, as: UTF8.self).contains(
                        Data(":\(secret)".utf8).base64EncodedString()
                    )
                )

                // Control: a same-host redirect does carry it (so the check above can fail).
                var same = URLComponents(
                    url: second.baseURL.appendingPathComponent("_emulator/redirect"),
                    resolvingAgainstBaseURL: false
                )!
                same.queryItems = [URLQueryItem(name: "location", value: "/_emulator/echo")]
                let sameHost = try await refusing.send(
                    HTTPRequest(method: .get, url: same.url!, credential: credential)
                )
                #expect(
                    try JSONParser.parse(sameHost.body)["authorization"]?.stringValue
                        == credential.authorizationHeaderValue
                )
            }
        }
    }

    @Test func keepAliveConnectionsAreReused() async throws {
        try await withEmulator { emulator in
            let transport = try CurlTransport()
            let url = emulator.baseURL.appendingPathComponent("_emulator/echo")
            var opened = 0
            for _ in 0..<20 {
                let response = try await transport.send(HTTPRequest(method: .get, url: url))
                #expect(response.status == 200)
                opened += response.metrics.newConnections
            }
            #expect(opened == 1)
        }
    }

    @Test func concurrencyPerHostIsBounded() async throws {
        try await withEmulator { emulator in
            let transport = try CurlTransport(configuration: TransportConfiguration(maxConcurrentRequestsPerHost: 2))
            let url = emulator.baseURL.appendingPathComponent("_emulator/echo")
            let opened = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await transport.send(HTTPRequest(method: .get, url: url)).metrics.newConnections
                    }
                }
                return try await group.reduce(0, +)
            }
            // Never more connections than requests in flight.
            #expect(opened >= 1 && opened <= 2)
        }
    }

    @Test func cancellationStopsAPendingTransfer() async throws {
        // A listening socket that never answers: the transfer can only end by cancellation (or the 30 s timeout).
        let server = try SilentServer()
        defer { server.close() }
        let transport = try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(30)))
        let url = URL(string: "http://127.0.0.1:\(server.port)/never")!
        let task = Task { () -> Result<HTTPResponse, TransportError> in
            await outcome { () async throws(TransportError) in
                try await transport.send(HTTPRequest(method: .get, url: url))
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.value
        guard case .failure(.cancelled) = result else {
            Issue.record("expected cancelled, got \(result)")
            return
        }
    }

    @Test func plainHTTPToRemoteHostIsRefused() async throws {
        let transport = try CurlTransport()
        let result = await outcome { () async throws(TransportError) in
            try await transport.send(
                HTTPRequest(method: .get, url: URL(string: "http://example.com/contoso/_apis/projects")!)
            )
        }
        guard case .failure(let error) = result else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error == .insecureURL(host: "example.com"))
        #expect(error.description.contains("use https://"))
    }
}

/// The outcome of a typed-throwing async call (avoids `catch as` on typed throws; see swift-style notes).
func outcome<T, E: Error>(_ body: () async throws(E) -> T) async -> Result<T, E> {
    do throws(E) {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

/// A TCP listener on 127.0.0.1 that accepts nothing and answers nothing.
final class SilentServer: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
