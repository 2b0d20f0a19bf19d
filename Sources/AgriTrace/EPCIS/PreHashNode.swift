import Foundation

/// The tree the CBV 2.0 event hash is computed over: every element as a name, a text value and
/// children, the way the reference implementation models EPCIS XML. JSON is brought into this
/// shape by ``init(json:namespaces:)`` and ``correctingStructure()``.
struct PreHashNode: Equatable {
    /// An element name, or for a source, destination or business transaction the pair of its
    /// two children (type and value), kept together.
    var name: String
    var text: String
    var children: [PreHashNode]
    /// True for a pair node (see ``name``); such nodes have exactly two children.
    var isPair = false

    init(_ name: String, _ text: String = "", _ children: [PreHashNode] = [], isPair: Bool = false) {
        self.name = name
        self.text = text
        self.children = children
        self.isPair = isPair
    }

    /// Members whose order in JSON is kept rather than sorted.
    static func isUnsortedKey(_ key: String) -> Bool { key == "bizTransaction" || key == "source" || key == "destination" }
    /// Lists whose elements are (type, value) pairs.
    static func isPairList(_ name: String) -> Bool { name == "sourceList" || name == "destinationList" || name == "bizTransactionList" }
    /// Members the hash leaves out.
    static func isIgnoredKey(_ key: String) -> Bool { key == "#text" || key == "rdfs:comment" || key == "comment" }

    /// The JSON value as a tree: objects take their `type` as name, arrays repeat their key, and
    /// children are sorted unless the object is a source, destination or business transaction.
    /// - Parameter words: replaces bare CBV words in string values (see ``BareWords``).
    init(json: OrderedJSON, namespaces: inout PreHashNamespaces, words: (String) -> String = { $0 }) throws {
        self.init("")
        switch json {
        case .array(let items):
            children = try items.map { try PreHashNode(json: $0, namespaces: &namespaces, words: words) }
            if !items.contains(where: { $0.stringValue.map(Self.isUnsortedKey) ?? false }) { children.sort(by: Self.precedes) }
        case .object(let members):
            var keepsOrder = false  // a source, destination or business transaction keeps its members' order
            for member in members {
                switch member.key {
                case "type": if let type = member.value.stringValue { name = words(type) }
                case "#text": if let value = member.value.stringValue { text = words(value) }
                case "bizTransaction", "source", "destination": keepsOrder = true
                default: break
                }
            }
            for member in members where !Self.isIgnoredKey(member.key) {
                if PreHashValue.startsWith(member.key, "@xmlns") {
                    // The prefix after `@xmlns:` by bytes, as the reference slices it (a mark may follow the colon).
                    namespaces.declare(String(decoding: member.key.utf8.dropFirst(7), as: UTF8.self), as: "{\(member.value.stringValue ?? "")}")
                    name = Self.replacingNamespace(name, namespaces.prefixes)
                    continue
                }
                var child = try PreHashNode(json: member.value, namespaces: &namespaces, words: words)
                let key = namespaces.name(member.key)
                if case .array = member.value {
                    // Each element becomes a `key` element (renamed in place, after the array's own sort).
                    for index in child.children.indices {
                        child.children[index].name = key
                        child.children[index].isPair = false
                    }
                    children += child.children
                } else {
                    child.name = key
                    children.append(child)
                }
            }
            if !keepsOrder { children.sort(by: Self.precedes) }
        case .string(let value): text = Self.replacingNamespace(words(value), namespaces.prefixes, isValue: true)
        case .number(let literal): text = PythonValueText.cachedStr(numberLiteral: literal)
        case .bool(let value): text = value ? "True" : "False"
        case .null: text = "None"
        }
    }

    /// `prefix:rest` with a declared prefix becomes `{namespace}rest` (names) or `namespacerest` (values).
    static func replacingNamespace(_ text: String, _ namespaces: [ExactText: String], isValue: Bool = false) -> String {
        guard !namespaces.isEmpty, let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")),
              let namespace = namespaces[ExactText(String(text[..<colon]))] else { return text }
        let rest = text[text.utf8.index(after: colon)...]
        return isValue ? String(namespace.filter { $0 != "{" && $0 != "}" }) + rest : namespace + rest
    }

    /// Python's tuple order on (name, text, children): by code point, then element-wise.
    static func precedes(_ a: PreHashNode, _ b: PreHashNode) -> Bool { compare(a, b) < 0 }

    /// Three-way form of ``precedes(_:_:)``: negative, zero or positive.
    static func compare(_ a: PreHashNode, _ b: PreHashNode) -> Int {
        let byName = CodePointOrder.compare(a.name, b.name)
        if byName != 0 { return byName }
        let byText = CodePointOrder.compare(a.text, b.text)
        if byText != 0 { return byText }
        for (x, y) in zip(a.children, b.children) {
            let order = compare(x, y)
            if order != 0 { return order }
        }
        return a.children.count - b.children.count
    }

    /// The XML-shaped tree: `xList` children become one `xList` node of `x` elements (sources,
    /// destinations and business transactions as pairs), `childEPCs` are grouped, and names the
    /// JSON binding changed are restored (`inputEPC` → `epc`, quantities → `quantityElement`).
    func correctingStructure() throws -> PreHashNode {
        var node = self
        try node.correctStructure()
        return node
    }

    private mutating func correctStructure() throws {
        if children.contains(where: { !$0.isPair && (Self.isListName($0.name) || $0.name == "childEPCs") }) {
            children = try regrouped()
        }
        for index in children.indices where !(Self.isPairList(children[index].name) || children[index].isPair) {
            try children[index].correctStructure()
        }
        switch name {
        case "inputEPC", "outputEPC": name = "epc"
        case "inputQuantity", "outputQuantity", "childQuantity": name = "quantityElement"
        case "quantity" where !children.isEmpty: name = "quantityElement"
        default: break
        }
    }

    private static func isListName(_ name: String) -> Bool {
        name.utf8.count >= 4 && name.utf8.reversed().starts(with: "tsiL".utf8)
    }

    /// The children with each `xList` turned into one list of `x` elements (after the other
    /// children, sources, destinations and business transactions as pairs) and every
    /// `childEPCs` gathered into one, last.
    private func regrouped() throws -> [PreHashNode] {
        var lists: [(name: String, elements: [PreHashNode])] = []
        var rest: [PreHashNode] = []
        for child in children {
            if !child.isPair, Self.isListName(child.name) {
                // `List`'s four bytes off, not four Characters: a mark before the `L` joins it into one.
                let element = PreHashNode(String(decoding: child.name.utf8.dropLast(4), as: UTF8.self), child.text, child.children)
                if let index = lists.firstIndex(where: { ExactText($0.name) == ExactText(child.name) }) { lists[index].elements.append(element) } else { lists.append((child.name, [element])) }
            } else {
                rest.append(child)
            }
        }
        for (name, elements) in lists {
            if Self.isPairList(name) {
                let pairs = try elements.map { element -> PreHashNode in
                    guard element.children.count >= 2 else {
                        throw TraceError("epcis.hashUnsupported", "a \(element.name) needs both a type and a value for the event hash")
                    }
                    return PreHashNode("", "", Array(element.children.prefix(2)), isPair: true)
                }
                rest.append(PreHashNode(name, "", pairs))
            } else {
                rest.append(PreHashNode(name, "", elements))
            }
        }
        let childEPCs = rest.filter { $0.name == "childEPCs" }
        if !childEPCs.isEmpty {
            rest.removeAll { $0.name == "childEPCs" }
            rest.append(PreHashNode("childEPCs", "", childEPCs.map { PreHashNode("epc", $0.text) }))
        }
        return rest
    }
}
