import Apply
import Foundation
import Plan

extension FuzzChecks {
    static let journalPath = "fuzz.jsonl"

    /// `Journal.parse` on any bytes, as they are and rechained (each JSON line given the right `seq` and `prev`,
    /// so mutations reach the record decoder). An accepted journal's chain is re-checked independently; a
    /// rechained journal is never refused for its chain, and once a byte of an earlier line changes it always is.
    public static func journal(_ data: Data) throws(InvariantViolation) {
        for tail in [false, true] { try checkParse(data, allowingIncompleteTail: tail) }
        guard let rechained = rechain(data) else { return }
        let journal: Journal
        switch Result(catching: { () throws(JournalError) in try Journal.parse(rechained, path: journalPath) }) {
        case .failure(.brokenChain), .failure(.outOfSequence):
            throw InvariantViolation("a correctly chained journal was refused for its chain")
        case .failure: return
        case .success(let value): journal = value
        }
        try checkChain(journal, rechained)
        guard journal.records.count > 1 else { return }
        // Change one byte of the first line (inside it, so it stays one line): the second line no longer follows.
        var tampered = rechained
        let newline = tampered.firstIndex(of: UInt8(ascii: "\n"))!
        let index = tampered.startIndex + (newline - tampered.startIndex) / 2
        tampered[index] = tampered[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        if (try? Journal.parse(tampered, path: journalPath)) != nil {
            throw InvariantViolation("a journal whose first line was edited was accepted")
        }
    }

    /// Parses and checks one journal, accepted or refused.
    private static func checkParse(_ data: Data, allowingIncompleteTail: Bool) throws(InvariantViolation) {
        let journal: Journal
        do throws(JournalError) {
            journal = try Journal.parse(data, path: journalPath, allowingIncompleteTail: allowingIncompleteTail)
        } catch {
            try MessageCheck.oneLine(error.description, "journal error", input: String(decoding: data, as: UTF8.self))
            guard error.description.hasPrefix(journalPath) else {
                throw InvariantViolation("journal error does not name the file: \(error)")
            }
            return
        }
        try checkChain(journal, data)
    }

    /// Recomputes what `Journal.parse` promises from the raw bytes.
    private static func checkChain(_ journal: Journal, _ data: Data) throws(InvariantViolation) {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if data.last == UInt8(ascii: "\n") {
            lines.removeLast()
        } else {
            guard journal.droppedIncompleteTail else { throw InvariantViolation("accepted an incomplete last line") }
            lines.removeLast()
        }
        guard journal.records.count == lines.count, !lines.isEmpty else {
            throw InvariantViolation("\(journal.records.count) records from \(lines.count) complete lines")
        }
        var previous = JournalRecord.genesis
        for (index, (record, line)) in zip(journal.records, lines).enumerated() {
            guard record.prev == previous else { throw InvariantViolation("line \(index + 1) breaks the chain") }
            guard record.seq == index + 1 else { throw InvariantViolation("line \(index + 1) has seq \(record.seq)") }
            guard record.runId == journal.runId, record.planId == journal.planId else {
                throw InvariantViolation("line \(index + 1) belongs to another run")
            }
            previous = sha256Hex(Data(line))
        }
        _ = (journal.outcomes, journal.status)
        guard journal.lastDigest == previous else { throw InvariantViolation("lastDigest is not the last line's") }
        let length = lines.reduce(0) { $0 + $1.count + 1 }
        guard journal.validLength == length else {
            throw InvariantViolation("validLength \(journal.validLength), complete lines hold \(length) bytes")
        }
    }

    /// Every line that is a JSON object, with `seq` and `prev` set so the chain holds, written canonically; nil
    /// when no line is.
    static func rechain(_ data: Data) -> Data? {
        var output = Data()
        var previous = JournalRecord.genesis
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard case .object(var members) = try? JSONValue.parse(Data(line)) else { continue }
            number += 1
            members["seq"] = .int(number)
            members["prev"] = .string(previous)
            let bytes = CanonicalJSON.compact(.object(members))
            previous = sha256Hex(bytes)
            output.append(bytes)
            output.append(UInt8(ascii: "\n"))
        }
        return number == 0 ? nil : output
    }
}
