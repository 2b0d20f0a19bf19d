import Foundation
import TraceCrypto

/// The mint-flower honey scenario: harvest on the karst plateau, organic inspection, lab test,
/// hand-over to the exporter, packing onto a pallet, shipping to Singapore, receiving there.
/// Its knobs make the fraud samples: who signs each step, how much is handed over, when the lab
/// says it tested, whether the certifier inspected at all.
public struct HoneyScenario: Sendable {
    public static let gtin = "08936000120016"
    public static let lotNumber = "MV-2026-031"
    public static let sscc = "089360001000000018"
    public static let organicCertificate = "VC-ORG-2026-0457"

    public var harvester: Signer
    public var certifier: Signer?
    public var laboratory: Signer
    public var exporter: Signer
    public var importer: Signer
    /// Kilograms the cooperative hands over to the exporter (the lot holds 1200).
    public var handedOver: Decimal = 1200
    /// When the laboratory says it tested the honey.
    public var labTime = "2026-04-18T14:20:00.000+07:00"
    public var moisture: Decimal = Decimal(string: "17.8") ?? 0
    /// The laboratory's finding; nil: conformant when the moisture is within the honey limit.
    public var labConformant: Bool?
    /// A second test of the lot after the laboratory's, found conformant: when, and by whom.
    public var retest: (time: String, by: Signer)?

    /// The scenario with the sample PKI's actors.
    /// The issuing CA's revocation list, which the bundle carries as an exporter sends it.
    private let crl: CertificateRevocationList

    public init(pki: SamplePKI) throws {
        crl = pki.crl
        harvester = try pki.signer(.honeyCoop)
        certifier = try pki.signer(.certifier)
        laboratory = try pki.signer(.laboratory)
        exporter = try pki.signer(.exporter)
        importer = try pki.signer(.importerSingapore)
    }

    public static var lot: String { "https://id.gs1.org/01/\(gtin)/10/\(lotNumber)" }
    public static var pallet: String { "https://id.gs1.org/00/\(sscc)" }

    /// Signs the scenario's records, predecessors first.
    public func records() throws -> [Envelope] { try record().records }

    /// The bundle the Singapore importer receives.
    /// `crls`: the revocation lists the bundle carries; by default the issuing CA's.
    public func bundle(crls: [CertificateRevocationList]? = nil) throws -> ProvenanceBundle {
        try record().bundle(subject: Self.lot, crls: crls ?? [crl])
    }

    private func record() throws -> ScenarioRecorder {
        let r = ScenarioRecorder()
        let time = ScenarioRecorder.time, gln = ScenarioRecorder.gln
        let lot = Self.lot
        var previous = try r.add(EventFactory.harvest(
            lot: lot, quantity: 1200, uom: "KGM", at: try time("2026-04-12T07:30:00.000+07:00"), location: try gln(harvester),
            harvestDate: "2026-04-10", plots: [
                Plot(id: "MV-P07", name: "Lũng Pù mint slope", longitude: Decimal(string: "105.4102") ?? 0, latitude: Decimal(string: "23.1671") ?? 0,
                     areaHectares: Decimal(string: "3.2")),
                Plot(id: "MV-P12", name: "Sủng Là valley", longitude: Decimal(string: "105.3007") ?? 0, latitude: Decimal(string: "23.2205") ?? 0,
                     areaHectares: Decimal(string: "4.5")),
            ],
            organicCertificate: Self.organicCertificate, category: "honey",
            productName: ["vi": "Mật ong hoa bạc hà Mèo Vạc", "en": "Meo Vac mint-flower honey"]
        ), by: harvester)
        if let certifier {
            previous = try r.add(EventFactory.inspection(
                lot: lot, previous: previous, at: try time("2026-04-15T09:00:00.000+07:00"), location: try gln(certifier),
                conformant: true, certificate: Self.organicCertificate, certificateValidity: ("2026-01-01", "2027-12-31")
            ), by: certifier)
        }
        previous = try r.add(EventFactory.inspection(
            lot: lot, previous: previous, at: try time(labTime), location: try gln(laboratory),
            conformant: labConformant ?? (moisture <= 20), measurements: [Measurement("moisture", moisture, "P1"), Measurement("HMF", Decimal(string: "12.4") ?? 0, "mg/kg"),
                                                       Measurement("diastase", Decimal(string: "14.2") ?? 0, "DN")],
            reportSHA256: Digest.sha256(Array("NFTL report 2026-0418-07".utf8)).hexString
        ), by: laboratory)
        if let retest {
            previous = try r.add(EventFactory.inspection(
                lot: lot, previous: previous, at: try time(retest.time), location: try gln(retest.by), conformant: true,
                measurements: [Measurement("moisture", Decimal(string: "17.1") ?? 0, "P1"), Measurement("HMF", Decimal(string: "12.6") ?? 0, "mg/kg")]
            ), by: retest.by)
        }
        let received = try r.handOver(lot, handedOver, from: harvester, to: exporter, after: previous,
                                      shipped: "2026-04-19T08:00:00.000+07:00", received: "2026-04-19T16:45:00.000+07:00",
                                      document: "urn:agritrace:inv:MV-2026-0419-01")
        try r.export(lot, 600, pallet: Self.sscc, after: received, exporter: exporter, importer: importer,
                     packed: "2026-04-22T10:00:00.000+07:00", shipped: "2026-04-25T06:00:00.000+07:00",
                     received: "2026-05-02T11:15:00.000+08:00", billOfLading: "urn:agritrace:bol:HPH-SIN-260425-88")
        return r
    }
}
