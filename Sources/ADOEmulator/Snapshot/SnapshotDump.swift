/// The live state as an `adoperm-snapshot/1` document (docs/emulator.md "State dump"): the loaded document with
/// the members the emulator changes (`acls`, `buildDefinitions`, `pipelineSettings`, `files`) rewritten from the
/// store, serialized canonically (sorted keys, two-space indent). ACLs are listed per namespace sorted by their
/// canonical token; ACL and ACE spellings are the stored ones. Runtime-only data (minted pipeline tokens, work
/// items, pull-request threads, pushes, queued builds, the request log) is not part of the format.
extension OrgModel {
    func dumpDocument() -> JSON {
        var document = self.document
        var acls = JSONObject()
        for (namespaceId, byToken) in self.acls.sorted(by: { $0.key < $1.key }) where !byToken.isEmpty {
            acls[namespaceId] = .array(byToken.ordered.map(Self.dumpJSON))
        }
        document["acls"] = .object(acls)
        if document["buildDefinitions"] != nil || !definitions.isEmpty {
            document["buildDefinitions"] = .array(definitions.map(JSON.object))
        }
        if document["pipelineSettings"] != nil { document["pipelineSettings"] = settingsDocument() }
        var fileObject = JSONObject()
        for (key, text) in files { fileObject[key] = .string(text) }
        if document["files"] != nil || !files.isEmpty { document["files"] = .object(fileObject) }
        return .object(document)
    }

    /// One ACL as the dump lists it (stored spellings).
    static func dumpJSON(_ acl: StoredACL) -> JSON {
        var aces = JSONObject()
        for (_, ace) in acl.aces.sorted(by: { $0.key < $1.key }) {
            aces[ace.descriptor] = [
                "descriptor": .string(ace.descriptor), "allow": .int(ace.allow), "deny": .int(ace.deny),
            ]
        }
        return .object(
            JSONObject([
                ("inheritPermissions", .bool(acl.inheritPermissions)), ("token", .string(acl.token)),
                ("acesDictionary", .object(aces)),
            ])
        )
    }

    /// The `pipelineSettings` member from the live settings.
    func settingsDocument() -> JSON {
        var projects = JSONObject()
        for (projectId, settings) in projectSettings {
            projects[projectSettingsKeys[projectId] ?? projectId] = .object(settings)
        }
        return ["organization": .object(organizationSettings), "projects": .object(projects)]
    }

    /// Canonical bytes of the dump.
    func dumpBytes() -> [UInt8] { JSONWriter.canonical(dumpDocument()) }
}
