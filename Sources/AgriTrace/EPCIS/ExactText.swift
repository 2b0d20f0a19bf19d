import Foundation

/// Text compared and hashed by its UTF-8 bytes, that is by code point, as Python and so GS1's
/// event hash reference compare: not by Swift's canonical equivalence, under which `Å` (U+00C5),
/// `A` + U+030A and the Ångström sign U+212B are one string. A table keyed by `String` would hand
/// back the first of them for the others, and an event hash would then hash bytes its event does
/// not hold (a value typed in NFD on one machine after the same in NFC on another).
struct ExactText: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        var (left, right) = (lhs.text, rhs.text)
        return left.withUTF8 { a in
            right.withUTF8 { b in
                guard a.count == b.count, let first = a.baseAddress, let second = b.baseAddress else { return a.count == b.count }
                return memcmp(first, second, a.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
