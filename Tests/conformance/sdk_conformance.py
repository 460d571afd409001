#!/usr/bin/env python3
"""Drives the emulator with Microsoft's own Python SDK (azure-devops 7.1.0b4, v7_1 clients).

Usage: sdk_conformance.py <organization URL>     (run by Tests/ADOEmulatorTests/ConformanceTests.swift)

Every call must deserialize into the SDK's models and return the values of examples/contoso (docs/example-org.md).
Exits non-zero on the first failed check, printing which one.
"""

import os
import sys
import tempfile
import traceback

# The SDK caches resource locations per URL on disk; keep each run's cache private.
os.environ.setdefault("AZURE_DEVOPS_CACHE_DIR", tempfile.mkdtemp(prefix="ado-sdk-cache-"))

from azure.devops.connection import Connection  # noqa: E402
from azure.devops.exceptions import AzureDevOpsServiceError  # noqa: E402
from azure.devops.v7_1.build.models import BuildDefinition  # noqa: E402
from azure.devops.v7_1.security.models import AccessControlEntry  # noqa: E402
from msrest.authentication import BasicAuthentication  # noqa: E402

ORG_URL = sys.argv[1]
ALICE = "fake-pat-alice-admin"
BOB = "fake-pat-bob-contributor"
GIT = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
COLLECTION_ID = "5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10"
HOST_ID = "7f3c2a91-6b4d-4e2a-8c1f-9a0b1c2d3e4f"
TENANT = "3c8e1f2a-5b6d-4c7e-8f9a-0b1c2d3e4f50"
PAYMENTS = "a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f"
PCBS = f"Microsoft.TeamFoundation.ServiceIdentity;{HOST_ID}:Build:{COLLECTION_ID}"
BOB_DESCRIPTOR = f"Microsoft.IdentityModel.Claims.ClaimsIdentity;{TENANT}\\bob@contoso.com"

checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(what)


def connection(pat):
    return Connection(base_url=ORG_URL, creds=BasicAuthentication("", pat))


def security(conn):
    client = conn.clients_v7_1.get_security_client()
    namespaces = client.query_security_namespaces()
    by_id = {ns.namespace_id: ns for ns in namespaces}
    check(GIT in by_id, "Git Repositories namespace listed")
    git = by_id[GIT]
    check(git.name == "Git Repositories" and git.write_permission == 8192 and git.read_permission == 2, "Git namespace fields")
    check(any(a.bit == 16384 and a.name == "PullRequestContribute" for a in git.actions), "Git actions deserialize")
    check(len(client.query_security_namespaces(security_namespace_id=GIT)) == 1, "single namespace query")

    repo_token = None
    git_client = conn.clients_v7_1.get_git_client()
    for repo in git_client.get_repositories(project="Payments"):
        if repo.name == "payments-api":
            repo_token = f"repoV2/{PAYMENTS}/{repo.id}"
    check(repo_token is not None, "payments-api found")

    acls = client.query_access_control_lists(GIT, token=repo_token, descriptors=PCBS, include_extended_info=True)
    check(len(acls) == 1, "one ACL for the repository token")
    ace = acls[0].aces_dictionary[PCBS]
    check(ace.deny == 16404 and ace.allow == 0, f"seed deny 16404 (got allow {ace.allow} deny {ace.deny})")
    info = ace.extended_info
    check(info.effective_deny == 16404, "effectiveDeny 16404")
    check(info.inherited_allow == 16502 & ~16404, f"inheritedAllow from the project level (got {info.inherited_allow})")
    check(info.effective_allow == 16502 & ~16404, "effectiveAllow")

    recursive = client.query_access_control_lists(GIT, token=f"repoV2/{PAYMENTS}", recurse=True)
    check(len(recursive) == 2, f"project token + repo token with recurse (got {len(recursive)})")

    entry = AccessControlEntry(descriptor=BOB_DESCRIPTOR, allow=8, deny=0)
    result = client.set_access_control_entries({"token": repo_token, "merge": True, "accessControlEntries": [entry]}, GIT)
    check(len(result) == 1 and result[0].allow == 8, "set_access_control_entries returns the resulting ACE")
    merged = client.set_access_control_entries(
        {"token": repo_token, "merge": True, "accessControlEntries": [AccessControlEntry(descriptor=BOB_DESCRIPTOR, allow=4, deny=0)]}, GIT)
    check(merged[0].allow == 12, "merge keeps earlier bits")
    check(client.remove_access_control_entries(GIT, token=repo_token, descriptors=BOB_DESCRIPTOR) is True, "remove returns true")
    after = client.query_access_control_lists(GIT, token=repo_token)
    check(BOB_DESCRIPTOR not in after[0].aces_dictionary, "ACE removed")

    check(client.has_permissions(GIT, 8192, tokens=repo_token) == [True], "alice may manage permissions")
    return repo_token


def denied_write(repo_token):
    client = connection(BOB).clients_v7_1.get_security_client()
    try:
        client.set_access_control_entries(
            {"token": repo_token, "merge": True, "accessControlEntries": [AccessControlEntry(descriptor=BOB_DESCRIPTOR, allow=8192, deny=0)]}, GIT)
    except AzureDevOpsServiceError as error:
        check("Manage permissions" in error.message, f"403 names the manage bit: {error.message}")
        return
    check(False, "bob's ACE write was refused")


def identities(conn):
    client = conn.clients_v7_1.get_identity_client()
    found = client.read_identities(descriptors=PCBS)
    check(len(found) == 1 and found[0].custom_display_name == "Project Collection Build Service (contoso)", "build service by descriptor")
    check(found[0].provider_display_name == COLLECTION_ID, "providerDisplayName is the collection id")
    by_mail = client.read_identities(search_filter="General", filter_value="bob@contoso.com", query_membership="Direct")
    check(len(by_mail) == 1 and by_mail[0].provider_display_name == "Bob Contributor", "search by mail")
    check(len(by_mail[0].member_of) == 1, "direct membership of bob")
    by_id = client.read_identities(identity_ids=found[0].id)
    check(len(by_id) == 1, "by identity id")

    graph = conn.clients_v7_1.get_graph_client()
    users, token = [], None
    pages = 0
    while True:
        page = graph.list_users(continuation_token=token)
        users += page.graph_users
        pages += 1
        token = page.continuation_token[0] if isinstance(page.continuation_token, list) else page.continuation_token
        if not token:
            break
    check(len(users) == 8, f"all graph users across pages (got {len(users)})")
    groups = graph.list_groups()
    check(len(groups.graph_groups) > 0, "graph groups")
    sps = graph.list_service_principals()
    check(len(sps.graph_service_principals) == 1 and sps.graph_service_principals[0].application_id == "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
          "service principal with applicationId")
    memberships = graph.list_memberships(sps.graph_service_principals[0].descriptor, direction="up")
    check(len(memberships) == 1, "SPN is in Payments Readers")


def core(conn):
    client = conn.clients_v7_1.get_core_client()
    all_projects = client.get_projects()
    check(sorted(p.name for p in all_projects) == ["OpenSource", "Payments", "Shared"], "three projects")
    paged, token = [], 0
    while True:
        page = client.get_projects(top=1, continuation_token=token)
        if not page:
            break
        paged += page
        token += len(page)
    check([p.name for p in paged] == [p.name for p in all_projects], "paging with $top and integer continuation token")
    check(client.get_project("Payments", include_capabilities=True).capabilities["versioncontrol"]["sourceControlType"] == "Git",
          "project with capabilities")
    visibility = {p.name: p.visibility for p in all_projects}
    check(visibility["OpenSource"] == "public", "public project")


def git(conn):
    client = conn.clients_v7_1.get_git_client()
    org_wide = client.get_repositories()
    check(len(org_wide) == 7, f"org-wide repositories (got {len(org_wide)})")
    check(all(r.is_disabled is False for r in org_wide), "isDisabled present")
    payments = client.get_repositories(project="Payments")
    check(sorted(r.name for r in payments) == ["Payments.wiki", "payments-api", "payments-docs"], "Payments repositories")
    item = client.get_item(repository_id="payments-api", project="Payments", path="/agents/pr-reviewer.md", include_content=True)
    check(item.content.startswith("---\nname: \"Payments PR reviewer\""), "agent file content through the items API")


def build(conn):
    client = conn.clients_v7_1.get_build_client()
    definitions = client.get_definitions("Payments")
    check(sorted(d.id for d in definitions) == [11, 12, 13, 14, 57], "Payments definitions")
    full = client.get_definitions("Payments", include_all_properties=True)
    # The SDK deserializes the list as BuildDefinitionReference (no jobAuthorizationScope field); the Swift tests
    # check the wire form. Here: the full form still deserializes.
    check(sorted(d.id for d in full) == [11, 12, 13, 14, 57], "includeAllProperties list deserializes")
    definition = client.get_definition("Payments", 57)
    check(definition.process["type"] == 1 and definition.job_authorization_scope == "projectCollection", "classic definition 57")
    definition.description = "canary deployment"
    updated = client.update_definition(definition, "Payments", 57)
    check(updated.revision == definition.revision + 1, "update bumps the revision")
    definition.description = "stale"
    try:
        client.update_definition(definition, "Payments", 57)
        check(False, "stale revision refused")
    except AzureDevOpsServiceError as error:
        check("revision" in error.message, f"409 on a stale revision: {error.message}")
    settings = client.get_build_general_settings("Shared")
    check(settings.enforce_job_auth_scope is True, "Shared enforces job scope")


def endpoints(conn):
    client = conn.clients_v7_1.get_service_endpoint_client()
    found = client.get_service_endpoints("Payments")
    check(sorted(e.name for e in found) == ["ado-aw-read", "ado-aw-write"], "service connections")
    write = client.get_service_endpoints_by_names("Payments", ["ado-aw-write"])
    check(len(write) == 1 and write[0].authorization.parameters["serviceprincipalid"] == "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
          "write connection's service principal id")
    details = client.get_service_endpoint_details("Payments", write[0].id)
    check(details.type == "azurerm", "endpoint details")


def main():
    conn = connection(ALICE)
    steps = [("security", lambda: denied_write(security(conn))), ("identities", lambda: identities(conn)),
             ("core", lambda: core(conn)), ("git", lambda: git(conn)), ("build", lambda: build(conn)),
             ("endpoints", lambda: endpoints(conn))]
    for name, step in steps:
        try:
            step()
        except Exception as error:  # report which step and why, then fail
            print(f"FAIL {name}: {error}")
            traceback.print_exc()
            sys.exit(1)
        print(f"ok {name}")
    print(f"conformance: {checks} checks passed")


if __name__ == "__main__":
    main()
