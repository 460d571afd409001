import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Issue 8, bad input: every case of Tests/adopermTests/Fixtures/bad/expectations.tsv — broken and adversarial
/// manifests, plans, journals, snapshots and error texts — gets its one clear line and exit code, and nothing is
/// written: the working directory is left exactly as it was and the emulator sees no write.
@Suite struct BadInputCorpusTests {
    static let corpus = CLIRunner.repositoryRoot.appendingPathComponent("Tests/adopermTests/Fixtures/bad")

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int32
        var command: [String]
        var message: String
        var testDescription: String { "\(file): \(command.first ?? "")" }
    }

    static var cases: [Case] {
        let text = (try? String(contentsOf: corpus.appendingPathComponent("expectations.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let status = Int32(fields[1]) else { return nil }
            return Case(
                file: fields[0],
                status: status,
                command: fields[2].split(separator: " ").map(String.init),
                message: fields[3]
            )
        }
    }

    /// A manifest of no requirements, for the snapshot cases.
    static let emptyManifest = "version: 1\norganization: https://dev.azure.com/contoso\nrequirements: []\n"

    /// Every entry below `directory` with its permission bits and (for files) its bytes.
    static func tree(_ directory: URL) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let path = enumerator?.nextObject() as? String {
            let full = directory.appendingPathComponent(path).path
            let attributes = (try? FileManager.default.attributesOfItem(atPath: full)) ?? [:]
            entries[path] = Entry(
                mode: (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0,
                contents: attributes[.type] as? FileAttributeType == .typeDirectory
                    ? nil : FileManager.default.contents(atPath: full)
            )
        }
        return entries
    }

    struct Entry: Equatable {
        var mode: Int
        var contents: Data?
    }

    @Test func theCorpusIsCompleteAndEveryFileHasAnExpectation() throws {
        let cases = Self.cases
        #expect(cases.count >= 50, "\(cases.count) cases")
        var committed: Set<String> = []
        for kind in ["manifests", "plans", "journals", "snapshots", "errors"] {
            let names = try FileManager.default.contentsOfDirectory(
                atPath: Self.corpus.appendingPathComponent(kind).path
            )
            committed.formUnion(names.map { "\(kind)/\($0)" })
        }
        let covered = Set(cases.map(\.file))
        #expect(committed.subtracting(covered).isEmpty, "files without an expectation: \(committed.subtracting(covered))")
        #expect(covered.filter { !$0.hasPrefix("@") }.isSubset(of: committed))
    }

    @Test(arguments: BadInputCorpusTests.cases)
    func refusedWithOneClearLineAndNothingWritten(_ entry: Case) async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = URL(fileURLWithPath: entry.file).lastPathComponent.replacingOccurrences(of: "@", with: "")
        let target = directory.appendingPathComponent(name)
        if entry.file.hasPrefix("@") {
            try Self.generate(name, to: target)
        } else {
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(entry.file), to: target)
        }
        try Data(Self.emptyManifest.utf8).write(to: directory.appendingPathComponent("empty-manifest.yaml"))
        let before = Self.tree(directory)
        try await withEmulator { emulator in
            var arguments = entry.command.map { word in
                word.replacingOccurrences(of: "{file}", with: name)
                    .replacingOccurrences(of: "{snapshot}", with: Fixtures.contosoSnapshotURL.path)
                    .replacingOccurrences(of: "{org}", with: emulator.organizationURL.absoluteString)
                    .replacingOccurrences(of: "{manifest}", with: "empty-manifest.yaml")
            }
            let executable = arguments.first == "ado-emulator" ? arguments.removeFirst() : "adoperm"
            let result = try await CLIRunner.run(
                arguments,
                in: directory,
                environment: ["ADOPERM_PAT": Fixtures.Credentials.alicePAT],
                executable: executable,
                timeout: 60
            )
            #expect(result.status == entry.status, "\(result.stdout)\(result.stderr)")
            if entry.status == 0 {
                #expect(result.stderr.isEmpty, "\(result.stderr)")
            } else {
                // The one line is on stderr — or, for explain's "no known error" answer, on stdout.
                let output = result.stderr.isEmpty ? result.stdout : result.stderr
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(lines.count == 1, "one line: \(result.stdout)\(result.stderr)")
                #expect(output.contains(entry.message), "\(result.stdout)\(result.stderr)")
            }
            for foundation in ["Error Domain", "NSCocoaErrorDomain", "The data couldn", "The operation could not"] {
                #expect(!(result.stdout + result.stderr).contains(foundation))
            }
            #expect(Self.tree(directory) == before, "nothing created or changed")
            #expect(try await emulator.requestLog().filter(\.isWrite).isEmpty, "no write reached the emulator")
        }
    }

    /// The cases too big to commit.
    static func generate(_ name: String, to url: URL) throws {
        switch name {
        case "huge-manifest.yaml":
            // 17 MiB: a valid manifest padded with comment lines, one MiB over the limit.
            var text = "version: 1\norganization: https://dev.azure.com/contoso\nrequirements: []\n"
            let line = "# " + String(repeating: "x", count: 1021) + "\n"
            while text.utf8.count + line.utf8.count <= 17 * 1024 * 1024 { text += line }
            text += String(repeating: "#", count: 17 * 1024 * 1024 - text.utf8.count - 1) + "\n"
            try Data(text.utf8).write(to: url)
        default:
            throw CocoaError(.fileNoSuchFile)
        }
    }
}
