import Foundation
import TraceCrypto

/// Organic jiaogulan (giảo cổ lam) to Singapore: two collections by two cooperatives, each
/// inspected by the certifier, dried and blended by the processor into one organic lot (a blend
/// of several lots), lab-tested, handed to the exporter, exported.
public struct HerbScenario: Sendable {
    public static let collectionA = "https://id.gs1.org/01/08936000120054/10/JG-2026-A14"
    public static let collectionB = "https://id.gs1.org/01/08936000120054/10/JG-2026-B09"
    public static let blend = "https://id.gs1.org/01/08936000120061/10/JG-2026-D03"
    public static let pallet = "089360001000000056"
    public static let certificateA = "VC-ORG-2026-0612"
    public static let certificateB = "VC-ORG-2026-0613"

    public var collectorA: Signer, collectorB: Signer, certifier: Signer, processor: Signer, laboratory: Signer
    public var exporter: Signer, importer: Signer
    /// Whether the second collection is certified organic (the fraud sample blends one that is not).
    public var secondIsOrganic = true
    /// Kilograms of dried blend the processor declares from 560 kg of fresh leaves.
    public var blendKilograms: Decimal = 140

    /// The issuing CA's revocation list, which the bundle carries as an exporter sends it.
    private let crl: CertificateRevocationList

    public init(pki: SamplePKI) throws {
        crl = pki.crl
        collectorA = try pki.signer(.honeyCoop)
        collectorB = try pki.signer(.orangeCoop)
        certifier = try pki.signer(.certifier)
        processor = try pki.signer(.processor)
        laboratory = try pki.signer(.laboratory)
        exporter = try pki.signer(.exporter)
        importer = try pki.signer(.importerSingapore)
    }

    /// The bundle the buyer receives, signed by the scenario's parties.
    /// `crls`: the revocation lists the bundle carries; by default the issuing CA's.
    public func bundle(crls: [CertificateRevocationList]? = nil) throws -> ProvenanceBundle {
        let r = ScenarioRecorder()
        let time = ScenarioRecorder.time, gln = ScenarioRecorder.gln
        func collect(_ lot: String, _ kilograms: Decimal, by collector: Signer, certificate: String?, day: String) throws -> String {
            var previous = try r.add(EventFactory.harvest(
                lot: lot, quantity: kilograms, uom: "KGM", at: try time("2026-08-\(day)T06:00:00.000+07:00"), location: try gln(collector),
                harvestDate: "2026-08-\(day)", plots: [Plot(id: "QB-F\(day)", name: "Quản Bạ forest edge", longitude: Decimal(string: "104.9811") ?? 0,
                                                            latitude: Decimal(string: "23.0662") ?? 0, areaHectares: 12)],
                organicCertificate: certificate, category: "herb", productName: ["vi": "Giảo cổ lam", "en": "Jiaogulan (Gynostemma)"]
            ), by: collector)
            if let certificate {
                previous = try r.add(EventFactory.inspection(
                    lot: lot, previous: previous, at: try time("2026-08-\(day)T15:00:00.000+07:00"), location: try gln(certifier),
                    conformant: true, certificate: certificate, certificateValidity: ("2026-01-01", "2026-12-31")
                ), by: certifier)
            }
            return try r.handOver(lot, kilograms, from: collector, to: processor, after: previous,
                                  shipped: "2026-08-\(day)T17:00:00.000+07:00", received: "2026-08-\(day)T21:00:00.000+07:00",
                                  document: "urn:agritrace:inv:JG-2026-08\(day)")
        }
        let a = try collect(Self.collectionA, 300, by: collectorA, certificate: Self.certificateA, day: "10")
        let b = try collect(Self.collectionB, 260, by: collectorB, certificate: secondIsOrganic ? Self.certificateB : nil, day: "11")
        let dried = try r.add(EventFactory.transform(
            inputs: [(QuantityElement(epcClass: Self.collectionA, quantity: 300, uom: "KGM"), a),
                     (QuantityElement(epcClass: Self.collectionB, quantity: 260, uom: "KGM"), b)],
            outputs: [QuantityElement(epcClass: Self.blend, quantity: blendKilograms, uom: "KGM")],
            at: try time("2026-08-14T08:00:00.000+07:00"), location: try gln(processor), organicCertificate: Self.certificateA
        ), by: processor)
        let tested = try r.add(EventFactory.inspection(
            lot: Self.blend, previous: dried, at: try time("2026-08-15T10:00:00.000+07:00"), location: try gln(laboratory), conformant: true,
            measurements: [Measurement("moisture", Decimal(string: "9.5") ?? 0, "P1")]
        ), by: laboratory)
        let atExporter = try r.handOver(Self.blend, blendKilograms, from: processor, to: exporter, after: tested,
                                        shipped: "2026-08-16T08:00:00.000+07:00", received: "2026-08-16T12:00:00.000+07:00",
                                        document: "urn:agritrace:inv:HAP-2026-0816")
        try r.export(Self.blend, blendKilograms, pallet: Self.pallet, after: atExporter, exporter: exporter, importer: importer,
                     packed: "2026-08-17T09:00:00.000+07:00", shipped: "2026-08-18T06:00:00.000+07:00",
                     received: "2026-08-21T10:00:00.000+08:00", billOfLading: "urn:agritrace:bol:HPH-SIN-260818-41")
        return try r.bundle(subject: Self.blend, crls: crls ?? [crl])
    }
}
