import Foundation

extension RandomAccessCollection where Index == Int, Self: Sendable, Element: Sendable {
    /// `map` on all cores, in order. `transform` must be safe to call from many threads.
    public func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let start = startIndex, count = count
        // Each worker initialises a distinct element of the result's own storage, in place: no
        // second array of optionals to copy from, so a large result is held once, not twice.
        return [T](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            guard let base = buffer.baseAddress else { return }
            nonisolated(unsafe) let elements = base
            DispatchQueue.concurrentPerform(iterations: count) { offset in
                (elements + offset).initialize(to: transform(self[start + offset]))
            }
            initializedCount = count  // `transform` cannot throw: every element was initialised above
        }
    }

    /// ``concurrentMap(_:)`` for a transform that can throw: every element is transformed, then
    /// the error of the first element (in order) that failed, if any, is thrown.
    public func concurrentMap<T>(throwing transform: @Sendable (Element) throws -> T) throws -> [T] {
        try concurrentMap { element in Result { try transform(element) } }.map { try $0.get() }
    }
}

extension Range where Bound == Int {
    /// This range cut into consecutive runs of `length` (the last one shorter if need be): the
    /// pieces a worker takes at a time.
    public func runs(of length: Int) -> [Range<Int>] {
        let length = Swift.max(1, length)
        return stride(from: lowerBound, to: upperBound, by: length).map { $0..<Swift.min($0 + length, upperBound) }
    }
}
