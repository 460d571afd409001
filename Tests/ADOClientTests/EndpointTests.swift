import Foundation
import Testing

@testable import ADOClient

@Suite struct EndpointTests {
    @Test func cloudOrganizationsUseTheVsspsHost() throws {
        let endpoint = try OrganizationEndpoint(organizationURL: "https://dev.azure.com/contoso/")
        #expect(endpoint.organizationURL.absoluteString == "https://dev.azure.com/contoso")
        #expect(endpoint.identityURL.absoluteString == "https://vssps.dev.azure.com/contoso")
        #expect(endpoint.name == "contoso")

        let project = try OrganizationEndpoint(organizationURL: "https://dev.azure.com/contoso/Payments")
        #expect(project.organizationURL.absoluteString == "https://dev.azure.com/contoso")

        let legacy = try OrganizationEndpoint(organizationURL: "https://fabrikam.visualstudio.com/")
        #expect(legacy.organizationURL.absoluteString == "https://fabrikam.visualstudio.com")
        #expect(legacy.identityURL.absoluteString == "https://vssps.dev.azure.com/fabrikam")
    }

    @Test func serverAndLoopbackUseTheCollectionURL() throws {
        let server = try OrganizationEndpoint(organizationURL: "https://tfs.example.com/tfs/DefaultCollection")
        #expect(server.identityURL == server.organizationURL)
        #expect(server.name == "DefaultCollection")
        let emulator = try OrganizationEndpoint(organizationURL: "http://127.0.0.1:8080/contoso")
        #expect(emulator.identityURL.absoluteString == "http://127.0.0.1:8080/contoso")
    }

    @Test func identityHostCanBeOverridden() throws {
        let endpoint = try OrganizationEndpoint(
            organizationURL: "https://dev.azure.com/contoso",
            identityURL: "https://ids.example.com/x/"
        )
        #expect(endpoint.identityURL.absoluteString == "https://ids.example.com/x")
    }

    @Test(arguments: [
        "dev.azure.com/contoso", "ftp://dev.azure.com/x", "https://dev.azure.com/", "https://user:pw@dev.azure.com/x",
    ])
    func badOrganizationURLsAreRefused(_ text: String) {
        #expect(throws: ADOError.self) { try OrganizationEndpoint(organizationURL: text) }
    }

    @Test func plainHTTPOrganizationsAreRefusedUnlessLoopback() {
        #expect(throws: ADOError.transport(.insecureURL(host: "dev.azure.com"))) {
            try OrganizationEndpoint(organizationURL: "http://dev.azure.com/contoso")
        }
        #expect(throws: ADOError.transport(.insecureURL(host: "tfs.example.com"))) {
            try OrganizationEndpoint(organizationURL: "http://tfs.example.com/tfs/DefaultCollection")
        }
        #expect(throws: ADOError.transport(.insecureURL(host: "ids.example.com"))) {
            try OrganizationEndpoint(
                organizationURL: "https://dev.azure.com/contoso",
                identityURL: "http://ids.example.com/"
            )
        }
        #expect(throws: Never.self) { try OrganizationEndpoint(organizationURL: "http://localhost:8080/contoso") }
    }

    @Test func callsEncodeTokensAndDescriptors() throws {
        let endpoint = try OrganizationEndpoint(organizationURL: "https://dev.azure.com/contoso")
        let call = Call(
            .get,
            path: ["My Project", "_apis", "accesscontrollists", "2e9eb7ed"],
            query: [("token", "$PROJECT:vstfs:///Classification/TeamProject/x"), ("descriptors", "A;b\\c,D;e")],
            apiVersion: "7.1-preview.1",
            route: "_apis/accesscontrollists/{namespaceId}"
        )
        let url = try call.url(for: endpoint).absoluteString
        #expect(
            url
                == "https://dev.azure.com/contoso/My%20Project/_apis/accesscontrollists/2e9eb7ed?token=%24PROJECT%3Avstfs%3A%2F%2F%2FClassification%2FTeamProject%2Fx&descriptors=A%3Bb%5Cc%2CD%3Be&api-version=7.1-preview.1"
        )
    }

    @Test func loopbackDetection() {
        let loopback = ["http://127.0.0.1:1/x", "http://127.9.8.7/", "http://localhost:9/", "http://[::1]:80/"]
        for text in loopback { #expect(Origin(URL(string: text)!)?.isLoopback == true, "\(text)") }
        let remote = [
            "http://128.0.0.1/", "http://10.0.0.1/", "http://dev.azure.com/", "http://127.0.0.1.example.com/",
        ]
        for text in remote { #expect(Origin(URL(string: text)!)?.isLoopback == false, "\(text)") }
    }

    @Test func plainHTTPToRemoteHostsIsRefusedBeforeSending() {
        #expect(throws: TransportError.insecureURL(host: "dev.azure.com")) {
            try CurlTransport.checkedOrigin(of: URL(string: "http://dev.azure.com/contoso")!)
        }
        #expect(throws: Never.self) { try CurlTransport.checkedOrigin(of: URL(string: "http://127.0.0.1:5/x")!) }
    }

    @Test func serviceErrorCodes() {
        #expect(
            ServiceErrorBody.errorCode(in: "TF401027: You need the Git 'PullRequestContribute' permission")
                == "TF401027"
        )
        #expect(ServiceErrorBody.errorCode(in: "VS800075: The project with id") == "VS800075")
        #expect(ServiceErrorBody.errorCode(in: "Access Denied: x") == nil)
        #expect(ServiceErrorBody.errorCode(in: "TF: x") == nil)
    }
}
