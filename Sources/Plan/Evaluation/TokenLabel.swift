/// Human names of tokens, for findings, causes and change summaries (`Payments/payments-api`, `all repositories
/// of Payments`, `area Payments\Ops`). Falls back to the token itself.
extension OrgIndex {
    public func label(namespaceId: String, token: String) -> String {
        let namespace = namespace(namespaceId)
        let key = Tokens.canonical(token, separator: namespace?.separator)
        switch namespaceId.lowercased() {
        case NamespaceID.git:
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.first == "repov2" else { return token }
            if parts.count == 1 { return "all repositories" }
            let project = self.project(id: parts[1])?.name ?? parts[1]
            if parts.count == 2 { return "all repositories of \(project)" }
            let repository = self.repository(id: parts[2])?.name ?? parts[2]
            if parts.count == 3 { return "\(project)/\(repository)" }
            if parts.count >= 5, parts[3] == "refs", parts[4] == "heads" {
                if parts.count == 5 { return "all branches of \(project)/\(repository)" }
                let branch = Tokens.decodeBranch(parts[5...].joined(separator: "/")) ?? parts[5...].joined(separator: "/")
                return "branch \(branch) of \(project)/\(repository)"
            }
            return "\(project)/\(repository) \(parts[3...].joined(separator: "/"))"
        case NamespaceID.build:
            let parts = key.split(separator: "/").map(String.init)
            guard let first = parts.first, let project = self.project(id: first) else { return token }
            if parts.count == 1 { return "all pipelines of \(project.name)" }
            if let id = Int(parts[parts.count - 1]), let definition = definition(id: id) {
                return "pipeline \(project.name)/\(definition.name)"
            }
            return "pipelines in \(project.name)/\(parts.dropFirst().joined(separator: "/"))"
        case NamespaceID.css:
            let last = Tokens.elements(of: key, separator: ":").last ?? key
            let identifier = last.replacingPrefix("vstfs:///classification/node/")
            return areasByIdentifier[identifier].map { "area " + Self.areaPath(of: $0) } ?? token
        case NamespaceID.project:
            let id = key.replacingPrefix("$project:vstfs:///classification/teamproject/")
            return project(id: id).map { "project \($0.name)" } ?? (key == "$project" ? "all projects" : token)
        case NamespaceID.collection:
            return "organization \(state.organization.name)"
        case NamespaceID.process:
            if key == "$process" { return "all processes" }
            let id = key.split(separator: ":").last.map(String.init) ?? key
            return state.processes.first { $0.typeId == id }.map { "process \($0.name)" } ?? token
        default:
            return token
        }
    }

    /// The blast-radius scope word of a token.
    public func scopeWord(namespaceId: String, token: String) -> String {
        let namespace = namespace(namespaceId)
        let key = Tokens.canonical(token, separator: namespace?.separator)
        switch namespaceId.lowercased() {
        case NamespaceID.git:
            switch key.split(separator: "/").count {
            case 1: return "organization"
            case 2: return "project"
            case 3: return "repository"
            default: return "branch"
            }
        case NamespaceID.build:
            let parts = key.split(separator: "/")
            if parts.count == 1 { return "project" }
            return Int(parts[parts.count - 1]) != nil ? "definition" : "build-folder"
        case NamespaceID.css, NamespaceID.iteration: return "area"
        case NamespaceID.project: return key == "$project" ? "organization" : "project"
        case NamespaceID.collection: return "organization"
        case NamespaceID.process: return "process"
        default: return "token"
        }
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
