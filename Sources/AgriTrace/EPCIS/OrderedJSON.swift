import Foundation

/// JSON that keeps member order and number literals exactly as written, for the CBV 2.0 event
/// hash, whose reference algorithm depends on both. Not `indirect`: its arrays already give the
/// recursion its indirection, and a box for every value was an allocation each.
enum OrderedJSON: Equatable, Sendable {
    case string(String)
    /// A number, as its literal text.
    case number(String)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([Member])

    struct Member: Equatable, Sendable {
        var key: String
        var value: OrderedJSON
    }

    /// The value of member `key`, if this is an object that has it.
    subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var stringValue: String? { if case .string(let text) = self { text } else { nil } }

    /// How many values this holds, itself included (each string, number, literal, array and object).
    var valueCount: Int {
        switch self {
        case .array(let items): items.reduce(1) { $0 + $1.valueCount }
        case .object(let members): members.reduce(1) { $0 + $1.value.valueCount }
        default: 1
        }
    }

    /// What a member with this value stands for in the event hash's tree: an array's elements,
    /// each an element of the member's name, or this one value.
    var memberElements: [OrderedJSON] {
        if case .array(let elements) = self { elements } else { [self] }
    }

    /// Whether `body` holds for each of ``memberElements``, asked in order until it does not:
    /// without the list of one that a value other than an array is made into (an allocation for
    /// nearly every member of an ILMD, whose pre-hash is written for every harvest).
    func allMemberElements(_ body: (OrderedJSON) throws -> Bool) rethrows -> Bool {
        guard case .array(let elements) = self else { return try body(self) }
        for element in elements where try !body(element) { return false }
        return true
    }

    /// Members in code point order of their names. A few (nearly every object) by swaps in
    /// place, which move them, where the library's sort copied and released each; many by the
    /// library's sort (n log n, not n²).
    static func sortByName(_ members: inout [Member]) {
        guard members.count <= 16 else { return members.sort { CodePointOrder.precedes($0.key, $1.key) } }
        members.withUnsafeMutableBufferPointer { members in
            for end in members.indices.dropFirst() {
                var place = end
                while place > 0, CodePointOrder.precedes(members[place].key, members[place - 1].key) {
                    members.swapAt(place, place - 1)
                    place -= 1
                }
            }
        }
    }

    /// Parses JSON bytes, keeping order and literals; at most `maxValues` values.
    static func parse(_ data: Data, maxValues: Int = .max) throws -> OrderedJSON {
        do { return try JSONParser<OrderedJSONBuilder>.parse(data, maxDepth: 64, maxValues: maxValues) } catch {
            throw TraceError("epcis.malformed", "not valid JSON at \(error)")
        }
    }

    /// The JSON text of this value (compact, members in order).
    var jsonText: String {
        var writer = CanonicalJSONWriter()
        write(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Compact JSON, members in their order, numbers as written, strings escaped as `JSONEncoder`
    /// escapes them (without `\/`): one buffer for a whole document, where building a string per
    /// value made exporting 20,000 events take seconds.
    func write(into writer: inout CanonicalJSONWriter) {
        switch self {
        case .string(let text): writer.string(text)
        case .number(let literal): writer.raw(literal)
        case .bool(let value): writer.raw(value ? "true" : "false")
        case .null: writer.raw("null")
        case .array(let items): writer.array(items) { writer, item in item.write(into: &writer) }
        case .object(let members):
            writer.object { writer, first in
                for member in members { writer.member(key: member.key, first: &first) { member.value.write(into: &$0) } }
            }
        }
    }
}

/// Builds ``OrderedJSON`` for ``JSONParser``.
enum OrderedJSONBuilder: JSONTreeBuilder {
    static func string(_ value: String) -> OrderedJSON { .string(value) }
    static func number(_ literal: UnsafeRawBufferPointer) -> OrderedJSON { .number(String(decoding: literal, as: UTF8.self)) }
    static func bool(_ value: Bool) -> OrderedJSON { .bool(value) }
    static var null: OrderedJSON { .null }
    static func array(_ elements: [OrderedJSON]) -> OrderedJSON { .array(elements) }
    static func object(_ members: [(String, OrderedJSON)]) -> OrderedJSON? {
        // Names compared by code point (``ExactText``), as the reference's Python reads them:
        // `Å` and `A` + U+030A are two members, not one repeated.
        if members.count <= 16 {  // small objects: comparing pairs is cheaper than hashing
            for i in members.indices.dropFirst() where members[..<i].contains(where: { ExactText($0.0) == ExactText(members[i].0) }) { return nil }
        } else {
            var seen = Set<ExactText>()
            for (key, _) in members where !seen.insert(ExactText(key)).inserted { return nil }
        }
        return .object(members.map { OrderedJSON.Member(key: $0.0, value: $0.1) })
    }
}
