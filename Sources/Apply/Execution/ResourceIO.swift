import ADOClient
import Foundation
import Plan

/// Why reading or writing a resource failed.
public enum ResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case remote(ADOError)
    case file(LocalFileError)
    case frontMatter(FrontMatterError)
    case unexpected(String)

    public var description: String {
        switch self {
        case .remote(let error): error.description
        case .file(let error): error.description
        case .frontMatter(let error): error.description
        case .unexpected(let message): message
        }
    }
}

/// Reads and writes images of resources: ADO objects through `OrganizationAPI`, agent files on disk.
public struct ResourceIO: Sendable {
    public let api: any OrganizationAPI

    public init(api: any OrganizationAPI) { self.api = api }

    /// The live image: the full entry, every setting of the scope, the full definition with revision, the file text.
    public func read(_ resource: Resource) async throws(ResourceError) -> Image {
        switch resource {
        case .ace(let target):
            return .ace(try await Self.remote { () async throws(ADOError) in try await api.entry(target) })
        case .setting(let target):
            let settings = try await Self.remote { () async throws(ADOError) in
                try await api.settings(projectId: target.projectId)
            }
            return .setting(settings.values[target.name] ?? false, all: settings.values)
        case .definition(let target):
            let (definition, body) = try await Self.remote { () async throws(ADOError) in
                try await api.definition(projectId: target.projectId, id: target.definitionId)
            }
            return .definition(
                scope: definition.jobAuthorizationScope.rawValue,
                revision: definition.revision,
                body: body
            )
        case .file(let path, _):
            do {
                return .file(text: try LocalFiles.read(path))
            } catch {
                throw .file(error)
            }
        }
    }

    /// Makes the resource's state the one `image` describes: the exact entry (`merge: false`; no bits removes
    /// the entry), the setting's value, the definition's scope on its current body and revision, the file's text.
    public func write(_ image: Image, to resource: Resource) async throws(ResourceError) {
        switch (resource, image) {
        case (.ace(let target), .ace(let state)):
            try await Self.remote { () async throws(ADOError) in try await api.setEntry(target, to: state) }
        case (.setting(let target), .setting(let value, _)):
            try await Self.remote { () async throws(ADOError) in
                try await api.setSetting(projectId: target.projectId, name: target.name, value: value)
            }
        case (.definition(let target), .definition(let scope, _, _)):
            let (_, body) = try await Self.remote { () async throws(ADOError) in
                try await api.definition(projectId: target.projectId, id: target.definitionId)
            }
            guard case .object(var members) = body else {
                throw .unexpected("definition \(target.definitionId) is not a JSON object")
            }
            // Keep the wire form the service used: a name, or the enum's number (1 projectCollection, 2 project —
            // the numbers are UNCONFIRMED; ADOClient decodes them the same way).
            if case .int = members["jobAuthorizationScope"] ?? .null {
                members["jobAuthorizationScope"] = .int(scope == JobAuthorizationScope.project.rawValue ? 2 : 1)
            } else {
                members["jobAuthorizationScope"] = .string(scope)
            }
            let updated = JSONValue.object(members)
            try await Self.remote { () async throws(ADOError) in
                try await api.updateDefinition(projectId: target.projectId, id: target.definitionId, body: updated)
            }
        case (.file(let path, _), .file(let text)):
            guard let text else { throw .unexpected("\(path): refusing to delete an agent file") }
            do {
                try LocalFiles.replaceContents(of: path, with: text)
            } catch {
                throw .file(error)
            }
        default:
            throw .unexpected("image \(image.summary) does not fit \(resource.label)")
        }
    }

    static func remote<T>(_ body: () async throws(ADOError) -> T) async throws(ResourceError) -> T {
        do {
            return try await body()
        } catch {
            throw .remote(error)
        }
    }
}
