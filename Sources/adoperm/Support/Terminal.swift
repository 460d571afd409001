import Foundation

/// The only place that writes to the terminal. Flushes after each write so a killed process loses nothing
/// (stdout is block-buffered when piped).
struct Terminal: Sendable {
    /// Whether to emit ANSI colour on stdout: a TTY and no `NO_COLOR`.
    let colour: Bool

    init(environment: [String: String]) {
        colour = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    func err(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Wraps `text` in an SGR colour when colour is on.
    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Colourises a rendered plan or drift report line by line (the libraries never emit escape codes).
    func colourise(_ report: String) -> String {
        guard colour else { return report }
        return report.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("+") { return paint(String(line), "32") }
            if trimmed.hasPrefix("-") { return paint(String(line), "31") }
            if trimmed.hasPrefix("~") { return paint(String(line), "33") }
            if trimmed.contains("✗") || trimmed.hasPrefix("gap") { return paint(String(line), "31") }
            if trimmed.contains("✓") { return paint(String(line), "32") }
            return String(line)
        }.joined(separator: "\n")
    }
}
