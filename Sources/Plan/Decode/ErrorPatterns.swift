import Foundation

/// The message shapes of the codes `explain` knows (reference/ado-rest.md §1.7, reference/ado-aw.md §4.4).
extension ErrorDecoder {
    static func scan(_ text: String, namespaces: [SecurityNamespace]) -> [DecodedError] {
        var results: [DecodedError] = []
        for match in text.matches(of: #/(TF|VS)\d{5,6}/#) {
            let code = String(match.output.0)
            guard codes.contains(code) else { continue }
            let rest = String(text[match.range.lowerBound...])
            let message = sentence(rest)
            var decoded = DecodedError(code: code, message: message)
            switch code {
            case "TF401027": tf401027(&decoded, message, namespaces)
            case "TF401019":
                decoded.httpStatus = 404
                set(&decoded, NamespaceID.git, ["GenericRead"], namespaces)
                decoded.scope = "repository"
                decoded.repository = message.firstMatch(of: #/name or identifier (\S+) does not exist/#).map { String($0.output.1) }
                decoded.notes.append("TF401019 is ADO's generic not-found-or-no-permission answer (404); a disabled "
                                     + "repository returns it too, whatever the permissions")
            case "VS800075":
                set(&decoded, NamespaceID.project, ["GENERIC_READ"], namespaces)
                decoded.scope = "project"
                decoded.projectId = message.firstMatch(of: #/TeamProject/([0-9a-fA-F-]{36})/#).map { String($0.output.1).lowercased() }
                decoded.notes.append("typical of a project-scoped job token reaching another project, or of a project "
                                     + "created moments ago")
            case "TF50309":
                decoded.httpStatus = decoded.httpStatus ?? 401
                if let parts = message.firstMatch(of: #/complete the operation: (.+?)\. The following permissions are needed to perform this operation: (.+?)\.?$/#) {
                    decoded.identity = account(String(parts.output.1))
                    byDisplayName(&decoded, String(parts.output.2), namespaces,
                                  prefer: [NamespaceID.collection, NamespaceID.project, NamespaceID.process])
                }
                decoded.scope = decoded.namespaceId == NamespaceID.collection ? "organization" : decoded.scope
            case "VS402356":
                decoded.httpStatus = decoded.httpStatus ?? 403
                set(&decoded, NamespaceID.process, ["Edit"], namespaces)
                decoded.scope = "process"
                decoded.notes.append("also raised when editing a system process (Agile, Scrum, CMMI, Basic): only "
                                     + "inherited processes can be edited")
            case "TF400813":
                decoded.httpStatus = decoded.httpStatus ?? 401
                decoded.isPermissionError = false
                if let user = message.firstMatch(of: #/The user '([^']*)'/#) {
                    let raw = String(user.output.1)
                    decoded.identity = raw.isEmpty ? nil : account(raw)
                }
                decoded.notes.append("an authentication failure, not a missing ACE: the token is invalid or expired, or "
                                     + "the service principal is not a user of the organization")
            case "TF215106":
                decoded.httpStatus = decoded.httpStatus ?? 403
                if let parts = message.firstMatch(of: #/Access denied\. (.+?) needs (.+?) permissions? for build pipeline (\S+) in team project (.+?) to perform the action/#) {
                    decoded.identity = identity(String(parts.output.1))
                    byDisplayName(&decoded, String(parts.output.2), namespaces, prefer: [NamespaceID.build])
                    decoded.definitionId = String(parts.output.3).prefix { $0.isNumber }.isEmpty
                        ? nil : Int(String(parts.output.3).prefix { $0.isNumber })
                    decoded.projectName = String(parts.output.4)
                }
                decoded.scope = "definition"
            default:
                decoded.httpStatus = decoded.httpStatus ?? 403
                set(&decoded, NamespaceID.css, ["WORK_ITEM_WRITE"], namespaces)
                decoded.scope = "area"
                decoded.notes.append("the identity cannot save work items under the area path: WORK_ITEM_WRITE on the "
                                     + "area node (message text UNCONFIRMED)")
            }
            results.append(decoded)
        }
        return results
    }

    private static func tf401027(_ decoded: inout DecodedError, _ message: String, _ namespaces: [SecurityNamespace]) {
        decoded.httpStatus = decoded.httpStatus ?? 403
        if let parts = message.firstMatch(of: #/You need the Git '(\w+)' permission to perform this action\. Details: identity '([^']+)', scope '(\w+)'/#) {
            set(&decoded, NamespaceID.git, [String(parts.output.1)], namespaces)
            decoded.identity = identity(String(parts.output.2))
            decoded.scope = String(parts.output.3)
            decoded.notes.append("the scope names where the check happened, not where the Deny lives: the token tree "
                                 + "decides that")
        } else if let parts = message.firstMatch(of: #/identity '([^']+)' needs the following permissions? to perform this action: (.+?)\.?$/#) {
            decoded.identity = identity(String(parts.output.1))
            byDisplayName(&decoded, String(parts.output.2), namespaces, prefer: [NamespaceID.css, NamespaceID.git])
        }
    }

    /// The message up to the end of its last sentence on the line (quotes of a JSON body and the closing tag of an
    /// HTML error page end it too).
    static func sentence(_ text: String) -> String {
        var end = text.endIndex
        for stop in ["\",", "\"}", "\n", "</"] {
            if let range = text.range(of: stop), range.lowerBound < end { end = range.lowerBound }
        }
        return String(text[..<end]).trimmingCharacters(in: .whitespaces)
    }

    static func set(_ decoded: inout DecodedError, _ namespaceId: String, _ names: [String],
                    _ namespaces: [SecurityNamespace]) {
        guard let namespace = NamespaceCatalogue.find(namespaceId, in: namespaces) else { return }
        decoded.namespaceId = namespace.id
        decoded.namespaceName = namespace.title
        for name in names {
            guard let action = namespace.action(named: name) else { continue }
            decoded.permissions.append(action.name)
            decoded.bits |= action.bit
        }
    }

    /// `Create new projects`, `Queue builds`, `Edit work item comments` → the action with that display name
    /// (several are joined with `,`).
    static func byDisplayName(_ decoded: inout DecodedError, _ text: String, _ namespaces: [SecurityNamespace],
                              prefer: [String]) {
        let wanted = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let ordered = prefer.compactMap { id in namespaces.first { $0.id == id } }
            + namespaces.filter { !prefer.contains($0.id) }
        for namespace in ordered {
            let actions = namespace.actions.filter { action in
                wanted.contains { $0 == action.displayName.lowercased() || $0.hasPrefix(action.displayName.lowercased())
                    || action.displayName.lowercased().hasPrefix($0) }
            }
            guard !actions.isEmpty else { continue }
            decoded.namespaceId = namespace.id
            decoded.namespaceName = namespace.title
            decoded.permissions = actions.map(\.name)
            decoded.bits = actions.reduce(0) { $0 | $1.bit }
            return
        }
        decoded.notes.append("no namespace action is displayed as '\(text)'")
    }

    /// `Build\{guid}`, `Project Collection Build Service (org)`, `{Project} Build Service (org)`, else an account.
    static func identity(_ raw: String) -> DecodedError.Identity {
        if let build = raw.firstMatch(of: #/^Build\\([0-9a-fA-F-]{36})$/#) {
            return DecodedError.Identity(raw: raw, kind: .buildService, guid: String(build.output.1).lowercased())
        }
        if raw.hasPrefix("Project Collection Build Service") {
            return DecodedError.Identity(raw: raw, kind: .collectionBuildService, displayName: raw)
        }
        if let project = raw.firstMatch(of: #/^(.+) Build Service \(.+\)$/#) {
            return DecodedError.Identity(raw: raw, kind: .projectBuildService, projectName: String(project.output.1),
                                         displayName: raw)
        }
        return account(raw)
    }

    static func account(_ raw: String) -> DecodedError.Identity {
        DecodedError.Identity(raw: raw, kind: .account)
    }

    /// Places the identity and the project against the organization: `Build\{guid}` with guid = a project id is
    /// that project's build service, guid = the collection id the collection build service.
    static func resolve(_ decoded: inout DecodedError, _ index: OrgIndex) {
        let org = index.state.organization
        if var identity = decoded.identity {
            switch identity.kind {
            case .buildService, .collectionBuildService, .projectBuildService:
                if let guid = identity.guid, guid == org.collectionId.lowercased() {
                    identity.kind = .collectionBuildService
                } else if let guid = identity.guid, let project = index.project(id: guid) {
                    identity.kind = .projectBuildService
                    identity.projectId = project.id
                    identity.projectName = project.name
                } else if identity.kind == .projectBuildService, let name = identity.projectName,
                    let project = index.project(named: name)
                {
                    identity.projectId = project.id
                }
                switch identity.kind {
                case .collectionBuildService:
                    let job = JobIdentity.collection(in: index)
                    identity.descriptor = job.descriptor
                    identity.displayName = job.displayName
                case .projectBuildService:
                    if let projectId = identity.projectId {
                        let job = JobIdentity.projectScoped(projectId: projectId, in: index, reason: .projectSetting)
                        identity.descriptor = job.descriptor
                        identity.displayName = job.displayName
                        identity.projectName = index.project(id: projectId)?.name
                    }
                default:
                    decoded.notes.append("Build\\\(identity.guid ?? "?") is neither a project id nor the collection id "
                                         + "of \(org.name)")
                }
            case .account:
                let matches = index.identities(named: identity.raw)
                if matches.count == 1 {
                    identity.descriptor = matches[0]
                    identity.displayName = index.displayName(matches[0])
                }
            }
            decoded.identity = identity
        }
        if let projectName = decoded.projectName, decoded.projectId == nil {
            decoded.projectId = index.project(named: projectName)?.id
        }
        if let projectId = decoded.projectId { decoded.projectName = index.project(id: projectId)?.name ?? decoded.projectName }
    }
}
