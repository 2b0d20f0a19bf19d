import Foundation

/// A coding key for any member name, so unknown members survive a decode and encode.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension EPCISEvent: Encodable {
    /// The members this type models; every other member goes to ``extensions``.
    static let modelledKeys: Set<String> = [
        "@context", "type", "eventTime", "eventTimeZoneOffset", "eventID", "action", "bizStep", "disposition",
        "epcList", "quantityList", "parentID", "childEPCs", "childQuantityList", "inputEPCList", "inputQuantityList",
        "outputEPCList", "outputQuantityList", "readPoint", "bizLocation", "sourceList", "destinationList",
        "bizTransactionList", "ilmd", "certificationInfo", "sensorElementList", "agt:inputs",
    ]

    /// Reads an event from parsed JSON, naming the path of whatever is wrong.
    public init(json: JSONValue) throws {
        self.init(type: .objectEvent, eventTime: Self.unreadTime)
        let r = try JSONObjectReader(json, path: "", code: .eventInvalid)
        self.context = r.value("@context") ?? .null  // the default context is kept as nil, no copy of it
        guard let typeName = try r.string("type") else {
            throw TraceError(.eventInvalid, "the event has no \"type\"")
        }
        guard let type = EventType(rawValue: typeName) else {
            throw TraceError(.eventInvalid, "event type \"\(typeName.prefix(40))\" is not ObjectEvent, AggregationEvent or TransformationEvent")
        }
        self.type = type
        let time = try EPCISTime(parsing: try r.requiredString("eventTime"))
        let offset = try r.requiredString("eventTimeZoneOffset")
        guard offset == time.offsetText else {
            throw TraceError(.eventInvalid, "eventTimeZoneOffset \(offset.prefix(10)) differs from the offset of eventTime \(time)")
        }
        eventTime = time
        eventID = try r.string("eventID") ?? ""  // optional in EPCIS; the verifier flags a record without one
        if let action = try r.string("action") {
            guard let parsed = Action(rawValue: action) else { throw TraceError(.eventInvalid, "action \"\(action.prefix(20))\" is not ADD, OBSERVE or DELETE") }
            self.action = parsed
        } else {
            action = nil
        }
        bizStep = try r.string("bizStep")
        disposition = try r.string("disposition")
        epcList = try r.strings("epcList")
        quantityList = try r.objects("quantityList")?.map(QuantityElement.init(reader:))
        parentID = try r.string("parentID")
        childEPCs = try r.strings("childEPCs")
        childQuantityList = try r.objects("childQuantityList")?.map(QuantityElement.init(reader:))
        inputEPCList = try r.strings("inputEPCList")
        inputQuantityList = try r.objects("inputQuantityList")?.map(QuantityElement.init(reader:))
        outputEPCList = try r.strings("outputEPCList")
        outputQuantityList = try r.objects("outputQuantityList")?.map(QuantityElement.init(reader:))
        readPoint = try r.object("readPoint").map { Location(id: try $0.requiredString("id")) }
        bizLocation = try r.object("bizLocation").map { Location(id: try $0.requiredString("id")) }
        sourceList = try r.objects("sourceList")?.map { Source(type: try $0.requiredString("type"), source: try $0.requiredString("source")) }
        destinationList = try r.objects("destinationList")?.map {
            Destination(type: try $0.requiredString("type"), destination: try $0.requiredString("destination"))
        }
        bizTransactionList = try r.objects("bizTransactionList")?.map {
            BizTransaction(type: try $0.string("type"), bizTransaction: try $0.requiredString("bizTransaction"))
        }
        ilmd = r.value("ilmd")
        certificationInfo = r.value("certificationInfo")
        sensorElementList = r.value("sensorElementList")
        inputs = try r.objects("agt:inputs")?.map { InputLink(record: try $0.requiredString("record"), lot: try $0.requiredString("lot")) } ?? []
        extensions = r.members.filter { !Self.modelledKeys.contains($0.key) }
        if type != .transformationEvent, action == nil {
            throw TraceError(.eventInvalid, "\(type.rawValue) needs an action (ADD, OBSERVE or DELETE)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            if let value { try c.encode(value, forKey: AnyKey(key)) }
        }
        try put("@context", context)
        try put("type", type.rawValue)
        try put("eventTime", eventTime)
        try put("eventTimeZoneOffset", eventTime.offsetText)
        try put("eventID", eventID)
        try put("action", action)
        try put("bizStep", bizStep)
        try put("disposition", disposition)
        try put("epcList", epcList)
        try put("quantityList", quantityList)
        try put("parentID", parentID)
        try put("childEPCs", childEPCs)
        try put("childQuantityList", childQuantityList)
        try put("inputEPCList", inputEPCList)
        try put("inputQuantityList", inputQuantityList)
        try put("outputEPCList", outputEPCList)
        try put("outputQuantityList", outputQuantityList)
        try put("readPoint", readPoint)
        try put("bizLocation", bizLocation)
        try put("sourceList", sourceList)
        try put("destinationList", destinationList)
        try put("bizTransactionList", bizTransactionList)
        try put("ilmd", ilmd)
        try put("certificationInfo", certificationInfo)
        try put("sensorElementList", sensorElementList)
        if !inputs.isEmpty { try put("agt:inputs", inputs) }
        for (key, value) in extensions where !Self.modelledKeys.contains(key) {
            try c.encode(value, forKey: AnyKey(key))
        }
    }

    /// Decodes an event from a record payload, naming what is wrong on failure.
    public static func decode(payload: Data) throws -> EPCISEvent {
        let event = try CanonicalPayloadReader.event(from: payload) ?? decodeAnyForm(payload: payload)
        try event.checkWireForm()
        return event
    }

    /// ``decode(payload:)``, and whether the payload is the event's canonical encoding
    /// (``payloadBytes()``): then the event hash can be written from the event's fields. With
    /// `intern`, a canonical payload's identifiers come as the interner's shared copies
    /// (`stringsShared`), as ``sharingStrings(_:)`` would share them.
    static func read(payload: Data, sharingWith intern: StringInterner? = nil) throws
        -> (event: EPCISEvent, isCanonical: Bool, stringsShared: Bool) {
        let isASCII = payload.withUnsafeBytes(isASCII)
        if let event = CanonicalPayloadReader.event(from: payload, sharingWith: intern, isASCII: isASCII) {
            try event.checkWireForm(allTextASCII: isASCII)
            return (event, true, intern != nil)
        }
        let event = try decodeAnyForm(payload: payload)
        try event.checkWireForm()
        return (event, (try? event.payloadBytes()) == payload, false)
    }

    /// The general decoder: JSON of any form, parsed in full, then read member by member.
    static func decodeAnyForm(payload: Data) throws -> EPCISEvent {
        let json: JSONValue
        do { json = try JSONParser<JSONValueBuilder>.parse(payload, maxDepth: 64) } catch {
            throw TraceError(.eventInvalid, "the event payload is not valid JSON (\(error))")
        }
        return try EPCISEvent(json: json)
    }
}

extension QuantityElement {
    init(reader: JSONObjectReader) throws {
        self.init(epcClass: try reader.requiredString("epcClass"), quantity: try reader.decimal("quantity"), uom: try reader.string("uom"))
    }
}
