import ADOClient
import Foundation
import Testing

/// The bug the error-text fuzzer found, pinned by exact messages (the replay test runs the reproducer itself).
@Suite("Fuzz findings: error bodies")
struct ErrorBodyFuzzFindingTests {
    private func message(_ body: String, contentType: String) -> String {
        let response = HTTPResponse(
            status: 502,
            headers: ["Content-Type": contentType],
            body: Data(body.utf8),
            url: URL(string: "https://dev.azure.com/contoso/_apis/projects")!
        )
        return ServiceError(response: response, route: "GET _apis/projects").message
    }

    // Control characters (the escape that starts a terminal sequence among them) become spaces, as in
    // `ServiceErrorBody.oneLine`: the terminal never sees ESC, and the words around it stay readable.
    @Test("a multi-line plain-text body becomes one line")
    func plainTextBody() {
        #expect(message("Bad Gateway\r\n\r\n  upstream\ttimed out\u{1B}[0m\n", contentType: "text/plain") ==
                "Bad Gateway upstream timed out [0m")
    }

    @Test("a JSON message with line breaks becomes one line; an empty one falls back to the body")
    func jsonMessage() {
        #expect(message(#"{"message":"TF401027: You need\nthe permission."}"#, contentType: "application/json") ==
                "TF401027: You need the permission.")
        #expect(message(#"{"message":" "}"#, contentType: "application/json") == #"{"message":" "}"#)
    }
}
