import Foundation

/// A coding key for any member name, so unknown members survive a decode and encode.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension EPCISEvent: Codable {
    /// The members this type models; every other member goes to ``extensions``.
    static let modelledKeys: Set<String> = [
        "@context", "type", "eventTime", "eventTimeZoneOffset", "eventID", "action", "bizStep", "disposition",
        "epcList", "quantityList", "parentID", "childEPCs", "childQuantityList", "inputEPCList", "inputQuantityList",
        "outputEPCList", "outputQuantityList", "readPoint", "bizLocation", "sourceList", "destinationList",
        "bizTransactionList", "ilmd", "certificationInfo", "sensorElementList", "agt:inputs",
    ]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func value<T: Decodable>(_ key: String) throws -> T? { try c.decodeIfPresent(T.self, forKey: AnyKey(key)) }
        context = try value("@context") ?? .null
        guard let typeName: String = try value("type") else {
            throw TraceError(.eventInvalid, "the event has no \"type\"")
        }
        guard let type = EventType(rawValue: typeName) else {
            throw TraceError(.eventInvalid, "event type \"\(typeName.prefix(40))\" is not ObjectEvent, AggregationEvent or TransformationEvent")
        }
        self.type = type
        guard let time: EPCISTime = try value("eventTime") else { throw TraceError(.eventInvalid, "the event has no eventTime") }
        let offset: String? = try value("eventTimeZoneOffset")
        guard let offset else { throw TraceError(.eventInvalid, "the event has no eventTimeZoneOffset") }
        guard offset == time.offsetText else {
            throw TraceError(.eventInvalid, "eventTimeZoneOffset \(offset.prefix(10)) differs from the offset of eventTime \(time)")
        }
        eventTime = time
        guard let eventID: String = try value("eventID") else { throw TraceError(.eventInvalid, "the event has no eventID") }
        self.eventID = eventID
        action = try value("action")
        bizStep = try value("bizStep")
        disposition = try value("disposition")
        epcList = try value("epcList")
        quantityList = try value("quantityList")
        parentID = try value("parentID")
        childEPCs = try value("childEPCs")
        childQuantityList = try value("childQuantityList")
        inputEPCList = try value("inputEPCList")
        inputQuantityList = try value("inputQuantityList")
        outputEPCList = try value("outputEPCList")
        outputQuantityList = try value("outputQuantityList")
        readPoint = try value("readPoint")
        bizLocation = try value("bizLocation")
        sourceList = try value("sourceList")
        destinationList = try value("destinationList")
        bizTransactionList = try value("bizTransactionList")
        ilmd = try value("ilmd")
        certificationInfo = try value("certificationInfo")
        sensorElementList = try value("sensorElementList")
        inputs = try value("agt:inputs") ?? []
        var extensions: [String: JSONValue] = [:]
        for key in c.allKeys where !Self.modelledKeys.contains(key.stringValue) {
            extensions[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.extensions = extensions
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

    /// The JSON bytes that become a record's payload: keys sorted, no escaped slashes, so the
    /// same event always gives the same bytes.
    public func payloadBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes an event from a record payload, naming what is wrong on failure.
    public static func decode(payload: Data) throws -> EPCISEvent {
        do {
            return try JSONDecoder().decode(EPCISEvent.self, from: payload)
        } catch let error as TraceError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw TraceError(.eventInvalid, "the event payload is not a valid EPCIS event at \(path.isEmpty ? "top level" : path): \(context.debugDescription)")
        } catch {
            throw TraceError(.eventInvalid, "the event payload is not valid JSON")
        }
    }
}
