import AgriTrace
import Foundation
import TraceCrypto

/// Registers a party's own events: each one checked against what the registry knows, linked to
/// the records that last touched its lots, signed, and appended in one transaction. What cannot
/// be true (shipping more than the party holds, an unknown lot, a date in the future) is refused
/// and nothing is written.
public struct EventRecorder {
    public let workspace: Workspace
    public let signer: Signer
    /// The clock, replaceable in tests.
    public var now: @Sendable () -> Date = { Date() }

    public init(workspace: Workspace, signer: Signer) {
        self.workspace = workspace
        self.signer = signer
    }

    /// An amount of a lot, as commands take it.
    public struct Amount: Sendable {
        public var lot: String
        public var quantity: Decimal
        public var unit: String
        public init(lot: String, quantity: Decimal, unit: String = "KGM") {
            self.lot = lot
            self.quantity = quantity
            self.unit = unit
        }
        var element: QuantityElement { QuantityElement(epcClass: lot, quantity: quantity, uom: unit) }
    }

    // MARK: Steps

    /// A harvest, slaughter or collection: a new lot of a registered product.
    @discardableResult
    public func harvest(gtin: GTIN, lot lotNumber: String, quantity: Decimal, unit: String? = nil, plots plotIDs: [String],
                        harvestDate: String, organicCertificate: String? = nil, time: Date? = nil) throws -> Envelope {
        let request = HarvestRequest(gtin: gtin, lot: lotNumber, quantity: quantity, unit: unit, plots: plotIDs, harvestDate: harvestDate,
                                     organicCertificate: organicCertificate)
        return try record { tx in try harvestEvent(request, tx, time: time) }
    }

    private func harvestEvent(_ request: HarvestRequest, _ tx: RegistryTransaction, time: Date? = nil) throws -> EPCISEvent {
        let (gtin, quantity, plotIDs, harvestDate) = (request.gtin, request.quantity, request.plots, request.harvestDate)
        let lot = DigitalLink.lot(gtin, lot: try DigitalLink.checkedAI82(request.lot, ai: "10", max: 20)).uri
        do {
            guard let product = try tx.product(gtin) else {
                throw TraceError("product.unknown", "product \(gtin) is not registered; add it with 'agritrace product add'")
            }
            guard try tx.latestRecord(touching: lot) == nil else { throw TraceError("lot.exists", "lot \(lot) already exists") }
            try Self.positive(quantity, what: "harvest quantity")
            try Self.notBlank(request.organicCertificate)
            let plots = try plotIDs.map { id -> Plot in
                guard let plot = try tx.plot(id) else { throw TraceError("plot.unknown", "plot \(id) is not registered") }
                return plot.plot
            }
            guard CalendarDay.midnight(harvestDate) != nil else {
                throw TraceError("argument.invalid", "harvest date \(harvestDate) is not a day written YYYY-MM-DD")
            }
            let when = try eventTime(time)
            // Harvested by the day it is recorded, in the record's own time zone.
            guard harvestDate <= String(when.description.prefix(10)) else {
                throw TraceError("time.future", "harvest date \(harvestDate) is after the day of the record, \(when)")
            }
            if let number = request.organicCertificate, let held = try tx.heldCertificates().first(where: { $0.number == number }),
               !held.isValid(on: harvestDate) {
                throw TraceError("certificate.expired", "certificate \(number) is valid \(held.validFrom) to \(held.validUntil), not on \(harvestDate)")
            }
            return EventFactory.harvest(lot: lot, quantity: quantity, uom: request.unit ?? product.unit, at: when,
                                        location: try workspace.gln, harvestDate: harvestDate, plots: plots,
                                        organicCertificate: request.organicCertificate, category: product.category, productName: product.names)
        }
    }

    /// A certifier's or laboratory's finding on a lot.
    @discardableResult
    public func inspect(lot: String, conformant: Bool, measurements: [AgriTrace.Measurement] = [], reportSHA256: String? = nil,
                        certificate: String? = nil, time: Date? = nil) throws -> Envelope {
        try record { tx in
            try Self.notBlank(certificate)
            let previous = try known(lot, tx)
            return EventFactory.inspection(lot: lot, previous: previous, at: try eventTime(time), location: try workspace.gln,
                                           conformant: conformant, measurements: measurements, reportSHA256: reportSHA256, certificate: certificate)
        }
    }

    /// Blending, juicing or cutting: input lots (consumed from the party's stock) to new output lots.
    @discardableResult
    public func transform(inputs: [Amount], outputs: [Amount], organicCertificate: String? = nil, time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !inputs.isEmpty, !outputs.isEmpty else { throw TraceError("argument.invalid", "a transformation needs inputs and outputs") }
            try Self.notBlank(organicCertificate)
            try Self.eachLotOnce(inputs, "inputs")
            try Self.eachLotOnce(outputs, "outputs")
            let linked = try inputs.map { input -> (QuantityElement, String) in
                try Self.positive(input.quantity, what: "input quantity")
                let previous = try known(input.lot, tx)
                try available(input, tx)
                return (input.element, previous)
            }
            for output in outputs {
                try Self.positive(output.quantity, what: "output quantity")
                guard try tx.latestRecord(touching: output.lot) == nil else { throw TraceError("lot.exists", "output lot \(output.lot) already exists") }
            }
            let event = EventFactory.transform(inputs: linked.map { (quantity: $0.0, previous: $0.1) }, outputs: outputs.map(\.element),
                                               at: try eventTime(time), location: try workspace.gln, organicCertificate: organicCertificate)
            // Nothing comes out heavier than what went in, measured alike (a verifier's policy may
            // ask for less); kilograms of oranges into litres of juice do not compare.
            let (consumed, produced) = LotLedger.yieldTotals(of: event)
            for (dimension, output) in produced {
                guard let input = consumed[dimension], output > input else { continue }
                throw TraceError("quantity.yield", "the outputs (\(output) in \(dimension)) exceed the inputs (\(input)): "
                                 + "a transformation cannot make more than it takes")
            }
            return event
        }
    }

    /// Packing amounts of lots into a new logistic unit.
    @discardableResult
    public func pack(into sscc: SSCC, contents: [Amount], time: Date? = nil) throws -> Envelope {
        try record { tx in
            let unit = DigitalLink.logisticUnit(sscc).uri
            guard try tx.latestRecord(touching: unit) == nil else { throw TraceError("sscc.exists", "logistic unit \(sscc) is already packed") }
            guard !contents.isEmpty else { throw TraceError("argument.invalid", "packing needs at least one lot") }
            try Self.eachLotOnce(contents, "packed lots")
            let linked = try contents.map { content -> (String, Decimal, String, String) in
                try Self.positive(content.quantity, what: "packed quantity")
                let previous = try known(content.lot, tx)
                try available(content, tx)
                return (content.lot, content.quantity, content.unit, previous)
            }
            return EventFactory.pack(into: sscc, contents: linked, at: try eventTime(time), location: try workspace.gln)
        }
    }

    /// Shipping lots (whole or partial) and logistic units to another party.
    @discardableResult
    public func ship(amounts: [Amount] = [], units: [SSCC] = [], to destination: GLN, documents: [BizTransaction] = [],
                     time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !amounts.isEmpty || !units.isEmpty else { throw TraceError("argument.invalid", "ship at least one lot or logistic unit") }
            guard destination.value != workspace.config.gln else {
                throw TraceError("argument.invalid", "GLN \(destination) is this party's own: a shipment goes to another party")
            }
            try Self.eachLotOnce(amounts, "shipped lots")
            var links: [InputLink] = []
            for amount in amounts {
                try Self.positive(amount.quantity, what: "shipped quantity")
                links.append(InputLink(record: try known(amount.lot, tx), lot: amount.lot))
                try available(amount, tx)
            }
            let unitURIs = units.map { DigitalLink.logisticUnit($0).uri }
            for uri in unitURIs { links.append(InputLink(record: try held(uri, tx), lot: uri)) }
            return EventFactory.ship(units: unitURIs, quantities: amounts.map(\.element), previous: links, at: try eventTime(time),
                                     from: try workspace.gln, to: destination, documents: documents)
        }
    }

    /// Receiving what a partner shipped to this party: its shipment from `source` to this party
    /// must be in the registry (imported from the partner's bundle), and what is received no more
    /// than it carried, less what was received of it before; a logistic unit is received once.
    @discardableResult
    public func receive(amounts: [Amount] = [], units: [SSCC] = [], from source: GLN, time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !amounts.isEmpty || !units.isEmpty else { throw TraceError("argument.invalid", "receive at least one lot or logistic unit") }
            try Self.eachLotOnce(amounts, "received lots")
            let unitURIs = units.map { DigitalLink.logisticUnit($0).uri }
            var links: [InputLink] = []
            for amount in amounts {
                try Self.positive(amount.quantity, what: "received quantity")
                let (shipment, left) = try shipmentToReceive(amount.lot, from: source, unit: amount.unit, tx)
                guard amount.quantity <= left else {
                    throw TraceError("quantity.exceeded", "the shipment \(shipment) from GLN \(source) leaves \(left) \(amount.unit) of \(amount.lot) "
                                     + "to receive, less than the \(amount.quantity) \(amount.unit) given")
                }
                links.append(InputLink(record: shipment, lot: amount.lot))
            }
            for uri in unitURIs {
                let (shipment, left) = try shipmentToReceive(uri, from: source, unit: nil, tx)
                guard left > 0 else { throw TraceError("shipment.received", "\(uri) of shipment \(shipment) is already received") }
                links.append(InputLink(record: shipment, lot: uri))
            }
            return EventFactory.receive(units: unitURIs, quantities: amounts.map(\.element), previous: links, at: try eventTime(time),
                                        from: source, at: try workspace.gln)
        }
    }

    /// The latest shipment of `identifier` from `source` to this party, and how much of it is
    /// left to receive in `unit` (for a logistic unit: 1, or 0 once received).
    private func shipmentToReceive(_ identifier: String, from source: GLN, unit: String?, _ tx: RegistryTransaction) throws -> (String, Decimal) {
        let records = try tx.records(concerning: identifier)
        guard let index = records.lastIndex(where: {
            $0.event.bizStepWord == "shipping" && $0.event.destinationGLN == workspace.config.gln && $0.event.sourceGLN == source.value
        }) else {
            throw TraceError("shipment.unknown", "no shipment of \(identifier) from GLN \(source) to GLN \(workspace.config.gln) is in the registry; "
                             + "import the sender's bundle first")
        }
        let shipment = records[index].digest
        let receipts = records[(index + 1)...].filter { $0.event.bizStepWord == "receiving" && $0.event.inputs.contains { $0.record == shipment } }
        func carried(_ event: EPCISEvent) -> Decimal {
            guard let unit else { return (event.epcList ?? []).contains(identifier) ? 1 : 0 }
            return (event.quantityList ?? []).filter { $0.epcClass == identifier }.reduce(0) { total, element in
                total + (element.quantity.flatMap { UnitOfMeasureName.convert($0, from: element.uom, to: unit) } ?? 0)
            }
        }
        return (shipment, receipts.reduce(carried(records[index].event)) { $0 - carried($1.event) })
    }

    /// One harvest of a bulk entry.
    public struct HarvestRequest: Sendable {
        public var gtin: GTIN, lot: String, quantity: Decimal, unit: String?, plots: [String], harvestDate: String, organicCertificate: String?
        public init(gtin: GTIN, lot: String, quantity: Decimal, unit: String?, plots: [String], harvestDate: String, organicCertificate: String?) {
            self.gtin = gtin
            self.lot = lot
            self.quantity = quantity
            self.unit = unit
            self.plots = plots
            self.harvestDate = harvestDate
            self.organicCertificate = organicCertificate
        }
    }

    /// Many harvests in one transaction: all are recorded, or none. Every request is checked
    /// first; the signing, the costly part, then runs on all cores (``RegistryTransaction/register(_:by:progress:)``).
    public func harvestAll(_ requests: [HarvestRequest], progress: (Int, Int) -> Void) throws {
        try workspace.registry.transaction { tx in
            var lots = Set<String>()
            let events = try requests.map { request in
                let event = try harvestEvent(request, tx)
                try mayPerform(event)
                for lot in event.quantityList?.map(\.epcClass) ?? [] where !lots.insert(lot).inserted {
                    throw TraceError("lot.exists", "lot \(lot) appears more than once in this batch")
                }
                return event
            }
            try tx.register(events, by: signer, progress: progress)
        }
    }

    // MARK: Pieces

    /// Builds, signs and appends one event inside one transaction.
    private func record(_ build: (RegistryTransaction) throws -> EPCISEvent) throws -> Envelope {
        try workspace.registry.transaction { tx in
            let event = try build(tx)
            try mayPerform(event)
            try notBeforeInputs(event, tx)
            let envelope = try signer.sign(event)
            try tx.append([envelope], certificates: [signer.certificate] + signer.chain)
            return envelope
        }
    }

    /// The signer's certificate gives it a role that may perform the event's step (a laboratory
    /// inspects, a cooperative harvests and ships): what every verifier checks (`policy.roleNotAllowed`).
    private func mayPerform(_ event: EPCISEvent) throws {
        let allowed = StepRoles.default.roles(for: event.bizStepWord), held = Role.roles(of: signer.certificate)
        guard allowed.isDisjoint(with: held) else { return }
        throw TraceError("role.notAllowed", "this party's certificate gives it the role(s) \(held.map(\.rawValue).sorted().joined(separator: ", ")); "
                         + "a \(event.bizStepWord ?? "step-less") record needs one of \(allowed.map(\.rawValue).sorted().joined(separator: ", ")), "
                         + "or every verifier would refuse it")
    }

    /// An event happens no earlier than the records it follows: a shipment dated before its
    /// harvest is what every verifier refuses (`link.timeOrder`).
    private func notBeforeInputs(_ event: EPCISEvent, _ tx: RegistryTransaction) throws {
        for link in event.inputs {
            guard let input = try tx.records(concerning: link.lot).last(where: { $0.digest == link.record }),
                  event.eventTime.date < input.event.eventTime.date else { continue }
            throw TraceError("time.order", "the event would be dated \(event.eventTime), before \(input.event.eventTime), "
                             + "the time of record \(link.record) of \(link.lot) that it follows")
        }
    }

    private func known(_ identifier: String, _ tx: RegistryTransaction) throws -> String {
        guard let latest = try tx.latestRecord(touching: identifier) else {
            throw TraceError("lot.unknown", "\(identifier) is not in the registry")
        }
        return latest
    }

    /// The latest record of a logistic unit this party holds: packed or received here, and not
    /// shipped since.
    private func held(_ unit: String, _ tx: RegistryTransaction) throws -> String {
        let moves = try tx.records(concerning: unit).filter { ["packing", "shipping", "receiving"].contains($0.event.bizStepWord) }
        guard let last = moves.last else { throw TraceError("lot.unknown", "\(unit) is not in the registry") }
        let holder = switch last.event.bizStepWord {
        case "shipping": "on its way to GLN \(last.event.destinationGLN ?? "?")"
        case "receiving": last.event.destinationGLN ?? "?"
        default: last.event.locationGLN ?? "?"
        }
        guard holder == workspace.config.gln else {
            throw TraceError("sscc.notHeld", "\(unit) is not held here but \(holder.hasPrefix("on") ? holder : "at GLN \(holder)") (record \(last.digest))")
        }
        return try known(unit, tx)
    }

    private func available(_ amount: Amount, _ tx: RegistryTransaction) throws {
        let ledger = try tx.ledger(for: amount.lot)
        let holds = ledger.balance(of: amount.lot, holder: workspace.config.gln, unit: amount.unit)
        if let dimension = ledger.dimension(of: amount.lot), dimension != UnitOfMeasureName.dimension(amount.unit) {
            throw TraceError("quantity.unit", "\(amount.lot) is measured in \(dimension), not in \(amount.unit)")
        }
        guard amount.quantity <= holds else {
            throw TraceError("quantity.exceeded", "this party holds \(holds) \(amount.unit) of \(amount.lot), less than the \(amount.quantity) \(amount.unit) asked for")
        }
    }

    /// Each lot at most once: stock is checked amount by amount, so a lot named twice could
    /// draw twice on what it holds.
    private static func eachLotOnce(_ amounts: [Amount], _ what: String) throws {
        var seen = Set<String>()
        for amount in amounts where !seen.insert(amount.lot).inserted {
            throw TraceError("argument.invalid", "\(amount.lot) appears twice among the \(what); give it once, with the whole quantity")
        }
    }

    private static func positive(_ quantity: Decimal, what: String) throws {
        guard quantity > 0 else { throw TraceError("argument.invalid", "\(what) must be more than zero, not \(quantity)") }
    }

    /// An organic certificate reference, when given, names something: a blank one would claim a certificate and name none.
    private static func notBlank(_ certificate: String?) throws {
        guard let certificate, certificate.allSatisfy(\.isWhitespace) else { return }
        throw TraceError("argument.invalid", "the organic certificate reference is blank; leave it out, or give the certificate's number")
    }

    private func eventTime(_ time: Date?) throws -> EPCISTime {
        let date = time ?? now()
        try notInFuture(date)
        return EPCISTime(date: date, offsetMinutes: workspace.config.offsetMinutes)
    }

    private func notInFuture(_ date: Date) throws {
        guard date <= now().addingTimeInterval(300) else {
            throw TraceError("time.future", "\(date.ISO8601Format()) is in the future")
        }
    }
}
