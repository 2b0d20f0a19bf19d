import Foundation

/// Reads an event from a payload in exactly the form ``EPCISEvent/payloadBytes()`` writes
/// (members in code point order, no spaces, minimal escapes, numbers as `Decimal` writes them):
/// one pass over the bytes, no JSON tree for the modelled fields, and the answer to whether
/// the payload is its event's canonical encoding comes with it, which the event hash needs.
///
/// Any departure from that form (or anything the general decoder would refuse) gives nil; the
/// caller then decodes with the general decoder (``EPCISEvent/decodeAnyForm(payload:)``). Where
/// this reads an event, the general decoder reads the same one, and the event writes back these
/// very bytes (property-tested with thousands of changed payloads).
struct CanonicalPayloadReader {
    private var cursor: ByteCursor
    /// Where the identifiers a verification keeps (lots, items, places, parties, links) get
    /// their one shared copy, if anywhere: found from the payload's bytes, so a string already
    /// shared is never made again (``EPCISEvent/sharingStrings(_:)`` shares the same ones).
    /// Held unretained (the caller of ``event(from:sharingWith:)`` holds it for the whole read): a
    /// strong reference in a reader whose methods are `mutating` was taken and given back for
    /// every identifier, an atomic operation on one object that every core's readers contend for.
    private let intern: Unmanaged<StringInterner>?
    /// Whether no byte of the payload is above 0x7F (nearly every payload): then every string of
    /// it is ASCII, and none need be looked at again for bytes UTF-8 must validate.
    private let isASCII: Bool
    private var bytes: UnsafeRawBufferPointer { cursor.bytes }
    private var index: Int {
        get { cursor.index }
        set { cursor.index = newValue }
    }

    /// The event of a canonical payload; nil for a payload of any other form. With `intern`, its
    /// identifiers are the interner's shared copies. `isASCII`: whether the payload is all ASCII
    /// (``EPCISEvent/isASCII(_:)``), if the caller knows; else the reader finds out.
    static func event(from payload: Data, sharingWith intern: StringInterner? = nil, isASCII: Bool? = nil) -> EPCISEvent? {
        withExtendedLifetime(intern) {  // the reader holds it unretained
            payload.withUnsafeBytes { bytes in
                var reader = CanonicalPayloadReader(bytes: bytes, intern: intern, isASCII: isASCII ?? EPCISEvent.isASCII(bytes))
                return reader.event()
            }
        }
    }

    private init(bytes: UnsafeRawBufferPointer, intern: StringInterner?, isASCII: Bool) {
        cursor = ByteCursor(bytes)
        self.intern = intern.map(Unmanaged.passUnretained)
        self.isASCII = isASCII
    }

    /// The top-level members, each by its name; the required ones must all be there.
    private mutating func event() -> EPCISEvent? {
        var event = EPCISEvent(type: .objectEvent, eventTime: EPCISEvent.unreadTime)
        var sawContext = false, sawType = false, sawTime = false, sawOffset = false, sawEventID = false
        var previousKey: UnsafeRawBufferPointer?
        guard take("{") else { return nil }
        repeat {
            guard let keyBytes = rawString() else { return nil }
            // Strictly increasing names: sorted, no repeats.
            if let previousKey, !Self.precedes(previousKey, keyBytes) { return nil }
            previousKey = keyBytes
            guard take(":") else { return nil }
            // The member by its bytes: matching its name against each case's text in turn was
            // a tenth of the reading.
            switch Member(keyBytes) {
            case .context:
                if !cursor.take(EPCISEvent.defaultContextJSON) {  // else the event has it already
                    guard let json = json() else { return nil }
                    event.context = json
                }
                sawContext = true
            case .action:
                guard let text = string(), let action = EPCISEvent.Action(rawValue: text) else { return nil }
                event.action = action
            case .inputs:
                guard let inputs = list({ $0.pair(#""lot":"#, #""record":"#).map { InputLink(record: $0.1, lot: $0.0) } }), !inputs.isEmpty else { return nil }
                event.inputs = inputs
            case .bizLocation: guard let location = location() else { return nil }; event.bizLocation = location
            case .readPoint: guard let location = location() else { return nil }; event.readPoint = location
            case .bizStep: guard let text = string() else { return nil }; event.bizStep = text
            case .disposition: guard let text = string() else { return nil }; event.disposition = text
            case .parentID: guard let text = string(shared: true) else { return nil }; event.parentID = text
            case .eventID: guard let text = string() else { return nil }; event.eventID = text; sawEventID = true
            case .bizTransactionList:
                guard let list = list({ $0.transaction() }) else { return nil }
                event.bizTransactionList = list
            case .sourceList:
                guard let list = list({ $0.pair(#""source":"#, #""type":"#).map { Source(type: $0.1, source: $0.0) } }) else { return nil }
                event.sourceList = list
            case .destinationList:
                guard let list = list({ $0.pair(#""destination":"#, #""type":"#).map { Destination(type: $0.1, destination: $0.0) } }) else { return nil }
                event.destinationList = list
            case .certificationInfo: guard let json = json(), json != .null else { return nil }; event.certificationInfo = json
            case .ilmd: guard let json = json(), json != .null else { return nil }; event.ilmd = json
            case .sensorElementList: guard let json = json(), json != .null else { return nil }; event.sensorElementList = json
            case .epcList: guard let list = list({ $0.string(shared: true) }) else { return nil }; event.epcList = list
            case .childEPCs: guard let list = list({ $0.string(shared: true) }) else { return nil }; event.childEPCs = list
            case .inputEPCList: guard let list = list({ $0.string(shared: true) }) else { return nil }; event.inputEPCList = list
            case .outputEPCList: guard let list = list({ $0.string(shared: true) }) else { return nil }; event.outputEPCList = list
            case .quantityList: guard let list = list({ $0.quantity() }) else { return nil }; event.quantityList = list
            case .childQuantityList: guard let list = list({ $0.quantity() }) else { return nil }; event.childQuantityList = list
            case .inputQuantityList: guard let list = list({ $0.quantity() }) else { return nil }; event.inputQuantityList = list
            case .outputQuantityList: guard let list = list({ $0.quantity() }) else { return nil }; event.outputQuantityList = list
            case .eventTime:
                guard let text = string(), let time = try? EPCISTime(parsing: text) else { return nil }
                event.eventTime = time
                sawTime = true
            case .eventTimeZoneOffset:
                guard sawTime, let text = string(), text == event.eventTime.offsetText else { return nil }
                sawOffset = true
            case .type:  // known by its bytes: no string made of a name longer than a short string holds
                guard let raw = rawString(), let type = EPCISEvent.EventType.allCases.first(where: { Self.equal(raw, $0.rawValue) }) else { return nil }
                event.type = type
                sawType = true
            case nil:  // not a modelled member: an extension (one String once, as the general parser takes names)
                guard let key = text(keyBytes), event.extensions[key] == nil, let json = json() else { return nil }
                event.extensions[key] = json
            }
        } while take(",")
        guard take("}"), index == bytes.count, sawContext, sawType, sawTime, sawOffset, sawEventID,
              event.type == .transformationEvent || event.action != nil else { return nil }
        return event
    }

    // MARK: Pieces

    @inline(__always) private mutating func take(_ literal: StaticString) -> Bool { cursor.take(literal) }

    /// The bytes of a string with no escapes (names and the values AgriTrace writes); nil for
    /// anything else, which ``string()`` then reads.
    private mutating func rawString() -> UnsafeRawBufferPointer? {
        guard take("\"") else { return nil }
        return cursor.unescapedString(asciiOnly: false)
    }

    /// A string in the form the canonical writer gives it: as it is, or with the escapes it writes.
    /// `shared`: an identifier a verification keeps, given as the interner's copy if there is one.
    private mutating func string(shared: Bool = false) -> String? {
        let start = index
        if let raw = rawString() {
            guard shared, let intern else { return text(raw) }
            if isASCII || EPCISEvent.isASCII(raw) { return intern._withUnsafeGuaranteedRef { $0(utf8: raw) } }
            return text(raw).map { text in intern._withUnsafeGuaranteedRef { $0(text) } }
        }
        index = start
        guard let end = try? JSONScanner(bytes: bytes).skipValue(at: start, depth: 0), bytes[start] == UInt8(ascii: "\"") else { return nil }
        guard case .string(let text)? = Self.json(in: bytes, start..<end) else { return nil }
        var writer = CanonicalJSONWriter(capacity: end - start)
        writer.string(text)
        guard writer.bytes.elementsEqual(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) else { return nil }
        index = end
        return shared ? intern.map { $0._withUnsafeGuaranteedRef { $0(text) } } ?? text : text
    }

    /// Any JSON value in the canonical writer's form (members in increasing code point order, no
    /// spaces, numbers as `Decimal` writes them), read as the general parser reads it. `depth` is
    /// that of the enclosing object or array, with the general parser's limit of 64.
    private mutating func json(depth: Int = 1) -> JSONValue? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < 64 else { return nil }
            index += 1
            if take("}") { return .object([:]) }
            // Gathered in a list and put in a table of the right size at once: growing the table
            // member by member built it over again at each doubling.
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(4)  // most objects have a few members: one allocation, not one per doubling
            repeat {
                guard let key = string(), members.last.map({ CodePointOrder.precedes($0.0, key) }) ?? true,
                      take(":"), let value = json(depth: depth + 1) else { return nil }
                members.append((key, value))
            } while take(",")
            guard take("}") else { return nil }
            // Names strictly increase by code point, yet two may still be one String (`Å` and `A` +
            // U+030A), which the table then holds once: the general parser refuses such an object,
            // and so does this. The table is made its final size at once, and each member moved
            // into it from the list: a table built from the list copied each name and value, a
            // reference count each, and freed the list's.
            var object = [String: JSONValue](minimumCapacity: members.count)
            while let (key, value) = members.popLast() {
                guard object.updateValue(value, forKey: key) == nil else { return nil }
            }
            return .object(object)
        case UInt8(ascii: "["):
            guard depth < 64 else { return nil }
            index += 1
            var items: [JSONValue] = []
            if take("]") { return .array(items) }
            items.reserveCapacity(2)  // most lists hold one or two (plots, reports, coordinates)
            repeat {
                guard let item = json(depth: depth + 1) else { return nil }
                items.append(item)
            } while take(",")
            return take("]") ? .array(items) : nil
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return take("null") ? .null : nil
        default: return number()
        }
    }

    /// A number in the form `Decimal.description` gives one: `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`,
    /// not `-0`, at most 18 digits (all of which the general parser keeps; longer or other forms,
    /// such as `1.50`, `1e3` or `01`, are left to the general decoder).
    private mutating func number() -> JSONValue? {
        let start = index
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 48 && bytes[at] <= 57 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { while isDigit(index) { index += 1 } }
        var digits = index - integerStart
        if take(".") {
            let fractionStart = index
            while isDigit(index) { index += 1 }
            guard index > fractionStart, bytes[index - 1] != UInt8(ascii: "0") else { return nil }
            digits += index - fractionStart
        }
        let isMinusZero = index - start == 2 && bytes[start] == UInt8(ascii: "-") && bytes[start + 1] == UInt8(ascii: "0")
        guard digits <= 18, !isMinusZero, !isDigit(index), index == bytes.count || (bytes[index] | 0x20) != UInt8(ascii: "e") else { return nil }
        return try? JSONValueBuilder.number(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    }

    /// A list of items, each read by `item` into its final type: no second list made from the first.
    private mutating func list<Item>(_ item: (inout CanonicalPayloadReader) -> Item?) -> [Item]? {
        guard take("[") else { return nil }
        var items: [Item] = []
        if take("]") { return items }
        repeat {
            guard let next = item(&self) else { return nil }
            items.append(next)
        } while take(",")
        return take("]") ? items : nil
    }

    /// `"<name>":"…"`: a member with a text value, given its opening (`"name":`).
    private mutating func member(_ opening: StaticString, shared: Bool = false) -> String? {
        guard take(opening) else { return nil }
        return string(shared: shared)
    }

    /// `{"a":"…","b":"…"}` with exactly these two members, given their openings.
    private mutating func pair(_ first: StaticString, _ second: StaticString) -> (String, String)? {
        guard take("{"), let one = member(first, shared: true), take(","), let two = member(second, shared: true), take("}") else { return nil }
        return (one, two)
    }

    private mutating func location() -> Location? {
        guard take("{"), let id = member(#""id":"#, shared: true), take("}") else { return nil }
        return Location(id: id)
    }

    private mutating func transaction() -> BizTransaction? {
        guard take("{"), let value = member(#""bizTransaction":"#) else { return nil }
        if take("}") { return BizTransaction(type: nil, bizTransaction: value) }
        guard take(","), let type = member(#""type":"#), take("}") else { return nil }
        return BizTransaction(type: type, bizTransaction: value)
    }

    /// `{"epcClass":"…"[,"quantity":n][,"uom":"…"]}`, the quantity as `Decimal` writes it.
    private mutating func quantity() -> QuantityElement? {
        guard take("{"), let epcClass = member(#""epcClass":"#, shared: true) else { return nil }
        var quantity: Decimal?, uom: String?
        if take(#","quantity":"#) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || (48...57).contains(bytes[index]),
                  case .number(let number)? = json() else { return nil }
            quantity = number
        }
        if take(",") {
            guard let text = member(#""uom":"#, shared: true) else { return nil }
            uom = text
        }
        guard take("}") else { return nil }
        // Made once its parts are read: an element made first and changed field by field was copied whole on its way out.
        return QuantityElement(epcClass: epcClass, quantity: quantity, uom: uom)
    }

    // MARK: Helpers

    /// The members ``EPCISEvent`` models (``EPCISEvent/modelledKeys``), known by their bytes.
    enum Member: String, CaseIterable {
        case context = "@context", type, eventTime, eventTimeZoneOffset, eventID, action, bizStep, disposition
        case epcList, quantityList, parentID, childEPCs, childQuantityList, inputEPCList, inputQuantityList
        case outputEPCList, outputQuantityList, readPoint, bizLocation, sourceList, destinationList
        case bizTransactionList, ilmd, certificationInfo, sensorElementList, inputs = "agt:inputs"

        /// The member whose name is exactly `bytes`; nil for any other name.
        init?(_ bytes: UnsafeRawBufferPointer) {
            guard let index = Self.names.index(of: bytes) else { return nil }
            self = Self.members[index]
        }

        private static let members = allCases
        private static let names = NameTable(allCases.map(\.rawValue))
    }

    private static func json(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> JSONValue? {
        try? JSONParser<JSONValueBuilder>.parse(Data(UnsafeRawBufferPointer(rebasing: bytes[range])), maxDepth: 64)
    }

    /// Valid UTF-8 as a String; nil otherwise (the writer only ever writes valid UTF-8).
    private func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        if isASCII || EPCISEvent.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
        text.withUTF8Bytes { bytes.elementsEqual($0) }
    }

    private static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let order = memcmp(x, y, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }
}
