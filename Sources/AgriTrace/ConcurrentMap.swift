import Foundation

/// Output slots that concurrent workers fill, each at its own index.
private final class Slots<T>: @unchecked Sendable {
    var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

extension RandomAccessCollection where Index == Int, Self: Sendable, Element: Sendable {
    /// `map` on all cores, in order. `transform` must be safe to call from many threads.
    public func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let slots = Slots<T>(count: count)
        let start = startIndex
        // Each worker writes a distinct index of a buffer whose storage never moves.
        slots.values.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: count) { offset in
                buffer[offset] = transform(self[start + offset])
            }
        }
        return slots.values.map { $0! }  // every slot was filled above
    }
}
