import Foundation

/// What `ado-emulator generate` builds: a synthetic organization of a given size.
public struct SyntheticOrgSpec: Sendable, Hashable {
    public var projects: Int
    public var reposPerProject: Int
    /// Build definitions, spread round-robin over the projects.
    public var pipelines: Int
    /// Manifest requirements; nil: one per pipeline. More than the pipelines: the extra ones ask the same job
    /// identities for other repositories (their project's, or the cross-project resource their YAML checks out).
    public var requirements: Int?
    /// Human users; nil: three per project (at least five).
    public var users: Int?
    public var seed: UInt64
    /// `{org}` of the URLs (`https://dev.azure.com/{org}`).
    public var organization: String

    public init(
        projects: Int,
        reposPerProject: Int,
        pipelines: Int,
        requirements: Int? = nil,
        users: Int? = nil,
        seed: UInt64 = 1,
        organization: String = "fabrikam"
    ) {
        self.projects = projects
        self.reposPerProject = reposPerProject
        self.pipelines = pipelines
        self.requirements = requirements
        self.users = users
        self.seed = seed
        self.organization = organization
    }

    var userCount: Int { users ?? max(5, projects * 3) }
    var requirementCount: Int { requirements ?? pipelines }
}

/// A generated organization: the snapshot (canonical JSON, the emulator's own dump format, so serving it
/// unchanged dumps the same bytes) and an adoperm manifest with one requirement per pipeline.
public struct SyntheticOrg: Sendable {
    public var snapshot: Data
    public var manifest: Data

    /// Deterministic: the same spec (seed included) gives the same bytes.
    public static func generate(_ spec: SyntheticOrgSpec) throws(SyntheticOrgError) -> SyntheticOrg {
        try spec.validate()
        let layout = SyntheticLayout(spec: spec)
        let snapshot = SyntheticSnapshot(layout: layout).document()
        return SyntheticOrg(
            snapshot: Data(JSONWriter.canonical(snapshot)),
            manifest: Data(ManifestWriter(layout: layout).text().utf8)
        )
    }

    /// The credentials every generated organization accepts (docs/emulator.md "Synthetic organizations").
    public static let adminPAT = "fake-pat-admin"
    public static let userPAT = "fake-pat-user"
}

/// A spec that cannot be generated.
public struct SyntheticOrgError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problem: String
    public var description: String { problem }
}

extension SyntheticOrgSpec {
    func validate() throws(SyntheticOrgError) {
        guard projects >= 1 else { throw SyntheticOrgError(problem: "--projects must be at least 1") }
        guard reposPerProject >= 1 else { throw SyntheticOrgError(problem: "--repos-per-project must be at least 1") }
        guard pipelines >= 0 else { throw SyntheticOrgError(problem: "--pipelines must not be negative") }
        guard projects <= 5000, projects * reposPerProject <= 200_000, pipelines <= 200_000 else {
            throw SyntheticOrgError(problem: "at most 5,000 projects, 200,000 repositories and 200,000 pipelines")
        }
        guard requirementCount >= 0, requirements == nil || pipelines > 0 || requirementCount == 0 else {
            throw SyntheticOrgError(problem: "--requirements needs pipelines to attach to")
        }
        guard userCount >= 1 else { throw SyntheticOrgError(problem: "--users must be at least 1") }
        let allowed = organization.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "-"
        }
        guard !organization.isEmpty, allowed, organization.unicodeScalars.allSatisfy(\.isASCII) else {
            throw SyntheticOrgError(problem: "--organization must be letters, digits and '-'")
        }
    }
}

/// Deterministic choices: every decision is a hash of the seed, what is decided and the entity's indexes, so
/// choices are independent of each other and of generation order.
struct Chooser {
    let seed: UInt64

    func value(_ what: String, _ indexes: Int...) -> UInt64 {
        Mix.hash([seed, Mix.fold(what)] + indexes.map { UInt64(truncatingIfNeeded: $0) })
    }

    func chance(_ probability: Double, _ what: String, _ indexes: Int...) -> Bool {
        Mix.unit(Mix.hash([seed, Mix.fold(what)] + indexes.map { UInt64(truncatingIfNeeded: $0) })) < probability
    }

    func below(_ bound: Int, _ what: String, _ indexes: Int...) -> Int {
        guard bound > 1 else { return 0 }
        let raw = Mix.hash([seed, Mix.fold(what)] + indexes.map { UInt64(truncatingIfNeeded: $0) })
        return Int(raw % UInt64(bound))
    }

    /// A version-4-shaped GUID named by `name`.
    func guid(_ name: String) -> String {
        let key = Mix.fold(name)
        let high = Mix.hash([seed, key, 0x6775_6964])
        let low = Mix.hash([seed, key, 0x6775_6965])
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        let chars = Array(hex)
        let variant = ["8", "9", "a", "b"][Int(low >> 62)]
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-4" + String(chars[13..<16]) + "-" + variant
            + String(chars[17..<20]) + "-" + String(chars[20..<32])
    }

    /// A group SID in ADO's shape (`S-1-9-1551374245-…`).
    func sid(_ name: String) -> String {
        let parts = (0..<4).map { String(UInt32(truncatingIfNeeded: value("sid/" + name, $0))) }
        return "S-1-9-1551374245-" + parts.joined(separator: "-")
    }

    func sidSuffix(_ name: String) -> String {
        "-1-" + (0..<4).map { String(UInt32(truncatingIfNeeded: value("rid/" + name, $0))) }.joined(separator: "-")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
