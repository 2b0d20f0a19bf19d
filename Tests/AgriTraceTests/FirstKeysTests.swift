import Testing
@testable import AgriTrace

@Suite("The first keys met")
struct FirstKeysTests {
    @Test("a kept key's value is found without asking again; keys past the limit are asked each time")
    func keepsTheFirstFew() {
        var keys = FirstKeys<Int>(), asked: [String] = []
        func value(_ key: String) -> Int { keys.value(for: key) { asked.append($0); return $0.utf8.count } }
        let first = (0..<FirstKeys<Int>.limit).map { String(repeating: "k", count: $0 + 1) }
        for key in first + first.reversed() { #expect(value(key) == key.utf8.count) }
        #expect(asked == first)
        let late = String(repeating: "k", count: 40)
        #expect(value(late) == 40 && value(late) == 40)
        #expect(asked == first + [late, late])
    }
}
