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

    public var context: JSONValue = EPCISEvent.defaultContext
    public var type: EventType
    public var eventTime: EPCISTime
    /// The CBV 2.0 event hash (``EventHash``); empty until ``Signer/sign(_:)`` fills it in.
    public var eventID: String
    public var action: Action?
    /// A CBV 2.0 business step, as its bare word (`commissioning`) or a full URI.
    public var bizStep: String?
    public var disposition: String?
    public var epcList: [String]?
    public var quantityList: [QuantityElement]?
    public var parentID: String?
    public var childEPCs: [String]?
    public var childQuantityList: [QuantityElement]?
    public var inputEPCList: [String]?
    public var inputQuantityList: [QuantityElement]?
    public var outputEPCList: [String]?
    public var outputQuantityList: [QuantityElement]?
    public var readPoint: Location?
    public var bizLocation: Location?
    public var sourceList: [Source]?
    public var destinationList: [Destination]?
    public var bizTransactionList: [BizTransaction]?
    public var ilmd: JSONValue?
    public var certificationInfo: JSONValue?
    public var sensorElementList: JSONValue?
    /// `agt:inputs`: for every lot this event consumes, observes or moves, the record that last touched it.
    public var inputs: [InputLink]
    /// Every other member of the event object (`agt:` fields, other vendors' extensions).
    public var extensions: [String: JSONValue]

    /// The EPCIS 2.0 context plus AgriTrace's namespace, so one record is a JSON-LD document on its own.
    public static let defaultContext: JSONValue = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        ["agt": .string(agtNamespace)],
    ]

    /// The IRI of AgriTrace's own members (`agt:inputs`, `agt:category` …).
    public static let agtNamespace = "urn:agritrace:ns:1#"

    public init(
        type: EventType, eventTime: EPCISTime, eventID: String = "",
        action: Action? = nil, bizStep: String? = nil, disposition: String? = nil, inputs: [InputLink] = [],
        extensions: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.eventTime = eventTime
        self.eventID = eventID
        self.action = action
        self.bizStep = bizStep
        self.disposition = disposition
        self.inputs = inputs
        self.extensions = extensions
    }

    /// The bare CBV word of ``bizStep`` (`commissioning` for `https://ref.gs1.org/cbv/BizStep-commissioning`).
    public var bizStepWord: String? { bizStep.map(EPCISEvent.cbvWord) }

    /// The bare CBV word of a vocabulary value in any of its spellings.
    public static func cbvWord(_ value: String) -> String {
        for prefix in ["https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:bizstep:", "urn:epcglobal:cbv:disp:", "cbv:BizStep-", "cbv:Disp-"]
        where value.hasPrefix(prefix) {
            return String(value.dropFirst(prefix.count))
        }
        return value
    }
}

/// An amount of a class of goods (a lot), with a UN/ECE unit such as KGM, LTR or H87.
public struct QuantityElement: Hashable, Sendable, Codable {
    /// The lot's Digital Link (`https://id.gs1.org/01/…/10/…`).
    public var epcClass: String
    /// The amount; absent when an event observes the lot as a whole (an inspection).
    public var quantity: Decimal?
    public var uom: String?
    public init(epcClass: String, quantity: Decimal? = nil, uom: String? = nil) {
        self.epcClass = epcClass
        self.quantity = quantity
        self.uom = uom
    }
}

/// A read point or business location.
public struct Location: Hashable, Sendable, Codable {
    public var id: String
    public init(id: String) { self.id = id }
}

/// A source: its CBV type (`owning_party`, `possessing_party`, `location`) and the party's Digital Link.
public struct Source: Hashable, Sendable, Codable {
    public var type: String
    public var source: String
    public init(type: String, source: String) {
        self.type = type
        self.source = source
    }
}

/// A destination: its CBV type and the party's Digital Link.
public struct Destination: Hashable, Sendable, Codable {
    public var type: String
    public var destination: String
    public init(type: String, destination: String) {
        self.type = type
        self.destination = destination
    }
}

/// A business transaction reference: purchase order, invoice, bill of lading.
public struct BizTransaction: Hashable, Sendable, Codable {
    public var type: String?
    public var bizTransaction: String
    public init(type: String?, bizTransaction: String) {
        self.type = type
        self.bizTransaction = bizTransaction
    }
}

/// One `agt:inputs` entry: the record that last touched a lot this event uses.
public struct InputLink: Hashable, Sendable, Codable {
    /// `sha256:<hex>` of the predecessor record's payload.
    public var record: String
    /// The lot's (or logistic unit's) Digital Link.
    public var lot: String
    public init(record: String, lot: String) {
        self.record = record
        self.lot = lot
    }
}

