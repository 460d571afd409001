/// Projects, repositories, definitions, pipeline files, settings, service connections and areas of the generated
/// organization, in the wire shapes of the example snapshot.
struct SyntheticResources {
    let layout: SyntheticLayout
    static let lastUpdate = "2026-11-20T08:30:00Z"

    func projectReference(_ project: SyntheticLayout.Project) -> JSON {
        [
            "id": .string(project.id), "name": .string(project.name),
            "url": .string("\(layout.organizationURL)/_apis/projects/\(project.id)"), "state": "wellFormed",
            "revision": .int(100 + project.index), "visibility": .string(project.isPublic ? "public" : "private"),
            "lastUpdateTime": .string(Self.lastUpdate),
        ]
    }

    var projects: [JSON] {
        layout.projects.map { project in
            guard case .object(var object) = projectReference(project) else { return .null }
            object["description"] = .string("\(project.name) services and their pipelines")
            return .object(object)
        }
    }

    var repositories: [JSON] {
        var result: [JSON] = []
        result.reserveCapacity(layout.projects.count * layout.spec.reposPerProject)
        let org = layout.spec.organization
        for project in layout.projects {
            let reference = projectReference(project)
            for repository in project.repositories {
                result.append([
                    "id": .string(repository.id), "name": .string(repository.name),
                    "url": .string("\(layout.organizationURL)/\(project.id)/_apis/git/repositories/\(repository.id)"),
                    "project": reference, "defaultBranch": "refs/heads/main", "size": .int(repository.size),
                    "remoteUrl": .string("https://\(org)@dev.azure.com/\(org)/\(project.name)/_git/\(repository.name)"),
                    "sshUrl": .string("git@ssh.dev.azure.com:v3/\(org)/\(project.name)/\(repository.name)"),
                    "webUrl": .string("\(layout.organizationURL)/\(project.name)/_git/\(repository.name)"),
                    "isDisabled": false, "isInMaintenance": false,
                ])
            }
        }
        return result
    }

    var definitions: [JSON] { layout.pipelines.map(definition) }

    private func definition(_ pipeline: SyntheticLayout.Pipeline) -> JSON {
        let project = layout.projects[pipeline.projectIndex]
        let repository = project.repositories[pipeline.repositoryIndex]
        let org = layout.spec.organization
        let base = "\(layout.organizationURL)/\(project.id)"
        let url = "\(base)/_apis/build/Definitions/\(pipeline.id)?revision=\(pipeline.revision)"
        let scope = pipeline.classicProjectScope ? "project" : "projectCollection"
        let process: JSON
        if let yaml = pipeline.yamlFilename {
            process = ["yamlFilename": .string(yaml), "type": 2]
        } else {
            process = [
                "phases": [
                    [
                        "steps": [
                            [
                                "environment": [:], "enabled": true, "continueOnError": false, "alwaysRun": false,
                                "displayName": "Build and publish", "timeoutInMinutes": 0,
                                "retryCountOnTaskFailure": 0, "condition": "succeeded()",
                                "task": [
                                    "id": "6c731c3c-3c68-459a-a5c9-bde6e6595b5b", "versionSpec": "3.*",
                                    "definitionType": "task",
                                ],
                                "inputs": ["targetType": "inline", "script": "./build.sh && ./publish.sh"],
                            ]
                        ],
                        "name": "Job_1", "refName": "Job_1", "condition": "succeeded()",
                        "target": ["executionOptions": ["type": 0], "allowScriptsAuthAccessOption": true, "type": 1],
                        "jobAuthorizationScope": .string(scope),
                    ]
                ],
                "target": ["agentSpecification": ["identifier": "ubuntu-latest"]], "type": 1,
            ]
        }
        return [
            "options": [], "tags": [], "properties": [:], "drafts": [], "processParameters": [:],
            "triggers": [
                [
                    "branchFilters": ["+refs/heads/main"], "pathFilters": [], "batchChanges": false,
                    "maxConcurrentBuildsPerBranch": 1, "triggerType": "continuousIntegration",
                ]
            ],
            "variables": ["system.debug": ["value": "false", "allowOverride": true]],
            "_links": [
                "self": ["href": .string(url)],
                "web": ["href": .string("\(base)/_build/definition?definitionId=\(pipeline.id)")],
                "badge": ["href": .string("\(base)/_apis/build/status/\(pipeline.id)")],
            ],
            "buildNumberFormat": "$(date:yyyyMMdd)$(rev:.r)", "jobAuthorizationScope": .string(scope),
            "jobTimeoutInMinutes": 60, "jobCancelTimeoutInMinutes": 5, "badgeEnabled": false, "process": process,
            "repository": [
                "properties": ["cleanOptions": "0", "reportBuildStatus": "true", "fetchDepth": "1"],
                "id": .string(repository.id), "type": "TfsGit", "name": .string(repository.name),
                "url": .string("https://\(org)@dev.azure.com/\(org)/\(project.name)/_git/\(repository.name)"),
                "defaultBranch": "refs/heads/main", "clean": nil, "checkoutSubmodules": false,
            ],
            "quality": "definition",
            "queue": [
                "id": .int(10 + project.index), "name": "Azure Pipelines",
                "pool": ["id": 9, "name": "Azure Pipelines", "isHosted": true],
            ],
            "id": .int(pipeline.id), "name": .string(pipeline.name), "url": .string(url),
            "uri": .string("vstfs:///Build/Definition/\(pipeline.id)"), "path": .string(pipeline.path),
            "type": "build", "queueStatus": "enabled", "revision": .int(pipeline.revision),
            "createdDate": "2026-10-02T11:20:00.000Z", "project": projectReference(project),
        ]
    }

    /// The compiled YAML of every YAML pipeline, at its `yamlFilename` in its repository (`files`).
    var files: [(key: String, text: String)] {
        layout.pipelines.compactMap { pipeline in
            guard let yaml = pipeline.yamlFilename else { return nil }
            let project = layout.projects[pipeline.projectIndex]
            let repository = project.repositories[pipeline.repositoryIndex]
            var lines = [
                "# \(pipeline.name): generated by ado-emulator generate", "trigger:", "  branches:", "    include:",
                "      - main", "pool:", "  vmImage: ubuntu-latest",
            ]
            if let cross = pipeline.crossProject {
                let other = layout.projects[cross.projectIndex]
                lines += [
                    "resources:", "  repositories:", "    - repository: shared", "      type: git",
                    "      name: \(other.name)/\(other.repositories[cross.repositoryIndex].name)",
                    "      ref: refs/heads/main",
                ]
            }
            lines += ["steps:", "  - checkout: self"]
            if pipeline.crossProject != nil { lines.append("  - checkout: shared") }
            lines += [
                "  - script: ./build.sh", "    displayName: Build", "    env:",
                "      SYSTEM_ACCESSTOKEN: $(System.AccessToken)",
            ]
            return ("\(project.name)/\(repository.name)/\(yaml)", lines.joined(separator: "\n") + "\n")
        }
    }

    static func generalSettings(
        enforceJobAuthScope: Bool = false,
        referencedRepos: Bool = false,
        releases: Bool = false
    ) -> JSON {
        [
            "auditEnforceSettableVar": false, "buildsEnabledForForks": true,
            "disableClassicBuildPipelineCreation": false, "disableClassicPipelineCreation": false,
            "disableClassicReleasePipelineCreation": false, "enableShellTasksArgsSanitizing": false,
            "enableShellTasksArgsSanitizingAudit": false, "enforceJobAuthScope": .bool(enforceJobAuthScope),
            "enforceJobAuthScopeForForks": true, "enforceJobAuthScopeForReleases": .bool(releases),
            "enforceNoAccessToSecretsFromForks": true, "enforceReferencedRepoScopedToken": .bool(referencedRepos),
            "enforceSettableVar": false, "forkProtectionEnabled": true, "isCommentRequiredForPullRequest": false,
            "publishPipelineMetadata": false, "requireCommentsForNonTeamMemberAndNonContributors": false,
            "requireCommentsForNonTeamMembersOnly": false, "statusBadgesArePrivate": true,
        ]
    }

    var pipelineSettings: JSON {
        var projects = JSONObject()
        for project in layout.projects {
            projects[project.id] = Self.generalSettings(
                enforceJobAuthScope: project.enforceJobAuthScope,
                referencedRepos: project.enforceReferencedRepoScopedToken,
                releases: project.enforceJobAuthScopeForReleases
            )
        }
        return ["organization": Self.generalSettings(), "projects": .object(projects)]
    }

    var serviceEndpoints: [JSON] {
        layout.projects.flatMap { project in
            project.endpoints.map { endpoint -> JSON in
                [
                    "data": [
                        "environment": "AzureCloud", "scopeLevel": "Subscription",
                        "subscriptionId": .string(layout.choose.guid("subscription/\(project.name)")),
                        "subscriptionName": .string("\(project.name.lowercased())-subscription"),
                        "creationMode": "Manual",
                    ],
                    "id": .string(endpoint.id), "name": .string(endpoint.name), "type": "azurerm",
                    "url": "https://management.azure.com/",
                    "description": .string(endpoint.writes ? "Deployments of \(project.name)" : "Read-only access"),
                    "authorization": [
                        "parameters": [
                            "tenantid": .string(layout.tenantId), "serviceprincipalid": .string(endpoint.applicationId),
                            "workloadIdentityFederationIssuer":
                                .string("https://login.microsoftonline.com/\(layout.tenantId)/v2.0"),
                            "workloadIdentityFederationSubject":
                                .string("sc://\(layout.spec.organization)/\(project.name)/\(endpoint.name)"),
                        ],
                        "scheme": "WorkloadIdentityFederation",
                    ],
                    "isShared": false, "isReady": true, "owner": "library",
                    "serviceEndpointProjectReferences": [
                        [
                            "projectReference": ["id": .string(project.id), "name": .string(project.name)],
                            "name": .string(endpoint.name), "description": "",
                        ]
                    ],
                ]
            }
        }
    }

    var areas: JSON {
        var object = JSONObject()
        for project in layout.projects {
            object[project.id] = [
                "id": .int(project.areaNodeId), "identifier": .string(project.areaId), "name": .string(project.name),
                "structureType": "area", "hasChildren": false, "path": .string("\\\(project.name)\\Area"),
                "url": .string("\(layout.organizationURL)/\(project.id)/_apis/wit/classificationNodes/Areas"),
            ]
        }
        return .object(object)
    }
}
