/// The namespace prefixes in force while a ``PreHashNode`` tree is built (from the document's
/// context and any `@xmlns` members met so far), with the member names already expanded: names
/// repeat (a list of a thousand readings names `agt:value` a thousand times), and expanding one
/// is a lookup and a new string.
struct PreHashNamespaces {
    /// `prefix` → `{namespace}`, the prefix by code point (as JSON-LD knows a term).
    private(set) var prefixes: [ExactText: String]
    /// Member names expanded under the current prefixes, by code point (``ExactText``; bounded:
    /// names of hostile input need not repeat).
    private var names: [ExactText: String] = [:]

    init(_ prefixes: [ExactText: String]) {
        self.prefixes = prefixes
    }

    /// Declares `prefix` (an `@xmlns:prefix` member); names expanded before may now expand otherwise.
    mutating func declare(_ prefix: String, as namespace: String) {
        prefixes[ExactText(prefix)] = namespace
        names.removeAll()
    }

    /// ``PreHashNode/replacingNamespace(_:_:isValue:)`` of a member name.
    mutating func name(_ key: String) -> String {
        if let known = names[ExactText(key)] { return known }
        let name = PreHashNode.replacingNamespace(key, prefixes)
        if names.count < 4096 { names[ExactText(key)] = name }
        return name
    }
}
