import Foundation
import Plan

/// `adoperm drift`'s default output. No ANSI codes: the CLI colours lines with ✗ (red) and ✓ (green).
public enum DriftText {
    /// The whole report: every drift item in full, the resolved ones, pending requirements, notes, a summary.
    public static func render(_ report: DriftReport) -> String {
        var out = [header(report), ""]
        for item in report.items { out += block(item) }
        for item in report.resolved { out.append(resolvedLine(item)) }
        if !report.resolved.isEmpty { out.append("") }
        let pending = report.checks.filter { $0.status == .pending }
        if !pending.isEmpty {
            out.append(
                "Pending (not satisfied yet and never seen satisfied: not drift; `adoperm plan` proposes the "
                    + "changes):"
            )
            let counts = Dictionary(grouping: report.notes.filter { $0.kind == .pending }, by: { $0.id ?? "" })
            for check in pending {
                let count = counts[check.id]?.count ?? 1
                out.append(
                    "  · "
                        + (count == 1 ? (check.message ?? check.id) : "\(check.id): \(count) checks not satisfied yet")
                )
            }
            out.append("")
        }
        let other = report.notes.filter { $0.kind != .pending }
        if !other.isEmpty {
            out.append("Notes:")
            for note in other { out.append("  · " + note.message) }
            out.append("")
        }
        if !report.changedObjects.isEmpty {
            out.append(
                "Changed since the previous run (drift or not): " + report.changedObjects.joined(separator: ", ")
            )
            out.append("")
        }
        out.append(summary(report))
        return out.joined(separator: "\n") + "\n"
    }

    /// What watch mode prints after its first run: only new or changed items and resolved ones (nothing when
    /// nothing changed).
    public static func renderChanges(_ report: DriftReport) -> String {
        guard report.hasNews else { return "" }
        var out = ["\(report.checkedAt) drift: \(report.newItems.count) new, \(report.resolved.count) resolved"]
        for item in report.newItems { out += block(item) }
        for item in report.resolved { out.append(resolvedLine(item)) }
        out.append(summary(report))
        return out.joined(separator: "\n") + "\n"
    }

    static func header(_ report: DriftReport) -> String {
        let compared =
            report.previousRun.map { "compared with the run of \($0)" } ?? "no previous run: every item is new"
        return "adoperm drift for \(report.organization) · checked \(report.checkedAt) · \(compared)"
    }

    public static func summary(_ report: DriftReport) -> String {
        let s = report.summary
        let verdict = report.inSync ? "✓ In sync" : "✗ Drift"
        return "\(verdict): \(s.items) item\(s.items == 1 ? "" : "s") (\(s.new) new), \(s.resolved) resolved; "
            + "\(s.checks - s.drifting - s.pending) of \(s.checks) checks in sync, \(s.pending) pending."
    }

    static func resolvedLine(_ item: DriftItem) -> String {
        "✓ resolved  \(item.kind.rawValue)  \(item.summary)"
    }

    static func block(_ item: DriftItem) -> [String] {
        ["✗ \(item.id)  \(item.kind.rawValue) drift  \(item.status.rawValue)"] + details(item).map { "    " + $0 } + [
            ""
        ]
    }

    /// The item's fields, one per line (also the text of a JUnit failure).
    public static func details(_ item: DriftItem) -> [String] {
        var out: [String] = []
        func field(_ name: String, _ value: String) {
            out.append(name.padding(toLength: 10, withPad: " ", startingAt: 0) + value)
        }
        field("what", item.summary)
        field("was", item.before)
        field("now", item.now)
        if let location = item.location { field("where", location) }
        if let ace = item.ace { field("ace", aceLine(ace)) }
        if let setting = item.setting {
            let place = setting.project.map { "project \($0)" } ?? "the organization"
            field("setting", "\(setting.name) of \(place): \(setting.actual), expected \(setting.expected)")
        }
        if let pipeline = item.pipeline {
            field("pipeline", "\(pipeline.project)/\(pipeline.name) (definition \(pipeline.definitionId))")
        }
        for (offset, ref) in (item.journal ?? []).enumerated() {
            field(offset == 0 ? "journal" : "", journalLine(ref))
        }
        if let remedy = item.remedy {
            field("remedy", "\(remedy.kind) (\(remedy.status)): \(remedy.reason)")
            for change in remedy.changes {
                for line in change.displayLines { field("", "\(line)  [\(change.id)]") }
            }
        }
        return out
    }

    static func aceLine(_ ace: DriftACE) -> String {
        let bits: String
        switch (ace.allow ?? 0, ace.deny ?? 0) {
        case (0, 0): bits = "no entry"
        case (let allow, let deny): bits = "allow \(allow), deny \(deny)"
        }
        return "\(ace.displayName) on \(ace.resource ?? ace.token) (\(ace.namespace), token \(ace.token)): \(bits)"
    }

    static func journalLine(_ ref: DriftJournalRef) -> String {
        "\(ref.change) of run \(ref.runId) (\(ref.journal)): \(ref.state.rawValue)"
            + (ref.summary.map { " — \($0)" } ?? "")
    }
}
