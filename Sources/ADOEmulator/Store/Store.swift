import Foundation

/// The emulator's shared mutable state: the live organization and the runtime data. Handlers run their logic
/// inside `read`/`write`, so every request sees a consistent state and writes are serialized.
actor Store {
    private var model: OrgModel
    private var runtime = Runtime()
    private let renderer: DumpRenderer
    private let persister: StatePersister?
    /// Bumped by every successful write; the persister writes a version at most once and never goes back.
    private var version = 0

    init(model: OrgModel, stateOut: URL?) {
        let renderer = DumpRenderer()
        self.model = model
        self.renderer = renderer
        self.persister = stateOut.map { StatePersister(url: $0, renderer: renderer) }
    }

    func read<T: Sendable>(_ body: @Sendable (OrgModel, Runtime) throws -> T) rethrows -> T {
        try body(model, runtime)
    }

    /// Runs a mutation. If it throws, nothing it changed is kept (the body works on copies); on success the
    /// `--state-out` file, if any, holds this write (or a later one) before `write` returns — so before the
    /// response is sent. Rendering and writing the file happen off this actor: reads go on meanwhile.
    func write<T: Sendable>(_ body: @Sendable (inout OrgModel, inout Runtime) throws -> T) async throws -> T {
        var workingModel = model
        var workingRuntime = runtime
        let result = try body(&workingModel, &workingRuntime)
        model = workingModel
        runtime = workingRuntime
        version += 1
        try await persister?.persist(model, version: version)
        return result
    }

    /// Mutates runtime-only data (no state-out rewrite); all or nothing, like `write`.
    func updateRuntime<T: Sendable>(_ body: @Sendable (OrgModel, inout Runtime) throws -> T) rethrows -> T {
        var workingRuntime = runtime
        let result = try body(model, &workingRuntime)
        runtime = workingRuntime
        return result
    }

    /// The state dump (canonical bytes; unchanged parts come from the renderer's cache).
    func dump() async -> [UInt8] { await renderer.render(model) }

    /// Writes the dump to `--state-out` now.
    func persist() async throws { try await persister?.persist(model, version: version, force: true) }

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
