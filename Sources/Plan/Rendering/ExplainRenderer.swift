/// `adoperm explain`'s decoding, one block per error found.
public enum ExplainRenderer {
    public static func render(_ errors: [DecodedError]) -> String {
        guard !errors.isEmpty else {
            return "no known Azure DevOps error found (expected one of \(ErrorDecoder.codes.joined(separator: ", ")))\n"
        }
        var out: [String] = []
        for error in errors {
            var head = error.code
            if let status = error.httpStatus { head += " (HTTP \(status))" }
            if let tool = error.tool { head += " from ado-aw \(tool)" }
            out.append(head)
            func field(_ name: String, _ value: String) {
                out.append("  " + name + String(repeating: " ", count: max(1, 12 - name.count)) + value)
            }
            field("message", error.message)
            if let identity = error.identity { field("identity", describe(identity)) }
            if !error.permissions.isEmpty {
                field("permission", "\(error.permissions.joined(separator: " | ")) (\(error.bits)) in "
                      + (error.namespaceName ?? error.namespaceId ?? "?"))
            }
            if let scope = error.scope { field("scope", scope) }
            if let repository = error.repository { field("repository", repository) }
            if let project = error.projectName ?? error.projectId { field("project", project) }
            if let definition = error.definitionId { field("pipeline", "definition \(definition)") }
            for note in error.notes { field("note", note) }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func describe(_ identity: DecodedError.Identity) -> String {
        var text = identity.raw
        switch identity.kind {
        case .collectionBuildService:
            text += " → " + (identity.displayName ?? "Project Collection Build Service")
                + " (collection-scoped job identity" + (identity.guid != nil ? ": the guid is the collection id)" : ")")
        case .projectBuildService:
            text += " → " + (identity.displayName ?? "\(identity.projectName ?? "?") Build Service")
                + " (project-scoped job identity" + (identity.guid != nil ? ": the guid is the project id of "
                    + "\(identity.projectName ?? "?"))" : ")")
        case .buildService:
            text += " → a build service job identity: project-scoped when the guid is a project id, collection-scoped "
                + "when it is the organization's collection id (decode with --org to tell)"
        case .account:
            if let name = identity.displayName, name != identity.raw { text += " → \(name)" }
        }
        return text
    }
}
