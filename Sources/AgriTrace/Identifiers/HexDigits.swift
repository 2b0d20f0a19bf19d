import Foundation

/// Hexadecimal digits checked with one test at the end, not a branch per byte: every record's
/// eventID and every link's record digest are checked so.
enum HexDigits {
    /// Whether every byte is `0`–`9` or `a`–`f` (with `upperCase`, also `A`–`F`). A byte is a digit
    /// when it is under 10 above `0`, a letter when under 6 above `a` (the subtractions wrap, so
    /// anything below lands high); `| 0x20` folds `A`–`F` onto `a`–`f` and moves no other byte there.
    @inline(__always)
    static func areAll(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, upperCase: Bool) -> Bool {
        let fold: UInt8 = upperCase ? 0x20 : 0
        var misses: UInt8 = 0
        for byte in UnsafeBufferPointer(rebasing: bytes) { misses |= (byte &- 0x30 < 10 ? 0 : 1) & ((byte | fold) &- 0x61 < 6 ? 0 : 1) }
        return misses == 0
    }
}
