import Foundation

// The parts an ``EPCISEvent`` is made of: quantities, places, parties, documents and links.

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

