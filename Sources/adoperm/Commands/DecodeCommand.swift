import ADOClient
import ArgumentParser
import Foundation
import Plan

/// `adoperm decode 16404 --namespace git` → `PullRequestContribute | CreateBranch | GenericContribute`.
struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Name the bits of a permission bitmask.",
        discussion: """
            Offline the built-in definitions of the well-known namespaces are used; with --org, --emulate or \
            --snapshot the organization's live definitions.
            """
    )

    @Argument(help: "Bitmask, decimal or 0x-hex.")
    var bits: String

    @Option(help: ArgumentHelp("Namespace alias (git, build, css, project, collection, process, …), name or id.",
                               valueName: "namespace"))
    var namespace: String = "git"

    @OptionGroup var organization: OrgOptions

    func run() async throws {
        try await runReporting {
            let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
            var namespaces = NamespaceCatalogue.wellKnown
            if organization.organizationURL != nil || organization.emulate != nil || organization.snapshotPath != nil {
                namespaces = try await organization.withConnection { connection in
                    try await connection.orgState(LoadScope(projects: .named([]))).namespaces
                }
            }
            switch BitDecoder.decode(bits, namespace: namespace, in: namespaces) {
            case .success(let (_, names)):
                terminal.out(names.isEmpty ? "(no bits)" : names.joined(separator: " | "))
                return .success
            case .failure(let failure):
                throw CLIError.invalidArgument(failure.description)
            }
        }
    }
}
