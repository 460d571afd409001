import Foundation

/// Files under `Tests/PlanTests/Fixtures` (excluded from the target, read at run time).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every file below `Fixtures/<folder>`, keyed by its path relative to that folder.
    static func tree(_ folder: String) -> [String: String] {
        let root = directory.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return [:]
        }
        var result: [String: String] = [:]
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            result[relative] = try? String(contentsOf: url, encoding: .utf8)
        }
        return result
    }

    /// Whether golden files should be rewritten (`ADOPERM_UPDATE_GOLDEN=1 swift test --filter …`).
    static var updating: Bool { ProcessInfo.processInfo.environment["ADOPERM_UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file byte for byte (or rewrites it when updating).
    static func matchesGolden(_ actual: String, _ path: String) throws -> Bool {
        let url = directory.appendingPathComponent(path)
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return true
        }
        return try text(path) == actual
    }
}
