import AgriTrace
import Foundation

/// What importing an EPCIS document did.
public struct EPCISImportResult: Sendable {
    /// The records made, one per event not stored before, in the order the events happened.
    public var envelopes: [Envelope]
    /// Events of the document the registry already holds (the same eventID on a record of the
    /// same lot: the document, or part of it, imported before), left out.
    public var alreadyStored: Int
}

extension EventRecorder {
    /// Imports the events of an EPCIS 2.0 document from another system (an ERP, a GS1
    /// platform): each becomes a record attested and signed by this party, keeping its original
    /// eventID and marked `agt:imported`. Lots already in the registry are linked to the record
    /// that last touched them; events already imported are left out, so importing a document
    /// twice is harmless. A document with any invalid event is refused whole, naming the JSON
    /// path of what is wrong; nothing is written.
    @discardableResult
    public func importEPCIS(_ data: Data, source: String, maxEvents: Int = 100_000) throws -> EPCISImportResult {
        let json: JSONValue
        do { json = try JSONValue.parse(data, maxValues: EPCISDocument.maximumValues) } catch let error as TraceError {
            throw TraceError("epcis.malformed", error.message)  // the code `agritrace epcis hash` gives the same document
        }
        let (events, path) = try Self.eventList(json)
        guard events.count <= maxEvents else {
            throw TraceError("epcis.tooLarge", "\(path) holds \(events.count) events; at most \(maxEvents) are imported at once")
        }
        // Attested now: the signatures are made now, whenever the events happened.
        let attested = EPCISTime(date: now(), offsetMinutes: workspace.config.offsetMinutes)
        var decoded: [EPCISEvent] = []
        for (index, value) in events.enumerated() {
            do {
                var event = try EPCISEvent(json: value)
                try event.checkWireForm()
                if let negative = event.negativeQuantity {
                    throw TraceError("epcis.invalid", "quantity \(negative.quantity ?? 0) of \(negative.epcClass) is negative")
                }
                try notInFuture(event.eventTime.date)  // every verifier refuses it (event.future)
                if event.eventID.isEmpty { event.eventID = try EventHash.eventID(for: event) }
                event.context = EPCISEvent.defaultContext
                // Links name records of the source system; the registry links the new records itself.
                if !event.inputs.isEmpty {
                    event.extensions["agt:sourceInputs"] = .array(event.inputs.map { ["record": .string($0.record), "lot": .string($0.lot)] })
                    event.inputs = []
                }
                event.extensions["agt:imported"] = ["source": .string(source), "by": .string(workspace.config.gln), "at": .string(attested.description)]
                decoded.append(event)
            } catch let error as TraceError {
                throw TraceError("epcis.invalid", "\(path)[\(index)]: \(error.message)")
            }
        }
        // In the order things happened, not the order the document lists them: EPCIS lets a
        // query answer in any order, and a shipment linked before its lot's harvest is what every
        // verifier refuses (link.timeOrder, history.incomplete). Events of the same time keep the
        // document's order.
        let order = decoded.indices.sorted { (decoded[$0].eventTime.date, $0) < (decoded[$1].eventTime.date, $1) }
        return try workspace.registry.transaction { tx in
            // Each event links to the record that last touched each lot it uses: an earlier event of
            // this document (its digest known before it is signed: the payload's SHA-256), else
            // the registry's, which it may not precede. Then all are signed on all cores and stored in order.
            try SignerValidity(signer: signer, revocationLists: try tx.revocationLists()).check(attested)
            var latest: [String: String] = [:], documentEvents: [String: EPCISEvent] = [:]
            var custody = CustodyStart<any Error> { digest in
                try (documentEvents[digest] ?? tx.record(digest)?.event).map { ($0.eventTime, $0.observesInPlace, $0.inputs.map(\.record)) }
            }
            var events: [EPCISEvent] = [], stored = StoredEventIDs(), alreadyStored = 0, kept: [Int] = []
            for index in order {
                var event = decoded[index]
                if try stored.contains(event, tx) {
                    alreadyStored += 1
                    continue
                }
                kept.append(index)
                var linked = Set<String>()
                for identifier in event.usedIdentifiers where linked.insert(identifier).inserted {
                    if let previous = latest[identifier] {
                        event.inputs.append(InputLink(record: previous, lot: identifier))
                    } else if let previous = try tx.latestRecord(touching: identifier) {
                        event.inputs.append(InputLink(record: previous, lot: identifier))
                    }
                }
                // Links within the document follow the time order; those into the registry may not
                // precede it. A logger's readings fall between the record the event follows and the event.
                do {
                    try notBeforeInputs(event, tx)
                    if event.sensorElementList != nil, let problem = MeasurementTimeCheck.findings(
                        of: event, custodySince: try custody.since(event), clockSkew: VerificationOptions.defaultClockSkew).first {
                        throw TraceError(problem.code, problem.message)
                    }
                } catch let error as TraceError {
                    throw TraceError(error.code, "\(path)[\(index)]: \(error.message)")
                }
                let digest = RecordDigest.of(try event.payloadBytes())
                documentEvents[digest] = event
                for identifier in event.concernedIdentifiers { latest[identifier] = digest }
                events.append(event)
            }
            let envelopes = try tx.register(events, by: signer)
            try Self.balance(envelopes, events, path: path, order: kept, tx)
            return EPCISImportResult(envelopes: envelopes, alreadyStored: alreadyStored)
        }
    }

    /// The eventIDs of the registry's records, read a lot at a time as the events name them.
    private struct StoredEventIDs {
        private var byIdentifier: [String: Set<String>] = [:]

        /// Whether a record of one of the lots or units `event` names has its eventID.
        mutating func contains(_ event: EPCISEvent, _ tx: RegistryTransaction) throws -> Bool {
            guard let identifier = event.concernedIdentifiers.min() else { return false }
            if byIdentifier[identifier] == nil {
                byIdentifier[identifier] = Set(try tx.records(concerning: identifier).map(\.event.eventID))
            }
            return byIdentifier[identifier]?.contains(event.eventID) == true
        }
    }

    /// The quantities of every lot the new records move, replayed with the registry's records of
    /// it (the new ones stored, not yet committed), must balance as every verifier's ledger
    /// reckons them: a document shipping more of a lot than it holds is refused whole
    /// (`massBalance.exceeded`, naming the event's JSON path) rather than stored for good as
    /// records no buyer accepts.
    private static func balance(_ envelopes: [Envelope], _ events: [EPCISEvent], path: String, order: [Int], _ tx: RegistryTransaction) throws {
        let position = Dictionary(zip(envelopes.map(\.digest), order), uniquingKeysWith: { first, _ in first })
        let lots = events.flatMap { event in (event.lotAmounts.consumed + event.lotAmounts.lots).map(\.epcClass) }
        guard let finding = try tx.imbalance(among: Set(position.keys), identifiers: lots) else { return }
        throw TraceError(finding.code, "\(path)[\(finding.record.flatMap { position[$0] } ?? 0)]: \(finding.message)")
    }

    /// The event list of an EPCISDocument or EPCISQueryDocument, and its JSON path.
    static func eventList(_ json: JSONValue) throws -> ([JSONValue], String) {
        guard case .object(let document) = json else { throw TraceError("epcis.invalid", "$: an EPCIS document must be a JSON object") }
        guard let type = document["type"]?.stringValue, ["EPCISDocument", "EPCISQueryDocument"].contains(type) else {
            throw TraceError("epcis.invalid", "$.type must be EPCISDocument or EPCISQueryDocument")
        }
        guard let body = document["epcisBody"]?.objectValue else { throw TraceError("epcis.invalid", "$.epcisBody is missing or not an object") }
        if let list = body["eventList"] {
            guard let events = list.arrayValue else { throw TraceError("epcis.invalid", "$.epcisBody.eventList must be an array") }
            return (events, "$.epcisBody.eventList")
        }
        if let list = body["queryResults"]?["resultsBody"]?["eventList"] {
            guard let events = list.arrayValue else { throw TraceError("epcis.invalid", "$.epcisBody.queryResults.resultsBody.eventList must be an array") }
            return (events, "$.epcisBody.queryResults.resultsBody.eventList")
        }
        if let event = body["event"] { return ([event], "$.epcisBody.event") }
        throw TraceError("epcis.invalid", "$.epcisBody has no eventList")
    }
}
