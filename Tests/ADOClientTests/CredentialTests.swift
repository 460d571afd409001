import Foundation
import Testing

@testable import ADOClient

@Suite struct CredentialTests {
    let secret = "s3cr3t-pat-value-0123456789"

    @Test func everyTextualFormIsRedacted() {
        let credential = Credential(kind: .pat, secret: secret, source: .environment("ADOPERM_PAT"))
        var dumped = ""
        dump(credential, to: &dumped)
        let forms = [
            credential.description,
            credential.debugDescription,
            "\(credential)",
            String(describing: credential),
            String(reflecting: credential),
            dumped,
            String(describing: Mirror(reflecting: credential).children.map { $0 }),
            "\([credential])",
            "\(Optional(credential) as Any)",
            "\(HTTPRequest(method: .get, url: URL(string: "https://dev.azure.com/x")!, credential: credential))",
        ]
        for text in forms {
            #expect(!text.contains(secret), "leaked through: \(text)")
            #expect(!credential.occurs(in: text))
        }
        #expect(credential.description == "***")
    }

    @Test func authorizationHeaderForms() {
        #expect(
            Credential(kind: .pat, secret: "abc").authorizationHeaderValue == "Basic "
                + Data(":abc".utf8).base64EncodedString()
        )
        #expect(Credential(kind: .bearer, secret: "tok\n").authorizationHeaderValue == "Bearer tok")
    }

    @Test func resolutionFollowsTheContractOrder() throws {
        let all = ["ADOPERM_PAT": "one", "AZURE_DEVOPS_EXT_PAT": "two", "SYSTEM_ACCESSTOKEN": "three"]
        let first = try #require(try CredentialResolver.resolve(patFile: nil, environment: all))
        #expect(first == Credential(kind: .pat, secret: "one"))
        #expect(first.source == .environment("ADOPERM_PAT"))

        let second = try CredentialResolver.resolve(
            patFile: nil,
            environment: ["AZURE_DEVOPS_EXT_PAT": "two", "SYSTEM_ACCESSTOKEN": "three"]
        )
        #expect(second == Credential(kind: .pat, secret: "two"))

        let bearer = try CredentialResolver.resolve(
            patFile: nil,
            environment: ["ADOPERM_PAT": "  ", "SYSTEM_ACCESSTOKEN": "three"]
        )
        #expect(bearer == Credential(kind: .bearer, secret: "three"))

        #expect(try CredentialResolver.resolve(patFile: nil, environment: [:]) == nil)
    }

    @Test func patFileWinsAndIsValidated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "adoperm-cred-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("pat").path
        try Data("\n  from-file \n".utf8).write(to: URL(fileURLWithPath: file))
        let credential = try CredentialResolver.resolve(patFile: file, environment: ["ADOPERM_PAT": "env"])
        #expect(credential == Credential(kind: .pat, secret: "from-file"))
        #expect(credential?.source == .patFile(file))

        let empty = directory.appendingPathComponent("empty").path
        try Data("\n\n".utf8).write(to: URL(fileURLWithPath: empty))
        #expect(throws: CredentialError.emptyPATFile(path: empty)) {
            try CredentialResolver.resolve(patFile: empty, environment: ["ADOPERM_PAT": "env"])
        }
        let missing = directory.appendingPathComponent("missing").path
        #expect(throws: CredentialError.cannotReadPATFile(path: missing, reason: "no such file")) {
            try CredentialResolver.resolve(patFile: missing, environment: [:])
        }
    }
}
