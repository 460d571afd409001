/// Pipeline general settings: per project (`{project}/_apis/build/generalsettings`) and the organization-level
/// extension route without the project segment (undocumented in ADO; reference/ado-rest.md §7.3).
enum SettingsRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/{project}/_apis/build/generalsettings", version: "7.1-preview.1") { _, context in
            let caller = try context.requireCaller()
            let settings = try await context.store.read { model, _ in
                model.effectiveSettings(
                    projectId: try Access.project(context.parameter("project"), caller: caller, model: model).id
                )
            }
            return context.json(.object(settings))
        }
        table.add("PATCH", "/{org}/{project}/_apis/build/generalsettings", version: "7.1-preview.1") {
            request,
            context in
            let caller = try context.requireCaller()
            let changes = try booleanChanges(request)
            let settings = try await context.store.write { model, _ -> JSONObject in
                let project = try Access.project(context.parameter("project"), caller: caller, model: model)
                // Editing a project's pipeline settings needs Project GENERIC_WRITE (UNCONFIRMED which bit ADO checks).
                guard
                    model.allows(
                        2,
                        namespace: Access.projectNamespace,
                        token: project.securityToken,
                        identitySet: caller.identitySet
                    )
                else {
                    let names = model.namespaces[Access.projectNamespace]?.displayNames(of: 2) ?? ["GENERIC_WRITE"]
                    throw ADOError.accessDenied(
                        identity: caller.record.displayName,
                        token: project.securityToken,
                        permissions: names
                    )
                }
                var stored = model.projectSettings[project.id] ?? JSONObject()
                for (key, value) in changes { stored[key] = .bool(value) }
                model.projectSettings[project.id] = stored
                if model.projectSettingsKeys[project.id] == nil { model.projectSettingsKeys[project.id] = project.id }
                return model.effectiveSettings(projectId: project.id)
            }
            return context.json(.object(settings))
        }
        table.add("GET", "/{org}/_apis/build/generalsettings", version: "7.1-preview.1") { _, context in
            _ = try context.requireCaller()
            return context.json(.object(await context.store.read { model, _ in model.organizationSettings }))
        }
        table.add("PATCH", "/{org}/_apis/build/generalsettings", version: "7.1-preview.1") { request, context in
            let caller = try context.requireCaller()
            let changes = try booleanChanges(request)
            let settings = try await context.store.write { model, _ -> JSONObject in
                // Organization pipeline settings: BuildAdministration ManagePipelinePolicies (16) on BuildPrivileges.
                guard
                    model.allows(
                        16,
                        namespace: Access.buildAdministrationNamespace,
                        token: "BuildPrivileges",
                        identitySet: caller.identitySet
                    )
                else {
                    throw ADOError.accessDenied(
                        identity: caller.record.displayName,
                        token: "BuildPrivileges",
                        permissions: ["Manage pipeline policies"]
                    )
                }
                for (key, value) in changes { model.organizationSettings[key] = .bool(value) }
                return model.organizationSettings
            }
            return context.json(.object(settings))
        }
    }

    /// The PATCH body: a partial PipelineGeneralSettings (only booleans; only supplied keys change).
    private static func booleanChanges(_ request: EmulatorRequest) throws(ADOError) -> [(String, Bool)] {
        guard let body = try request.jsonBody()?.objectValue else {
            throw ADOError.argument("The settings body is required.")
        }
        var changes: [(String, Bool)] = []
        for (key, value) in body {
            if value.isNull { continue }
            guard let flag = value.boolValue else { throw ADOError.argument("The setting '\(key)' must be a boolean.") }
            changes.append((key, flag))
        }
        return changes
    }
}
