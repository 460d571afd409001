import Foundation

/// Paths of the repository's shared fixtures.
enum Fixtures {
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// `examples/contoso/snapshot.json` (docs/example-org.md).
    static var contosoSnapshotPath: String { repositoryRoot.appendingPathComponent("examples/contoso/snapshot.json").path }

    static func contosoSnapshotData() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: contosoSnapshotPath))
    }
}
