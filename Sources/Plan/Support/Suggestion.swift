/// "Did you mean …?" suggestions by edit distance.
enum Suggestion {
    /// The candidate closest to `word` (case-insensitive Levenshtein distance), if it is close enough to be a
    /// plausible typo: at most a third of the word's length, minimum 2. Ties go to the earlier candidate.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let lowered = Array(candidate.lowercased().unicodeScalars)
            if abs(lowered.count - target.count) > limit { continue }
            let distance = levenshtein(target, lowered)
            if distance <= limit, best.map({ distance < $0.1 }) ?? true { best = (candidate, distance) }
        }
        // A candidate that contains the word (or the reverse) is a good guess even when the distance is large.
        if best == nil, word.count >= 4 {
            let lowered = word.lowercased()
            best = candidates.first {
                $0.count >= 4 && ($0.lowercased().contains(lowered) || lowered.contains($0.lowercased()))
            }
                .map { ($0, 0) }
        }
        return best?.0
    }

    /// ` (did you mean X?)`, or "" when nothing is close. When the word holds a character the suggestion does not
    /// and that is not printable ASCII (a Cyrillic look-alike, a zero-width space), the hint names it: printed, the
    /// two would look the same.
    static func hint(for word: String, in candidates: [String]) -> String {
        guard let match = closest(to: word, in: candidates) else { return "" }
        return " (did you mean \(match)?\(lookAlike(in: word, comparedTo: match).map { "; " + $0 } ?? ""))"
    }

    /// `the name has U+0430 CYRILLIC SMALL LETTER A at character 2`, for the first such character of `word`.
    static func lookAlike(in word: String, comparedTo match: String) -> String? {
        let known = Set(match.unicodeScalars)
        for (index, scalar) in word.unicodeScalars.enumerated()
        where !(0x20..<0x7F).contains(scalar.value) && !known.contains(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            let name = scalar.properties.name.map { " " + $0 } ?? ""
            return "the name has U+\(padded)\(name) at character \(index + 1)"
        }
        return nil
    }

    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
