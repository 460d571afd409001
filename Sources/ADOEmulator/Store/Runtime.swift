/// State that exists only while the emulator runs and is not part of the snapshot format: minted pipeline
/// tokens, and what pipelines created (work items, PR threads, pushes, tags, queued builds).
struct Runtime: Sendable {
    /// Minted job tokens (bearer).
    var mintedTokens: [String: Credential] = [:]
    var mintedCount = 0

    struct WorkItem: Sendable {
        var id: Int
        var rev: Int
        var projectId: String
        var areaIdentifier: String
        var fields: JSONObject
        var comments: [JSONObject]
    }

    var workItems: [Int: WorkItem] = [:]
    var nextWorkItemId = 1
    var nextBuildId = 1
    var nextThreadId = 1
    var nextPushId = 1
    var nextCommentId = 1
    /// Branches created through the refs and pushes APIs: `"{repoId}|{ref name}"` → object id.
    var refs: [String: String] = [:]
}
