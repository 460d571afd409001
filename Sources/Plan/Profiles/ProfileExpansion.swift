/// Who holds a profile's job-identity grants (ado-aw's checkout reads).
enum JobIdentityHolder {
    /// The requirement's own subject (it is the pipeline).
    case subject
    /// Nobody known: the subject is not a pipeline, so the grants are dropped.
    case none
    /// The pipeline whose job token checks the sources out, when the subject is its write connection.
    case pipeline(SubjectRef)
}

extension Profile {
    /// The checks this profile requires for `scope`.
    ///
    /// - Parameters:
    ///   - jobIdentity: who holds the job-identity grants.
    ///   - location: where the requirement is written (errors and check positions).
    func checks(
        scope: ProfileScope,
        index: OrgIndex,
        jobIdentity: JobIdentityHolder,
        location: SourceLocation?,
        diagnostics: inout [Diagnostic]
    ) -> [PermissionCheck] {
        var result: [PermissionCheck] = []
        func add(_ resource: ResourceRef, _ grant: Grant, _ fields: [String: SourceLocation]) {
            var subject: SubjectRef?
            if grant.jobIdentity {
                switch jobIdentity {
                case .subject: subject = nil
                case .none: return
                case .pipeline(let ref): subject = ref
                }
            }
            result.append(PermissionCheck(
                resource: resource, permissions: grant.permissions, location: location, subject: subject,
                reason: name, fieldLocations: fields, jobIdentityOnly: grant.jobIdentity))
        }
        switch target {
        case .none:
            return []
        case .projects:
            var projects: [(String, SourceLocation?)]
            if scope.allProjects {
                projects = index.state.projects.map(\.name).sorted().map { ($0, scope.location) }
            } else {
                projects = (scope.projects ?? []).enumerated().map { ($1, scope.fieldLocations["projects[\($0)]"]) }
            }
            for grant in grants {
                switch grant.place {
                case .organization: add(.organization, grant, [:])
                case .allProcesses: add(.process(name: "*"), grant, [:])
                case .eachProject:
                    for (project, at) in projects { add(.project(name: project), grant, ["name": at].compactMapValues { $0 }) }
                case .eachProjectRepositories:
                    for (project, at) in projects {
                        add(.git(project: project, repository: nil, branch: nil), grant,
                            ["project": at].compactMapValues { $0 })
                    }
                case .target, .targetBranch: continue
                }
            }
        case .repository, .area, .definition, .wiki:
            guard let project = scope.project else {
                diagnostics.append(Diagnostic(
                    .error, "profile \(name) needs a project, expected `scope: { project: …, \(target.rawValue): … }`",
                    at: scope.location ?? location))
                return []
            }
            if scope.targets.isEmpty {
                diagnostics.append(Diagnostic(
                    .error, "profile \(name) names no \(target.rawValue), expected `scope: { project: \(project), "
                        + "\(target.rawValue): … }`", at: scope.location ?? location))
                return []
            }
            for (offset, value) in scope.targets.enumerated() {
                var fields = ["project": scope.fieldLocations["project"]].compactMapValues { $0 }
                let at = scope.fieldLocations["targets[\(offset)]"]
                for grant in grants {
                    switch (target, grant.place) {
                    case (.repository, .target):
                        fields["repository"] = at
                        add(.git(project: project, repository: value, branch: nil), grant, fields)
                    case (.repository, .targetBranch(let branch)):
                        fields["repository"] = at
                        add(.git(project: project, repository: value, branch: branch), grant, fields)
                    case (.area, .target):
                        fields["path"] = at
                        add(.area(project: project, path: value), grant, fields)
                    case (.definition, .target):
                        fields["definition"] = at
                        add(.build(project: project, definition: value), grant, fields)
                    case (.wiki, .target):
                        fields["name"] = at
                        add(.wiki(project: project, name: value), grant, fields)
                    default: continue
                    }
                }
            }
        }
        return result
    }
}
