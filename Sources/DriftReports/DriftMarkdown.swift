import Foundation
import Plan

/// The drift report as Markdown, for a pull-request or wiki comment.
public enum DriftMarkdown {
    public static func render(_ report: DriftReport) -> String {
        var out: [String] = []
        let s = report.summary
        out.append(
            report.inSync
                ? "# ✅ adoperm drift: in sync — \(report.organization)"
                : "# ❌ adoperm drift: \(s.items) item\(s.items == 1 ? "" : "s") — \(report.organization)"
        )
        out.append("")
        let compared = report.previousRun.map { "compared with the run of \($0)" } ?? "first run (every item is new)"
        out.append(
            "Checked \(report.checkedAt), \(compared). \(s.new) new, \(s.resolved) resolved, "
                + "\(s.pending) pending (not drift). Manifest `\(report.manifestSha256.prefix(16))`."
        )
        out.append("")
        out.append("| entry | kind | status |")
        out.append("|---|---|---|")
        for check in report.checks {
            let status: String
            switch check.status {
            case .ok: status = "✅ in sync"
            case .drift: status = "❌ drift (\(check.items.count))"
            case .pending: status = "⏳ pending"
            }
            out.append("| `\(cell(check.id))` | \(check.kind.rawValue) | \(status) |")
        }
        if !report.items.isEmpty {
            out.append("")
            out.append("## Drift")
            for item in report.items {
                out.append("")
                out.append("### ❌ `\(item.id)` — \(item.kind.rawValue) (\(item.status.rawValue))")
                out.append("")
                out.append(escape(item.summary))
                out.append("")
                out.append("- **was:** \(escape(item.before))")
                out.append("- **now:** \(escape(item.now))")
                if let ace = item.ace { out.append("- **ACE:** \(escape(DriftText.aceLine(ace)))") }
                for ref in item.journal ?? [] {
                    out.append("- **journal:** `\(ref.change)` — \(escape(DriftText.journalLine(ref)))")
                }
                if let remedy = item.remedy {
                    out.append("- **remedy:** `\(remedy.kind)` (\(remedy.status)): \(escape(remedy.reason))")
                    let lines = remedy.changes.flatMap { change in change.displayLines.map { "\($0)  [\(change.id)]" } }
                    if !lines.isEmpty {
                        out.append("")
                        out.append("  ```diff")
                        for line in lines { out.append("  " + line) }
                        out.append("  ```")
                    }
                }
            }
        }
        if !report.resolved.isEmpty {
            out.append("")
            out.append("## Resolved since the previous run")
            out.append("")
            for item in report.resolved {
                out.append("- ✅ `\(item.id)` (\(item.kind.rawValue)): \(escape(item.summary))")
            }
        }
        let pending = report.notes.filter { $0.kind == .pending }
        if !pending.isEmpty {
            out.append("")
            out.append("## Pending (not drift)")
            out.append("")
            for note in pending { out.append("- \(escape(note.message))") }
        }
        let notes = report.notes.filter { $0.kind != .pending }
        if !notes.isEmpty {
            out.append("")
            out.append("## Notes")
            out.append("")
            for note in notes { out.append("- \(escape(note.message))") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Backslashes (group names, area paths) and markup characters shown literally.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_<>|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
