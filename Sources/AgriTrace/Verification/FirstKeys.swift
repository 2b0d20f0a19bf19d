/// The first few keys met and what each gave, compared one by one before the costlier way of
/// finding a key's value is taken.
///
/// A bundle's records name a handful of signers, thousands of times: comparing a keyid with a few
/// others costs less than hashing its 64 digits, and the records' keyids are interned, so a repeat
/// is the same storage and compares at once.
struct FirstKeys<Value> {
    /// How many keys are kept; keys met after them always take the costlier way.
    static var limit: Int { 16 }
    private var entries: [(key: String, value: Value)] = []

    /// The value kept for `key`, else `find(key)`'s, kept while there is room.
    mutating func value(for key: String, _ find: (String) throws -> Value) rethrows -> Value {
        for index in entries.indices where entries[index].key == key { return entries[index].value }
        let value = try find(key)
        if entries.count < Self.limit { entries.append((key, value)) }
        return value
    }
}
