import ArgumentParser

/// Where the organization comes from: a live URL, an emulated snapshot, or a snapshot read offline; and how to
/// authenticate and talk to it. Shared by every command that reads an organization.
struct OrgOptions: ParsableArguments {
    @Option(name: .customLong("org"), help: "Organization or collection URL (https://dev.azure.com/NAME).")
    var organizationURL: String?

    @Option(
        help: ArgumentHelp(
            "Serve this snapshot with ado-emulator on a free loopback port and use it.",
            valueName: "snapshot.json"
        )
    )
    var emulate: String?

    @Option(
        name: .customLong("snapshot"),
        help: ArgumentHelp("Read the organization from this snapshot file; no server.", valueName: "snapshot.json")
    )
    var snapshotPath: String?

    @Option(help: ArgumentHelp("Read the personal access token from this file.", valueName: "path"))
    var patFile: String?

    @Option(
        name: .customLong("identity-url"),
        help: ArgumentHelp(
            "Identity/graph host (default: https://vssps.dev.azure.com/NAME for cloud organizations, else the collection URL).",
            valueName: "URL"
        )
    )
    var identityURL: String?

    @Option(help: ArgumentHelp("Requests in flight per host.", valueName: "n"))
    var maxConcurrency: Int = 4

    @Option(help: ArgumentHelp("Give up on a request after this many seconds.", valueName: "seconds"))
    var timeout: Int = 120

    @Flag(name: .shortAndLong, help: "Print request counts and timings to stderr.")
    var verbose = false

    func validate() throws {
        let given = [organizationURL, emulate, snapshotPath].compactMap { $0 }
        if given.count > 1 {
            throw ValidationError("--org, --emulate and --snapshot are mutually exclusive")
        }
        if maxConcurrency < 1 || maxConcurrency > 64 {
            throw ValidationError("--max-concurrency must be between 1 and 64")
        }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }
}
