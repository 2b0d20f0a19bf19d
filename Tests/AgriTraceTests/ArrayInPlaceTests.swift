import Testing
@testable import AgriTrace

@Suite("Lists read in place")
struct ArrayInPlaceTests {
    struct Stop: Error, Equatable { let at: Int }

    @Test("every element is handed over once, in order, with its index", arguments: [0, 1, 2, 17])
    func visitsEachInOrder(count: Int) {
        let list = (0..<count).map { "item \($0) " + String(repeating: "x", count: $0) }  // heap strings, not small ones
        var seen: [String] = [], indexed: [(Int, String)] = []
        list.forEachInPlace { seen.append($0) }
        list.forEachIndexedInPlace { indexed.append(($0, $1)) }
        #expect(seen == list)
        #expect(indexed.map(\.0) == Array(list.indices))
        #expect(indexed.map(\.1) == list)
    }

    @Test("an absent list hands over nothing; a present one, through the optional, all of it")
    func optionalLists() {
        var absent: [Int]?, count = 0
        absent.forEachInPlace { _ in count += 1 }
        absent.forEachIndexedInPlace { _, _ in count += 1 }
        #expect(count == 0)
        absent = [4, 5, 6]
        var sum = 0
        absent.forEachInPlace { sum += $0 }
        absent.forEachIndexedInPlace { index, value in sum += index * value }
        #expect(sum == 15 + (0 * 4 + 1 * 5 + 2 * 6))
    }

    @Test("an error thrown by the body stops the walk there and comes out with its own type")
    func stopsAtTheFirstError() {
        let list = Array(0..<10)
        var visited: [Int] = []
        #expect(throws: Stop(at: 3)) {
            try list.forEachInPlace { (value) throws(Stop) in
                visited.append(value)
                if value == 3 { throw Stop(at: value) }
            }
        }
        #expect(visited == [0, 1, 2, 3])
        let error = #expect(throws: Stop.self) {
            try list.forEachIndexedInPlace { (index, _) throws(Stop) in if index == 7 { throw Stop(at: index) } }
        }
        #expect(error == Stop(at: 7))
    }
}
