extension SnapshotLoader {
    static func loadSettings(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let path = JSONPath.root.member("pipelineSettings")
        guard let value = document["pipelineSettings"] else { return }
        let settings = try r.object(value, path)
        if let organization = settings["organization"] {
            model.organizationSettings = try booleans(organization, path.member("organization"), reader: r)
        }
        let projectsPath = path.member("projects")
        for (key, entry) in try r.object(settings["projects"] ?? .object(JSONObject()), projectsPath) {
            guard let projectId = GUID.normalized(key), model.projectById[projectId] != nil else {
                throw r.fail(projectsPath.member(key), "unknown project id '\(key)'")
            }
            model.projectSettings[projectId] = try booleans(entry, projectsPath.member(key), reader: r)
            model.projectSettingsKeys[projectId] = key
        }
    }

    private static func booleans(_ value: JSON, _ path: JSONPath, reader r: SnapshotReader) throws(SnapshotError)
        -> JSONObject
    {
        let object = try r.object(value, path)
        for (key, flag) in object { _ = try r.bool(flag, path.member(key)) }
        return object
    }

    static func loadFilesAndCredentials(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let filesPath = JSONPath.root.member("files")
        for (key, text) in try r.object(document["files"] ?? .object(JSONObject()), filesPath) {
            let parts = key.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
                throw r.fail(filesPath.member(key), "file keys are '<project>/<repository>/<path>'")
            }
            model.files[key] = try r.string(text, filesPath.member(key))
            model.indexFile(key)
        }
        let credentialsPath = JSONPath.root.member("credentials")
        for (index, value) in try r.array(document["credentials"] ?? .array([]), credentialsPath).enumerated() {
            let at = credentialsPath.index(index)
            let credential = try r.object(value, at)
            let token = try r.nonEmptyString(credential["token"], at.member("token"))
            let kindText = try r.string(credential["kind"], at.member("kind"))
            guard let kind = Credential.Kind(rawValue: kindText) else {
                throw r.fail(at.member("kind"), "expected 'pat' or 'bearer', found '\(kindText)'")
            }
            let identity = try r.string(credential["identity"], at.member("identity"))
            guard model.directory.contains(descriptor: identity) else {
                throw r.fail(at.member("identity"), "unknown identity descriptor '\(identity)'")
            }
            var scopes: [String] = []
            if let list = credential["scopes"] {
                for (scopeIndex, scope) in try r.array(list, at.member("scopes")).enumerated() {
                    scopes.append(try r.string(scope, at.member("scopes").index(scopeIndex)))
                }
            }
            guard model.credentials[token] == nil else {
                throw r.fail(at.member("token"), "duplicate credential token")
            }
            model.credentials[token] = Credential(
                token: token,
                kind: kind,
                identityKey: identity.lowercased(),
                scopes: scopes
            )
        }
    }
}
