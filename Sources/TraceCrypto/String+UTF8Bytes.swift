extension String {
    /// `body` over the string's UTF-8 bytes, read where they are.
    ///
    /// `withUTF8` is `mutating`, so calling it on a value means copying the string into a `var`
    /// first, and the copy takes a reference count and gives it back: two atomic operations, each
    /// costing about as much as thirty ordinary instructions. The verifier asks questions of a
    /// record's strings a few hundred times per record; this answers them without the copy. A
    /// string whose bytes are not contiguous (one bridged from elsewhere) is copied, as `withUTF8`
    /// would copy it.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 bytes, read in place (``Swift/String/withUTF8Bytes(_:)``): the
    /// generic `bytes += text.utf8` takes a reference count on the string and gives it back.
    @inlinable
    public mutating func append(utf8Of text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }
}
