import Foundation

/// An error answered as ADO's `WrappedException` body (reference/ado-rest.md §1.7).
struct ADOError: Error, Sendable, CustomStringConvertible {
    var status: Int
    var message: String
    var typeName: String
    var typeKey: String
    var eventId: Int = 3000
    var headers: [(name: String, value: String)] = []

    var description: String { "\(status) \(message)" }

    var json: JSON {
        [
            "$id": "1", "innerException": nil, "message": .string(message), "typeName": .string(typeName),
            "typeKey": .string(typeKey), "errorCode": 0, "eventId": .int(eventId),
        ]
    }

    static func badRequest(_ message: String) -> ADOError {
        ADOError(
            status: 400,
            message: message,
            typeName:
                "Microsoft.VisualStudio.Services.Common.VssServiceException, Microsoft.VisualStudio.Services.Common",
            typeKey: "VssServiceException"
        )
    }

    static func argument(_ message: String) -> ADOError {
        ADOError(
            status: 400,
            message: message,
            typeName: "System.ArgumentException, mscorlib",
            typeKey: "ArgumentException",
            eventId: 0
        )
    }

    /// Unmatched path: the ASP.NET text ADO answers for an unknown `_apis` route.
    static func noRoute(_ path: String) -> ADOError {
        ADOError(
            status: 404,
            message: "The controller for path '\(path)' was not found or does not implement IController.",
            typeName: "System.Web.HttpException, System.Web",
            typeKey: "HttpException",
            eventId: 0
        )
    }

    static func methodNotAllowed(_ method: String) -> ADOError {
        ADOError(
            status: 405,
            message: "The requested resource does not support http method '\(method)'.",
            typeName: "System.Web.HttpException, System.Web",
            typeKey: "HttpException",
            eventId: 0
        )
    }

    /// TF400813 — the exact 401 body (the user id is ADO's anonymous identity).
    static let unauthorized = ADOError(
        status: 401,
        message: "TF400813: The user 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' is not authorized to access this resource.",
        typeName:
            "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
        typeKey: "UnauthorizedRequestException"
    )

    /// VS800075 — a project that does not exist or that the caller cannot read. Status 404 (ADO hides what the
    /// caller may not see; reference/ado-rest.md lists 404 vs 403 as UNCONFIRMED, 404 chosen).
    static func projectNotVisible(id: String) -> ADOError {
        ADOError(
            status: 404,
            message:
                "VS800075: The project with id 'vstfs:///Classification/TeamProject/\(id)' does not exist, or you do not have permission to access it.",
            typeName:
                "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistException, Microsoft.TeamFoundation.Core.WebApi",
            typeKey: "ProjectDoesNotExistException"
        )
    }

    /// TF200016 — an unknown project name.
    static func projectNotFound(name: String) -> ADOError {
        ADOError(
            status: 404,
            message:
                "TF200016: The following project does not exist: \(name). Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.",
            typeName:
                "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi",
            typeKey: "ProjectDoesNotExistWithNameException"
        )
    }

    /// TF401019 — unknown, unreadable or disabled repository (404).
    static func repositoryNotFound(_ idOrName: String) -> ADOError {
        ADOError(
            status: 404,
            message:
                "TF401019: The Git repository with name or identifier \(idOrName) does not exist or you do not have permissions for the operation you are attempting.",
            typeName:
                "Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server",
            typeKey: "GitRepositoryNotFoundException"
        )
    }

    /// TF401027 — a Git permission the caller lacks (reference/ado-aw.md §4).
    static func gitNeedsPermission(action: String, identity: String, scope: String) -> ADOError {
        ADOError(
            status: 403,
            message:
                "TF401027: You need the Git '\(action)' permission to perform this action. Details: identity '\(identity)', scope '\(scope)'.",
            typeName:
                "Microsoft.TeamFoundation.Git.Server.GitNeedsPermissionException, Microsoft.TeamFoundation.Git.Server",
            typeKey: "GitNeedsPermissionException"
        )
    }

    /// A security write by a caller without the namespace's write (manage) bit on the token (UNCONFIRMED text;
    /// the shape ADO uses for security access checks).
    static func accessDenied(identity: String, token: String, permissions: [String]) -> ADOError {
        ADOError(
            status: 403,
            message:
                "Access Denied: \(identity) needs the following permission(s) on the resource \(token) to perform this action: \(permissions.joined(separator: ", "))",
            typeName:
                "Microsoft.TeamFoundation.Framework.Server.AccessCheckException, Microsoft.TeamFoundation.Framework.Server",
            typeKey: "AccessCheckException"
        )
    }

    static func namespaceNotFound(_ id: String) -> ADOError {
        ADOError(
            status: 404,
            message: "The security namespace \(id) does not exist.",
            typeName:
                "Microsoft.TeamFoundation.Framework.Server.InvalidSecurityNamespaceException, Microsoft.TeamFoundation.Framework.Server",
            typeKey: "InvalidSecurityNamespaceException"
        )
    }

    /// TF215106 — a build permission (queue, edit) the caller lacks.
    static func buildAccessDenied(identity: String, permission: String, definition: String, project: String) -> ADOError
    {
        ADOError(
            status: 403,
            message:
                "TF215106: Access denied. \(identity) needs \(permission) permissions for build pipeline \(definition) in team project \(project) to perform the action. For more information, contact the Azure DevOps Server administrator.",
            typeName:
                "Microsoft.TeamFoundation.Build.WebApi.AccessDeniedException, Microsoft.TeamFoundation.Build2.WebApi",
            typeKey: "AccessDeniedException"
        )
    }

    static func definitionNotFound(_ id: String) -> ADOError {
        ADOError(
            status: 404,
            message: "Build pipeline \(id) was not found.",
            typeName:
                "Microsoft.TeamFoundation.Build.WebApi.DefinitionNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
            typeKey: "DefinitionNotFoundException"
        )
    }

    /// A definition update whose `revision` is not the stored one (status 409; text UNCONFIRMED).
    static func definitionRevisionConflict(id: Int, sent: Int, current: Int) -> ADOError {
        ADOError(
            status: 409,
            message:
                "The pipeline \(id) was updated by another client: the request is based on revision \(sent), the current revision is \(current). Get the latest pipeline and try again.",
            typeName:
                "Microsoft.TeamFoundation.Build.WebApi.DefinitionUpdateConflictException, Microsoft.TeamFoundation.Build2.WebApi",
            typeKey: "DefinitionUpdateConflictException"
        )
    }

    /// TF237111 — saving (creating, updating, commenting on) a work item under an area the caller cannot write.
    static let workItemAreaDenied = ADOError(
        status: 403,
        message:
            "TF237111: The current user does not have permissions to save work items under the specified area path.",
        typeName:
            "Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemUnauthorizedAccessException, Microsoft.TeamFoundation.WorkItemTracking.Server",
        typeKey: "WorkItemUnauthorizedAccessException"
    )

    /// TF401232 — a work item that does not exist or that the caller cannot read.
    static func workItemNotFound(_ id: Int) -> ADOError {
        ADOError(
            status: 404,
            message: "TF401232: Work item \(id) does not exist, or you do not have permissions to read it.",
            typeName:
                "Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemUnauthorizedAccessException, Microsoft.TeamFoundation.WorkItemTracking.Server",
            typeKey: "WorkItemUnauthorizedAccessException"
        )
    }

    /// An api-version newer than the emulator (and the 2026 service) supports.
    static func versionOutOfRange(_ requested: String) -> ADOError {
        ADOError(
            status: 400,
            message:
                "The requested REST API version of \(requested) is out of range for this server. The latest REST API version this server supports is 7.2.",
            typeName:
                "Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi",
            typeKey: "VssVersionOutOfRangeException"
        )
    }

    static func invalidVersion(_ requested: String) -> ADOError {
        ADOError(
            status: 400,
            message: "The requested version \"\(requested)\" of the resource is not valid.",
            typeName:
                "Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi",
            typeKey: "VssInvalidApiVersionException"
        )
    }

    static func notFound(_ message: String, typeKey: String) -> ADOError {
        ADOError(
            status: 404,
            message: message,
            typeName: "Microsoft.VisualStudio.Services.WebApi.\(typeKey), Microsoft.VisualStudio.Services.WebApi",
            typeKey: typeKey
        )
    }
}
