import Foundation
import Plan

extension FuzzChecks {
    /// `PlanDocument.verify` on any bytes, as they are and resealed (a fresh `planId` over the body, so mutations
    /// get past the digest check and into the decoder). A plan is either rejected with a one-line reason, or
    /// accepted with content its seal covers: every member the decoded plan holds is in the sealed JSON with the
    /// same value, and its canonical file re-verifies to the same plan and bytes.
    public static func plan(_ data: Data) throws(InvariantViolation) {
        try checkVerification(data)
        if let resealed = reseal(data) { try checkVerification(resealed) }
    }

    private static func checkVerification(_ data: Data) throws(InvariantViolation) {
        let input = String(decoding: data, as: UTF8.self)
        switch PlanDocument.verify(data) {
        case .invalid(let reason):
            try MessageCheck.oneLine(reason, "plan rejection", input: input)
        case .valid(let document):
            guard document.format == PlanDocument.formatName else {
                throw InvariantViolation("accepted format '\(document.format)'")
            }
            guard let sealed = try? JSONValue.parse(data) else { throw InvariantViolation("accepted non-JSON") }
            let decoded = CanonicalJSON.jsonValue(document)
            if let path = firstDifference(covered: decoded, by: sealed, path: "$") {
                throw InvariantViolation("the decoded plan differs from the sealed JSON at \(path)")
            }
            for finding in document.findings {
                for remedy in finding.remedies {
                    for change in remedy.changes where !change.hasValidId {
                        throw InvariantViolation("accepted change \(change.id) that does not match its content")
                    }
                }
            }
            let file = document.fileData()
            guard case .valid(let again) = PlanDocument.verify(file) else {
                throw InvariantViolation("the canonical file of an accepted plan does not verify")
            }
            var expected = document
            expected.planId = again.planId
            guard again == expected, again.fileData() == file else {
                throw InvariantViolation("an accepted plan does not survive its own canonical file")
            }
        }
    }

    /// The JSON object with `planId` set to the digest of the rest, written canonically; nil if not an object.
    static func reseal(_ data: Data) -> Data? {
        guard case .object(var members) = try? JSONValue.parse(data) else { return nil }
        members["planId"] = nil
        members["planId"] = .string(sha256Hex(CanonicalJSON.compact(.object(members))))
        return CanonicalJSON.pretty(JSONValue.object(members))
    }

    /// Where `decoded` holds something `sealed` does not (members `sealed` has beyond it are allowed: unknown ones
    /// a newer version wrote, explicit nulls), or nil.
    static func firstDifference(covered decoded: JSONValue, by sealed: JSONValue, path: String) -> String? {
        switch (decoded, sealed) {
        case (.object(let inner), .object(let outer)):
            for key in inner.keys.sorted() {
                guard let value = outer[key] else { return "\(path).\(key) (missing)" }
                if let difference = firstDifference(covered: inner[key]!, by: value, path: "\(path).\(key)") {
                    return difference
                }
            }
            return nil
        case (.array(let inner), .array(let outer)):
            guard inner.count == outer.count else { return "\(path) (\(inner.count) vs \(outer.count) items)" }
            for (index, (left, right)) in zip(inner, outer).enumerated() {
                if let difference = firstDifference(covered: left, by: right, path: "\(path)[\(index)]") {
                    return difference
                }
            }
            return nil
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Double(left) == right ? nil : path
        default:
            return decoded == sealed ? nil : path
        }
    }
}
