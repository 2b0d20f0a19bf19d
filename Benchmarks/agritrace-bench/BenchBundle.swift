import AgriTrace
import Foundation
import TraceCrypto

/// A realistic large bundle: thousands of harvested lots from three cooperatives, each inspected,
/// lab-tested and handed over; blended by the processor in fours; each blend packed on a pallet;
/// every pallet consolidated into one container that is shipped and received. The container is
/// the subject, so the bundle holds every record.
struct BenchBundle {
    let pki: SamplePKI
    let recordCount: Int

    static let container = "https://id.gs1.org/00/089360009999999993"

    func build() throws -> (bundle: ProvenanceBundle, signSeconds: Double, signed: Int) {
        let lots = max(4, (recordCount - 4) * 2 / 11 / 4 * 4)  // 5.5 records per lot, in blends of four
        let producers = try [SampleActor.honeyCoop, .orangeCoop, .cattleCoop].map { try pki.signer($0) }
        let certifier = try pki.signer(.certifier), lab = try pki.signer(.laboratory)
        let processor = try pki.signer(.processor), exporter = try pki.signer(.exporter)
        let importer = try pki.signer(.importerSingapore)
        let gln = { (signer: Signer) in try GLN(signer.certificate.gln ?? "") }
        let base = try EPCISTime(parsing: "2026-03-01T06:00:00.000+07:00").date
        func time(_ day: Double, _ index: Int) -> EPCISTime {
            EPCISTime(date: base.addingTimeInterval(day * 86_400 + Double(index)))
        }
        func lotURI(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/B\(i)" }
        var records: [Envelope] = []
        var signSeconds = 0.0
        func stage(_ events: [(EPCISEvent, Signer)]) throws -> [String] {
            let started = Date()
            let signed = try events.concurrentMap(throwing: { try $0.1.sign($0.0) })
            signSeconds += Date().timeIntervalSince(started)
            records += signed
            return signed.map(\.digest)
        }
        let harvests = try stage(try (0..<lots).map { i in
            let producer = producers[i % 3]
            return (EventFactory.harvest(lot: lotURI(i), quantity: Decimal(100 + i % 50), uom: "KGM", at: time(0, i), location: try gln(producer),
                                         harvestDate: "2026-02-28", plots: [Plot(id: "P\(i % 40)", name: "Plot \(i % 40)", longitude: 105.3, latitude: 23.1)],
                                         organicCertificate: "VC-ORG-2026-\(i % 97)"), producer)
        })
        let inspections = try stage(try (0..<lots).map { i in
            (EventFactory.inspection(lot: lotURI(i), previous: harvests[i], at: time(1, i), location: try gln(certifier), conformant: true,
                                     certificate: "VC-ORG-2026-\(i % 97)"), certifier)
        })
        let tests = try stage(try (0..<lots).map { i in
            (EventFactory.inspection(lot: lotURI(i), previous: inspections[i], at: time(2, i), location: try gln(lab), conformant: true,
                                     measurements: [Measurement("moisture", 17.5, "P1"), Measurement("HMF", 11, "mg/kg")]), lab)
        })
        let shipments = try stage(try (0..<lots).map { i in
            let producer = producers[i % 3]
            let quantity = QuantityElement(epcClass: lotURI(i), quantity: Decimal(100 + i % 50), uom: "KGM")
            return (EventFactory.ship(quantities: [quantity], previous: [InputLink(record: tests[i], lot: lotURI(i))], at: time(3, i),
                                      from: try gln(producer), to: try gln(processor)), producer)
        })
        let receipts = try stage(try (0..<lots).map { i in
            let quantity = QuantityElement(epcClass: lotURI(i), quantity: Decimal(100 + i % 50), uom: "KGM")
            return (EventFactory.receive(quantities: [quantity], previous: [InputLink(record: shipments[i], lot: lotURI(i))], at: time(4, i),
                                         from: try gln(producers[i % 3]), at: try gln(processor)), processor)
        })
        let blends = try stage(try stride(from: 0, to: lots, by: 4).map { first in
            let inputs = (first..<first + 4).map { i in
                (quantity: QuantityElement(epcClass: lotURI(i), quantity: Decimal(100 + i % 50), uom: "KGM"), previous: receipts[i])
            }
            let total = inputs.reduce(Decimal(0)) { $0 + ($1.quantity.quantity ?? 0) }
            return (EventFactory.transform(inputs: inputs, outputs: [QuantityElement(epcClass: lotURI(1_000_000 + first), quantity: total, uom: "KGM")],
                                           at: time(5, first), location: try gln(processor)), processor)
        })
        let pallets = (0..<blends.count).map { try? SSCC(GS1CheckDigit.appending(to: String(format: "08936000%09d", $0)) ?? "") }
        let packs = try stage(try blends.indices.map { b in
            guard let sscc = pallets[b] else { throw TraceError(.identifierInvalid, "bad SSCC") }
            return (EventFactory.pack(into: sscc, contents: [(lotURI(1_000_000 + b * 4), 400, "KGM", blends[b])], at: time(6, b),
                                      location: try gln(processor)), processor)
        })
        var consolidate = EventFactory.pack(into: try SSCC("089360009999999993"), contents: [], at: time(7, 0), location: try gln(exporter))
        consolidate.childEPCs = pallets.compactMap { $0.map { DigitalLink.logisticUnit($0).uri } }
        consolidate.inputs = zip(consolidate.childEPCs ?? [], packs).map { InputLink(record: $1, lot: $0) }
        consolidate.childQuantityList = nil
        let container = try stage([(consolidate, exporter)])
        let shipped = try stage([(EventFactory.ship(units: [Self.container], previous: [InputLink(record: container[0], lot: Self.container)],
                                                     at: time(8, 0), from: try gln(exporter), to: try gln(importer)), exporter)])
        _ = try stage([(EventFactory.receive(units: [Self.container], previous: [InputLink(record: shipped[0], lot: Self.container)],
                                             at: time(9, 0), from: try gln(exporter), at: try gln(importer)), importer)])
        let certificates = [producers.map(\.certificate), [certifier, lab, processor, exporter, importer].map(\.certificate), [pki.issuing.certificate]]
            .flatMap { $0 }
        let bundle = ProvenanceBundle(subject: Self.container, records: records, certificates: certificates.map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        return (bundle, signSeconds, records.count)
    }
}
