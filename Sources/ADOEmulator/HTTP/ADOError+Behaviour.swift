/// Errors the emulator's behaviours produce (throttling, injected faults) rather than its routes.
extension ADOError {
    /// 429 TF400733 with ADO's text and exception type (reference/ado-rest.md §1.7, §1.8).
    static func requestBlocked(resource: String, namespace: String) -> ADOError {
        ADOError(
            status: 429,
            message:
                "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource "
                + "'\(resource)' in namespace '\(namespace)'. For more information on why your request was blocked, "
                + "see the topic \"Rate limits\" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).",
            typeName:
                "Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server",
            typeKey: "RequestBlockedException"
        )
    }

    /// The body of an injected server error. ADO's 5xx texts vary by service and are not documented; these are
    /// WrappedException-shaped with messages of the kind ADO sends (UNCONFIRMED texts), unless the rule gives one.
    static func injected(status: Int, message: String?) -> ADOError {
        switch status {
        case 429:
            var error = requestBlocked(resource: RateLimitMiddleware.resource, namespace: "User")
            if let message { error.message = message }
            return error
        case 503:
            return ADOError(
                status: 503,
                message: message
                    ?? "TF246017: Team Foundation Server could not connect to the database. Verify that the server "
                    + "that is hosting the database is operational, and that network problems are not blocking "
                    + "communication with the server.",
                typeName:
                    "Microsoft.TeamFoundation.Framework.Server.DatabaseConnectionException, Microsoft.TeamFoundation.Framework.Server",
                typeKey: "DatabaseConnectionException"
            )
        case 502, 504:
            return ADOError(
                status: status,
                message: message
                    ?? (status == 502
                        ? "TF400898: An Internal Error Occurred. The gateway received an invalid response from the service."
                        : "TF400898: An Internal Error Occurred. The service did not answer the gateway in time."),
                typeName:
                    "Microsoft.VisualStudio.Services.Common.VssServiceException, Microsoft.VisualStudio.Services.Common",
                typeKey: "VssServiceException"
            )
        default:
            return ADOError(
                status: status,
                message: message ?? "TF400898: An Internal Error Occurred.",
                typeName: "System.InvalidOperationException, mscorlib",
                typeKey: "InvalidOperationException"
            )
        }
    }
}
