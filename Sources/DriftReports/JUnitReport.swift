import CLibXML2
import Foundation
import Plan

/// The drift report as JUnit XML, written with libxml2's `xmlTextWriter` (no hand-built XML), for Azure
/// Pipelines' Publish Test Results (`testResultsFormat: JUnit`): one `<testsuite>` (inside `<testsuites>`), one
/// `<testcase>` per report entry (`classname` = requirement | forbid | setting | journal | identity, `name` = the
/// id), a `<failure>` on every drifting entry (message: the items' summaries, text: every item in full), and
/// `<skipped>` for pending requirements (not satisfied yet, never seen satisfied: not drift).
///
/// Choices (UNCONFIRMED how every JUnit reader treats the alternatives): one `<failure>` per test case, joining all
/// of its items, because several `<failure>` elements in one test case are read as one by some parsers (Azure
/// Pipelines keeps the first); `time="0"` everywhere so that the same state gives the same file.
public enum JUnitReport {
    public static func render(_ report: DriftReport) throws(JUnitError) -> Data {
        guard let buffer = xmlBufferCreate() else { throw .writer("cannot allocate a buffer") }
        defer { xmlBufferFree(buffer) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else { throw .writer("cannot create the writer") }
        var xml = XMLWriter(writer: writer)
        defer { xmlFreeTextWriter(writer) }
        let items = Dictionary(report.items.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let failures = report.checks.count { $0.status == .drift }
        let skipped = report.checks.count { $0.status == .pending }
        try xml.check(xmlTextWriterSetIndent(writer, 1), "indent")
        try xml.check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "document")
        try xml.start(
            "testsuites",
            [
                ("name", "adoperm drift"), ("tests", String(report.checks.count)), ("failures", String(failures)),
                ("errors", "0"), ("skipped", String(skipped)), ("time", "0"),
            ]
        )
        try xml.start(
            "testsuite",
            [
                ("name", "adoperm drift \(report.organization)"), ("tests", String(report.checks.count)),
                ("failures", String(failures)), ("errors", "0"), ("skipped", String(skipped)), ("time", "0"),
                ("timestamp", report.checkedAt),
            ]
        )
        try xml.start("properties", [])
        var properties = [
            ("format", report.format), ("organization", report.organization),
            ("manifestSha256", report.manifestSha256), ("checkedAt", report.checkedAt),
        ]
        if let previous = report.previousRun { properties.append(("previousRun", previous)) }
        for (name, value) in properties {
            try xml.start("property", [("name", name), ("value", value)])
            try xml.end()
        }
        try xml.end()
        for check in report.checks {
            try xml.start("testcase", [("classname", check.kind.rawValue), ("name", check.id), ("time", "0")])
            switch check.status {
            case .ok:
                break
            case .pending:
                try xml.start("skipped", [("message", check.message ?? "not satisfied yet")])
                try xml.end()
            case .drift:
                let drifting = check.items.compactMap { items[$0] }
                let message = drifting.map(\.summary).joined(separator: " | ")
                try xml.start("failure", [("message", message), ("type", "drift")])
                try xml.text(drifting.map { DriftText.details($0).joined(separator: "\n") }.joined(separator: "\n\n"))
                try xml.end()
            }
            try xml.end()
        }
        try xml.end()
        try xml.end()
        try xml.check(xmlTextWriterEndDocument(writer), "end of document")
        try xml.check(xmlTextWriterFlush(writer), "flush")
        guard let content = xmlBufferContent(buffer) else { throw .writer("empty buffer") }
        return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
    }
}

/// Why the JUnit report could not be written.
public enum JUnitError: Error, Sendable, Equatable, CustomStringConvertible {
    case writer(String)

    public var description: String {
        switch self {
        case .writer(let what): "cannot write the JUnit report: libxml2 failed at \(what)"
        }
    }
}

/// Thin checked calls into `xmlTextWriter`; strings are cleaned of characters XML 1.0 cannot carry.
private struct XMLWriter {
    let writer: xmlTextWriterPtr

    func check(_ result: Int32, _ what: String) throws(JUnitError) {
        if result < 0 { throw .writer(what) }
    }

    func start(_ name: String, _ attributes: [(String, String)]) throws(JUnitError) {
        try check(xmlTextWriterStartElement(writer, name), "<\(name)>")
        for (key, value) in attributes {
            try check(xmlTextWriterWriteAttribute(writer, key, Self.clean(value)), "\(name)@\(key)")
        }
    }

    func end() throws(JUnitError) { try check(xmlTextWriterEndElement(writer), "end of element") }

    func text(_ value: String) throws(JUnitError) {
        try check(xmlTextWriterWriteString(writer, Self.clean(value)), "text")
    }

    /// Drops control characters other than tab, newline and carriage return, and the non-characters U+FFFE/FFFF.
    static func clean(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter { scalar in
                    switch scalar.value {
                    case 0x09, 0x0A, 0x0D: true
                    case 0..<0x20, 0xFFFE, 0xFFFF: false
                    default: true
                    }
                }
            )
        )
    }
}
