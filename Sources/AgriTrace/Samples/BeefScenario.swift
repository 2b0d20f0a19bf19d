import Foundation
import TraceCrypto

/// Đồng Văn yellow-cattle beef to Kunming: slaughter of carcasses, residue test, cutting at the
/// processor (a transformation with a yield), hand-over to the exporter, export.
public struct BeefScenario: Sendable {
    public static let carcasses = "https://id.gs1.org/01/08936000120030/10/DV-2026-B07"
    public static let cuts = "https://id.gs1.org/01/08936000120047/10/DV-2026-C07"
    public static let pallet = "089360001000000049"

    public var cooperative: Signer, laboratory: Signer, processor: Signer, exporter: Signer, importer: Signer
    /// Kilograms of cuts the processor declares from 4200 kg of carcasses.
    public var cutsKilograms: Decimal = 2940

    /// The issuing CA's revocation list, which the bundle carries as an exporter sends it.
    private let crl: CertificateRevocationList

    public init(pki: SamplePKI) throws {
        crl = pki.crl
        cooperative = try pki.signer(.cattleCoop)
        laboratory = try pki.signer(.laboratory)
        processor = try pki.signer(.processor)
        exporter = try pki.signer(.exporter)
        importer = try pki.signer(.importerKunming)
    }

    /// The bundle the buyer receives, signed by the scenario's parties.
    /// `crls`: the revocation lists the bundle carries; by default the issuing CA's.
    public func bundle(crls: [CertificateRevocationList]? = nil) throws -> ProvenanceBundle {
        let r = ScenarioRecorder()
        let time = ScenarioRecorder.time, gln = ScenarioRecorder.gln
        let slaughter = try r.add(EventFactory.harvest(
            lot: Self.carcasses, quantity: 4200, uom: "KGM", at: try time("2026-09-14T05:00:00.000+07:00"), location: try gln(cooperative),
            harvestDate: "2026-09-14", plots: [Plot(id: "DV-PAST-2", name: "Phố Cáo pasture", longitude: Decimal(string: "105.1742") ?? 0,
                                                    latitude: Decimal(string: "23.1920") ?? 0, areaHectares: 40)],
            category: "beef", productName: ["vi": "Thịt bò vàng Đồng Văn", "en": "Dong Van yellow-cattle beef", "zh": "同文黄牛肉"]
        ), by: cooperative)
        let tested = try r.add(EventFactory.inspection(
            lot: Self.carcasses, previous: slaughter, at: try time("2026-09-14T11:00:00.000+07:00"), location: try gln(laboratory),
            conformant: true, measurements: [Measurement("clenbuterol", 0, "ug/kg")]
        ), by: laboratory)
        let atProcessor = try r.handOver(Self.carcasses, 4200, from: cooperative, to: processor, after: tested,
                                         shipped: "2026-09-14T13:00:00.000+07:00", received: "2026-09-14T17:00:00.000+07:00",
                                         document: "urn:agritrace:inv:DV-2026-0914")
        let cut = try r.add(EventFactory.transform(
            inputs: [(QuantityElement(epcClass: Self.carcasses, quantity: 4200, uom: "KGM"), atProcessor)],
            outputs: [QuantityElement(epcClass: Self.cuts, quantity: cutsKilograms, uom: "KGM")],
            at: try time("2026-09-15T08:00:00.000+07:00"), location: try gln(processor),
            productNames: ["08936000120047": ["vi": "Thịt bò vàng Đồng Văn cắt miếng", "en": "Dong Van yellow-cattle beef cuts", "zh": "同文黄牛肉块"]]
        ), by: processor)
        let atExporter = try r.handOver(Self.cuts, cutsKilograms, from: processor, to: exporter, after: cut,
                                        shipped: "2026-09-15T16:00:00.000+07:00", received: "2026-09-15T20:00:00.000+07:00",
                                        document: "urn:agritrace:inv:HAP-2026-0915")
        try r.export(Self.cuts, cutsKilograms, pallet: Self.pallet, after: atExporter, exporter: exporter, importer: importer,
                     packed: "2026-09-16T07:00:00.000+07:00", shipped: "2026-09-16T09:00:00.000+07:00",
                     received: "2026-09-17T15:00:00.000+08:00", billOfLading: "urn:agritrace:bol:HK-KMG-260916-03")
        return try r.bundle(subject: Self.cuts, crls: crls ?? [crl])
    }
}
