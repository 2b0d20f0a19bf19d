import Foundation

/// `Decimal.description`, the form AgriTrace writes numbers in, remembered by the value's exact
/// bits: the same few quantities and readings recur across events, and Foundation formats a
/// number in about two microseconds. Equal bits are the same value in the same representation,
/// so a remembered text is always the one `description` would give.
enum DecimalText {
    static func of(_ value: Decimal) -> String {
        guard let key = Bits(value) else { return value.description }
        lock.lock()
        let known = texts[key]
        lock.unlock()
        if let known { return known }
        let text = value.description
        lock.lock()
        if texts.count >= 4096 { texts.removeAll(keepingCapacity: true) }  // bounded whatever the input
        texts[key] = text
        lock.unlock()
        return text
    }

    /// The bytes of a `Decimal` (20 on this platform), zero-padded.
    private struct Bits: Hashable {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)

        init?(_ value: Decimal) {
            guard MemoryLayout<Decimal>.size <= 24 else { return nil }
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeBytes(of: value) { source in
                withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
            }
            self.words = words
        }

        static func == (a: Bits, b: Bits) -> Bool { a.words == b.words }
        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var texts: [Bits: String] = [:]  // guarded by `lock`
}
