import Foundation

/// Builders for the supply-chain steps AgriTrace records, each an EPCIS 2.0 event with CBV
/// vocabulary. The registry and the sample scenarios both use these, so every event of a given
/// step has the same shape.
public enum EventFactory {
    /// A harvest, slaughter or collection: an ObjectEvent ADD (commissioning) creating a lot.
    /// `harvestEndDate`: the last day of a harvest spanning days (CBV's `harvestEndDate`).
    public static func harvest(
        lot: String, quantity: Decimal, uom: String, at time: EPCISTime, location: GLN,
        harvestDate: String, harvestEndDate: String? = nil, plots: [Plot], countryOfOrigin: String = "VN", organicCertificate: String? = nil,
        category: String? = nil, productName: [String: String] = [:]
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .add, bizStep: "commissioning", disposition: "active")
        if let category { event.extensions["agt:category"] = .string(category) }
        if !productName.isEmpty { event.extensions["agt:productName"] = .object(productName.mapValues(JSONValue.string)) }
        event.quantityList = [QuantityElement(epcClass: lot, quantity: quantity, uom: uom)]
        event.readPoint = Location(id: location.locationURI)
        event.bizLocation = Location(id: location.locationURI)
        var ilmd: [String: JSONValue] = [
            "cbvmda:harvestStartDate": .string(harvestDate),
            "cbvmda:countryOfOrigin": .string(countryOfOrigin),
            "agt:plots": .array(plots.map(\.json)),
        ]
        if let harvestEndDate, harvestEndDate != harvestDate { ilmd["cbvmda:harvestEndDate"] = .string(harvestEndDate) }
        if let organicCertificate { ilmd["agt:organicCertificate"] = .string(organicCertificate) }
        event.ilmd = .object(ilmd)
        if let organicCertificate { event.certificationInfo = .string(organicCertificate) }
        return event
    }

    /// An inspection or lab test of a lot: an ObjectEvent OBSERVE (inspecting) with the result
    /// as disposition and measured values as sensor reports.
    public static func inspection(
        lot: String, previous: String, at time: EPCISTime, location: GLN, conformant: Bool,
        measurements: [Measurement] = [], reportSHA256: String? = nil, certificate: String? = nil,
        certificateValidity: (from: String, until: String)? = nil
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "inspecting",
                               disposition: conformant ? "conformant" : "non_conformant",
                               inputs: [InputLink(record: previous, lot: lot)])
        event.quantityList = [QuantityElement(epcClass: lot)]
        event.readPoint = Location(id: location.locationURI)
        if !measurements.isEmpty {
            var metadata: [String: JSONValue] = ["time": .string(time.description)]
            if let reportSHA256 { metadata["agt:reportSHA256"] = .string(reportSHA256) }
            event.sensorElementList = [[
                "sensorMetadata": .object(metadata),
                "sensorReport": .array(measurements.map(\.json)),
            ]]
        }
        if let certificate { event.certificationInfo = .string(certificate) }
        if let certificateValidity {
            event.extensions["agt:certificateValidity"] = ["from": .string(certificateValidity.from), "until": .string(certificateValidity.until)]
        }
        return event
    }

    /// A carrier's record of logistic units in its care between shipping and receiving: an
    /// ObjectEvent OBSERVE (transporting, in transit) with the temperatures it logged, each a
    /// sensor report `agt:temperature` in degrees Celsius (chilled beef must stay cold).
    public static func transport(units: [String], previous: [InputLink], at time: EPCISTime, location: GLN,
                                 readings: [TemperatureReading] = []) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "transporting", disposition: "in_transit",
                               inputs: previous)
        event.epcList = units
        event.readPoint = Location(id: location.locationURI)
        if !readings.isEmpty {
            event.sensorElementList = [[
                "sensorMetadata": .object(["time": .string(time.description)]),
                "sensorReport": .array(readings.map { Measurement("temperature", $0.celsius, "CEL", time: $0.time?.description).json }),
            ]]
        }
        return event
    }

    /// A recall of a lot: an ObjectEvent OBSERVE (holding) with the disposition `recalled` and the
    /// reason in `agt:reason`. Every buyer's verifier refuses the lot from then on (`lot.recalled`).
    public static func recall(lot: String, previous: String, at time: EPCISTime, location: GLN, reason: String) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "holding", disposition: "recalled",
                               inputs: [InputLink(record: previous, lot: lot)])
        event.quantityList = [QuantityElement(epcClass: lot)]
        event.readPoint = Location(id: location.locationURI)
        event.extensions[EPCISEvent.reasonKey] = .string(reason)
        return event
    }

    /// Goods written off (spoiled, damaged, used up as samples): an ObjectEvent OBSERVE
    /// (`destroying`, disposition `destroyed`) of the quantities no longer there, at the party
    /// that held them, with the reason (`agt:reason`).
    public static func discard(quantities: [QuantityElement], previous: [InputLink], at time: EPCISTime, location: GLN, reason: String) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "destroying", disposition: "destroyed", inputs: previous)
        event.quantityList = quantities
        event.readPoint = Location(id: location.locationURI)
        event.bizLocation = Location(id: location.locationURI)
        event.extensions[EPCISEvent.reasonKey] = .string(reason)
        return event
    }

    /// Packing lots into a logistic unit: an AggregationEvent ADD (packing).
    public static func pack(
        into sscc: SSCC, contents: [(lot: String, quantity: Decimal, uom: String, previous: String)],
        at time: EPCISTime, location: GLN
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .aggregationEvent, eventTime: time, action: .add, bizStep: "packing",
                               disposition: "in_progress",
                               inputs: contents.map { InputLink(record: $0.previous, lot: $0.lot) })
        event.parentID = DigitalLink.logisticUnit(sscc).uri
        event.childQuantityList = contents.map { QuantityElement(epcClass: $0.lot, quantity: $0.quantity, uom: $0.uom) }
        event.readPoint = Location(id: location.locationURI)
        event.bizLocation = Location(id: location.locationURI)
        return event
    }

    /// Unpacking a logistic unit: an AggregationEvent DELETE (unpacking) giving back the lots it
    /// holds, linked to the unit's latest record and, for each lot, to the packing that put it in.
    public static func unpack(
        _ sscc: SSCC, contents: [QuantityElement], previous: String, packing: String, at time: EPCISTime, location: GLN
    ) -> EPCISEvent {
        let unit = DigitalLink.logisticUnit(sscc).uri
        let links = [InputLink(record: previous, lot: unit)] + contents.map { InputLink(record: packing, lot: $0.epcClass) }
        var event = EPCISEvent(type: .aggregationEvent, eventTime: time, action: .delete, bizStep: "unpacking",
                               disposition: "in_progress", inputs: links)
        event.parentID = unit
        event.childQuantityList = contents
        event.readPoint = Location(id: location.locationURI)
        event.bizLocation = Location(id: location.locationURI)
        return event
    }

    /// Shipping goods from one party to another: an ObjectEvent OBSERVE (shipping) with owning
    /// parties and business documents. `goods` are logistic units (by EPC) or lot quantities.
    public static func ship(
        units: [String] = [], quantities: [QuantityElement] = [], previous: [InputLink], at time: EPCISTime,
        from source: GLN, to destination: GLN, documents: [BizTransaction] = []
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "shipping",
                               disposition: "in_transit", inputs: previous)
        if !units.isEmpty { event.epcList = units }
        if !quantities.isEmpty { event.quantityList = quantities }
        event.readPoint = Location(id: source.locationURI)
        event.sourceList = [Source(type: "owning_party", source: source.partyURI)]
        event.destinationList = [Destination(type: "owning_party", destination: destination.partyURI)]
        if !documents.isEmpty { event.bizTransactionList = documents }
        return event
    }

    /// Receiving goods: an ObjectEvent OBSERVE (receiving) at the receiver's location.
    public static func receive(
        units: [String] = [], quantities: [QuantityElement] = [], previous: [InputLink], at time: EPCISTime,
        from source: GLN, at receiver: GLN
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "receiving",
                               disposition: "in_possession", inputs: previous)
        if !units.isEmpty { event.epcList = units }
        if !quantities.isEmpty { event.quantityList = quantities }
        event.readPoint = Location(id: receiver.locationURI)
        event.bizLocation = Location(id: receiver.locationURI)
        event.sourceList = [Source(type: "owning_party", source: source.partyURI)]
        event.destinationList = [Destination(type: "owning_party", destination: receiver.partyURI)]
        return event
    }

    /// Blending, juicing or cutting: a TransformationEvent from input lots to output lots; with
    /// `productNames`, the names of its outputs' products by GTIN (`agt:productNames`, as a harvest
    /// states its own product's), so that a buyer is told what cuts of beef or a juice are called.
    public static func transform(
        inputs: [(quantity: QuantityElement, previous: String)], outputs: [QuantityElement], at time: EPCISTime, location: GLN,
        organicCertificate: String? = nil, productNames: [String: [String: String]] = [:]
    ) -> EPCISEvent {
        var event = EPCISEvent(type: .transformationEvent, eventTime: time, bizStep: "transforming",
                               inputs: inputs.map { InputLink(record: $0.previous, lot: $0.quantity.epcClass) })
        event.inputQuantityList = inputs.map(\.quantity)
        event.outputQuantityList = outputs
        if !productNames.isEmpty {
            event.extensions["agt:productNames"] = .object(productNames.mapValues { .object($0.mapValues(JSONValue.string)) })
        }
        if let organicCertificate { event.ilmd = ["agt:organicCertificate": .string(organicCertificate)] }
        event.readPoint = Location(id: location.locationURI)
        event.bizLocation = Location(id: location.locationURI)
        return event
    }
}

/// A farm plot with its location as GeoJSON.
public struct Plot: Hashable, Sendable {
    public var id: String
    public var name: String
    /// GeoJSON geometry: a Point or Polygon, longitude first.
    public var geometry: JSONValue
    public var areaHectares: Decimal?

    /// A plot with any GeoJSON geometry (Point, Polygon, MultiPolygon).
    public init(id: String, name: String, geometry: JSONValue, areaHectares: Decimal? = nil) {
        self.id = id
        self.name = name
        self.geometry = geometry
        self.areaHectares = areaHectares
    }

    public init(id: String, name: String, longitude: Decimal, latitude: Decimal, areaHectares: Decimal? = nil) {
        self.id = id
        self.name = name
        self.geometry = ["type": "Point", "coordinates": [.number(longitude), .number(latitude)]]
        self.areaHectares = areaHectares
    }

    var json: JSONValue {
        var properties: [String: JSONValue] = ["id": .string(id), "name": .string(name)]
        if let areaHectares { properties["areaHa"] = .number(areaHectares) }
        return ["type": "Feature", "geometry": geometry, "properties": .object(properties)]
    }
}

/// A measured value from an inspection or lab test (moisture, HMF, Brix, a residue).
public struct Measurement: Hashable, Sendable, Codable {
    public var name: String
    public var value: Decimal
    /// A UN/ECE unit code (`P1` percent) or a plain unit (`mg/kg`).
    public var unit: String
    /// When the value was read, where the report says (a data logger's reading: EPCIS's
    /// `sensorReport.time`, ISO 8601 with its zone offset).
    public var time: String?
    public init(_ name: String, _ value: Decimal, _ unit: String, time: String? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.time = time
    }
    var json: JSONValue {
        var json: [String: JSONValue] = ["type": .string("agt:\(name)"), "value": .number(value), "uom": .string(unit)]
        if let time { json["time"] = .string(time) }
        return .object(json)
    }
}

/// A temperature a carrier's logger read (°C), and when, where the logger says.
public struct TemperatureReading: Hashable, Sendable {
    public var celsius: Decimal
    public var time: EPCISTime?
    public init(celsius: Decimal, time: EPCISTime? = nil) {
        self.celsius = celsius
        self.time = time
    }
}
