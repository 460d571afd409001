#!/usr/bin/env python3
"""Writes examples/contoso/snapshot.json, the example organization of docs/example-org.md.

Deterministic: every id not fixed by docs/example-org.md is derived from a name (uuid5 / hashed SIDs), so running
the script again gives the same bytes. The committed snapshot.json is what the tests use; this script is how it is
kept correct. Shapes follow docs/snapshot.md and the ADO wire format (reference/ado-rest.md): identity descriptors
as `Type;Identifier` strings, `$type/$value` identity properties, ACE dictionaries keyed by descriptor, no
`{count, value}` envelopes inside members.

    python3 examples/contoso/make-snapshot.py            # rewrites snapshot.json next to this script
"""

import base64
import hashlib
import json
import os
import uuid

from namespaces import NAMESPACES, all_bits

HERE = os.path.dirname(os.path.abspath(__file__))

ORG = "contoso"
ORG_URL = "https://dev.azure.com/contoso"
VSSPS_URL = "https://vssps.dev.azure.com/contoso"
COLLECTION_ID = "5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10"
HOST_ID = "7f3c2a91-6b4d-4e2a-8c1f-9a0b1c2d3e4f"
TENANT_ID = "3c8e1f2a-5b6d-4c7e-8f9a-0b1c2d3e4f50"
CAPTURED_AT = "2026-11-24T00:00:00Z"
ID_NAMESPACE = uuid.UUID("0e6f3f1c-6c1a-4b7e-9d2a-2f4b8c9d0e11")

NS_GIT = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
NS_PROJECT = "52d39943-cb85-4d7f-8fa8-c6baac873819"
NS_COLLECTION = "3e65f728-f8bc-4ecd-8764-7e378b19bfa7"
NS_PROCESS = "2dab47f9-bd70-49ed-9bd5-8eb051e59c02"
NS_BUILD = "33344d9c-fc72-4d6f-aba5-fa317101a7e9"
NS_CSS = "83e28ad4-2d72-4ceb-97b0-c7726d5502c3"
NS_SERVICE_ENDPOINTS = "49b48001-ca20-4adc-8111-5b60c903a50c"
NS_BUILD_ADMIN = "302acaca-b667-436d-a946-87133492041c"


def gid(name):
    """A stable GUID for anything docs/example-org.md does not pin."""
    return str(uuid.uuid5(ID_NAMESPACE, "contoso/" + name))


def b64url(text):
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def sid_domain(name):
    digest = hashlib.sha256(("sid/" + name).encode()).digest()
    parts = [int.from_bytes(digest[i:i + 4], "big") for i in range(0, 16, 4)]
    return "S-1-9-1551374245-" + "-".join(str(p) for p in parts)


def sid_suffix(name):
    digest = hashlib.sha256(("rid/" + name).encode()).digest()
    return "-1-" + "-".join(str(int.from_bytes(digest[i:i + 4], "big")) for i in range(0, 16, 4))


def prop(value, kind="System.String"):
    return {"$type": kind, "$value": value}


def links(**hrefs):
    return {key: {"href": href} for key, href in hrefs.items()}


# ---------------------------------------------------------------------------------------------------------------
# Projects

PROJECTS = [
    {"name": "Payments", "id": "a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f", "visibility": "private",
     "description": "Payment services and their pipelines", "revision": 412},
    {"name": "Shared", "id": "b7956b12-4d3c-4e6f-9081-2b3c4d5e6f70", "visibility": "private",
     "description": "Shared libraries and pipeline templates", "revision": 388},
    {"name": "OpenSource", "id": "c8a67c23-5e4d-4f70-a192-3c4d5e6f7081", "visibility": "public",
     "description": "Open-source libraries", "revision": 201},
]
PROJECT = {p["name"]: p for p in PROJECTS}


def project_reference(p):
    return {
        "id": p["id"],
        "name": p["name"],
        "description": p["description"],
        "url": f"{ORG_URL}/_apis/projects/{p['id']}",
        "state": "wellFormed",
        "revision": p["revision"],
        "visibility": p["visibility"],
        "lastUpdateTime": "2026-11-20T08:30:00Z",
    }


def project_ref_short(p):
    return {"id": p["id"], "name": p["name"], "url": f"{ORG_URL}/_apis/projects/{p['id']}", "state": "wellFormed",
            "revision": p["revision"], "visibility": p["visibility"], "lastUpdateTime": "2026-11-20T08:30:00Z"}


# ---------------------------------------------------------------------------------------------------------------
# Identities (identity descriptors), graph subjects, memberships

identities = []
graph_users = []
graph_groups = []
graph_sps = []
memberships = []
descriptor_of = {}


def graph_links(kind, descriptor, avatar=False):
    base = f"{VSSPS_URL}/_apis/Graph"
    result = {
        "self": {"href": f"{base}/{kind}/{descriptor}"},
        "memberships": {"href": f"{base}/Memberships/{descriptor}"},
        "membershipState": {"href": f"{base}/MembershipStates/{descriptor}"},
        "storageKey": {"href": f"{base}/StorageKeys/{descriptor}"},
    }
    if avatar:
        result["avatar"] = {"href": f"{ORG_URL}/_apis/GraphProfile/MemberAvatars/{descriptor}"}
    return result


def add_group(key, scope_name, group_name, sid, description, domain, special="Generic", scope_id=None):
    descriptor = f"Microsoft.TeamFoundation.Identity;{sid}"
    subject = "vssgp." + b64url(sid)
    vsid = gid("identity/" + key)
    properties = {
        "SchemaClassName": prop("Group"),
        "Description": prop(description),
        "Domain": prop(domain),
        "Account": prop(group_name),
        "SecurityGroup": prop("SecurityGroup"),
        "SpecialType": prop(special),
        "ScopeId": prop(scope_id or COLLECTION_ID, "System.Guid"),
        "ScopeType": prop("ServiceHost" if scope_id is None else "TeamProject"),
        "LocalScopeId": prop(scope_id or COLLECTION_ID, "System.Guid"),
        "SecuringHostId": prop(COLLECTION_ID, "System.Guid"),
        "ScopeName": prop(scope_name),
        "GlobalScope": prop("GlobalScope" if scope_id is None else ""),
        "VirtualPlugin": prop(""),
    }
    identities.append({
        "id": vsid,
        "descriptor": descriptor,
        "subjectDescriptor": subject,
        "providerDisplayName": f"[{scope_name}]\\{group_name}",
        "isActive": True,
        "isContainer": True,
        "properties": properties,
        "resourceVersion": 2,
        "metaTypeId": 255,
    })
    graph_groups.append({
        "subjectKind": "group",
        "description": description,
        "domain": domain,
        "principalName": f"[{scope_name}]\\{group_name}",
        "mailAddress": None,
        "origin": "vsts",
        "originId": vsid,
        "displayName": group_name,
        "_links": graph_links("Groups", subject),
        "url": f"{VSSPS_URL}/_apis/Graph/Groups/{subject}",
        "descriptor": subject,
    })
    descriptor_of[key] = descriptor
    return descriptor


def add_user(key, upn, display_name):
    descriptor = f"Microsoft.IdentityModel.Claims.ClaimsIdentity;{TENANT_ID}\\{upn}"
    subject = "aad." + b64url(gid("aad-subject/" + upn))
    object_id = gid("aad-object/" + upn)
    alias = upn.split("@")[0]
    identities.append({
        "id": gid("identity/" + key),
        "descriptor": descriptor,
        "subjectDescriptor": subject,
        "providerDisplayName": display_name,
        "isActive": True,
        "properties": {
            "SchemaClassName": prop("User"),
            "Description": prop(""),
            "Domain": prop(TENANT_ID),
            "Account": prop(upn),
            "DN": prop(""),
            "Mail": prop(upn),
            "SpecialType": prop("Generic"),
            "Alias": prop(alias),
            "DirectoryAlias": prop(alias),
            "PUID": prop("aad:" + hashlib.sha256(upn.encode()).hexdigest()[:16].upper()),
            "http://schemas.microsoft.com/identity/claims/objectidentifier": prop(object_id),
        },
        "resourceVersion": 2,
        "metaTypeId": 0,
    })
    graph_users.append({
        "subjectKind": "user",
        "metaType": "member",
        "directoryAlias": alias,
        "domain": TENANT_ID,
        "principalName": upn,
        "mailAddress": upn,
        "origin": "aad",
        "originId": object_id,
        "displayName": display_name,
        "_links": graph_links("Users", subject, avatar=True),
        "url": f"{VSSPS_URL}/_apis/Graph/Users/{subject}",
        "descriptor": subject,
    })
    descriptor_of[key] = descriptor
    return descriptor


def add_build_service(key, scope_guid, display_name):
    identifier = f"{HOST_ID}:Build:{scope_guid}"
    descriptor = f"Microsoft.TeamFoundation.ServiceIdentity;{identifier}"
    subject = "svc." + b64url(identifier)
    vsid = gid("identity/" + key)
    identities.append({
        "id": vsid,
        "descriptor": descriptor,
        "subjectDescriptor": subject,
        "providerDisplayName": scope_guid,
        "customDisplayName": display_name,
        "isActive": True,
        "properties": {
            "SchemaClassName": prop("User"),
            "Description": prop(""),
            "Domain": prop("Build"),
            "Account": prop(scope_guid),
            "SpecialType": prop("Generic"),
        },
        "resourceVersion": 2,
        "metaTypeId": 255,
    })
    graph_users.append({
        "subjectKind": "user",
        "directoryAlias": None,
        "domain": "Build",
        "principalName": scope_guid,
        "mailAddress": "",
        "origin": "vsts",
        "originId": vsid,
        "displayName": display_name,
        "_links": graph_links("Users", subject, avatar=True),
        "url": f"{VSSPS_URL}/_apis/Graph/Users/{subject}",
        "descriptor": subject,
    })
    descriptor_of[key] = descriptor
    return descriptor


SPN_APP_ID = "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
SPN_OBJECT_ID = gid("aad-object/ado-aw-write")
READ_APP_ID = gid("aad-app/ado-aw-read")


def add_service_principal(key, display_name, app_id, object_id):
    descriptor = f"Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;{TENANT_ID}\\{object_id}"
    subject = "aadsp." + b64url(gid("aadsp-subject/" + key))
    identities.append({
        "id": gid("identity/" + key),
        "descriptor": descriptor,
        "subjectDescriptor": subject,
        "providerDisplayName": display_name,
        "isActive": True,
        "properties": {
            "SchemaClassName": prop("User"),
            "Description": prop(""),
            "Domain": prop(TENANT_ID),
            "Account": prop(object_id),
            "SpecialType": prop("Generic"),
            "http://schemas.microsoft.com/identity/claims/objectidentifier": prop(object_id),
        },
        "resourceVersion": 2,
        "metaTypeId": 0,
    })
    graph_sps.append({
        "subjectKind": "servicePrincipal",
        "applicationId": app_id,
        "directoryAlias": object_id,
        "domain": TENANT_ID,
        "principalName": object_id,
        "mailAddress": None,
        "origin": "aad",
        "originId": object_id,
        "displayName": display_name,
        "_links": graph_links("ServicePrincipals", subject, avatar=True),
        "url": f"{VSSPS_URL}/_apis/Graph/ServicePrincipals/{subject}",
        "descriptor": subject,
    })
    descriptor_of[key] = descriptor
    return descriptor


ORG_DOMAIN = f"vstfs:///Framework/IdentityDomain/{COLLECTION_ID}"
ORG_SID = sid_domain("org")
add_group("pca", ORG, "Project Collection Administrators", ORG_SID + "-0-0-0-0-1",
          "Members of this application group can perform all privileged operations on the Team Project Collection.",
          ORG_DOMAIN, special="AdministrativeApplicationGroup")
add_group("pcvu", ORG, "Project Collection Valid Users", ORG_SID + "-0-0-0-0-3",
          "This application group contains all users and groups that have access to the Team Project Collection.",
          ORG_DOMAIN, special="EveryoneApplicationGroup")
add_group("pcbsa", ORG, "Project Collection Build Service Accounts", ORG_SID + "-0-0-0-1-1",
          "Members of this group should include accounts for people and services that run builds.",
          ORG_DOMAIN, special="ServiceApplicationGroup")

PROJECT_GROUPS = [
    ("pa", "Project Administrators", "-0-0-0-0-1",
     "Members of this group can perform all operations in the team project.", "AdministrativeApplicationGroup"),
    ("contributors", "Contributors", None,
     "Members of this group can add, modify, and delete items within the team project.", "Generic"),
    ("readers", "Readers", None, "Members of this group have access to the team project.", "Generic"),
    ("ba", "Build Administrators", None,
     "Members of this group can create, modify and delete build definitions and manage queued and completed builds.",
     "Generic"),
    ("pvu", "Project Valid Users", "-0-0-0-0-3",
     "This application group contains all users and groups that have access to the team project.",
     "EveryoneApplicationGroup"),
]
for p in PROJECTS:
    domain = f"vstfs:///Classification/TeamProject/{p['id']}"
    psid = sid_domain("project/" + p["name"])
    for short, name, suffix, description, special in PROJECT_GROUPS:
        sid = psid + (suffix or sid_suffix(p["name"] + "/" + name))
        add_group(f"{p['name']}/{short}", p["name"], name, sid, description, domain, special=special, scope_id=p["id"])

add_build_service("pcbs", COLLECTION_ID, f"Project Collection Build Service ({ORG})")
for p in PROJECTS:
    add_build_service(f"{p['name']}/bs", p["id"], f"{p['name']} Build Service ({ORG})")

add_user("alice", "alice@contoso.com", "Alice Admin")
add_user("bob", "bob@contoso.com", "Bob Contributor")
add_user("carol", "carol@contoso.com", "Carol Reader")
add_user("backup", "backup@contoso.com", "Xopero Backup")
add_service_principal("spn-write", "ado-aw-write", SPN_APP_ID, SPN_OBJECT_ID)


def member(member_key, container_key):
    memberships.append({"member": descriptor_of[member_key], "container": descriptor_of[container_key]})


member("pcbs", "pcbsa")
for p in PROJECTS:
    member(f"{p['name']}/bs", "pcbsa")
member("alice", "pca")
member("bob", "Payments/contributors")
member("carol", "Payments/readers")
member("backup", "pcvu")
member("spn-write", "Payments/readers")
for p in PROJECTS:
    for short in ("pa", "contributors", "readers", "ba"):
        member(f"{p['name']}/{short}", f"{p['name']}/pvu")
    member(f"{p['name']}/pvu", "pcvu")
member("pcbsa", "pcvu")
member("pcbsa", "Payments/pvu")
member("pcbsa", "Shared/pvu")

# ---------------------------------------------------------------------------------------------------------------
# Repositories, wikis, files

REPOS = [
    ("Payments", "payments-api", 1_843_221),
    ("Payments", "payments-docs", 204_113),
    ("Payments", "Payments.wiki", 48_002),
    ("Shared", "payments-sdk", 733_540),
    ("Shared", "pipeline-templates", 65_408),
    ("Shared", "Shared.wiki", 21_775),
    ("OpenSource", "oss-lib", 412_907),
]
REPO_ID = {}
repositories = []
for project_name, repo_name, size in REPOS:
    p = PROJECT[project_name]
    rid = gid(f"repo/{project_name}/{repo_name}")
    REPO_ID[(project_name, repo_name)] = rid
    is_wiki = repo_name.endswith(".wiki")
    repositories.append({
        "id": rid,
        "name": repo_name,
        "url": f"{ORG_URL}/{p['id']}/_apis/git/repositories/{rid}",
        "project": project_ref_short(p),
        "defaultBranch": "refs/heads/wikiMaster" if is_wiki else "refs/heads/main",
        "size": size,
        "remoteUrl": f"https://contoso@dev.azure.com/contoso/{project_name}/_git/{repo_name}",
        "sshUrl": f"git@ssh.dev.azure.com:v3/contoso/{project_name}/{repo_name}",
        "webUrl": f"{ORG_URL}/{project_name}/_git/{repo_name}",
        "isDisabled": False,
        "isInMaintenance": False,
    })

wikis = []
for project_name in ("Payments", "Shared"):
    p = PROJECT[project_name]
    name = f"{project_name}.wiki"
    rid = REPO_ID[(project_name, name)]
    wid = gid(f"wiki/{project_name}")
    wikis.append({
        "id": wid,
        "versions": [{"version": "wikiMaster"}],
        "url": f"{ORG_URL}/{p['id']}/_apis/wiki/wikis/{wid}",
        "remoteUrl": f"{ORG_URL}/{project_name}/_wiki/wikis/{wid}",
        "type": "projectWiki",
        "name": name,
        "projectId": p["id"],
        "repositoryId": rid,
        "mappedPath": "/",
    })

files = {}
files_root = os.path.join(HERE, "files")
for directory, _, names in os.walk(files_root):
    for file_name in names:
        full = os.path.join(directory, file_name)
        key = os.path.relpath(full, files_root).replace(os.sep, "/")
        with open(full, encoding="utf-8") as handle:
            files[key] = handle.read()

# ---------------------------------------------------------------------------------------------------------------
# Build definitions

QUEUE = {"Payments": 31, "Shared": 44, "OpenSource": 52}


def definition(project_name, def_id, name, path, repo_name, yaml_file=None, scope="projectCollection", revision=3):
    p = PROJECT[project_name]
    rid = REPO_ID[(project_name, repo_name)]
    url = f"{ORG_URL}/{p['id']}/_apis/build/Definitions/{def_id}?revision={revision}"
    web = f"{ORG_URL}/{p['id']}/_build/definition?definitionId={def_id}"
    if yaml_file is not None:
        process = {"yamlFilename": yaml_file, "type": 2}
    else:
        process = {
            "phases": [{
                "steps": [{
                    "environment": {}, "enabled": True, "continueOnError": False, "alwaysRun": False,
                    "displayName": "Deploy canary", "timeoutInMinutes": 0, "retryCountOnTaskFailure": 0,
                    "condition": "succeeded()",
                    "task": {"id": "6c731c3c-3c68-459a-a5c9-bde6e6595b5b", "versionSpec": "3.*", "definitionType": "task"},
                    "inputs": {"targetType": "inline", "script": "./deploy.sh --ring canary"},
                }],
                "name": "Job_1", "refName": "Job_1", "condition": "succeeded()",
                "target": {"executionOptions": {"type": 0}, "allowScriptsAuthAccessOption": True, "type": 1},
                "jobAuthorizationScope": scope,
            }],
            "target": {"agentSpecification": {"identifier": "ubuntu-latest"}},
            "type": 1,
        }
    return {
        "options": [],
        "triggers": [{"branchFilters": ["+refs/heads/main"], "pathFilters": [], "batchChanges": False,
                      "maxConcurrentBuildsPerBranch": 1, "triggerType": "continuousIntegration"}],
        "variables": {"system.debug": {"value": "false", "allowOverride": True}},
        "properties": {},
        "tags": [],
        "_links": links(self=url, web=web, editor=f"{ORG_URL}/{p['id']}/_build/designer?id={def_id}&_a=edit-build-definition",
                        badge=f"{ORG_URL}/{p['id']}/_apis/build/status/{def_id}"),
        "buildNumberFormat": "$(date:yyyyMMdd)$(rev:.r)",
        "jobAuthorizationScope": scope,
        "jobTimeoutInMinutes": 60,
        "jobCancelTimeoutInMinutes": 5,
        "badgeEnabled": False,
        "process": process,
        "repository": {
            "properties": {"cleanOptions": "0", "labelSources": "0", "labelSourcesFormat": "$(build.buildNumber)",
                           "reportBuildStatus": "true", "gitLfsSupport": "false", "skipSyncSource": "false",
                           "checkoutNestedSubmodules": "false", "fetchDepth": "1"},
            "id": rid,
            "type": "TfsGit",
            "name": repo_name,
            "url": f"https://contoso@dev.azure.com/contoso/{project_name}/_git/{repo_name}",
            "defaultBranch": "refs/heads/main",
            "clean": None,
            "checkoutSubmodules": False,
        },
        "processParameters": {},
        "quality": "definition",
        "authoredBy": {"displayName": "Alice Admin", "id": gid("identity/alice"), "uniqueName": "alice@contoso.com",
                       "descriptor": "aad." + b64url(gid("aad-subject/alice@contoso.com"))},
        "drafts": [],
        "queue": {"_links": links(self=f"{ORG_URL}/_apis/build/Queues/{QUEUE[project_name]}"),
                  "id": QUEUE[project_name], "name": "Azure Pipelines",
                  "url": f"{ORG_URL}/_apis/build/Queues/{QUEUE[project_name]}",
                  "pool": {"id": 9, "name": "Azure Pipelines", "isHosted": True}},
        "id": def_id,
        "name": name,
        "url": url,
        "uri": f"vstfs:///Build/Definition/{def_id}",
        "path": path,
        "type": "build",
        "queueStatus": "enabled",
        "revision": revision,
        "createdDate": "2026-10-02T11:20:00.000Z",
        "project": project_ref_short(p),
    }


build_definitions = [
    definition("Payments", 11, "payments-ci", "\\", "payments-api", "azure-pipelines.yml", revision=7),
    definition("Payments", 12, "payments-pr-reviewer", "\\agents", "payments-api", "agents/pr-reviewer.lock.yml"),
    definition("Payments", 13, "ops-triage", "\\agents", "payments-api", "agents/ops-triage.lock.yml"),
    definition("Payments", 14, "sdk-sync", "\\agents", "payments-api", "agents/sdk-sync.lock.yml"),
    definition("Payments", 57, "Deploy-Canary", "\\Release", "payments-api", None, scope="projectCollection",
               revision=12),
    definition("Shared", 2560, "Payments-CI", "\\", "payments-sdk", "azure-pipelines.yml", revision=21),
    definition("Shared", 2570, "shared-docs-bot", "\\", "pipeline-templates", "agents/docs-bot.lock.yml"),
    definition("OpenSource", 3001, "oss-ci", "\\", "oss-lib", "azure-pipelines.yml", revision=5),
]

# ---------------------------------------------------------------------------------------------------------------
# Pipeline settings


def general_settings(enforce_job_scope=False):
    return {
        "auditEnforceSettableVar": False,
        "buildsEnabledForForks": True,
        "disableClassicBuildPipelineCreation": False,
        "disableClassicPipelineCreation": False,
        "disableClassicReleasePipelineCreation": False,
        "enableShellTasksArgsSanitizing": False,
        "enableShellTasksArgsSanitizingAudit": False,
        "enforceJobAuthScope": enforce_job_scope,
        "enforceJobAuthScopeForForks": True,
        "enforceJobAuthScopeForReleases": False,
        "enforceNoAccessToSecretsFromForks": True,
        "enforceReferencedRepoScopedToken": False,
        "enforceSettableVar": False,
        "forkProtectionEnabled": True,
        "isCommentRequiredForPullRequest": False,
        "publishPipelineMetadata": False,
        "requireCommentsForNonTeamMemberAndNonContributors": False,
        "requireCommentsForNonTeamMembersOnly": False,
        "statusBadgesArePrivate": True,
    }


pipeline_settings = {
    "organization": general_settings(),
    "projects": {
        PROJECT["Payments"]["id"]: general_settings(),
        PROJECT["Shared"]["id"]: general_settings(enforce_job_scope=True),
        PROJECT["OpenSource"]["id"]: general_settings(),
    },
}

# ---------------------------------------------------------------------------------------------------------------
# Service endpoints


def azurerm_endpoint(name, app_id, description):
    eid = gid("endpoint/" + name)
    payments = PROJECT["Payments"]
    return {
        "data": {
            "environment": "AzureCloud",
            "scopeLevel": "Subscription",
            "subscriptionId": "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e",
            "subscriptionName": "contoso-automation",
            "creationMode": "Manual",
        },
        "id": eid,
        "name": name,
        "type": "azurerm",
        "url": "https://management.azure.com/",
        "createdBy": {"displayName": "Alice Admin", "id": gid("identity/alice"), "uniqueName": "alice@contoso.com"},
        "description": description,
        "authorization": {
            "parameters": {
                "tenantid": TENANT_ID,
                "serviceprincipalid": app_id,
                "workloadIdentityFederationIssuer": "https://login.microsoftonline.com/" + TENANT_ID + "/v2.0",
                "workloadIdentityFederationSubject": f"sc://contoso/Payments/{name}",
            },
            "scheme": "WorkloadIdentityFederation",
        },
        "isShared": False,
        "isReady": True,
        "owner": "library",
        "serviceEndpointProjectReferences": [{
            "projectReference": {"id": payments["id"], "name": payments["name"]},
            "name": name,
            "description": description,
        }],
    }


service_endpoints = [
    azurerm_endpoint("ado-aw-read", READ_APP_ID, "ado-aw Stage 1 read token"),
    azurerm_endpoint("ado-aw-write", SPN_APP_ID, "ado-aw Stage 3 write token"),
]

# ---------------------------------------------------------------------------------------------------------------
# Areas (classification nodes)

AREA_NODE_ID = {"Payments": 101, "Payments/Ops": 102, "Payments/Web": 103, "Shared": 201, "OpenSource": 301}
AREA_GUID = {key: gid("area/" + key) for key in AREA_NODE_ID}


def area_node(project_name, sub=None):
    p = PROJECT[project_name]
    key = project_name if sub is None else f"{project_name}/{sub}"
    path = f"\\{project_name}\\Area" + ("" if sub is None else f"\\{sub}")
    suffix = "" if sub is None else f"/{sub}"
    return {
        "id": AREA_NODE_ID[key],
        "identifier": AREA_GUID[key],
        "name": project_name if sub is None else sub,
        "structureType": "area",
        "hasChildren": False,
        "path": path,
        "url": f"{ORG_URL}/{p['id']}/_apis/wit/classificationNodes/Areas{suffix}",
    }


areas = {}
payments_root = area_node("Payments")
payments_root["hasChildren"] = True
payments_root["children"] = [area_node("Payments", "Ops"), area_node("Payments", "Web")]
areas[PROJECT["Payments"]["id"]] = payments_root
areas[PROJECT["Shared"]["id"]] = area_node("Shared")
areas[PROJECT["OpenSource"]["id"]] = area_node("OpenSource")


def css_token(*keys):
    return ":".join(f"vstfs:///Classification/Node/{AREA_GUID[k]}" for k in keys)


# ---------------------------------------------------------------------------------------------------------------
# ACLs (docs/example-org.md "ACLs (the situations)")

acls = {}


def ace(key, allow=0, deny=0):
    d = descriptor_of[key]
    return d, {"descriptor": d, "allow": allow, "deny": deny}


def acl(namespace_id, token, *entries, inherit=True):
    acls.setdefault(namespace_id, []).append({
        "inheritPermissions": inherit,
        "token": token,
        "acesDictionary": dict(entries),
    })


GIT_ALL = all_bits("Git Repositories")
CONTRIBUTE = 2 | 4 | 16 | 32 | 64 | 16384  # 16502: Read, Contribute, CreateBranch, CreateTag, ManageNote, PR
acl(NS_GIT, "repoV2", ace("pca", allow=GIT_ALL))
for p in PROJECTS:
    n = p["name"]
    acl(NS_GIT, f"repoV2/{p['id']}",
        ace(f"{n}/pa", allow=GIT_ALL),
        ace(f"{n}/contributors", allow=CONTRIBUTE),
        ace(f"{n}/readers", allow=2),
        ace("pcbs", allow=CONTRIBUTE),
        ace(f"{n}/bs", allow=CONTRIBUTE))
# The seed: ado-aw's TF401027 (PullRequestContribute | CreateBranch | GenericContribute denied on payments-api).
acl(NS_GIT, f"repoV2/{PROJECT['Payments']['id']}/{REPO_ID[('Payments', 'payments-api')]}",
    ace("pcbs", deny=16384 | 16 | 4))

PROJECT_ALL = all_bits("Project")
acl(NS_PROJECT, "$PROJECT", ace("pca", allow=PROJECT_ALL))
for p in PROJECTS:
    n = p["name"]
    acl(NS_PROJECT, f"$PROJECT:vstfs:///Classification/TeamProject/{p['id']}",
        ace(f"{n}/pa", allow=PROJECT_ALL),
        ace(f"{n}/contributors", allow=1 | 8 | 512),
        ace(f"{n}/readers", allow=1 | 512),
        ace(f"{n}/pvu", allow=1),
        ace("pcbs", allow=1),
        ace(f"{n}/bs", allow=1))

BUILD_ALL = all_bits("Build")
for p in PROJECTS:
    n = p["name"]
    entries = [ace("pca", allow=BUILD_ALL), ace(f"{n}/pa", allow=BUILD_ALL),
               ace(f"{n}/ba", allow=BUILD_ALL & ~16384)]
    if n == "Payments":
        entries += [ace("Payments/contributors", allow=1 | 128 | 1024), ace("Payments/bs", allow=1 | 128)]
    acl(NS_BUILD, p["id"], *entries)

CSS_ALL = all_bits("CSS")
for p in PROJECTS:
    n = p["name"]
    entries = [ace("pca", allow=CSS_ALL), ace(f"{n}/pa", allow=CSS_ALL)]
    if n == "Payments":
        entries += [ace("Payments/contributors", allow=16 | 32 | 512), ace("pcbs", allow=16 | 32),
                    ace("Payments/bs", allow=16 | 32)]
    acl(NS_CSS, css_token(n), *entries)

acl(NS_COLLECTION, "NAMESPACE:", ace("pca", allow=all_bits("Collection")), ace("pcvu", allow=1))
acl(NS_PROCESS, "$PROCESS", ace("pca", allow=all_bits("Process")))
acl(NS_BUILD_ADMIN, "BuildPrivileges", ace("pca", allow=all_bits("BuildAdministration")))
for p in PROJECTS:
    acl(NS_SERVICE_ENDPOINTS, f"endpoints/{p['id']}",
        ace("pca", allow=all_bits("ServiceEndpoints")), ace(f"{p['name']}/pa", allow=all_bits("ServiceEndpoints")))

# ---------------------------------------------------------------------------------------------------------------
# Credentials (emulator only; obviously fake)

credentials = [
    {"token": "fake-pat-alice-admin", "kind": "pat", "identity": descriptor_of["alice"], "scopes": ["vso.code_manage",
     "vso.project_manage", "vso.security_manage", "vso.build_execute", "vso.graph_manage", "vso.identity_manage",
     "vso.serviceendpoint_manage", "vso.work_full", "vso.wiki_write"]},
    {"token": "fake-pat-bob-contributor", "kind": "pat", "identity": descriptor_of["bob"],
     "scopes": ["vso.code_write", "vso.build_execute", "vso.work_write", "vso.project", "vso.security_manage"]},
    {"token": "fake-pat-carol-reader", "kind": "pat", "identity": descriptor_of["carol"],
     "scopes": ["vso.code", "vso.build", "vso.work", "vso.project"]},
    {"token": "fake-pat-backup-restore", "kind": "pat", "identity": descriptor_of["backup"],
     "scopes": ["vso.project_manage", "vso.code_full", "vso.work_full"]},
    {"token": "fake-bearer-ado-aw-write", "kind": "bearer", "identity": descriptor_of["spn-write"],
     "scopes": ["499b84ac-1321-427f-aa17-267ca6975798/.default"]},
]

# The emulator's state dump lists each namespace's ACLs by canonical token (lower case, no trailing separator);
# writing them in that order makes the dump of an unchanged organization byte-identical to this file.
SEPARATORS = {ns["namespaceId"]: ns["separatorValue"] for ns in NAMESPACES}
for namespace_id, entries in acls.items():
    separator = SEPARATORS[namespace_id]
    entries.sort(key=lambda entry: entry["token"].lower().rstrip(separator).encode("utf-8"))

snapshot = {
    "format": "adoperm-snapshot/1",
    "capturedAt": CAPTURED_AT,
    "organization": {"name": ORG, "url": ORG_URL, "collectionId": COLLECTION_ID, "hostId": HOST_ID,
                     "tenantId": TENANT_ID},
    "securityNamespaces": NAMESPACES,
    "identities": identities,
    "memberships": memberships,
    "graph": {"users": graph_users, "groups": graph_groups, "servicePrincipals": graph_sps},
    "projects": [project_reference(p) for p in PROJECTS],
    "repositories": repositories,
    "wikis": wikis,
    "buildDefinitions": build_definitions,
    "pipelineSettings": pipeline_settings,
    "serviceEndpoints": service_endpoints,
    "areas": areas,
    "acls": acls,
    "files": dict(sorted(files.items())),
    "credentials": credentials,
}

with open(os.path.join(HERE, "snapshot.json"), "w", encoding="utf-8") as out:
    json.dump(snapshot, out, indent=2, ensure_ascii=False, sort_keys=True)
    out.write("\n")
