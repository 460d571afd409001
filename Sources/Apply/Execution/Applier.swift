import ADOClient
import Foundation
import Plan

/// Where a run writes and what it may touch.
public struct ApplyOptions: Sendable {
    /// The organization URL the run writes to (journaled; keys the lock).
    public var organizationURL: String
    /// `.adoperm/journal`.
    public var journalDirectory: String
    /// `.adoperm/locks`.
    public var lockDirectory: String
    /// Agent files named by repository path are looked up below it (and `file:` agents relative to it).
    public var checkout: String
    public var runId: String
    /// Recorded in the `begin` record.
    public var planPath: String?
    public var readBack: ReadBackPolicy
    /// Test hook (see `PausePoint`); `onPause` is called when it is reached.
    public var pause: PausePoint?
    public var onPause: @Sendable (PausePoint) -> Void

    public init(
        organizationURL: String,
        journalDirectory: String = ".adoperm/journal",
        lockDirectory: String = ".adoperm/locks",
        checkout: String = FileManager.default.currentDirectoryPath,
        runId: String,
        planPath: String? = nil,
        readBack: ReadBackPolicy = ReadBackPolicy(),
        pause: PausePoint? = nil,
        onPause: @escaping @Sendable (PausePoint) -> Void = { _ in }
    ) {
        self.organizationURL = organizationURL
        self.journalDirectory = journalDirectory
        self.lockDirectory = lockDirectory
        self.checkout = checkout
        self.runId = runId
        self.planPath = planPath
        self.readBack = readBack
        self.pause = pause
        self.onPause = onPause
    }

    public var journalPath: String { journalDirectory + "/" + runId + ".jsonl" }
}

/// What happened to one approved change.
public struct StepResult: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case verified
        /// The live state already was the after-image: nothing written.
        case alreadyInEffect = "already-in-effect"
        case failed
    }

    public var change: String
    public var summary: String
    public var status: Status
    public var message: String
}

/// A run that started writing (it has a journal).
public struct ApplyRun: Sendable, Equatable {
    public var runId: String
    public var journalPath: String
    public var steps: [StepResult]
    public var rollback: [RollbackResult]
}

/// How an apply ended (the CLI maps it to CONTRACTS.md §5 exit codes).
public enum ApplyOutcome: Sendable, Equatable {
    /// Every approved change verified (exit 0).
    case applied(ApplyRun)
    /// A write failed or did not verify; this run's changes were undone (exit 3).
    case rolledBack(ApplyRun, failure: String)
    /// A write failed and undoing did not fully succeed (exit 1): the journal says what is left.
    case rollbackIncomplete(ApplyRun, failure: String)
    /// The organization moved since the plan (exit 4); nothing written.
    case stale([StaleDifference])
    /// A touched object cannot be checked (exit 4), e.g. the agent file is missing; nothing written.
    case refused(String)
    /// Could not start (exit 1): lock held, journal not writable, reads failing. Nothing written.
    case notStarted(String)
}

/// Performs approved steps: stale check, then per step `intent` (durable) → write → `applied` → read-back →
/// `verified`; on the first failure, `failed` and the run's changes undone in reverse order.
public struct Applier: Sendable {
    public let io: ResourceIO
    public let clock: any RetryClock
    public let options: ApplyOptions

    public init(api: any OrganizationAPI, clock: any RetryClock, options: ApplyOptions) {
        self.io = ResourceIO(api: api)
        self.clock = clock
        self.options = options
    }

    public func run(
        plan: PlanDocument,
        selection: Selection,
        progress: @Sendable (ApplyEvent) -> Void = { _ in }
    ) async -> ApplyOutcome {
        let prepared: Prepared
        switch await prepare(plan, selection, progress) {
        case .success(let value): prepared = value
        case .failure(let refusal): return refusal.outcome
        }
        defer { prepared.lock.release() }
        let journal = prepared.journal
        var run = ApplyRun(runId: options.runId, journalPath: options.journalPath, steps: [], rollback: [])
        var executed: [RollbackEntry] = []
        var pauses = PauseCounter(point: options.pause, onPause: options.onPause)
        pauses.reached(.begin)
        var failure: String?
        // ACE steps on the same ACL run as one batch: one before-image read and one read-back per ACL, one write
        // per entry (see `performBatch`); every other step alone.
        for batch in StepBatch.make(selection.steps, prepared.resources) {
            let outcomes: [(StepResult, RollbackEntry?)]
            if batch.items.count > 1 {
                outcomes = await performBatch(
                    batch,
                    journal: journal,
                    approvedBy: selection.approval.approvedBy,
                    pauses: &pauses
                )
            } else {
                outcomes = [
                    await perform(
                        batch.items[0].step,
                        batch.items[0].resource,
                        journal: journal,
                        approvedBy: selection.approval.approvedBy,
                        pauses: &pauses
                    )
                ]
            }
            for (result, entry) in outcomes {
                if var entry {
                    entry.state = result.status == .failed ? .failed : .verified
                    executed.append(entry)
                }
                run.steps.append(result)
                progress(.step(result))
                if result.status == .failed, failure == nil { failure = "\(result.change): \(result.message)" }
            }
            if failure != nil { break }
        }
        guard let failure else {
            _ = try? journal.append(record(.end, message: "applied \(run.steps.count) change(s)"))
            pauses.reached(.end)
            return .applied(run)
        }
        progress(.rollingBack(count: executed.count))
        let rollbacker = Rollbacker(io: io, clock: clock, policy: options.readBack)
        run.rollback = await rollbacker.run(executed.reversed(), journal: journal) { progress(.rolledBack($0)) }
        let complete = run.rollback.allSatisfy(\.isUndone)
        _ = try? journal.append(
            record(
                .end,
                message: complete
                    ? "stopped after a failure (\(failure)); this run's changes were rolled back"
                    : "stopped after a failure (\(failure)); rollback incomplete"
            )
        )
        return complete ? .rolledBack(run, failure: failure) : .rollbackIncomplete(run, failure: failure)
    }

    /// What a run holds once it may write: the lock, the resolved resources, the journal with its `begin`.
    struct Prepared {
        let lock: ApplyLock
        let resources: [Resource]
        let journal: JournalWriter
    }

    /// Why a run stopped before writing (as the outcome to return).
    struct Refusal: Error {
        let outcome: ApplyOutcome
    }

    /// Everything before the first write: resolve agent files, take the lock, the stale check, dry-run the
    /// front-matter edits, create the journal (which proves the journal directory writable). Nothing is written
    /// to the organization here; on a refusal the lock is released again.
    func prepare(_ plan: PlanDocument, _ selection: Selection, _ progress: @Sendable (ApplyEvent) -> Void) async
        -> Result<Prepared, Refusal>
    {
        let steps = selection.steps
        var resources: [Resource] = []
        for step in steps {
            do {
                resources.append(try resolve(step))
            } catch {
                return .failure(Refusal(outcome: .refused("\(step.change.id): \(error)")))
            }
        }
        let lock: ApplyLock
        do {
            lock = try ApplyLock.acquire(
                organizationURL: options.organizationURL,
                directory: options.lockDirectory,
                startedAt: JournalClock.timestamp(clock),
                runId: options.runId
            )
        } catch {
            return .failure(Refusal(outcome: .notStarted(error.description + "; nothing was written")))
        }
        func refuse(_ outcome: ApplyOutcome) -> Result<Prepared, Refusal> {
            lock.release()
            return .failure(Refusal(outcome: outcome))
        }
        // Every touched object read once, before anything is written.
        var live: [String: LiveObject] = [:]
        for (step, resource) in zip(steps, resources) where live[step.operation.fingerprintKey] == nil {
            do {
                live[step.operation.fingerprintKey] = try await liveObject(step, resource)
            } catch {
                return refuse(
                    .notStarted("cannot read \(resource.label) for the stale-plan check: \(error); nothing was written")
                )
            }
        }
        let differences = StaleCheck.differences(fingerprints: plan.fingerprints, steps: steps, live: live)
        if !differences.isEmpty { return refuse(.stale(differences)) }
        progress(.staleCheckPassed(objects: live.count))
        // An agent file that cannot be edited safely stops the run here, not halfway through it.
        for (step, resource) in zip(steps, resources) {
            guard case .frontMatter = step.operation, case .file(let path, _) = resource,
                case .file(_, let text)? = live[step.operation.fingerprintKey]
            else { continue }
            do {
                _ = try intended(step, before: .file(text: text), path: path)
            } catch {
                return refuse(.notStarted("\(step.change.id): \(error); nothing was written"))
            }
        }
        let journal: JournalWriter
        var created = false
        do {
            journal = try JournalWriter(path: options.journalPath, runId: options.runId, planId: plan.planId ?? "")
            created = true
            try journal.append(
                record(
                    .begin,
                    target: beginTarget(),
                    approvedBy: selection.approval.approvedBy,
                    message: beginMessage(selection)
                )
            )
        } catch {
            // A journal created here without its `begin` (a full disk) holds nothing: leave no empty run behind.
            if created { unlink(options.journalPath) }
            return refuse(
                .notStarted("the journal cannot be written (\(error)); nothing was written to the organization")
            )
        }
        progress(.journalCreated(path: options.journalPath))
        return .success(Prepared(lock: lock, resources: resources, journal: journal))
    }

    // MARK: pieces

    /// The resource a step touches; agent files are resolved below the checkout directory.
    func resolve(_ step: Step) throws(LocalFileError) -> Resource {
        switch step.operation {
        case .ace(let target, _): return .ace(target)
        case .setting(let target, _): return .setting(target)
        case .definition(let target, _): return .definition(target)
        case .frontMatter(let reference, _, _):
            return .file(
                path: try LocalFiles.resolve(reference.relativePath, checkout: options.checkout),
                reference: reference
            )
        }
    }

    /// The after-image of a step over the live `before`.
    func intended(_ step: Step, before: Image, path: String) throws(ResourceError) -> Image {
        switch (step.operation, before) {
        case (.ace(_, let intent), .ace(let live)): return .ace(intent.applied(to: live))
        case (.setting(_, let value), .setting): return .setting(value, all: nil)
        case (.definition(_, let scope), .definition):
            return .definition(scope: scope.rawValue, revision: nil, body: nil)
        case (.frontMatter(_, let key, let value), .file(let text)):
            guard let text else { throw .file(.notFound(path: path, checkout: options.checkout)) }
            do {
                return .file(text: try FrontMatterEditor.setting(key, to: value, in: text, file: path))
            } catch {
                throw .frontMatter(error)
            }
        default:
            throw .unexpected("\(step.change.id): the live object does not fit the change")
        }
    }

    /// The object the plan fingerprinted, read live.
    func liveObject(_ step: Step, _ resource: Resource) async throws(ResourceError) -> LiveObject {
        let api = io.api
        switch step.operation {
        case .ace(let target, _):
            return .acl(
                try await ResourceIO.remote { () async throws(ADOError) in
                    try await api.accessControlList(namespaceId: target.namespaceId, token: target.token)
                }
            )
        case .setting(let target, _):
            return .settings(
                try await ResourceIO.remote { () async throws(ADOError) in
                    try await api.settings(projectId: target.projectId)
                }
            )
        case .definition(let target, _):
            return .definition(
                try await ResourceIO.remote { () async throws(ADOError) in
                    try await api.definition(projectId: target.projectId, id: target.definitionId).0
                }
            )
        case .frontMatter:
            guard case .file(let path, _) = resource else { throw .unexpected("\(step.change.id): not a file") }
            do {
                return .file(path: path, text: try LocalFiles.read(path))
            } catch {
                throw .file(error)
            }
        }
    }

    func record(
        _ type: JournalRecord.Kind,
        change: String? = nil,
        target: JSONValue? = nil,
        before: JSONValue? = nil,
        after: JSONValue? = nil,
        approvedBy: String? = nil,
        message: String? = nil
    ) -> JournalRecord {
        JournalRecord(
            seq: 0,
            runId: "",
            planId: "",
            type: type,
            change: change,
            target: target,
            before: before,
            after: after,
            at: JournalClock.timestamp(clock),
            approvedBy: approvedBy,
            message: message
        )
    }

    func beginTarget() -> JSONValue {
        var members: [String: JSONValue] = [
            "organization": .string(options.organizationURL), "operation": .string("apply"),
        ]
        if let planPath = options.planPath { members["plan"] = .string(planPath) }
        return .object(members)
    }

    func beginMessage(_ selection: Selection) -> String {
        let source: String
        switch selection.approval.source {
        case .commandLine: source = "--approve"
        case .file(let path): source = "approvals file \(path)"
        case .prompt: source = "interactive prompt"
        }
        return "approved via \(source): " + selection.steps.map(\.change.id).joined(separator: ", ")
            + (selection.approval.comment.map { "; comment: \($0)" } ?? "")
    }
}

/// Progress of a run, for live output.
public enum ApplyEvent: Sendable, Equatable {
    case staleCheckPassed(objects: Int)
    case journalCreated(path: String)
    case step(StepResult)
    case rollingBack(count: Int)
    case rolledBack(RollbackResult)
}
