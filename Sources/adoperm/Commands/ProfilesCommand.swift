import ArgumentParser
import Foundation
import Plan

/// `adoperm profiles`: the built-in requirement sets and their bits.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the built-in profiles (xopero-backup, xopero-restore, ado-aw-<tool>) with their bits."
    )

    func run() throws {
        let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
        terminal.out(ProfileListing.render(Profile.builtIn))
    }
}

/// The text of `adoperm profiles` (bits from the built-in namespace catalogue; binding uses the live ones).
enum ProfileListing {
    static func render(_ profiles: [Profile]) -> String {
        var lines: [String] = []
        for profile in profiles {
            let scope: String
            switch profile.target {
            case .projects: scope = "scope: { projects: [\"*\"] | [names] }"
            case .none: scope = "no grants"
            default: scope = "scope: { project: …, \(profile.target.rawValue): … }"
            }
            lines.append("\(profile.name)  (\(scope))")
            lines.append("    \(profile.summary)")
            for grant in profile.grants {
                let namespace = NamespaceCatalogue.find(grant.namespaceId)
                let bits = namespace.map { ns in
                    grant.permissions.compactMap { ns.action(named: $0)?.bit }.reduce(0, |)
                } ?? 0
                let who = grant.jobIdentity ? " (held by the pipeline's job identity, also with permissions.write)" : ""
                lines.append("    \(namespace?.name ?? grant.namespaceId): \(grant.permissions.joined(separator: "|")) "
                             + "(\(bits)) on \(place(grant.place, profile.target))\(who)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func place(_ place: Profile.Place, _ target: Profile.Target) -> String {
        switch place {
        case .organization: "the organization (NAMESPACE:)"
        case .allProcesses: "all processes ($PROCESS)"
        case .eachProject: "each project"
        case .eachProjectRepositories: "all repositories of each project (repoV2/{project})"
        case .target: "the \(target.rawValue)"
        case .targetBranch(let branch): "branches \(branch)/* of the repository"
        }
    }
}
