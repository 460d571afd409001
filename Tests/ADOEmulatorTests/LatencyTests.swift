import EmulatorSupport
import Foundation
import PropertyBased
import Testing

@testable import ADOEmulator

/// `--latency` / `--jitter`: every ADO request waits on the (injected) clock before it is handled.
@Suite("Latency")
struct LatencyTests {
    @Test func everyADORequestWaitsTheLatencyAndControlRoutesDoNot() async throws {
        let clock = TestClock()
        let options = EmulatorOptions(latency: LatencyOptions(latency: 0.05), clock: clock)
        try await withEmulator(options: options) { emulator in
            #expect(try await emulator.get("/_apis/projects").status == 200)
            #expect(try await emulator.get("/_apis/projects", pat: nil).status == 401)
            #expect(try await emulator.http.get("/contoso/_emulator/state", pat: nil).status == 200)
            #expect(clock.sleeps == [0.05, 0.05])
            let delays = try await emulator.requestLog().map(\.delayMs)
            #expect(delays == [50, 50])
        }
    }

    @Test func jitteredWaitsFollowTheArrivalOrderAndTheSeed() async throws {
        let latency = LatencyOptions(latency: 0.05, jitter: 0.01, seed: 7)
        let clock = TestClock()
        try await withEmulator(options: EmulatorOptions(latency: latency, clock: clock)) { emulator in
            for _ in 1...6 { _ = try await emulator.get("/_apis/projects") }
        }
        #expect(clock.sleeps == (1...6).map(latency.delay(forArrival:)))
        #expect(Set(clock.sleeps).count > 1)
    }

    @Test func jitterStaysWithinItsBoundsAndIsReproducible() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...100_000)) { seed, arrival in
            let options = LatencyOptions(latency: 0.05, jitter: 0.01, seed: UInt64(seed))
            let delay = options.delay(forArrival: arrival)
            #expect(delay >= 0.04 - 1e-9 && delay <= 0.06 + 1e-9)
            #expect(delay == LatencyOptions(latency: 0.05, jitter: 0.01, seed: UInt64(seed)).delay(forArrival: arrival))
        }
        let small = LatencyOptions(latency: 0.001, jitter: 0.01, seed: 1)
        #expect((1...200).allSatisfy { small.delay(forArrival: $0) >= 0 })
        let one = (1...50).map(LatencyOptions(latency: 0.05, jitter: 0.01, seed: 1).delay(forArrival:))
        let two = (1...50).map(LatencyOptions(latency: 0.05, jitter: 0.01, seed: 2).delay(forArrival:))
        #expect(one != two)
    }

    @Test func durationsReadTheCommandLineSpellings() {
        #expect(Durations.seconds("50ms") == 0.05)
        #expect(Durations.seconds("1.5s") == 1.5)
        #expect(Durations.seconds("5m") == 300)
        #expect(Durations.seconds("1h") == 3600)
        #expect(Durations.seconds("2") == 2)
        #expect(Durations.seconds("-1s") == nil)
        #expect(Durations.seconds("fast") == nil)
        #expect(Durations.text(300) == "5m")
        #expect(Durations.text(0.05) == "50ms")
        #expect(Durations.text(40) == "40s")
    }
}
