import Foundation

/// The order in which the CBV 2.0 event hash concatenates an event's fields: a list of element
/// names, each with the order of its own children where they have any.
indirect enum PreHashOrder: Sendable {
    case leaf
    case children([(String, PreHashOrder)])
    /// Sources, destinations and business transactions: ordered as pairs, which the reference
    /// never matches by name, so they fall through to the fields outside the order.
    case pairs

    static let quantityElement: [(String, PreHashOrder)] = [("quantityElement", .children([("epcClass", .leaf), ("quantity", .leaf), ("uom", .leaf)]))]

    /// The event-level order.
    static let event: [(String, PreHashOrder)] = [
        ("eventTime", .leaf), ("eventTimeZoneOffset", .leaf), ("certificationInfo", .leaf), ("parentID", .leaf),
        ("epcList", .children([("epc", .leaf)])), ("inputEPCList", .children([("epc", .leaf)])), ("childEPCs", .children([("epc", .leaf)])),
        ("quantityList", .children(quantityElement)), ("childQuantityList", .children(quantityElement)),
        ("inputQuantityList", .children(quantityElement)), ("outputEPCList", .children([("epc", .leaf)])),
        ("outputQuantityList", .children(quantityElement)), ("action", .leaf), ("transformationID", .leaf), ("bizStep", .leaf),
        ("disposition", .leaf), ("persistentDisposition", .children([("set", .leaf), ("unset", .leaf)])),
        ("readPoint", .children([("id", .leaf)])), ("bizLocation", .children([("id", .leaf)])),
        ("bizTransactionList", .pairs), ("sourceList", .pairs), ("destinationList", .pairs),
        ("sensorElementList", sensorElementList),
    ]

    /// Sensor data: elements of metadata and reports.
    static let sensorElementList = PreHashOrder.children([("sensorElement", .children([
        ("sensorMetadata", .children(sensorMetadataFields.map { ($0, PreHashOrder.leaf) })),
        ("sensorReport", .children(sensorReportFields.map { ($0, PreHashOrder.leaf) })),
    ]))])

    /// The fields of a sensor element's metadata, in order (all leaves).
    static let sensorMetadataFields = ["time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"]

    /// Each field's place in ``sensorMetadataFields``, to look a member up once.
    static let sensorMetadataPlaces = NameTable(sensorMetadataFields)

    /// Each field's place in ``sensorReportFields``.
    static let sensorReportPlaces = NameTable(sensorReportFields)

    /// The fields of a sensor report, in order (all leaves).
    static let sensorReportFields = [
        "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time", "microorganism", "chemicalSubstance",
        "value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev",
        "percRank", "percValue", "uom", "coordinateReferenceSystem",
    ]
}
