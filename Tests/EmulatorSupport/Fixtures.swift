import Foundation

/// Paths and credentials of the shared example organization (docs/example-org.md).
public enum Fixtures {
    /// The package root (the directory holding `Package.swift`), found from this source file's location.
    public static let repositoryRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The built `ado-emulator` executable (next to the running test bundle, i.e. `.build/<config>/`).
    public static var emulatorExecutable: URL {
        let own =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("ado-emulator")
    }

    /// `examples/contoso/snapshot.json`.
    public static let contosoSnapshotURL = repositoryRoot.appendingPathComponent("examples/contoso/snapshot.json")

    /// The example snapshot's bytes.
    public static func contosoSnapshot() throws -> Data { try Data(contentsOf: contosoSnapshotURL) }

    /// The example snapshot after `edit` changed its JSON (`JSONSerialization` objects: `[String: Any]`,
    /// `[Any]`, `String`, `NSNumber`). Use it to build variants: add a deny, flip a setting, break a member.
    public static func contosoSnapshot(editing edit: (inout [String: Any]) throws -> Void) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: contosoSnapshot()) as? [String: Any] else {
            throw FixtureError.notAnObject
        }
        try edit(&object)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    public enum FixtureError: Error, CustomStringConvertible {
        case notAnObject
        public var description: String { "the example snapshot is not a JSON object" }
    }

    /// Fake credentials of the example organization (emulator only).
    public enum Credentials {
        public static let alicePAT = "fake-pat-alice-admin"
        public static let bobPAT = "fake-pat-bob-contributor"
        public static let carolPAT = "fake-pat-carol-reader"
        public static let backupPAT = "fake-pat-backup-restore"
        public static let adoAwWriteBearer = "fake-bearer-ado-aw-write"
    }

    /// Fixed ids of the example organization.
    public enum Contoso {
        public static let organization = "contoso"
        public static let collectionId = "5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10"
        public static let hostId = "7f3c2a91-6b4d-4e2a-8c1f-9a0b1c2d3e4f"
        public static let tenantId = "3c8e1f2a-5b6d-4c7e-8f9a-0b1c2d3e4f50"
        public static let paymentsProjectId = "a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f"
        public static let sharedProjectId = "b7956b12-4d3c-4e6f-9081-2b3c4d5e6f70"
        public static let openSourceProjectId = "c8a67c23-5e4d-4f70-a192-3c4d5e6f7081"
        public static let gitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"

        /// `Microsoft.TeamFoundation.ServiceIdentity;{hostId}:Build:{scope}`.
        public static func buildService(scope: String) -> String {
            "Microsoft.TeamFoundation.ServiceIdentity;\(hostId):Build:\(scope)"
        }

        public static var collectionBuildService: String { buildService(scope: collectionId) }

        /// `Microsoft.IdentityModel.Claims.ClaimsIdentity;{tenantId}\{upn}`.
        public static func user(_ upn: String) -> String {
            "Microsoft.IdentityModel.Claims.ClaimsIdentity;\(tenantId)\\\(upn)"
        }
    }
}
