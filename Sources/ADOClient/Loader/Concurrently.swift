/// Runs `body` for every element with at most `width` in flight, keeping input order. The first failure cancels
/// the rest and is rethrown. (The transport bounds per-host concurrency; `width` only bounds the number of tasks.)
func concurrently<Element: Sendable, Result: Sendable>(
    _ elements: [Element],
    width: Int = 8,
    _ body: @escaping @Sendable (Element) async throws(ADOError) -> Result
) async throws(ADOError) -> [Result] {
    if elements.isEmpty { return [] }
    if elements.count == 1 { return [try await body(elements[0])] }
    let outcome: Swift.Result<[Result], ADOError> = await withTaskGroup(of: (Int, Swift.Result<Result, ADOError>).self)
    { group in
        var results = [Result?](repeating: nil, count: elements.count)
        var next = 0
        func start() {
            let index = next
            let element = elements[index]
            next += 1
            group.addTask { (index, await capture { () async throws(ADOError) in try await body(element) }) }
        }
        while next < min(width, elements.count) { start() }
        while let (index, result) = await group.next() {
            switch result {
            case .success(let value):
                results[index] = value
                if next < elements.count { start() }
            case .failure(let error):
                group.cancelAll()
                return .failure(error)
            }
        }
        return .success(results.map { $0! })
    }
    return try outcome.get()
}

/// Runs two independent operations in parallel.
func inParallel<A: Sendable, B: Sendable>(
    _ first: @escaping @Sendable () async throws(ADOError) -> A,
    _ second: @escaping @Sendable () async throws(ADOError) -> B
) async throws(ADOError) -> (A, B) {
    async let a = capture(first)
    async let b = capture(second)
    let (ra, rb) = await (a, b)
    return (try ra.get(), try rb.get())
}

/// The outcome of a typed-throwing operation as a value.
func capture<T>(_ operation: () async throws(ADOError) -> T) async -> Swift.Result<T, ADOError> {
    do throws(ADOError) {
        return .success(try await operation())
    } catch {
        return .failure(error)
    }
}
