import Plan

/// Wire → model decoders for projects, repositories, wikis, definitions, settings, endpoints and areas.
enum ResourceDecoding {
    static func project(_ wire: WireReader) throws(WireError) -> Project {
        let visibility: Project.Visibility
        switch wire.value["visibility"] {
        case .string(let text): visibility = text.lowercased() == "public" ? .public : .private
        // Old API versions send the enum as a number (0 private, 2 public).
        case .int(let number): visibility = number == 2 ? .public : .private
        default: visibility = .private
        }
        return Project(
            id: try wire.string("id"),
            name: try wire.string("name"),
            visibility: visibility,
            state: wire.optionalString("state") ?? "wellFormed"
        )
    }

    static func repository(_ wire: WireReader) throws(WireError) -> Repository {
        guard let project = wire["project"] else { throw WireError(path: wire.path + ".project", message: "missing") }
        return Repository(
            id: try wire.string("id"),
            name: try wire.string("name"),
            projectId: try project.string("id"),
            isDisabled: try wire.bool("isDisabled"),
            defaultBranch: wire.optionalString("defaultBranch")
        )
    }

    static func wiki(_ wire: WireReader) throws(WireError) -> Wiki {
        Wiki(
            id: try wire.string("id"),
            name: try wire.string("name"),
            projectId: try wire.string("projectId"),
            repositoryId: try wire.string("repositoryId"),
            type: wire.optionalString("type") ?? "projectWiki"
        )
    }

    static func buildDefinition(_ wire: WireReader) throws(WireError) -> BuildDefinition {
        guard let project = wire["project"] else { throw WireError(path: wire.path + ".project", message: "missing") }
        let process = wire["process"]
        let processType = BuildDefinition.ProcessType(rawValue: try process?.int("type", default: 2) ?? 2) ?? .yaml
        let scope: JobAuthorizationScope
        switch wire.value["jobAuthorizationScope"] {
        case .string(let text): scope = text.lowercased() == "project" ? .project : .projectCollection
        case .int(let number): scope = number == 2 ? .project : .projectCollection
        default: scope = .projectCollection
        }
        let repository = wire["repository"]
        return BuildDefinition(
            id: try wire.requiredInt("id"),
            name: try wire.string("name"),
            path: wire.optionalString("path") ?? "\\",
            projectId: try project.string("id"),
            revision: try wire.int("revision", default: 1),
            processType: processType,
            yamlFilename: process?.optionalString("yamlFilename"),
            repositoryId: repository?.optionalString("id"),
            repositoryName: repository?.optionalString("name"),
            repositoryType: repository?.optionalString("type"),
            jobAuthorizationScope: scope
        )
    }

    /// `PipelineGeneralSettings`: every boolean member, by wire name.
    static func pipelineSettings(_ wire: WireReader) throws(WireError) -> PipelineSettings {
        var values: [String: Bool] = [:]
        for (key, member) in try wire.requireObject() {
            if let flag = member.boolValue { values[key] = flag }
        }
        return PipelineSettings(values: values)
    }

    static func serviceEndpoint(_ wire: WireReader) throws(WireError) -> ServiceEndpoint {
        let authorization = wire["authorization"]
        var parameters: [String: String] = [:]
        if let authorization {
            // Secrets come back as null; keep only what the service disclosed.
            for (key, value) in try authorization.object("parameters") {
                if let text = value.value.stringValue { parameters[key] = text }
            }
        }
        let endpointName = try wire.string("name")
        var references: [ServiceEndpoint.ProjectReference] = []
        for reference in try wire.array("serviceEndpointProjectReferences") {
            guard let project = reference["projectReference"] else {
                throw WireError(path: reference.path + ".projectReference", message: "missing")
            }
            references.append(
                ServiceEndpoint.ProjectReference(
                    projectId: try project.string("id"),
                    name: reference.optionalString("name") ?? endpointName
                )
            )
        }
        return ServiceEndpoint(
            id: try wire.string("id"),
            name: endpointName,
            type: wire.optionalString("type") ?? "",
            scheme: authorization?.optionalString("scheme") ?? "",
            parameters: parameters,
            projectReferences: references,
            isReady: try wire.bool("isReady", default: true)
        )
    }

    /// Flattens a classification-node tree (root first, depth first).
    static func areas(_ root: WireReader, projectId: String) throws(WireError) -> [AreaNode] {
        var nodes: [AreaNode] = []
        func visit(_ node: WireReader, parent: String?) throws(WireError) {
            let identifier = try node.string("identifier")
            nodes.append(
                AreaNode(
                    id: try node.requiredInt("id"),
                    identifier: identifier,
                    name: try node.string("name"),
                    path: try node.string("path"),
                    projectId: projectId,
                    parentIdentifier: parent
                )
            )
            for child in try node.array("children") { try visit(child, parent: identifier) }
        }
        try visit(root, parent: nil)
        return nodes
    }
}
