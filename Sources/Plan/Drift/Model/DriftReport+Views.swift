extension DriftReport {
    /// The report limited to what changed since the previous run: new or changed items and resolved ones (what
    /// watch mode prints after its first run). Entries and notes are kept.
    public var delta: DriftReport {
        var copy = self
        copy.items = newItems
        copy.summary.items = copy.items.count
        return copy
    }

    /// Whether anything changed since the previous run.
    public var hasNews: Bool { !newItems.isEmpty || !resolved.isEmpty }
}

extension Change {
    /// The `+ allow …` / `- deny …` / `~ setting …` lines `adoperm plan` prints for this change.
    public var displayLines: [String] { PlanText.lines(self) }
}
