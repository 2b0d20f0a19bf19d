import Foundation
import TraceCrypto

/// The CBV 2.0 pre-hash of an ``EPCISEvent``, written straight from its fields instead of
/// through the JSON tree of its payload: what signing and verifying spend most of their
/// non-signature time on.
///
/// It is the generic algorithm (``EventHash/preHash(ofEventJSON:)``) specialised to the shapes
/// ``EPCISEvent/payloadBytes()`` writes, and must give the same string for every event's own
/// payload; a differential test holds the two together. Members held as open JSON (ILMD,
/// extensions) are written from the JSON when plain (``PlainRun``), sensor data when of the shapes
/// measurements take (DirectPreHash+Sensors.swift); any other open JSON goes through
/// ``PreHashNode``. An event this does not cover returns nil and takes the generic path: another
/// context, a non-text certificationInfo, a business transaction without a type, or member names
/// the algorithm treats specially.
struct DirectPreHash {
    typealias Output = PreHashBuilder.Output
    // These and the helpers below without `private` are shared with DirectPreHash+Sensors.swift.
    // The writer holds no output buffer: each helper appends to the one it is given. (A writer
    // holding its buffer passed it inout to helpers called on a copy of the writer; the copy
    // shared the buffer, so every append copied it whole.)
    let words: BareWords

    /// The namespaces of ``EPCISEvent/defaultContext`` (`agt:` → `{urn:agritrace:ns:1#}`).
    private static let namespaces: [ExactText: String] = {
        var namespaces: [ExactText: String] = [:]
        if case .array(let entries) = EPCISEvent.defaultContext {
            for entry in entries {
                if case .string(let iri) = entry { namespaces[ExactText(iri)] = "{\(iri)}" }
                for (prefix, iri) in entry.objectValue ?? [:] { namespaces[ExactText(prefix)] = "{\(iri.stringValue ?? "")}" }
            }
        }
        return namespaces
    }()

    /// The pre-hash of `event`, or nil when its shape is not one this writer covers.
    static func preHash(of event: EPCISEvent) throws -> String? {
        try preHashBytes(of: event).map { String(decoding: $0, as: UTF8.self) }
    }

    /// ``preHash(of:)`` as the UTF-8 bytes that are hashed, without making a string of them.
    static func preHashBytes(of event: EPCISEvent) throws -> Output? {
        guard event.hasDefaultContext, event.certificationInfo.map({ $0.stringValue != nil }) ?? true,
              !(event.bizTransactionList ?? []).contains(where: { $0.type == nil }) else { return nil }
        var subtrees: [(key: String, value: OrderedJSON)] = []
        if let ilmd = event.ilmd {
            guard let json = ordered(ilmd) else { return nil }
            subtrees.append(("ilmd", json))
        }
        for (key, value) in event.extensions where !EPCISEvent.modelledKeys.contains(key) {
            guard isPlainExtensionName(key), let json = ordered(value) else { return nil }
            subtrees.append((key, json))
        }
        var sensors: OrderedJSON?
        if let sensorElementList = event.sensorElementList {
            guard let json = ordered(sensorElementList) else { return nil }
            sensors = json
        }
        let vocabulary = subtrees + (sensors.map { [("sensorElementList", $0)] } ?? [])
        return try DirectPreHash(words: BareWords(event: event, subtrees: vocabulary)).write(event, sensors: sensors, subtrees: subtrees)
    }

    private init(words: BareWords) {
        self.words = words
    }

    private func write(_ event: EPCISEvent, sensors: OrderedJSON?, subtrees: [(key: String, value: OrderedJSON)]) throws -> Output {
        var out = Output()
        out.reserveCapacity(2048)
        out.append(utf8Of: "eventType=")
        out.append(utf8Of: words.replacing(event.type.rawValue))
        // The fields of PreHashOrder.event, in its order.
        try leaf("eventTime", event.eventTime.description, isTime: true, into: &out)
        try leaf("eventTimeZoneOffset", event.eventTime.offsetText, into: &out)
        try leaf("certificationInfo", event.certificationInfo?.stringValue, into: &out)
        try leaf("parentID", event.parentID, into: &out)
        try epcs("epcList", event.epcList, into: &out)
        try epcs("inputEPCList", event.inputEPCList, into: &out)
        try epcs("childEPCs", event.childEPCs, into: &out)
        try quantities("quantityList", event.quantityList, into: &out)
        try quantities("childQuantityList", event.childQuantityList, into: &out)
        try quantities("inputQuantityList", event.inputQuantityList, into: &out)
        try epcs("outputEPCList", event.outputEPCList, into: &out)
        try quantities("outputQuantityList", event.outputQuantityList, into: &out)
        try leaf("action", event.action?.rawValue, into: &out)
        try leaf("bizStep", event.bizStep, into: &out)
        try leaf("disposition", event.disposition, into: &out)
        try location("readPoint", event.readPoint, into: &out)
        try location("bizLocation", event.bizLocation, into: &out)
        var sensorLeftovers: Output?  // the run of sensor data the order leaves over, which goes into the tail
        if let sensors { sensorLeftovers = try sensorElementList(sensors, into: &out) }
        // Everything else: one run each, written after the ordered fields, then put in byte order there.
        var tail = SortedRuns(startingAt: out, count: 8)
        if let sensorLeftovers {
            out += sensorLeftovers
            tail.endRun(out)
        }
        try pairs("bizTransactionList", "bizTransaction", event.bizTransactionList, into: &out, &tail) { ($0.bizTransaction, $0.type ?? "") }
        try pairs("sourceList", "source", event.sourceList, into: &out, &tail) { ($0.source, $0.type) }
        try pairs("destinationList", "destination", event.destinationList, into: &out, &tail) { ($0.destination, $0.type) }
        try event.inputs.forEachInPlace { input in
            out.append(utf8Of: Self.inputsName)
            out.append(utf8Of: "lot")  // lot and record sort in this order whatever their values
            try runValue(input.lot, into: &out)
            out.append(utf8Of: "record")
            try runValue(input.record, into: &out)
            tail.endRun(out)
        }
        let plain = PlainRun(runValue: { [words] in try Self.runValue($0, words: words, into: &$1) }, appendName: Self.appendName)
        for (key, value) in subtrees {
            let name = Self.name(key)
            // Plain JSON is written directly; anything the tree code treats specially goes through it.
            if try writePlainRuns(name, value, plain, into: &out, &tail) { continue }
            for node in try nodes(name, value) {
                try PreHashBuilder.run(of: try node.correctingStructure(), into: &out)
                tail.endRun(out)
            }
        }
        tail.sort(&out)
        return out
    }

    /// Writes the runs of a member held as open JSON (one, or one per element of an array) if it
    /// is plain; else writes nothing and returns false.
    private func writePlainRuns(_ name: String, _ value: OrderedJSON, _ plain: PlainRun,
                                into out: inout Output, _ tail: inout SortedRuns) throws -> Bool {
        let mark = tail.mark
        let written = try value.allMemberElements { item in
            guard try plain.write(name, item, into: &out) else { return false }
            tail.endRun(out)
            return true
        }
        if !written { tail.rollBack(&out, to: mark) }
        return written
    }

    /// The tree's nodes for a member held as open JSON: one, or one per element of an array,
    /// each named after the member.
    private func nodes(_ name: String, _ value: OrderedJSON) throws -> [PreHashNode] {
        var namespaces = PreHashNamespaces(Self.namespaces)
        return try value.memberElements.map { item in
            var node = try PreHashNode(json: item, namespaces: &namespaces, words: words.replacing)
            node.name = name
            node.isPair = false
            return node
        }
    }

    /// Sensor data, as the generic algorithm takes it: the elements grouped into one
    /// `sensorElementList` of `sensorElement`s (in any order: both places they are written sort
    /// their runs); its ordered field, and whatever of it the order does not consume as a run of
    /// the tail, returned.
    private func sensorElementList(_ json: OrderedJSON, into out: inout Output) throws -> Output? {
        var leftovers: Output?
        if try writeSensorElementList(json, into: &out, leftoverRun: &leftovers) { return leftovers }  // the common shapes, without the tree
        var elements = try nodes("sensorElementList", json)
        guard !elements.isEmpty else { return nil }
        for index in elements.indices { elements[index].name = "sensorElement" }
        var list = try PreHashNode("sensorElementList", "", elements).correctingStructure()
        try PreHashBuilder.field(&list, PreHashOrder.sensorElementList, into: &out)
        guard !list.children.isEmpty else { return nil }
        var run = PreHashBuilder.emptyRun()
        try PreHashBuilder.run(of: list, into: &run)
        return run
    }

    /// A string value as the tree holds it: a bare CBV word expanded, an `agt:` prefix replaced
    /// (``PreHashNode/replacingNamespace(_:_:isValue:)`` for the default context, whose only
    /// other entry, a URL, holds a colon itself and so never is the text before a value's first).
    func text(_ value: String) -> String {
        Self.text(value, words: words)
    }

    private static func text(_ value: String, words: BareWords) -> String {
        replacingAgtPrefix(words.replacing(value), with: EPCISEvent.agtNamespace)
    }

    /// A member name as the tree holds it: ``PreHashNode/replacingNamespace(_:_:isValue:)`` for
    /// the default context, whose only prefix a name can use is `agt` (its other entry, a URL,
    /// holds a colon itself, so it never is the text before a name's first colon).
    static func name(_ key: String) -> String {
        replacingAgtPrefix(key, with: agtNameSpace)
    }

    private static let agtNameSpace = "{\(EPCISEvent.agtNamespace)}"
    /// `agt:inputs` as the tree names it: made once, not for every event.
    private static let inputsName = name("agt:inputs")

    /// Appends ``name(_:)`` of `key` without making a string of it.
    static func appendName(_ key: String, into out: inout Output) {
        key.withUTF8Bytes { bytes in
            if ByteSearch.hasPrefix(bytes, "agt:") {
                out.append(utf8Of: agtNameSpace)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[4...]))
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }

    /// `text` with a leading `agt:` replaced by `replacement`; other text as it is.
    private static func replacingAgtPrefix(_ text: String, with replacement: String) -> String {
        guard PreHashValue.startsWith(text, "agt:") else { return text }
        return replacement + text[text.utf8.index(text.startIndex, offsetBy: 4)...]  // by bytes: a combining mark may follow
    }

    /// `name=value` of an ordered field; nothing when the value is absent or empty. `isTime`:
    /// the field is one ``PreHashBuilder/isTimeName(_:)`` names a time (known where it is written).
    func leaf(_ name: String, _ value: String?, isText: Bool = true, isTime: Bool = false, into out: inout Output) throws {
        guard let value else { return }
        let start = out.count
        out.append(utf8Of: name)
        // Most values go in as written, in one look at their bytes; the others take the full path.
        let written = try isText && (isTime ? Self.appendTimeVerbatim(value, words: words, into: &out) : Self.appendVerbatim(value, words: words, into: &out))
        if written { return }
        let canonical = try PreHashBuilder.fieldValue(isText ? text(value) : value, isTime: isTime)
        guard !canonical.isEmpty else { return out.removeSubrange(start...) }
        out.append(UInt8(ascii: "="))
        out.append(utf8Of: canonical)
    }

    /// ``PreHashBuilder/runValue(_:into:)`` of a string value as the tree holds it (``text(_:)``).
    func runValue(_ value: String, into out: inout Output) throws {
        try Self.runValue(value, words: words, into: &out)
    }

    private static func runValue(_ value: String, words: BareWords, into out: inout Output) throws {
        if !appendVerbatim(value, words: words, into: &out) { try PreHashBuilder.runValue(text(value, words: words), into: &out) }
    }

    /// Appends `=value` when the value goes into the pre-hash as it is (most do: digests, Digital
    /// Links, GLN-based ids, integers, words that end no vocabulary IRI), or `=IRI` when it is a
    /// bare word whose vocabulary IRI goes in as it is (`bizStep`, `disposition`, source types),
    /// judged from its bytes in one look; else appends nothing and returns false, for the full path
    /// (``text(_:)``, ``PreHashValue/stripped(_:)``, ``PreHashValue/canonical(_:)``) to write it.
    private static func appendVerbatim(_ value: String, words: BareWords, into out: inout Output) -> Bool {
        return value.withUTF8Bytes { bytes in
            guard isPlain(bytes) else { return false }
            if let iri = words.expansion(of: bytes) { return iri.withUTF8Bytes { isPlain($0) && appendIfCanonical($0, into: &out) } }
            return appendIfCanonical(bytes, into: &out)
        }
    }

    /// Appends `=` and `bytes` if they are canonical at a glance; else nothing.
    private static func appendIfCanonical(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout Output) -> Bool {
        guard PreHashValue.isCanonicalAtAGlance(bytes) else { return false }
        out.append(UInt8(ascii: "="))
        out.append(contentsOf: bytes)
        return true
    }

    /// Appends `=` and the UTC form of a time (``PreHashValue/timestamp(_:)``) whose text goes in
    /// as it is (nothing to strip, no namespace or word to expand), without making a string of it;
    /// else appends nothing and returns false, for the full path to write it.
    private static func appendTimeVerbatim(_ value: String, words: BareWords, into out: inout Output) throws -> Bool {
        try value.withUTF8Bytes { isAsWritten($0, words: words) } && PreHashValue.appendTimestamp(value, into: &out)
    }

    /// Whether the tree holds a string value as it is written (``text(_:)`` and stripping leave
    /// it): nothing to strip, no namespace or word to expand.
    private static func isAsWritten(_ bytes: UnsafeBufferPointer<UInt8>, words: BareWords) -> Bool {
        isPlain(bytes) && words.keeps(bytes)
    }

    /// Whether stripping and the `agt:` prefix leave a value's bytes as they are: printable ASCII
    /// at both ends, no `agt:` to replace.
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last) && !ByteSearch.hasPrefix(bytes, "agt:")
    }

    /// A field with children, dropped when none of them writes anything.
    func nested(_ name: String, into out: inout Output, _ children: (inout Output) throws -> Void) rethrows {
        let start = out.count
        out.append(utf8Of: name)
        let childrenStart = out.count
        try children(&out)
        if out.count == childrenStart { out.removeSubrange(start...) }
    }

    private func epcs(_ name: String, _ values: [String]?, into out: inout Output) throws {
        guard let values, !values.isEmpty else { return }
        try nested(name, into: &out) { out in
            try PreHashBuilder.appendSorted(values, into: &out) { value, run in try leaf("epc", value, into: &run) }
        }
    }

    private func quantities(_ name: String, _ elements: [QuantityElement]?, into out: inout Output) throws {
        guard let elements, !elements.isEmpty else { return }
        try nested(name, into: &out) { out in
            try PreHashBuilder.appendSorted(elements, into: &out) { element, run in
                try nested("quantityElement", into: &run) { run in
                    try leaf("epcClass", element.epcClass, into: &run)
                    try leaf("quantity", element.quantity.map { PythonValueText.cachedStr(numberLiteral: DecimalText.of($0)) }, isText: false, into: &run)
                    try leaf("uom", element.uom, into: &run)
                }
            }
        }
    }

    private func location(_ name: String, _ location: Location?, into out: inout Output) throws {
        guard let location else { return }
        try nested(name, into: &out) { try leaf("id", location.id, into: &$0) }
    }

    /// Sources, destinations and business transactions: each a (value, type) pair whose two
    /// runs keep that order; the pairs in byte order; the whole list one run of the tail.
    private func pairs<Item>(_ name: String, _ valueName: String, _ items: [Item]?, into out: inout Output, _ tail: inout SortedRuns,
                             _ parts: (Item) -> (value: String, type: String)) throws {
        guard let items, !items.isEmpty else { return }
        out.append(utf8Of: name)
        try PreHashBuilder.appendSorted(items, into: &out) { item, run in
            let (value, type) = parts(item)
            run.append(utf8Of: valueName)
            try runValue(value, into: &run)
            run.append(utf8Of: "type")
            try runValue(type, into: &run)
        }
        tail.endRun(out)
    }

    /// Extension names the generic algorithm gives no special meaning: a prefix, not a list,
    /// not ignored, no `ignoreFields` or `@xmlns`.
    static func isPlainExtensionName(_ key: String) -> Bool {
        key.utf8.contains(UInt8(ascii: ":")) && !PreHashValue.startsWith(key, "@") && !PreHashValue.endsWith(key, "ignoreFields")
            && !PreHashNode.isIgnoredKey(key) && !PreHashValue.endsWith(key, "List")  // `agt:` names end as their expansions do
    }

    /// `json` as the payload holds it (members in code point order, numbers as written), or nil
    /// when a member name anywhere would change how the generic algorithm reads the event.
    private static func ordered(_ json: JSONValue) -> OrderedJSON? {
        switch json {
        case .string(let text): return .string(text)
        case .number(let number): return .number(DecimalText.of(number))
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .array(let items):
            var converted: [OrderedJSON] = []
            converted.reserveCapacity(items.count)
            for item in items {
                guard let value = ordered(item) else { return nil }
                converted.append(value)
            }
            return .array(converted)
        case .object(let members):
            // Converted into one list, then put in code point order there.
            var converted: [OrderedJSON.Member] = []
            converted.reserveCapacity(members.count)
            for (key, value) in members {
                guard !PreHashValue.startsWith(key, "@xmlns"), !PreHashValue.endsWith(key, "ignoreFields"), let value = ordered(value) else { return nil }
                converted.append(.init(key: key, value: value))
            }
            OrderedJSON.sortByName(&converted)
            return .object(converted)
        }
    }
}
