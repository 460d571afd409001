/// Pipeline job identities: which build service a definition's jobs run as, and the tokens the emulator mints
/// for them (docs/emulator.md "Pipeline tokens").
enum PipelineRoutes {
    /// The job identity under the current settings (reference/ado-rest.md §14, DESIGN.md):
    /// public project → project-scoped; organization `enforceJobAuthScope` → project-scoped (projects cannot
    /// loosen it); project `enforceJobAuthScope` → project-scoped; classic definitions (process type 1) only:
    /// `jobAuthorizationScope: project` → project-scoped; otherwise the collection-scoped build service.
    /// YAML pipelines have no per-pipeline toggle.
    static func jobScope(definition: JSONObject, model: OrgModel) -> (scopeId: String, scope: String)? {
        guard let projectId = definition["project"]?["id"]?.stringValue?.lowercased(),
            let project = model.project(projectId)
        else { return nil }
        let isClassic = definition["process"]?["type"]?.intValue == 1
        let projectScoped =
            project.isPublic
            || model.organizationSettings["enforceJobAuthScope"]?.boolValue == true
            || model.projectSettings[project.id]?["enforceJobAuthScope"]?.boolValue == true
            || (isClassic && definition["jobAuthorizationScope"]?.stringValue?.lowercased() == "project")
        return projectScoped ? (project.id, "project") : (model.organization.collectionId, "projectCollection")
    }

    static func mint(definitionId: Int, store: Store) async throws -> PipelineToken {
        try await store.updateRuntime { model, runtime throws -> PipelineToken in
            guard let definition = model.definition(id: definitionId) else {
                throw EmulatorError.unknownDefinition(definitionId)
            }
            guard let (scopeId, scope) = jobScope(definition: definition, model: model) else {
                throw EmulatorError.unknownDefinition(definitionId)
            }
            let descriptor = "Microsoft.TeamFoundation.ServiceIdentity;\(model.organization.hostId):Build:\(scopeId)"
            guard let record = model.directory.record(descriptor: descriptor) else {
                throw EmulatorError.missingIdentity("the build service \(descriptor)")
            }
            runtime.mintedCount += 1
            let token = "fake-job-token-\(definitionId)-\(runtime.mintedCount)"
            runtime.mintedTokens[token] = Credential(
                token: token,
                kind: .bearer,
                identityKey: record.key,
                scopes: ["app_token"]
            )
            return PipelineToken(
                token: token,
                identity: record.descriptor,
                displayName: record.displayName,
                scope: scope
            )
        }
    }
}
