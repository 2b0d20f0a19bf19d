import Foundation
import TraceCrypto

/// A short, fixed list of names, looked up by their UTF-8 bytes: a few per length, compared with
/// `memcmp`. For the lists the readers and the pre-hash ask about every member name they meet
/// (an event's members, sensor fields): a `Dictionary` would hash each name first, and most are
/// answered by their length alone.
struct NameTable: Sendable {
    /// The names by their length in bytes, each with its place in the list given.
    private let byLength: [[(name: [UInt8], index: Int)]]

    init(_ names: [String]) {
        let longest = names.map(\.utf8.count).max() ?? 0
        var table = [[(name: [UInt8], index: Int)]](repeating: [], count: longest + 1)
        for (index, name) in names.enumerated() { table[name.utf8.count].append((Array(name.utf8), index)) }
        byLength = table
    }

    /// The place in the list of the name that is exactly `bytes`; nil for any other.
    func index(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count < byLength.count, let base = bytes.baseAddress else { return nil }
        for (name, index) in byLength[bytes.count] where memcmp(base, name, bytes.count) == 0 { return index }
        return nil
    }

    /// The place in the list of `name`, compared by code point (as the reference compares names).
    func index(of name: String) -> Int? {
        name.withUTF8Bytes { index(of: UnsafeRawBufferPointer($0)) }
    }
}
