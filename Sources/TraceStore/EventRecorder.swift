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

    /// An amount of a lot, as commands take it. Without a unit, the lot's own: the one it was
    /// first stated in (its harvest's, or a partner's shipment's), else its product's, else
    /// kilograms (``measured(_:_:otherwise:)``).
    public struct Amount: Sendable {
        public var lot: String
        public var quantity: Decimal
        public var unit: String?
        public init(lot: String, quantity: Decimal, unit: String? = nil) {
            self.lot = lot
            self.quantity = quantity
            self.unit = unit
        }
    }

    /// An ``Amount`` with its unit settled, and the lot's ledger when settling it needed one.
    struct Measured {
        var lot: String
        var quantity: Decimal
        var unit: String
        var ledger: LotLedger?
        var element: QuantityElement { QuantityElement(epcClass: lot, quantity: quantity, uom: unit) }
    }

    // MARK: Steps

    /// A harvest, slaughter or collection: a new lot of a registered product, harvested on
    /// `harvestDate`, or from `harvestDate` to `harvestEndDate` (honey taken over a week).
    @discardableResult
    public func harvest(gtin: GTIN, lot lotNumber: String, quantity: Decimal, unit: String? = nil, plots plotIDs: [String],
                        harvestDate: String, harvestEndDate: String? = nil, organicCertificate: String? = nil,
                        time: Date? = nil) throws -> Envelope {
        let request = HarvestRequest(gtin: gtin, lot: lotNumber, quantity: quantity, unit: unit, plots: plotIDs, harvestDate: harvestDate,
                                     harvestEndDate: harvestEndDate, organicCertificate: organicCertificate)
        return try record { tx in try harvestEvent(request, tx, MasterDataLookup(tx), time: time) }
    }

    private func harvestEvent(_ request: HarvestRequest, _ tx: RegistryTransaction, _ master: MasterDataLookup,
                              time: Date? = nil) throws -> EPCISEvent {
        let (gtin, quantity, plotIDs, harvestDate) = (request.gtin, request.quantity, request.plots, request.harvestDate)
        let lot = DigitalLink.lot(gtin, lot: try DigitalLink.checkedAI82(request.lot, ai: "10", max: 20)).uri
        do {
            guard let product = try master.product(gtin) else {
                throw TraceError("product.unknown", "product \(gtin) is not registered; add it with 'agritrace product add'")
            }
            guard try tx.latestRecord(touching: lot) == nil else { throw TraceError("lot.exists", "lot \(lot) already exists") }
            try Self.positive(quantity, what: "harvest quantity")
            try Self.notBlank(request.organicCertificate)
            let plots = try plotIDs.map { id -> StoredPlot in
                guard let plot = try master.plot(id) else { throw TraceError("plot.unknown", "plot \(id) is not registered") }
                return plot
            }
            guard CalendarDay.midnight(harvestDate) != nil else {
                throw TraceError("argument.invalid", "harvest date \(harvestDate) is not a day written YYYY-MM-DD")
            }
            let lastDay = request.harvestEndDate ?? harvestDate
            guard CalendarDay.midnight(lastDay) != nil else {
                throw TraceError("argument.invalid", "harvest end date \(lastDay) is not a day written YYYY-MM-DD")
            }
            guard lastDay >= harvestDate else {
                throw TraceError("argument.invalid", "harvest end date \(lastDay) is before the harvest date \(harvestDate)")
            }
            if let number = request.organicCertificate, let plot = plots.first(where: { ($0.organicSince ?? "") > harvestDate }) {
                throw TraceError("organic.plotNotOrganic", "plot \(plot.id) is organic since \(plot.organicSince ?? ""), after the harvest date "
                                 + "\(harvestDate): its harvest cannot claim organic certificate \(number)")
            }
            let when = try eventTime(time)
            // Harvested by the day it is recorded, in the record's own time zone.
            guard lastDay <= String(when.description.prefix(10)) else {
                throw TraceError("time.future", "harvest date \(lastDay) is after the day of the record, \(when)")
            }
            if let number = request.organicCertificate, let held = try master.heldCertificate(number),
               let day = [harvestDate, lastDay].first(where: { !held.isValid(on: $0) }) {
                throw TraceError("certificate.expired", "certificate \(number) is valid \(held.validFrom) to \(held.validUntil), not on \(day)")
            }
            return EventFactory.harvest(lot: lot, quantity: quantity, uom: request.unit ?? product.unit, at: when,
                                        location: try workspace.gln, harvestDate: harvestDate, harvestEndDate: lastDay, plots: plots.map(\.plot),
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
            // A certifier attests the certificate's validity as registered here: buyers check the harvest date against it.
            let validity = try certificate.flatMap { number in try tx.heldCertificate(number) }.map { (from: $0.validFrom, until: $0.validUntil) }
            return EventFactory.inspection(lot: lot, previous: previous, at: try eventTime(time), location: try workspace.gln,
                                           conformant: conformant, measurements: measurements, reportSHA256: reportSHA256, certificate: certificate,
                                           certificateValidity: validity)
        }
    }

    /// A recall of a lot this registry knows, with its reason (contamination found, a failed
    /// test): partners who import it, and every buyer, then see the lot refused.
    @discardableResult
    public func recall(lot: String, reason: String, time: Date? = nil) throws -> Envelope {
        try record { tx in
            try Self.reasonGiven(reason, for: "a recall")
            let previous = try known(lot, tx)
            // Buyers count a recall only by a party that made, moved, held or examined the goods.
            guard try tx.handlers(of: lot).contains(try workspace.gln.value) else {
                throw TraceError("recall.unfounded", "this party signed no record of \(lot) (made, received, held, shipped or examined it): "
                                 + "buyers' verifiers would not count its recall (lot.recallUnfounded); the party that sold you the goods must recall them")
            }
            return EventFactory.recall(lot: lot, previous: previous, at: try eventTime(time), location: try workspace.gln, reason: reason)
        }
    }

    /// Goods this party holds written off (spoiled, damaged, used up as samples), with the
    /// reason: no more than it holds of each lot; its stock is less by as much from then on.
    @discardableResult
    public func discard(amounts: [Amount], reason: String, time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !amounts.isEmpty else { throw TraceError("argument.invalid", "name at least one lot and the quantity written off") }
            try Self.reasonGiven(reason, for: "a write-off")
            let (amounts, links) = try drawing(amounts, lots: "lots written off", quantity: "quantity written off", tx)
            return EventFactory.discard(quantities: amounts.map(\.element), previous: links, at: try eventTime(time), location: try workspace.gln, reason: reason)
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
            let inputs = try inputs.map { try measured($0, tx) }
            // An output lot is new: in its product's unit, else the one unit all inputs share.
            let shared = Set(inputs.map(\.unit)).count == 1 ? inputs.first?.unit : nil
            let outputs = try outputs.map { try measured($0, tx, otherwise: shared) }
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
            // The outputs' products that this party registered: their names go with the record.
            var names: [String: [String: String]] = [:]
            for product in Set(outputs.compactMap { DigitalLink.gtin(of: $0.lot) }) { names[product.value] = try tx.product(product)?.names }
            return EventFactory.transform(inputs: linked.map { (quantity: $0.0, previous: $0.1) }, outputs: outputs.map(\.element),
                                          at: try eventTime(time), location: try workspace.gln, organicCertificate: organicCertificate,
                                          productNames: names)
        }
    }

    /// Packing amounts of lots into a new logistic unit.
    @discardableResult
    public func pack(into sscc: SSCC, contents: [Amount], time: Date? = nil) throws -> Envelope {
        try record { tx in
            let unit = DigitalLink.logisticUnit(sscc).uri
            if let used = try tx.latestRecord(touching: unit) {
                throw TraceError("sscc.exists", "logistic unit \(sscc) has a history already (record \(used)): an SSCC names one unit, "
                                 + "packed once and never reused; give the new unit a new SSCC")
            }
            guard !contents.isEmpty else { throw TraceError("argument.invalid", "packing needs at least one lot") }
            try Self.eachLotOnce(contents, "packed lots")
            let linked = try contents.map { try measured($0, tx) }.map { content -> (String, Decimal, String, String) in
                try Self.positive(content.quantity, what: "packed quantity")
                let previous = try known(content.lot, tx)
                try available(content, tx)
                return (content.lot, content.quantity, content.unit, previous)
            }
            return EventFactory.pack(into: sscc, contents: linked, at: try eventTime(time), location: try workspace.gln)
        }
    }

    /// Unpacking a logistic unit this party holds: the lots packed into it become its stock again.
    @discardableResult
    public func unpack(_ sscc: SSCC, time: Date? = nil) throws -> Envelope {
        try record { tx in
            let unit = DigitalLink.logisticUnit(sscc).uri
            let previous = try held(unit, tx)
            guard let packing = try tx.packings(of: unit).last,
                  let contents = packing.event.childQuantityList, !contents.isEmpty else {
                throw TraceError("sscc.empty", "no packing of \(unit) is in the registry: nothing to unpack")
            }
            return EventFactory.unpack(sscc, contents: contents, previous: previous, packing: packing.digest, at: try eventTime(time),
                                       location: try workspace.gln)
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
            let (amounts, drawn) = try drawing(amounts, lots: "shipped lots", quantity: "shipped quantity", tx)
            let unitURIs = units.map { DigitalLink.logisticUnit($0).uri }
            let links = drawn + (try unitURIs.map { InputLink(record: try held($0, tx), lot: $0) })
            return EventFactory.ship(units: unitURIs, quantities: amounts.map(\.element), previous: links, at: try eventTime(time),
                                     from: try workspace.gln, to: destination, documents: documents)
        }
    }

    /// A carrier's record of logistic units in its care: each shipped and not yet received (its
    /// shipper's bundle imported), with the temperatures logged on the way: each -100 to 100 °C,
    /// at most ``maximumReadings``, and a reading's time, where given, while the units were in
    /// this party's care (after they were shipped, not after this record).
    @discardableResult
    public func transport(units: [SSCC], readings: [TemperatureReading] = [], time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !units.isEmpty else { throw TraceError("argument.invalid", "name at least one logistic unit (--sscc) in your care") }
            guard readings.allSatisfy({ (-100...100).contains($0.celsius) }) else {
                throw TraceError("argument.invalid", "a temperature is in degrees Celsius, -100 to 100")
            }
            guard readings.count <= Self.maximumReadings else {
                throw TraceError("argument.invalid", "\(readings.count) readings are more than the \(Self.maximumReadings) one record holds; record the journey in parts")
            }
            let uris = units.map { DigitalLink.logisticUnit($0).uri }
            guard Set(uris).count == uris.count else { throw TraceError("argument.invalid", "each logistic unit once") }
            let at = try eventTime(time)
            var links: [InputLink] = []
            for uri in uris {
                let (latest, shipped) = try inTransit(uri, tx)
                if let early = readings.compactMap(\.time).min(), early < shipped {
                    throw TraceError("argument.invalid", "the reading of \(early) is before \(uri) was shipped (\(shipped)): log only what was in your care")
                }
                links.append(InputLink(record: latest, lot: uri))
            }
            if let late = readings.compactMap(\.time).max(), late > at {
                throw TraceError("argument.invalid", "the reading of \(late) is after this record's time (\(at)); give --time the end of the journey so far")
            }
            return EventFactory.transport(units: uris, previous: links, at: at, location: try workspace.gln, readings: readings)
        }
    }

    /// The temperature readings one transport record holds at most: a logger reading every
    /// minute for a week.
    public static let maximumReadings = 10_080

    /// Receiving what a partner shipped to this party: its shipment from `source` to this party
    /// must be in the registry (imported from the partner's bundle), and what is received no more
    /// than it carried, less what was received of it before; a logistic unit is received once.
    /// `wholeLots`: lots received as shipped, each in all that its shipment carried and was not
    /// received yet.
    @discardableResult
    public func receive(amounts: [Amount] = [], wholeLots: [String] = [], units: [SSCC] = [], from source: GLN, time: Date? = nil) throws -> Envelope {
        try record { tx in
            guard !amounts.isEmpty || !wholeLots.isEmpty || !units.isEmpty else { throw TraceError("argument.invalid", "receive at least one lot or logistic unit") }
            // A lot given alone is received as shipped: all its shipment carries that is not received yet.
            let given = amounts + wholeLots.map { Amount(lot: $0, quantity: 0) }
            try Self.eachLotOnce(given, "received lots")
            let unitURIs = units.map { DigitalLink.logisticUnit($0).uri }
            var received: [Measured] = [], links: [InputLink] = []
            for (index, var amount) in try given.map({ try measured($0, tx) }).enumerated() {
                let isWhole = index >= amounts.count
                if !isWhole { try Self.positive(amount.quantity, what: "received quantity") }
                let (shipment, left) = try shipmentToReceive(amount.lot, from: source, unit: amount.unit, tx)
                if isWhole {
                    guard left > 0 else { throw TraceError("shipment.received", "\(amount.lot) of shipment \(shipment) is received in full already") }
                    amount.quantity = left
                }
                guard amount.quantity <= left else {
                    throw TraceError("quantity.exceeded", "the shipment \(shipment) from GLN \(source) leaves \(UnitOfMeasureName.text(left, amount.unit)) of \(amount.lot) "
                                     + "to receive, less than the \(UnitOfMeasureName.text(amount.quantity, amount.unit)) given")
                }
                received.append(amount)
                links.append(InputLink(record: shipment, lot: amount.lot))
            }
            for uri in unitURIs {
                let (shipment, left) = try shipmentToReceive(uri, from: source, unit: nil, tx)
                guard left > 0 else { throw TraceError("shipment.received", "\(uri) of shipment \(shipment) is already received") }
                links.append(InputLink(record: shipment, lot: uri))
            }
            return EventFactory.receive(units: unitURIs, quantities: received.map(\.element), previous: links, at: try eventTime(time),
                                        from: source, at: try workspace.gln)
        }
    }

    /// One harvest of a bulk entry.
    public struct HarvestRequest: Sendable {
        public var gtin: GTIN, lot: String, quantity: Decimal, unit: String?, plots: [String], harvestDate: String, harvestEndDate: String?
        public var organicCertificate: String?
        public init(gtin: GTIN, lot: String, quantity: Decimal, unit: String?, plots: [String], harvestDate: String,
                    harvestEndDate: String? = nil, organicCertificate: String?) {
            self.gtin = gtin
            self.lot = lot
            self.quantity = quantity
            self.unit = unit
            self.plots = plots
            self.harvestDate = harvestDate
            self.harvestEndDate = harvestEndDate
            self.organicCertificate = organicCertificate
        }
    }

    /// Many harvests in one transaction: all are recorded, or none. Every request is checked
    /// first; the signing, the costly part, then runs on all cores (``RegistryTransaction/register(_:by:progress:)``).
    public func harvestAll(_ requests: [HarvestRequest], progress: (Int, Int) -> Void) throws {
        try workspace.registry.transaction { tx in
            var lots = Set<String>()
            let master = MasterDataLookup(tx)
            let validity = SignerValidity(signer: signer, revocationLists: try tx.revocationLists())
            let events = try requests.map { request in
                let event = try harvestEvent(request, tx, master)
                try mayPerform(event, categories: Set(event.productCategory.map { [$0] } ?? []))  // a harvest declares its product's
                try validity.check(event.eventTime)
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
            let categories = try categories(of: event, tx)  // looked up once for the rules that need them
            try mayPerform(event, categories: categories)
            try yieldWithin(event, category: categories.count == 1 ? categories.first : nil)
            try organicInputs(event, tx)
            try SignerValidity(signer: signer, revocationLists: try tx.revocationLists()).check(event.eventTime)
            try notBeforeInputs(event, tx)
            let envelope = try signer.sign(event)
            try tx.append([envelope], certificates: [signer.certificate] + signer.chain)
            return envelope
        }
    }

    private func eventTime(_ time: Date?) throws -> EPCISTime {
        let date = time ?? now()
        try notInFuture(date)
        return EPCISTime(date: date, offsetMinutes: workspace.config.offsetMinutes)
    }

    func notInFuture(_ date: Date) throws {
        guard date <= now().addingTimeInterval(VerificationOptions.defaultClockSkew) else {
            throw TraceError("time.future", "\(date.ISO8601Format()) is in the future")
        }
    }
}
