/// Per-request latency (`serve --latency 50ms --jitter 10ms --seed 7`): every ADO request waits
/// `latency ± jitter` before it is handled. The jitter of the n-th request (in arrival order) is a function of the
/// seed and n only, so a run with the same seed and the same request order waits exactly the same.
public struct LatencyOptions: Sendable, Equatable {
    /// Seconds added to every request.
    public var latency: Double
    /// Largest deviation (seconds) from `latency`, uniform in `[-jitter, +jitter]`; the total never goes below 0.
    public var jitter: Double
    public var seed: UInt64

    public init(latency: Double, jitter: Double = 0, seed: UInt64 = 0) {
        self.latency = max(0, latency)
        self.jitter = max(0, jitter)
        self.seed = seed
    }

    /// The wait of the `arrival`-th request (1-based), rounded to microseconds.
    public func delay(forArrival arrival: Int) -> Double {
        guard jitter > 0 else { return latency }
        let unit = Mix.unit(Mix.hash([seed, UInt64(truncatingIfNeeded: arrival)]))
        let value = max(0, latency + jitter * (2 * unit - 1))
        return (value * 1e6).rounded() / 1e6
    }
}

/// Waits the configured latency before handing the request on (control routes are not delayed).
struct LatencyMiddleware: RequestMiddleware {
    let options: LatencyOptions
    let pauses: Pauses
    let arrivals = ArrivalCounter()

    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        guard context.route.access != .control else { return try await next(request, context) }
        let wait = options.delay(forArrival: arrivals.next())
        await pauses.pause(wait)
        var response = try await next(request, context)
        response.delay += wait
        return response
    }
}
