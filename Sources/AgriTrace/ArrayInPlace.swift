extension Array {
    /// Calls `body` with each element read where the array holds it.
    ///
    /// `for element in array` hands out a copy of each element, and a copy of a value holding
    /// strings or arrays takes a reference count on each of them and gives it back: two atomic
    /// operations a reference, about as costly as thirty ordinary instructions each. The verifier
    /// walks every list of every record this way; the element is only read, never kept.
    @inlinable
    func forEachInPlace<Failure: Error>(_ body: (Element) throws(Failure) -> Void) throws(Failure) {
        try withUnsafeBufferPointer { (elements) throws(Failure) in
            for index in elements.indices { try body(elements[index]) }
        }
    }
}

extension Optional {
    /// ``Swift/Array/forEachInPlace(_:)`` of an optional list: nothing when it is absent.
    @inlinable
    func forEachInPlace<Element, Failure: Error>(_ body: (Element) throws(Failure) -> Void) throws(Failure) where Wrapped == [Element] {
        try self?.forEachInPlace(body)
    }
}

extension Array {
    /// ``forEachInPlace(_:)`` with each element's index, for messages that name it.
    @inlinable
    func forEachIndexedInPlace<Failure: Error>(_ body: (Int, Element) throws(Failure) -> Void) throws(Failure) {
        try withUnsafeBufferPointer { (elements) throws(Failure) in
            for index in elements.indices { try body(index, elements[index]) }
        }
    }
}

extension Optional {
    /// ``Swift/Array/forEachIndexedInPlace(_:)`` of an optional list: nothing when it is absent.
    @inlinable
    func forEachIndexedInPlace<Element, Failure: Error>(_ body: (Int, Element) throws(Failure) -> Void) throws(Failure) where Wrapped == [Element] {
        try self?.forEachIndexedInPlace(body)
    }
}
