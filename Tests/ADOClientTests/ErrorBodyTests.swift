import EmulatorSupport
import Foundation
import Testing

@testable import ADOClient

/// Issue 8, bad input: error responses whose bodies are not ADO's JSON (an HTML page, binary garbage, nothing, a
/// truncated or message-less object, control characters) still become one clear line naming the status — never
/// Foundation's text, never a multi-line dump. The bodies are the committed corpus in
/// Tests/adopermTests/Fixtures/bad/errors/.
@Suite struct ErrorBodyTests {
    static let directory = Fixtures.repositoryRoot.appendingPathComponent("Tests/adopermTests/Fixtures/bad/errors")

    static var bodies: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.bodies.count >= 6, "\(Self.bodies)")
    }

    @Test(arguments: ErrorBodyTests.bodies, [400, 403, 404, 500, 503])
    func aNonADOErrorBodyIsOneClearLine(file: String, status: Int) async throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(file))
        let contentType = file.hasSuffix(".html") ? "text/html; charset=utf-8" : "application/json; charset=utf-8"
        let server = try ScriptedServer([
            ScriptedServer.Reply(
                status: status,
                headers: [("Content-Type", contentType)],
                body: String(decoding: data, as: UTF8.self)
            )
        ])
        defer { server.close() }
        let client = OrganizationClient(
            endpoint: try OrganizationEndpoint(organizationURL: server.url.absoluteString),
            credential: Credential(kind: .pat, secret: "scripted"),
            transport: try CurlTransport(configuration: TransportConfiguration(totalTimeout: .seconds(10))),
            retryPolicy: .never
        )
        let result = await outcome { () async throws(ADOError) in try await client.securityNamespaces() }
        guard case .failure(let error) = result else {
            Issue.record("\(file) with \(status): expected an error, got \(result)")
            return
        }
        let text = error.description
        #expect(!text.isEmpty)
        #expect(!text.contains("\n") && !text.contains("\r"), "one line: \(text)")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "no control characters: \(text)")
        #expect(text.contains(String(status)), "names the status: \(text)")
        #expect(text.count <= 600, "bounded: \(text.count) characters")
        for foundation in ["Error Domain", "NSCocoaErrorDomain", "The data couldn’t", "The operation could not"] {
            #expect(!text.contains(foundation), "\(text)")
        }
    }
}
