import ArgumentParser

/// Where the organization comes from: a live URL, an emulated snapshot, or a snapshot read offline.
struct OrgOptions: ParsableArguments {
    @Option(name: .customLong("org"), help: "Organization or collection URL (https://dev.azure.com/NAME).")
    var organizationURL: String?

    @Option(help: ArgumentHelp("Serve this snapshot with ado-emulator on a free loopback port and use it.", valueName: "snapshot.json"))
    var emulate: String?

    @Option(name: .customLong("snapshot"), help: ArgumentHelp("Read the organization from this snapshot file; no server.", valueName: "snapshot.json"))
    var snapshotPath: String?

    @Option(help: ArgumentHelp("Read the personal access token from this file.", valueName: "path"))
    var patFile: String?

    @Flag(name: .shortAndLong, help: "Print request counts and timings to stderr.")
    var verbose = false

    func validate() throws {
        let given = [organizationURL, emulate, snapshotPath].compactMap { $0 }
        if given.count > 1 {
            throw ValidationError("--org, --emulate and --snapshot are mutually exclusive")
        }
    }
}
