import Foundation

/// The emulator's shared mutable state: the live organization and the runtime data. Handlers run their logic
/// inside `read`/`write`, so every request sees a consistent state and writes are serialized.
actor Store {
    private var model: OrgModel
    private var runtime = Runtime()
    private let stateOut: URL?

    init(model: OrgModel, stateOut: URL?) {
        self.model = model
        self.stateOut = stateOut
    }

    func read<T: Sendable>(_ body: @Sendable (OrgModel, Runtime) throws -> T) rethrows -> T {
        try body(model, runtime)
    }

    /// Runs a mutation. If it throws, nothing it changed is kept (the body works on copies); on success the
    /// `--state-out` file, if any, is rewritten.
    func write<T: Sendable>(_ body: @Sendable (inout OrgModel, inout Runtime) throws -> T) throws -> T {
        var workingModel = model
        var workingRuntime = runtime
        let result = try body(&workingModel, &workingRuntime)
        model = workingModel
        runtime = workingRuntime
        try persist()
        return result
    }

    /// Mutates runtime-only data (no state-out rewrite); all or nothing, like `write`.
    func updateRuntime<T: Sendable>(_ body: @Sendable (OrgModel, inout Runtime) throws -> T) rethrows -> T {
        var workingRuntime = runtime
        let result = try body(model, &workingRuntime)
        runtime = workingRuntime
        return result
    }

    func dump() -> [UInt8] { model.dumpBytes() }

    /// Writes the dump to `--state-out` atomically (temp file + rename), so readers never see half a file.
    func persist() throws {
        guard let stateOut else { return }
        let bytes = model.dumpBytes()
        let temporary = stateOut.deletingLastPathComponent()
            .appendingPathComponent(".\(stateOut.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(bytes).write(to: temporary)
        // rename(2) replaces atomically (FileManager.replaceItemAt is unreliable on Linux).
        guard rename(temporary.path, stateOut.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw EmulatorError.stateOut("cannot replace \(stateOut.path) (errno \(code))")
        }
    }

    enum Scheme: Sendable { case basic, bearer }

    /// Resolves a credential (snapshot or minted) to the caller it authenticates. Basic (empty user, token as
    /// password) carries PATs and bearer tokens alike, as ado-aw's executor sends `System.AccessToken`; the
    /// Bearer scheme accepts bearer tokens only.
    func caller(token: String, scheme: Scheme) -> Caller? {
        let minted = runtime.mintedTokens[token]
        let credential = model.credentials[token] ?? minted
        guard let credential, scheme == .basic || credential.kind == .bearer,
            let record = model.directory.record(key: credential.identityKey)
        else { return nil }
        return Caller(
            record: record,
            identitySet: model.directory.identitySet(of: record.key),
            credentialKind: credential.kind,
            budgetKey: model.credentials[token] == nil && minted != nil ? "job-token:\(token)" : record.key
        )
    }
}
