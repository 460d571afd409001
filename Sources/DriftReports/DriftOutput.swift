import Foundation
import Plan

/// The JSON form (`"format": "adoperm-drift/1"`, sorted keys) and Azure Pipelines logging commands.
public enum DriftOutput {
    /// Indented canonical JSON with a trailing newline.
    public static func json(_ report: DriftReport) -> Data { CanonicalJSON.pretty(report) }

    /// One compact line (watch mode with `--format json`: JSON Lines).
    public static func jsonLine(_ report: DriftReport) -> Data { CanonicalJSON.encode(report) + Data("\n".utf8) }

    /// `##vso[task.logissue type=error;…]` per item (with the manifest position when the item has one).
    public static func pipelineIssues(_ items: [DriftItem]) -> [String] {
        items.map { item in
            var properties = ["type=error"]
            if let location = item.location {
                let parts = location.split(separator: ":")
                if parts.count >= 3, Int(parts[parts.count - 1]) != nil, Int(parts[parts.count - 2]) != nil {
                    properties.append("sourcepath=" + property(parts.dropLast(2).joined(separator: ":")))
                    properties.append("linenumber=\(parts[parts.count - 2])")
                    properties.append("columnnumber=\(parts[parts.count - 1])")
                }
            }
            properties.append("code=drift-\(item.kind.rawValue)")
            return "##vso[task.logissue \(properties.joined(separator: ";"))]" + message("drift: " + item.summary)
        }
    }

    /// `##vso[task.complete result=SucceededWithIssues;]…`.
    public static func succeededWithIssues(_ report: DriftReport) -> String {
        "##vso[task.complete result=SucceededWithIssues;]"
            + message("adoperm drift: \(report.summary.items) drift item(s)")
    }

    /// Logging-command escaping of a message (`%` `\r` `\n`).
    static func message(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%AZP25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Logging-command escaping of a property value (also `;` and `]`).
    static func property(_ text: String) -> String {
        message(text).replacingOccurrences(of: ";", with: "%3B").replacingOccurrences(of: "]", with: "%5D")
    }
}
