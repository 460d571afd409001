import ADOClient
import Foundation
import Plan

extension FuzzChecks {
    /// The two decoders of ADO error text on any bytes. As an HTTP error body (`ServiceError(response:)`, JSON or
    /// plain text): a non-empty one-line message, a `TF`/`VS` code only when the message starts with it. As text
    /// given to `explain` (`ErrorDecoder.decode`): only known codes, each message starting with its code, the
    /// same answer twice.
    public static func errorText(_ data: Data) throws(InvariantViolation) {
        let text = String(decoding: data, as: UTF8.self)
        for contentType in ["application/json; charset=utf-8", "text/plain", "text/html"] {
            let response = HTTPResponse(
                status: 403,
                headers: ["Content-Type": contentType],
                body: data,
                url: URL(string: "https://dev.azure.com/fuzz/_apis/x")!
            )
            let error = ServiceError(response: response, route: "GET _apis/x")
            try MessageCheck.oneLine(error.message, "service error message", input: text)
            try MessageCheck.oneLine(ADOError.service(error).description, "service error", input: text)
            if let code = error.code {
                guard error.message.hasPrefix(code), code.count > 2,
                    code.hasPrefix("TF") || code.hasPrefix("VS"), code.dropFirst(2).allSatisfy(\.isASCIIDigit)
                else { throw InvariantViolation("code '\(code)' is not the start of '\(error.message)'") }
            }
        }
        let decoded = ErrorDecoder.decode(text)
        guard decoded == ErrorDecoder.decode(text) else { throw InvariantViolation("two decodes of the text differ") }
        for error in decoded {
            guard ErrorDecoder.codes.contains(error.code) else {
                throw InvariantViolation("unknown code \(error.code)")
            }
            guard error.message.hasPrefix(error.code) else {
                throw InvariantViolation("\(error.code)'s message does not start with it: \(error.message)")
            }
            guard error.bits >= 0 else { throw InvariantViolation("negative bits \(error.bits)") }
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
