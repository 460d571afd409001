import Foundation

/// Resolves an expanded `DesiredState` against one organization: project, repository, definition, area, wiki,
/// identity and connection names become ids, descriptors and tokens; permission names become bits from the LIVE
/// namespace definitions. Every unresolved name is one diagnostic line with a did-you-mean; all are collected.
public struct Binder {
    let index: OrgIndex
    var diagnostics: [Diagnostic] = []
    var warnings: [Diagnostic] = []

    init(index: OrgIndex) { self.index = index }

    /// Binds `desired`, throwing every error as one `DiagnosticError`.
    public static func bind(_ desired: DesiredState, to index: OrgIndex) throws -> BoundDesiredState {
        var binder = Binder(index: index)
        let bound = binder.bindAll(desired)
        if !binder.diagnostics.isEmpty { throw DiagnosticError(sorted(binder.diagnostics)) }
        return bound
    }

    mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    mutating func warning(_ message: String, at location: SourceLocation?) {
        warnings.append(Diagnostic(.warning, message, at: location))
    }

    private mutating func bindAll(_ desired: DesiredState) -> BoundDesiredState {
        var checks: [BoundCheck] = []
        var subjects: [SubjectRef: BoundSubject?] = [:]
        func subject(_ ref: SubjectRef, at location: SourceLocation?, binder: inout Binder) -> BoundSubject? {
            if let known = subjects[ref] { return known }
            let bound = binder.bindSubject(ref, at: location)
            subjects[ref] = bound
            return bound
        }
        for requirement in desired.requirements {
            guard let main = subject(requirement.subject, at: requirement.subjectLocation, binder: &self) else {
                // Still bind the resources so their errors are reported in the same run.
                for check in requirement.allow {
                    if case (_, let namespace?) = bindResource(check) { _ = bindPermissions(check, in: namespace) }
                }
                continue
            }
            for check in requirement.allow {
                let ref = check.subject ?? requirement.subject
                let checkSubject = check.subject == nil ? main : subject(ref, at: check.location, binder: &self)
                guard case (let resource, let namespace?) = bindResource(check),
                    let (names, bits) = bindPermissions(check, in: namespace), let resource, let checkSubject
                else { continue }
                var bound = BoundCheck(
                    requirementId: requirement.id, kind: .allow, subjectRef: ref, subject: checkSubject,
                    resource: resource, permissionNames: names, bits: bits, authoritative: check.authoritative,
                    location: check.location, reason: check.reason, agent: requirement.agent)
                bound.jobIdentityOnly = check.jobIdentityOnly
                checks.append(bound)
            }
        }
        for rule in desired.forbids {
            let boundSubject = subject(rule.subject, at: rule.subjectLocation, binder: &self)
            guard case (let resource, let namespace?) = bindResource(rule.check),
                let (names, bits) = bindPermissions(rule.check, in: namespace), let resource, let boundSubject
            else { continue }
            checks.append(BoundCheck(
                requirementId: rule.id, kind: .forbid, subjectRef: rule.subject, subject: boundSubject,
                resource: resource, permissionNames: names, bits: bits, location: rule.location))
        }
        var settings: [BoundSetting] = []
        for setting in desired.settings {
            guard let project = bindProject(setting.project, at: setting.projectLocation ?? setting.location) else {
                continue
            }
            settings.append(BoundSetting(projectId: project.id, projectName: project.name, values: setting.values,
                                         location: setting.location))
        }
        var writeConnectionId: String?
        let policy = desired.remediation
        if let projectName = policy.serviceConnectionProject, let name = policy.serviceConnectionName,
            let project = bindProject(projectName, at: policy.serviceConnectionLocation)
        {
            if let endpoint = index.endpoint(projectId: project.id, named: name) {
                writeConnectionId = endpoint.id
            } else {
                error("unknown service connection '\(name)' in project \(project.name)"
                      + nameHint(name, endpointNames(project.id)), at: policy.serviceConnectionLocation)
            }
        }
        return BoundDesiredState(desired: desired, checks: checks, settings: settings,
                                 writeConnectionId: writeConnectionId, warnings: sorted(desired.warnings + warnings))
    }

    // MARK: Subjects

    mutating func bindSubject(_ ref: SubjectRef, at location: SourceLocation?) -> BoundSubject? {
        switch ref {
        case .pipeline(let projectName, let name):
            guard let project = bindProject(projectName, at: location),
                let definition = bindDefinition(name, in: project, at: location)
            else { return nil }
            return .pipeline(definitionId: definition.id, projectId: project.id)
        case .serviceConnection(let projectName, let name):
            guard let project = bindProject(projectName, at: location) else { return nil }
            guard let endpoint = index.endpoint(projectId: project.id, named: name) else {
                error("unknown service connection '\(name)' in project \(project.name)"
                      + nameHint(name, endpointNames(project.id)), at: location)
                return nil
            }
            return .serviceConnection(endpointId: endpoint.id, identity: index.servicePrincipalIdentity(of: endpoint))
        case .identity(let name):
            let matches = index.identities(named: name)
            let preferred = matches.filter { index.identity($0)?.isContainer == false }
            let candidates = preferred.isEmpty ? matches : preferred
            if candidates.count == 1 { return .identity(candidates[0]) }
            if candidates.isEmpty {
                let names = index.state.identities.filter { !$0.isContainer }.flatMap { [$0.displayName] + [$0.account].compactMap { $0 } }
                error("unknown identity '\(name)'" + nameHint(name, names), at: location)
            } else {
                error("identity '\(name)' is ambiguous (\(candidates.count) identities match: "
                      + candidates.prefix(3).map(\.rawValue).joined(separator: ", ")
                      + "), expected a unique name or a descriptor", at: location)
            }
            return nil
        case .descriptor(let raw):
            let descriptor = IdentityDescriptor(raw)
            guard raw.contains(";") else {
                error("found '\(raw)' for 'descriptor', expected an identity descriptor `Type;Identifier`", at: location)
                return nil
            }
            if index.identity(descriptor) == nil {
                warning("descriptor '\(raw)' is not an identity of the organization; evaluating it without groups",
                        at: location)
            }
            return .identity(descriptor)
        case .group(let raw):
            guard let match = index.group(named: raw) else {
                let groups = index.state.identities.filter(\.isContainer)
                error("unknown group '\(raw)'" + nameHint(Self.normalizeGroup(raw), groups.map(\.providerDisplayName)),
                      at: location)
                return nil
            }
            return .identity(match)
        }
    }

    /// `[Payments]\\Contributors` (single-quoted YAML) and `[Payments]\Contributors` are the same group.
    static func normalizeGroup(_ name: String) -> String {
        var text = name
        while text.contains("\\\\") { text = text.replacingOccurrences(of: "\\\\", with: "\\") }
        return text
    }

    // MARK: Names

    mutating func bindProject(_ name: String, at location: SourceLocation?) -> Project? {
        if let project = index.project(named: name) { return project }
        error("unknown project '\(name)'" + nameHint(name, index.projectNames), at: location)
        return nil
    }

    mutating func bindDefinition(_ name: String, in project: Project, at location: SourceLocation?) -> BuildDefinition? {
        if let id = Int(name), let definition = index.definition(id: id), definition.projectId == project.id {
            return definition
        }
        let matches = index.definitions(projectId: project.id, named: name)
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            let names = index.definitions(inProject: project.id).map(\.name)
            error("unknown pipeline '\(name)' in project \(project.name)" + nameHint(name, names), at: location)
        } else {
            let folders = matches.map(\.path).sorted().joined(separator: ", ")
            error("pipeline name '\(name)' is ambiguous in project \(project.name) (folders \(folders)), expected "
                  + "the definition id", at: location)
        }
        return nil
    }

    func endpointNames(_ projectId: String) -> [String] {
        index.state.serviceEndpoints.flatMap { endpoint in
            endpoint.projectReferences.filter { $0.projectId == projectId }.map(\.name)
        }
    }

    /// ` (did you mean X?)`, else `, expected one of A, B, C` (up to 8), else "".
    func nameHint(_ name: String, _ candidates: [String]) -> String {
        let hint = Suggestion.hint(for: name, in: candidates)
        if !hint.isEmpty { return hint }
        let unique = Array(Set(candidates)).sorted()
        guard !unique.isEmpty else { return "" }
        let shown = unique.prefix(8).joined(separator: ", ") + (unique.count > 8 ? ", …" : "")
        return ", expected one of \(shown)"
    }
}
