import Foundation

/// `Decimal.description`, the form AgriTrace writes numbers in, remembered by the value's exact
/// bits: the same few quantities and readings recur across events, and Foundation formats a
/// number in about two microseconds. Equal bits are the same value in the same representation,
/// so a remembered text is always the one `description` would give.
enum DecimalText {
    static func of(_ value: Decimal) -> String {
        guard let key = Bits(value) else { return value.description }
        if let known = lock.withLock({ texts[key] }) { return known }
        let text = value.description
        lock.withLock {
            if texts.count >= 4096 { texts.removeAll(keepingCapacity: true) }  // bounded whatever the input
            texts[key] = text
        }
        return text
    }

    /// The bytes of a `Decimal` (20 on this platform), zero-padded.
    private struct Bits: Hashable {
        var low: UInt64 = 0, middle: UInt64 = 0, high: UInt64 = 0

        init?(_ value: Decimal) {
            guard MemoryLayout<Decimal>.size <= MemoryLayout<Bits>.size else { return nil }
            withUnsafeBytes(of: value) { source in
                withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: source) }
            }
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var texts: [Bits: String] = [:]  // guarded by `lock`
}
