import Foundation

/// Durations as the command line and fault files write them: `50ms`, `1.5s`, `2m`, `1h`; a bare number is
/// seconds. Values are seconds as `Double`.
public enum Durations {
    /// Seconds of `text`, or nil when it is not a duration (negative values are not durations).
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number >= 0, number.isFinite else {
                return nil
            }
            return number * factor
        }
        guard let number = Double(trimmed), number >= 0, number.isFinite else { return nil }
        return number
    }

    /// `0.05` → `"50ms"`, `300` → `"5m"`: the shortest exact spelling, for messages and the fault route.
    public static func text(_ seconds: Double) -> String {
        if seconds >= 3600, (seconds / 3600).rounded() == seconds / 3600 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, (seconds / 60).rounded() == seconds / 60 { return "\(Int(seconds / 60))m" }
        if seconds.rounded() == seconds { return "\(Int(seconds))s" }
        let milliseconds = (seconds * 1000).rounded()
        return milliseconds == milliseconds.rounded() ? "\(Int(milliseconds))ms" : "\(seconds)s"
    }
}

/// A deterministic 64-bit mixer (SplitMix64's finalizer): the emulator's only source of "randomness", so a seed
/// reproduces jitter and probabilistic faults exactly.
enum Mix {
    static func hash(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Combines values in order (each step re-mixed, so `(a, b)` and `(b, a)` differ).
    static func hash(_ values: [UInt64]) -> UInt64 {
        values.reduce(0x243F_6A88_85A3_08D3) { hash($0 ^ $1) }
    }

    /// FNV-1a of text, to fold strings into `hash`.
    static func fold(_ text: String) -> UInt64 { fold(text.utf8) }

    static func fold(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return value
    }

    /// A uniform value in [0, 1) from a hash.
    static func unit(_ value: UInt64) -> Double { Double(value >> 11) / Double(UInt64(1) << 53) }
}
