import EmulatorSupport
import Foundation
import Testing

@Suite("Security routes")
struct SecurityRouteTests {
    static let git = Contoso.gitNamespace
    static let bob = Contoso.user("bob@contoso.com")

    @Test func extendedInfoOverHTTPOnAThreeLevelChain() async throws {
        try await withEmulator { emulator in
            let readers = try Ids.group("[Payments]\\Readers")
            let repo = Ids.paymentsAPIToken
            let branch = repo + "/refs/heads/6d00610069006e00"
            // Readers: allow 2 at the project (snapshot); add deny 4 at the repo and allow 16 on the branch.
            _ = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Self.git)",
                json: [
                    "token": repo, "merge": true,
                    "accessControlEntries": [["descriptor": readers, "allow": 0, "deny": 4]],
                ]
            )
            _ = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Self.git)",
                json: [
                    "token": branch, "merge": true,
                    "accessControlEntries": [["descriptor": readers, "allow": 16, "deny": 0]],
                ]
            )
            let query =
                "/_apis/accesscontrollists/\(Self.git)?token=\(branch)&descriptors=\(readers.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&includeExtendedInfo=true"
            let acls = try await emulator.get(query).values()
            try #require(acls.count == 1)
            #expect(acls[0]["includeExtendedInfo"] as? Bool == true)
            let ace = (acls[0]["acesDictionary"] as! [String: [String: Any]])[readers]!
            #expect(ace["allow"] as? Int == 16)
            let info = ace["extendedInfo"] as! [String: Int]
            #expect(info == ["inheritedAllow": 2, "inheritedDeny": 4, "effectiveAllow": 18, "effectiveDeny": 4])

            // Turn inheritance off at the branch: only its own entry remains.
            _ = try await emulator.send(
                "POST",
                "/_apis/accesscontrollists/\(Self.git)",
                json: [
                    "value": [
                        [
                            "token": branch, "inheritPermissions": false,
                            "acesDictionary": [readers: ["descriptor": readers, "allow": 16, "deny": 0]],
                        ]
                    ]
                ]
            )
            let after = try #require(try await emulator.get(query).values().first)
            let infoAfter =
                ((after["acesDictionary"] as! [String: [String: Any]])[readers]!)["extendedInfo"] as! [String: Int]
            #expect(infoAfter == ["effectiveAllow": 16])
            #expect(after["inheritPermissions"] as? Bool == false)
        }
    }

    @Test func descriptorFilterSynthesizesZeroEntries() async throws {
        try await withEmulator { emulator in
            let token = "repoV2/\(Contoso.paymentsProjectId)/\(try Ids.repository("Payments", "payments-docs"))"
            let descriptor = Self.bob.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await emulator.get(
                "/_apis/accesscontrollists/\(Self.git)?token=\(token)&descriptors=\(descriptor)"
            )
            #expect(response.status == 200)
            let acls = try response.values()
            #expect(acls.count == 1)
            #expect(
                acls[0]["acesDictionary"] as? [String: [String: AnyHashable]] == [
                    Self.bob: ["descriptor": Self.bob, "allow": 0, "deny": 0]
                ]
            )
            #expect(acls[0]["includeExtendedInfo"] == nil)
            // Without a descriptor filter, a token with nothing stored has no ACL.
            #expect(try await emulator.get("/_apis/accesscontrollists/\(Self.git)?token=\(token)").values().isEmpty)
        }
    }

    @Test func writeWithoutTheManageBitIsRefusedAndChangesNothing() async throws {
        try await withEmulator { emulator in
            let before = try await emulator.stateDump()
            let response = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Self.git)",
                json: [
                    "token": Ids.paymentsAPIToken, "merge": true,
                    "accessControlEntries": [["descriptor": Self.bob, "allow": 8192, "deny": 0]],
                ],
                pat: Credentials.bobPAT
            )
            #expect(response.status == 403)
            let object = try response.object()
            #expect(object["typeKey"] as? String == "AccessCheckException")
            #expect(
                object["message"] as? String
                    == "Access Denied: Bob Contributor needs the following permission(s) on the resource \(Ids.paymentsAPIToken) to perform this action: Manage permissions"
            )
            for (method, path) in [
                (
                    "DELETE",
                    "/_apis/accesscontrolentries/\(Self.git)?token=\(Ids.paymentsAPIToken)&descriptors=\(Contoso.collectionBuildService)"
                ),
                (
                    "DELETE",
                    "/_apis/permissions/\(Self.git)/16404?token=\(Ids.paymentsAPIToken)&descriptor=\(Contoso.collectionBuildService)"
                ),
                ("DELETE", "/_apis/accesscontrollists/\(Self.git)?tokens=\(Ids.paymentsAPIToken)"),
            ] {
                let refused = try await emulator.send(
                    method,
                    path.replacingOccurrences(of: ";", with: "%3B").replacingOccurrences(of: "\\", with: "%5C"),
                    pat: Credentials.carolPAT
                )
                #expect(refused.status == 403, "\(method) \(path)")
            }
            #expect(try await emulator.stateDump() == before)
        }
    }

    @Test(arguments: [true, false])
    func setThenRemoveGivesBackTheSameDump(existingACL: Bool) async throws {
        try await withEmulator { emulator in
            let before = try await emulator.stateDump()
            let token = existingACL ? Ids.paymentsAPIToken : Ids.paymentsAPIToken + "/refs/heads/6100670065006e007400/"
            let set = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Self.git)",
                json: [
                    "token": token, "merge": false,
                    "accessControlEntries": [["descriptor": Self.bob, "allow": 16384, "deny": 0]],
                ]
            )
            #expect(set.status == 200)
            #expect(try set.values().first?["allow"] as? Int == 16384)
            #expect(try await emulator.stateDump() != before)
            let descriptor = Self.bob.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let removed = try await emulator.send(
                "DELETE",
                "/_apis/accesscontrolentries/\(Self.git)?token=\(token)&descriptors=\(descriptor)"
            )
            #expect(removed.text == "true")
            #expect(try await emulator.stateDump() == before)
        }
    }

    @Test func removePermissionClearsBothSides() async throws {
        try await withEmulator { emulator in
            let pcbs = Contoso.collectionBuildService.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await emulator.send(
                "DELETE",
                "/_apis/permissions/\(Self.git)/16384?token=\(Ids.paymentsAPIToken)&descriptor=\(pcbs)"
            )
            #expect(
                try response.object() as NSDictionary == [
                    "descriptor": Contoso.collectionBuildService, "allow": 0, "deny": 20,
                ] as NSDictionary
            )
        }
    }

    @Test func mergeAddsBitsAndReplaceOverwrites() async throws {
        try await withEmulator { emulator in
            let token = Ids.paymentsAPIToken
            func set(_ allow: Int, _ deny: Int, merge: Bool) async throws -> [String: Any] {
                try await emulator.send(
                    "POST",
                    "/_apis/accesscontrolentries/\(Self.git)",
                    json: [
                        "token": token, "merge": merge,
                        "accessControlEntries": [
                            ["descriptor": Contoso.collectionBuildService, "allow": allow, "deny": deny]
                        ],
                    ]
                ).values()[0]
            }
            #expect(try await set(16384, 0, merge: true)["deny"] as? Int == 20)
            #expect(try await set(16384, 0, merge: true)["allow"] as? Int == 16384)
            let replaced = try await set(2, 0, merge: false)
            #expect(replaced["allow"] as? Int == 2 && replaced["deny"] as? Int == 0)
        }
    }

    @Test func recurseReturnsDescendantsAndCallerPermissionsAreEvaluated() async throws {
        try await withEmulator { emulator in
            let all = try await emulator.get(
                "/_apis/accesscontrollists/\(Self.git)?token=repoV2/\(Contoso.paymentsProjectId)&recurse=true"
            ).values()
            #expect(
                all.map { $0["token"] as? String } == ["repoV2/\(Contoso.paymentsProjectId)", Ids.paymentsAPIToken]
            )
            let alice = try await emulator.get("/_apis/permissions/\(Self.git)/8192?tokens=\(Ids.paymentsAPIToken)")
                .values(as: Bool.self)
            #expect(alice == [true])
            let bob = try await emulator.get(
                "/_apis/permissions/\(Self.git)/16384?tokens=\(Ids.paymentsAPIToken)",
                pat: Credentials.bobPAT
            )
            .values(as: Bool.self)
            #expect(bob == [true])
            let carol = try await emulator.get(
                "/_apis/permissions/\(Self.git)/4?tokens=\(Ids.paymentsAPIToken)",
                pat: Credentials.carolPAT
            )
            .values(as: Bool.self)
            #expect(carol == [false])
        }
    }

    @Test func namespacesAreServedAsRecorded() async throws {
        try await withEmulator { emulator in
            let response = try await emulator.get("/_apis/securitynamespaces")
            let namespaces = try response.values()
            #expect(namespaces.count == 12)
            let build = namespaces.first { $0["namespaceId"] as? String == "33344d9c-fc72-4d6f-aba5-fa317101a7e9" }!
            #expect(build["displayName"] is NSNull)
            #expect(build["writePermission"] as? Int == 16384)
            let unknown = try await emulator.get("/_apis/accesscontrollists/11111111-2222-3333-4444-555555555555")
            #expect(unknown.status == 404)
        }
    }
}

extension TestResponse {
    func values<T>(as type: T.Type) throws -> [T] {
        guard let values = try object()["value"] as? [T] else { throw TestHTTPError.notAnObject(text) }
        return values
    }
}
