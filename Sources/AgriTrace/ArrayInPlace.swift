extension Array {
    /// Calls `body` with each element, by index, in order.
    ///
    /// `for element in array` (and `enumerated()`, `?? []`) goes through an iterator that holds
    /// its own copy of the array and hands out each element with a reference count taken and given
    /// back for every string or list it holds: two atomic operations a reference, each about as
    /// costly as thirty ordinary instructions. Here each element is lent to `body` where the
    /// caller's list holds it (the array's own subscript would hand out a copy too, through the
    /// type's copying function), and the verifier walks every list of every record (measured:
    /// 947 → 908 counts a record by index, together with the reads below). A body that reads only
    /// a field or two of a larger element still does better reading them through the list's storage
    /// (`withUnsafeBufferPointer`), as the wire-form check, BareWords and the identifier walk do:
    /// the body's uses of the element may still copy it (measured: those three through this, 22
    /// counts a record more).
    @inlinable
    func forEachInPlace<Failure: Error>(_ body: (borrowing Element) throws(Failure) -> Void) throws(Failure) {
        try withUnsafeBufferPointer { elements throws(Failure) in
            for index in elements.indices { try body(elements[index]) }
        }
    }
}

extension Optional {
    /// ``Swift/Array/forEachInPlace(_:)`` of an optional list: nothing when it is absent.
    @inlinable
    func forEachInPlace<Element, Failure: Error>(_ body: (borrowing Element) throws(Failure) -> Void) throws(Failure) where Wrapped == [Element] {
        try self?.forEachInPlace(body)
    }
}

extension Array {
    /// ``forEachInPlace(_:)`` with each element's index, for messages that name it.
    @inlinable
    func forEachIndexedInPlace<Failure: Error>(_ body: (Int, borrowing Element) throws(Failure) -> Void) throws(Failure) {
        try withUnsafeBufferPointer { elements throws(Failure) in
            for index in elements.indices { try body(index, elements[index]) }
        }
    }
}

extension Optional {
    /// ``Swift/Array/forEachIndexedInPlace(_:)`` of an optional list: nothing when it is absent.
    @inlinable
    func forEachIndexedInPlace<Element, Failure: Error>(_ body: (Int, borrowing Element) throws(Failure) -> Void) throws(Failure) where Wrapped == [Element] {
        try self?.forEachIndexedInPlace(body)
    }
}
