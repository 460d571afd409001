import ADOClient
import Foundation
import Plan

/// An organization a command works on: a live (or emulated) one behind a client, or a snapshot file.
struct Connection: Sendable {
    enum Source: Sendable {
        case live(OrganizationClient)
        case snapshotFile(path: String)
    }

    let source: Source
    let verbose: Bool

    /// The client, when there is a server.
    var client: OrganizationClient? {
        if case .live(let client) = source { return client }
        return nil
    }

    /// The organization state a scope needs (a snapshot file is read whole).
    func orgState(_ scope: LoadScope) async throws -> OrgState {
        switch source {
        case .live(let client):
            do {
                return try await OrgStateLoader(client: client).load(scope)
            } catch {
                throw CLIError.remote(error.description)
            }
        case .snapshotFile(let path):
            let data = try Files.readData(path)
            do {
                return try OrgState(snapshotData: data)
            } catch {
                throw CLIError.cannotRead(path: path, reason: error.description)
            }
        }
    }

    /// The organization state a manifest needs (two passes: what it names, then what its expansion reaches; see
    /// `OrgStateLoader.loadSnapshot(manifest:)`). A snapshot file is read whole.
    func orgState(manifest: Manifest, localFiles: [String: String] = [:]) async throws -> OrgState {
        switch source {
        case .live(let client):
            let snapshot: Snapshot
            do throws(ADOError) {
                snapshot = try await OrgStateLoader(client: client).loadSnapshot(manifest: manifest, localFiles: localFiles).snapshot
            } catch {
                throw CLIError.remote(error.description)
            }
            do {
                return try OrgState(snapshot: snapshot)
            } catch {
                throw CLIError.remote("the organization's data cannot be read: \(error.description)")
            }
        case .snapshotFile:
            return try await orgState(.all)
        }
    }

    /// Prints the request summary to stderr in verbose mode.
    func reportRequests(_ terminal: Terminal, started: ContinuousClock.Instant) {
        guard verbose, let client else { return }
        let summary = client.log.summary
        let wall = ContinuousClock.now - started
        terminal.err("\(summary), wall time: \(RequestSummaryText.seconds(wall))")
        for line in summary.routeLines { terminal.err(line) }
    }
}

enum RequestSummaryText {
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}

extension OrgOptions {
    /// Resolves the organization (`--org`, `--emulate`, `--snapshot`, then the manifest's `organization:`, then
    /// `SYSTEM_COLLECTIONURI`) and the credential (CONTRACTS.md §5 order), and runs `body` with the connection.
    /// `--emulate` starts `ado-emulator` for the duration of `body`; without a credential in the environment it
    /// uses the first credential the emulated snapshot defines (its fixtures are fake by design).
    func withConnection<T>(
        manifestOrganization: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (Connection) async throws -> T
    ) async throws -> T {
        if let snapshotPath {
            return try await body(Connection(source: .snapshotFile(path: snapshotPath), verbose: verbose))
        }
        let credential: Credential?
        do {
            credential = try CredentialResolver.resolve(patFile: patFile, environment: environment)
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        var configuration = TransportConfiguration(
            userAgent: "adoperm/\(Adoperm.version)",
            totalTimeout: .seconds(timeout),
            maxConcurrentRequestsPerHost: maxConcurrency
        )
        configuration.caBundlePath = TransportConfiguration.caBundle(from: environment)
        if let emulate {
            let fixture = credential ?? (try? EmulatorCredential.first(inSnapshot: emulate))
            return try await EmulatorLauncher.withEmulator(snapshot: emulate) { url in
                let client = try makeClient(url.absoluteString, credential: fixture, configuration: configuration)
                return try await body(Connection(source: .live(client), verbose: verbose))
            }
        }
        guard
            let organization = organizationURL ?? manifestOrganization
                ?? environment["SYSTEM_COLLECTIONURI"].flatMap({ $0.isEmpty ? nil : $0 })
        else { throw CLIError.noOrganization }
        guard let credential else {
            throw CLIError.invalidArgument(
                "no credential: pass --pat-file, or set ADOPERM_PAT, AZURE_DEVOPS_EXT_PAT or SYSTEM_ACCESSTOKEN"
            )
        }
        let client = try makeClient(organization, credential: credential, configuration: configuration)
        return try await body(Connection(source: .live(client), verbose: verbose))
    }

    private func makeClient(_ url: String, credential: Credential?, configuration: TransportConfiguration) throws
        -> OrganizationClient
    {
        do {
            return try OrganizationClient.make(
                organizationURL: url,
                identityURL: identityURL,
                credential: credential,
                configuration: configuration
            )
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
    }
}

/// The emulator's fixture credentials (`credentials` of the snapshot it serves).
enum EmulatorCredential {
    static func first(inSnapshot path: String) throws -> Credential? {
        let data = try Files.readData(path)
        guard let first = try JSONParser.parse(data)["credentials"]?.arrayValueForCLI?.first,
            let token = first["token"]?.stringValue
        else { return nil }
        let kind: Credential.Kind = first["kind"]?.stringValue == "bearer" ? .bearer : .pat
        return Credential(kind: kind, secret: token, source: .value)
    }
}

extension JSONValue {
    fileprivate var arrayValueForCLI: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
