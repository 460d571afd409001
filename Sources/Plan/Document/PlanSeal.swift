import Foundation

/// `planId`, canonical bytes and verification of `plan.json`.
extension PlanDocument {
    /// The canonical body: the document without `planId`, as compact canonical JSON. Computed through `JSONValue`
    /// so a plan read back from disk (with members this version does not know) hashes the same way.
    public func canonicalBody() -> Data {
        var copy = self
        copy.planId = nil
        return Self.canonicalBody(of: Self.jsonValue(of: copy))
    }

    /// This document with `planId` set to the SHA-256 of its canonical body.
    public func sealed() -> PlanDocument {
        var copy = self
        copy.planId = sha256Hex(canonicalBody())
        return copy
    }

    /// The bytes of `plan.json`: the sealed document, canonical (sorted keys, no escaped slashes), indented, with a
    /// trailing newline. Same state + manifest + `createdAt` → the same bytes.
    public func fileData() -> Data {
        var copy = self
        copy.planId = nil
        guard case .object(var members) = Self.jsonValue(of: copy) else { preconditionFailure("a plan is an object") }
        members["planId"] = .string(sha256Hex(Self.canonicalBody(of: .object(members))))
        return CanonicalJSON.pretty(JSONValue.object(members))
    }

    /// `sealed()` and its `fileData()` from one encoding of the document (each encodes and hashes the whole plan:
    /// with 10,000 findings that is a tenth of a plan's CPU apiece).
    public func sealedFile() -> (document: PlanDocument, data: Data) {
        var copy = self
        copy.planId = nil
        guard case .object(var members) = Self.jsonValue(of: copy) else { preconditionFailure("a plan is an object") }
        let planId = sha256Hex(Self.canonicalBody(of: .object(members)))
        members["planId"] = .string(planId)
        copy.planId = planId
        return (copy, CanonicalJSON.pretty(JSONValue.object(members)))
    }

    /// ISO 8601 in UTC with seconds (`2026-11-24T00:00:00Z`), for `createdAt`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Reads a plan file: its JSON must be a plan of this format.
    public static func decode(_ data: Data) throws -> PlanDocument {
        try JSONDecoder().decode(PlanDocument.self, from: data)
    }

    /// Checks that `planId` is the digest of the body and that every change id matches the change's content.
    public static func verify(_ data: Data) -> PlanVerification {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch let failure as JSONValueParser.Failure {
            if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return .invalid("the file is empty") }
            let (line, column) = Self.position(of: failure.offset, in: data)
            return .invalid("line \(line), column \(column): malformed JSON: \(failure.problem)")
        } catch {
            return .invalid("malformed JSON")
        }
        guard case .object(var members) = value else { return .invalid("not a JSON object") }
        guard members["format"]?.stringValue == formatName else {
            let found = members["format"]?.stringValue.map { "'\($0.escapingControlCharacters)'" } ?? "missing"
            return .invalid("format is \(found), expected "
                            + "'\(formatName)'")
        }
        guard let planId = members.removeValue(forKey: "planId")?.stringValue else { return .invalid("no planId") }
        let digest = sha256Hex(canonicalBody(of: .object(members)))
        guard digest == planId else {
            let shown = String(planId.prefix(12)).escapingControlCharacters
            return .invalid("planId \(shown)… does not match the plan's content (\(digest.prefix(12))…): "
                            + "the plan was edited")
        }
        guard let document = try? JSONDecoder().decode(PlanDocument.self, from: data) else {
            return .invalid("the plan does not have the adoperm-plan/1 shape")
        }
        for finding in document.findings {
            for remedy in finding.remedies {
                for change in remedy.changes where !change.hasValidId {
                    return .invalid("change \(change.id.escapingControlCharacters) does not match its content")
                }
            }
        }
        return .valid(document)
    }

    /// 1-based line and column (in bytes) of a byte offset.
    static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    static func jsonValue(of document: PlanDocument) -> JSONValue { CanonicalJSON.jsonValue(document) }

    static func canonicalBody(of value: JSONValue) -> Data { CanonicalJSON.compact(value) }
}

/// The result of `PlanDocument.verify`.
public enum PlanVerification: Sendable, Equatable {
    case valid(PlanDocument)
    /// One-line reason.
    case invalid(String)
}
