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
        let (left, right) = (lhs.text.utf8, rhs.text.utf8)
        guard left.count == right.count else { return false }
        // Compared in place: a table lookup compares keys often, and copying each string out to
        // reach its bytes cost two reference count changes per comparison.
        let inPlace = left.withContiguousStorageIfAvailable { a in
            right.withContiguousStorageIfAvailable { b in
                guard let x = a.baseAddress, let y = b.baseAddress, x != y else { return true }  // empty, or the same storage
                return memcmp(x, y, a.count) == 0
            }
        }
        return (inPlace ?? nil) ?? left.elementsEqual(right)
    }

    func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {  // a bridged string with no UTF-8 storage of its own: hash its bytes from a copy
            var copy = text
            copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}
