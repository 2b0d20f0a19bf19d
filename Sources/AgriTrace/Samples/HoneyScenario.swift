import Foundation
import TraceCrypto

/// The mint-flower honey scenario: harvest on the karst plateau, organic inspection, lab test,
/// hand-over to the exporter, packing onto a pallet, shipping to Singapore, receiving there.
public struct HoneyScenario: Sendable {
    public static let gtin = "08936000120016"
    public static let lotNumber = "MV-2026-031"
    public static let sscc = "089360001000000018"
    public static let organicCertificate = "VC-ORG-2026-0457"

    public var harvester: Signer
    public var certifier: Signer
    public var laboratory: Signer
    public var exporter: Signer
    public var importer: Signer

    public init(harvester: Signer, certifier: Signer, laboratory: Signer, exporter: Signer, importer: Signer) {
        self.harvester = harvester
        self.certifier = certifier
        self.laboratory = laboratory
        self.exporter = exporter
        self.importer = importer
    }

    /// The scenario with the sample PKI's actors.
    public init(pki: SamplePKI) throws {
        self.init(harvester: try pki.signer(.honeyCoop), certifier: try pki.signer(.certifier), laboratory: try pki.signer(.laboratory),
                  exporter: try pki.signer(.exporter), importer: try pki.signer(.importerSingapore))
    }

    public static var lot: String { "https://id.gs1.org/01/\(gtin)/10/\(lotNumber)" }
    public static var pallet: String { "https://id.gs1.org/00/\(sscc)" }

    /// Signs the scenario's records, predecessors first.
    public func records() throws -> [Envelope] {
        func time(_ text: String) throws -> EPCISTime { try EPCISTime(parsing: text) }
        func gln(_ signer: Signer) throws -> GLN {
            guard let value = signer.certificate.gln else { throw TraceError(.signingFailed, "\(signer.certificate.subject) has no GLN") }
            return try GLN(value)
        }
        let lot = Self.lot, pallet = Self.pallet
        var records: [Envelope] = []
        func add(_ event: EPCISEvent, by signer: Signer) throws -> String {
            let envelope = try signer.sign(event)
            records.append(envelope)
            return envelope.digest
        }
        let harvest = try add(EventFactory.harvest(
            lot: lot, quantity: 1200, uom: "KGM", at: try time("2026-04-12T07:30:00.000+07:00"), location: try gln(harvester),
            harvestDate: "2026-04-10", plots: [
                Plot(id: "MV-P07", name: "Lũng Pù mint slope", longitude: 105.4102, latitude: 23.1671, areaHectares: 3.2),
                Plot(id: "MV-P12", name: "Sủng Là valley", longitude: 105.3007, latitude: 23.2205, areaHectares: 4.5),
            ],
            organicCertificate: Self.organicCertificate,
            extensions: ["agt:productName": ["vi": "Mật ong hoa bạc hà Mèo Vạc", "en": "Meo Vac mint-flower honey"]]
        ), by: harvester)
        let inspected = try add(EventFactory.inspection(
            lot: lot, previous: harvest, at: try time("2026-04-15T09:00:00.000+07:00"), location: try gln(certifier),
            conformant: true, certificate: Self.organicCertificate
        ), by: certifier)
        let tested = try add(EventFactory.inspection(
            lot: lot, previous: inspected, at: try time("2026-04-18T14:20:00.000+07:00"), location: try gln(laboratory),
            conformant: true, measurements: [Measurement("moisture", 17.8, "P1"), Measurement("HMF", 12.4, "mg/kg"),
                                             Measurement("diastase", 14.2, "DN")],
            reportSHA256: Digest.sha256(Array("NFTL report 2026-0418-07".utf8)).hexString
        ), by: laboratory)
        let handedOver = try add(EventFactory.ship(
            quantities: [QuantityElement(epcClass: lot, quantity: 1200, uom: "KGM")], previous: [InputLink(record: tested, lot: lot)],
            at: try time("2026-04-19T08:00:00.000+07:00"), from: try gln(harvester), to: try gln(exporter),
            documents: [BizTransaction(type: "inv", bizTransaction: "urn:agritrace:inv:MV-2026-0419-01")]
        ), by: harvester)
        let received = try add(EventFactory.receive(
            quantities: [QuantityElement(epcClass: lot, quantity: 1200, uom: "KGM")], previous: [InputLink(record: handedOver, lot: lot)],
            at: try time("2026-04-19T16:45:00.000+07:00"), from: try gln(harvester), at: try gln(exporter)
        ), by: exporter)
        let packed = try add(EventFactory.pack(
            into: try SSCC(Self.sscc), contents: [(lot, 600, "KGM", received)],
            at: try time("2026-04-22T10:00:00.000+07:00"), location: try gln(exporter)
        ), by: exporter)
        let shipped = try add(EventFactory.ship(
            units: [pallet], previous: [InputLink(record: packed, lot: pallet)],
            at: try time("2026-04-25T06:00:00.000+07:00"), from: try gln(exporter), to: try gln(importer),
            documents: [BizTransaction(type: "bol", bizTransaction: "urn:agritrace:bol:HPH-SIN-260425-88"),
                        BizTransaction(type: "inv", bizTransaction: "urn:agritrace:inv:PHX-2026-0311")]
        ), by: exporter)
        _ = try add(EventFactory.receive(
            units: [pallet], previous: [InputLink(record: shipped, lot: pallet)],
            at: try time("2026-05-02T11:15:00.000+08:00"), from: try gln(exporter), at: try gln(importer)
        ), by: importer)
        return records
    }

    /// The bundle the Singapore importer receives.
    public func bundle(crls: [CertificateRevocationList] = []) throws -> ProvenanceBundle {
        let signers = [harvester, certifier, laboratory, exporter, importer]
        var certificates: [Certificate] = []
        for certificate in signers.flatMap({ [$0.certificate] + $0.chain }) where !certificates.contains(certificate) {
            certificates.append(certificate)
        }
        return try ProvenanceBundle.build(subject: Self.lot, from: try records(), certificates: certificates, crls: crls)
    }
}
