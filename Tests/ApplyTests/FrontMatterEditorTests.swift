import Apply
import EmulatorSupport
import Foundation
import Testing

@Suite("Front-matter editor")
struct FrontMatterEditorTests {
    func edit(_ text: String, _ value: String = "ado-aw-write", key: String = "permissions.write") throws -> String {
        try FrontMatterEditor.setting(key, to: value, in: text, file: "agent.md")
    }

    @Test func addsWriteBesideReadAndKeepsEverythingElse() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent(
            "examples/contoso/files/Payments/payments-api/agents/pr-reviewer.md"
        )
        let original = try String(contentsOf: url, encoding: .utf8)
        let edited = try edit(original)
        #expect(
            edited
                == original.replacingOccurrences(
                    of: "  read: ado-aw-read\n",
                    with: "  read: ado-aw-read\n  write: ado-aw-write\n"
                )
        )
    }

    @Test func replacesAnExistingValueKeepingComments() throws {
        let text =
            "---\n# agent\npermissions:\n  read: r   # reader\n  write: old-one # writer\nname: x\n---\nbody: not yaml\n"
        #expect(
            try edit(text)
                == "---\n# agent\npermissions:\n  read: r   # reader\n  write: ado-aw-write\nname: x\n---\nbody: not yaml\n"
        )
    }

    @Test func replacesANestedServiceConnectionMapping() throws {
        let text = "---\npermissions:\n    write:\n        service-connection: old\n    read: r\n---\n"
        #expect(try edit(text) == "---\npermissions:\n    write: ado-aw-write\n    read: r\n---\n")
    }

    @Test func addsThePermissionsBlockWhenMissing() throws {
        let text = "---\nname: x\non:\n    schedule: daily\n---\n\nBody\n"
        #expect(
            try edit(text)
                == "---\nname: x\non:\n    schedule: daily\npermissions:\n    write: ado-aw-write\n---\n\nBody\n"
        )
        #expect(
            try edit("---\nname: x\npermissions:\n---\n") == "---\nname: x\npermissions:\n  write: ado-aw-write\n---\n"
        )
    }

    @Test func keepsWindowsLineEnds() throws {
        let text = "---\r\npermissions:\r\n  read: r\r\n---\r\nbody\r\n"
        #expect(try edit(text) == "---\r\npermissions:\r\n  read: r\r\n  write: ado-aw-write\r\n---\r\nbody\r\n")
    }

    @Test func quotesValuesYAMLWouldReadAsSomethingElse() throws {
        #expect(try edit("---\npermissions:\n  read: r\n---\n", "true").contains("  write: \"true\"\n"))
        #expect(
            try edit("---\npermissions:\n  read: r\n---\n", "my connection: x").contains(
                "  write: \"my connection: x\"\n"
            )
        )
        #expect(try edit("---\npermissions:\n  read: r\n---\n", "123").contains("  write: \"123\"\n"))
    }

    @Test(arguments: [
        (
            "---\npermissions: { read: r }\n---\n",
            "agent.md:2: cannot edit the front matter automatically: `permissions` is written inline"
        ),
        (
            "---\npermissions:\n  - read\n---\n",
            "agent.md:3: cannot edit the front matter automatically: `permissions` is a list"
        ),
        (
            "---\npermissions:\n  write: a\n  write: b\n---\n",
            "agent.md:4: cannot edit the front matter automatically: `write` appears more than once"
        ),
        ("no front matter\n", "agent.md: no front matter"),
        (
            "---\npermissions:\n  write: a very\n    long plain scalar\n---\n",
            "agent.md:3: cannot edit the front matter automatically: its value continues"
        ),
    ])
    func refusesWhatALineEditCannotDoSafely(_ text: String, _ message: String) {
        let result = Result { () throws(FrontMatterError) in
            try FrontMatterEditor.setting("permissions.write", to: "x", in: text, file: "agent.md")
        }
        guard case .failure(let error) = result else {
            Issue.record("expected a refusal for \(text)")
            return
        }
        #expect(error.description.hasPrefix(message), "\(error)")
    }

    @Test func editingTwiceIsStable() throws {
        let once = try edit("---\npermissions:\n  read: r\n---\n")
        #expect(try edit(once) == once)
    }
}

@Suite("Local files")
struct LocalFilesTests {
    @Test func writesAtomicallyKeepingTheMode() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory + "/agent.md"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        try LocalFiles.replaceContents(of: path, with: "new")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["agent.md"], "no temp file left")
    }

    @Test func resolvesOnlyBelowTheCheckoutAndNotThroughLinks() throws {
        let directory = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/agents", withIntermediateDirectories: true)
        try "x".write(toFile: directory + "/agents/a.md", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/agents/link.md",
            withDestinationPath: directory + "/agents/a.md"
        )
        #expect(try LocalFiles.resolve("agents/a.md", checkout: directory).hasSuffix("/agents/a.md"))
        #expect(throws: LocalFileError.self) { try LocalFiles.resolve("../outside.md", checkout: directory) }
        #expect(throws: LocalFileError.self) { try LocalFiles.resolve("/etc/passwd", checkout: directory) }
        #expect(throws: LocalFileError.symbolicLink(directory + "/agents/link.md")) {
            try LocalFiles.resolve("agents/link.md", checkout: directory)
        }
        #expect(throws: LocalFileError.self) { try LocalFiles.resolve("agents/missing.md", checkout: directory) }
    }
}
