import Foundation

/// An EPCIS 2.0 event as AgriTrace signs it: ObjectEvent, AggregationEvent or
/// TransformationEvent, with the CBV fields DESIGN lists and the `agt:inputs` links to history.
///
/// Fields this type does not model are kept in ``extensions`` and written back unchanged.
public struct EPCISEvent: Hashable, Sendable {
    public enum EventType: String, Codable, Sendable, CaseIterable {
        case objectEvent = "ObjectEvent"
        case aggregationEvent = "AggregationEvent"
        case transformationEvent = "TransformationEvent"
    }

    public enum Action: String, Codable, Sendable { case add = "ADD", observe = "OBSERVE", delete = "DELETE" }

    /// The fields, in one box that copies of the event share until one of them changes a field
    /// (copy on write, as an array does): events are copied into every stage of signing and every
    /// check of a verification, and copying thirty fields retained and released thirty
    /// references each time.
    private var box: Box

    private final class Box: @unchecked Sendable {  // changed only through `fields`, when no other copy holds it
        // Unchecked at run time: every access goes through an event, whose own accesses Swift checks, and
        // a box is changed only while one event alone holds it.
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The fields, for changing one: the box is copied first if another event shares it.
    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    /// The stored fields of an event (see the properties of the same names).
    struct Fields: Hashable, Sendable {
        /// Nil for ``EPCISEvent/defaultContext`` (nearly every event's): an event made or read holds
        /// no reference to it, whose count every core's events would otherwise take and give back.
        var context: JSONValue?
        var type: EventType
        var eventTime: EPCISTime
        var eventID: String
        var action: Action?
        var bizStep: String?
        var disposition: String?
        var epcList: [String]?
        var quantityList: [QuantityElement]?
        var parentID: String?
        var childEPCs: [String]?
        var childQuantityList: [QuantityElement]?
        var inputEPCList: [String]?
        var inputQuantityList: [QuantityElement]?
        var outputEPCList: [String]?
        var outputQuantityList: [QuantityElement]?
        var readPoint: Location?
        var bizLocation: Location?
        var sourceList: [Source]?
        var destinationList: [Destination]?
        var bizTransactionList: [BizTransaction]?
        var ilmd: JSONValue?
        var certificationInfo: JSONValue?
        var sensorElementList: JSONValue?
        var inputs: [InputLink]
        var extensions: [String: JSONValue]
        /// ``EPCISEvent/measurements``, read once where a verification cuts the event down
        /// (``EPCISEvent/keepingClaimsOnly()``); nil: read from the sensor data when asked. A
        /// reading of the sensor data, not part of the event: equality and hashing pass it by.
        var keptMeasurements = Unweighed<[Measurement]?>(nil)
    }

    /// A value kept beside an event's fields that its equality and hash pass by: what is worked
    /// out from them, which is equal whenever they are.
    struct Unweighed<Value: Sendable>: Hashable, Sendable {
        var value: Value
        init(_ value: Value) { self.value = value }
        static func == (_: Self, _: Self) -> Bool { true }
        func hash(into hasher: inout Hasher) {}
    }

    public var context: JSONValue {
        get { box.fields.context ?? Self.defaultContext }
        set { fields.context = newValue == Self.defaultContext ? nil : newValue }
    }

    /// Whether ``context`` is ``defaultContext``, told without touching either.
    var hasDefaultContext: Bool { box.fields.context == nil }

    public var type: EventType {
        get { box.fields.type }
        _modify { yield &fields.type }
    }

    public var eventTime: EPCISTime {
        get { box.fields.eventTime }
        _modify { yield &fields.eventTime }
    }

    /// The CBV 2.0 event hash (``EventHash``); empty until ``Signer/sign(_:)`` fills it in.
    public var eventID: String {
        get { box.fields.eventID }
        _modify { yield &fields.eventID }
    }

    public var action: Action? {
        get { box.fields.action }
        _modify { yield &fields.action }
    }

    /// A CBV 2.0 business step, as its bare word (`commissioning`) or a full URI.
    public var bizStep: String? {
        get { box.fields.bizStep }
        _modify { yield &fields.bizStep }
    }

    public var disposition: String? {
        get { box.fields.disposition }
        _modify { yield &fields.disposition }
    }

    public var epcList: [String]? {
        get { box.fields.epcList }
        _modify { yield &fields.epcList }
    }

    public var quantityList: [QuantityElement]? {
        get { box.fields.quantityList }
        _modify { yield &fields.quantityList }
    }

    public var parentID: String? {
        get { box.fields.parentID }
        _modify { yield &fields.parentID }
    }

    public var childEPCs: [String]? {
        get { box.fields.childEPCs }
        _modify { yield &fields.childEPCs }
    }

    public var childQuantityList: [QuantityElement]? {
        get { box.fields.childQuantityList }
        _modify { yield &fields.childQuantityList }
    }

    public var inputEPCList: [String]? {
        get { box.fields.inputEPCList }
        _modify { yield &fields.inputEPCList }
    }

    public var inputQuantityList: [QuantityElement]? {
        get { box.fields.inputQuantityList }
        _modify { yield &fields.inputQuantityList }
    }

    public var outputEPCList: [String]? {
        get { box.fields.outputEPCList }
        _modify { yield &fields.outputEPCList }
    }

    public var outputQuantityList: [QuantityElement]? {
        get { box.fields.outputQuantityList }
        _modify { yield &fields.outputQuantityList }
    }

    public var readPoint: Location? {
        get { box.fields.readPoint }
        _modify { yield &fields.readPoint }
    }

    public var bizLocation: Location? {
        get { box.fields.bizLocation }
        _modify { yield &fields.bizLocation }
    }

    public var sourceList: [Source]? {
        get { box.fields.sourceList }
        _modify { yield &fields.sourceList }
    }

    public var destinationList: [Destination]? {
        get { box.fields.destinationList }
        _modify { yield &fields.destinationList }
    }

    public var bizTransactionList: [BizTransaction]? {
        get { box.fields.bizTransactionList }
        _modify { yield &fields.bizTransactionList }
    }

    public var ilmd: JSONValue? {
        get { box.fields.ilmd }
        _modify { yield &fields.ilmd }
    }

    public var certificationInfo: JSONValue? {
        get { box.fields.certificationInfo }
        _modify { yield &fields.certificationInfo }
    }

    public var sensorElementList: JSONValue? {
        get { box.fields.sensorElementList }
        _modify {
            fields.keptMeasurements.value = nil  // read from the new sensor data when next asked
            yield &fields.sensorElementList
        }
    }

    /// ``measurements`` as ``keepingClaimsOnly()`` kept them, if it did.
    var keptMeasurements: [Measurement]? {
        get { box.fields.keptMeasurements.value }
        set { fields.keptMeasurements.value = newValue }
    }

    /// `agt:inputs`: for every lot this event consumes, observes or moves, the record that last touched it.
    public var inputs: [InputLink] {
        get { box.fields.inputs }
        _modify { yield &fields.inputs }
    }

    /// Every other member of the event object (`agt:` fields, other vendors' extensions).
    public var extensions: [String: JSONValue] {
        get { box.fields.extensions }
        _modify { yield &fields.extensions }
    }

    /// The time of an event being read until its own is read.
    static let unreadTime = EPCISTime(date: Date(timeIntervalSince1970: 0))

    /// The EPCIS 2.0 context plus AgriTrace's namespace, so one record is a JSON-LD document on its own.
    public static let defaultContext: JSONValue = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        ["agt": .string(agtNamespace)],
    ]

    /// ``defaultContext`` as canonical JSON, written once into memory the process keeps: every
    /// canonical payload starts with it, and a reader compares it without a reference to count
    /// (a static array's count was taken and given back for each payload, by every core at once).
    nonisolated(unsafe) static let defaultContextJSON: UnsafeRawBufferPointer = {  // never written after
        var writer = CanonicalJSONWriter(capacity: 128)
        writer.write(defaultContext)
        let kept = UnsafeMutableRawBufferPointer.allocate(byteCount: writer.bytes.count, alignment: 1)
        kept.copyBytes(from: writer.bytes)
        return UnsafeRawBufferPointer(kept)
    }()

    /// The IRI of AgriTrace's own members (`agt:inputs`, `agt:category` …).
    public static let agtNamespace = "urn:agritrace:ns:1#"

    public init(
        type: EventType, eventTime: EPCISTime, eventID: String = "",
        action: Action? = nil, bizStep: String? = nil, disposition: String? = nil, inputs: [InputLink] = [],
        extensions: [String: JSONValue] = [:]
    ) {
        box = Box(Fields(type: type, eventTime: eventTime, eventID: eventID, action: action, bizStep: bizStep, disposition: disposition,
                         inputs: inputs, extensions: extensions))
    }

    public static func == (a: EPCISEvent, b: EPCISEvent) -> Bool {
        a.box === b.box || a.box.fields == b.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }

    /// The bare CBV word of ``bizStep`` (`commissioning` for `https://ref.gs1.org/cbv/BizStep-commissioning`).
    public var bizStepWord: String? { bizStep.map(EPCISEvent.cbvWord) }

    /// The bare CBV word of a vocabulary value in any of its spellings.
    public static func cbvWord(_ value: String) -> String {
        // Every spelling but the bare word holds a colon: a bare word (nearly every value, and
        // read by most checks of every record) is itself at a glance.
        let colon = value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: ":")), bytes.count) != nil } ?? false
        }
        guard colon ?? value.utf8.contains(UInt8(ascii: ":")) else { return value }
        for prefix in cbvPrefixes where value.hasPrefix(prefix) {
            return String(value.dropFirst(prefix.count))
        }
        return value
    }

    private static let cbvPrefixes = ["https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:bizstep:",
                                      "urn:epcglobal:cbv:disp:", "cbv:BizStep-", "cbv:Disp-"]
}
