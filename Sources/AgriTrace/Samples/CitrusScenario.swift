import Foundation
import TraceCrypto

/// Hàm Yên sweet oranges to Bangkok: harvest, lab test (Brix, residues), hand-over to the
/// exporter, two pallets packed and only one shipped: a partial shipment. The bundle's subject
/// is the shipped pallet.
public struct CitrusScenario: Sendable {
    public static let lot = "https://id.gs1.org/01/08936000120023/10/HY-2026-112"
    public static let shippedPallet = "089360001000000025"
    public static let heldPallet = "089360001000000032"

    public var grower: Signer, laboratory: Signer, exporter: Signer, importer: Signer

    /// The issuing CA's revocation list, which the bundle carries as an exporter sends it.
    private let crl: CertificateRevocationList

    public init(pki: SamplePKI) throws {
        crl = pki.crl
        grower = try pki.signer(.orangeCoop)
        laboratory = try pki.signer(.laboratory)
        exporter = try pki.signer(.exporter)
        importer = try pki.signer(.importerBangkok)
    }

    /// The bundle the buyer receives, signed by the scenario's parties.
    /// `crls`: the revocation lists the bundle carries; by default the issuing CA's.
    public func bundle(crls: [CertificateRevocationList]? = nil) throws -> ProvenanceBundle {
        let r = ScenarioRecorder()
        let time = ScenarioRecorder.time, gln = ScenarioRecorder.gln
        let harvest = try r.add(EventFactory.harvest(
            lot: Self.lot, quantity: 3000, uom: "KGM", at: try time("2026-11-02T06:45:00.000+07:00"), location: try gln(grower),
            harvestDate: "2026-11-01", plots: [Plot(id: "HY-O03", name: "Phù Lưu hillside", longitude: Decimal(string: "105.0512") ?? 0,
                                                    latitude: Decimal(string: "22.0931") ?? 0, areaHectares: Decimal(string: "6.1"))],
            category: "citrus", productName: ["vi": "Cam sành Hàm Yên", "en": "Ham Yen king orange", "th": "ส้มฮัมเยน"]
        ), by: grower)
        let tested = try r.add(EventFactory.inspection(
            lot: Self.lot, previous: harvest, at: try time("2026-11-03T10:00:00.000+07:00"), location: try gln(laboratory), conformant: true,
            measurements: [Measurement("brix", Decimal(string: "11.8") ?? 0, "Brix"), Measurement("pesticideResidue", Decimal(string: "0.004") ?? 0, "mg/kg")]
        ), by: laboratory)
        let received = try r.handOver(Self.lot, 3000, from: grower, to: exporter, after: tested,
                                      shipped: "2026-11-04T05:00:00.000+07:00", received: "2026-11-04T15:30:00.000+07:00",
                                      document: "urn:agritrace:inv:HY-2026-1104")
        // Two pallets of 1500 kg; only the first goes to Bangkok for now.
        _ = try r.add(EventFactory.pack(into: try SSCC(Self.heldPallet), contents: [(Self.lot, 1500, "KGM", received)],
                                        at: try time("2026-11-05T09:00:00.000+07:00"), location: try gln(exporter)), by: exporter)
        let pallet = try r.export(Self.lot, 1500, pallet: Self.shippedPallet, after: received, exporter: exporter, importer: importer,
                                  packed: "2026-11-05T09:30:00.000+07:00", shipped: "2026-11-06T04:00:00.000+07:00",
                                  received: "2026-11-09T13:00:00.000+07:00", billOfLading: "urn:agritrace:bol:LS-BKK-261106-12")
        return try r.bundle(subject: pallet, crls: crls ?? [crl])
    }
}
