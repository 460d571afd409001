import EmulatorSupport
import Foundation

@testable import ADOClient

/// Clients for an emulator under test.
enum EmulatorClient {
    static func make(
        _ emulator: EmulatorHandle,
        pat: String? = Fixtures.Credentials.alicePAT,
        configuration: TransportConfiguration = TransportConfiguration(totalTimeout: .seconds(10)),
        retryPolicy: RetryPolicy = RetryPolicy(),
        clock: any RetryClock = SystemRetryClock()
    ) throws -> OrganizationClient {
        OrganizationClient(
            endpoint: try OrganizationEndpoint(organizationURL: emulator.organizationURL.absoluteString),
            credential: pat.map { Credential(kind: .pat, secret: $0) },
            transport: try CurlTransport(configuration: configuration),
            retryPolicy: retryPolicy,
            clock: clock
        )
    }
}
