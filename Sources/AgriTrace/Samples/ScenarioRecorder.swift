import Foundation
import TraceCrypto

/// Collects the signed records of a sample scenario, in the order they are made, and the
/// certificates of everyone who signed them.
final class ScenarioRecorder {
    private(set) var records: [Envelope] = []
    private var signers: [Signer] = []

    /// Signs `event` as `signer`, keeps the record, and returns its digest for the next link.
    func add(_ event: EPCISEvent, by signer: Signer) throws -> String {
        let envelope = try signer.sign(event)
        records.append(envelope)
        if !signers.contains(where: { $0.keyid == signer.keyid }) { signers.append(signer) }
        return envelope.digest
    }

    /// The signers' certificates and their intermediates, each once.
    var certificates: [Certificate] {
        var result: [Certificate] = []
        for certificate in signers.flatMap({ [$0.certificate] + $0.chain }) where !result.contains(certificate) {
            result.append(certificate)
        }
        return result
    }

    /// The bundle for `subject` from everything recorded.
    func bundle(subject: String, crls: [CertificateRevocationList]) throws -> ProvenanceBundle {
        try ProvenanceBundle.build(subject: subject, from: records, certificates: certificates, crls: crls)
    }

    static func time(_ text: String) throws -> EPCISTime { try EPCISTime(parsing: text) }

    static func gln(_ signer: Signer) throws -> GLN {
        guard let value = signer.certificate.gln else { throw TraceError(.signingFailed, "\(signer.certificate.subject) has no GLN") }
        return try GLN(value)
    }
}

extension ScenarioRecorder {
    /// A hand-over of `quantity` of `lot` from one party to another: the sender's shipping record
    /// and the receiver's receiving record. Returns the receipt's digest.
    func handOver(_ lot: String, _ quantity: Decimal, from sender: Signer, to receiver: Signer, after previous: String,
                  shipped: String, received: String, document: String) throws -> String {
        let amount = QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM")
        let shipping = try add(EventFactory.ship(
            quantities: [amount], previous: [InputLink(record: previous, lot: lot)], at: try Self.time(shipped),
            from: try Self.gln(sender), to: try Self.gln(receiver), documents: [BizTransaction(type: "inv", bizTransaction: document)]
        ), by: sender)
        return try add(EventFactory.receive(
            quantities: [amount], previous: [InputLink(record: shipping, lot: lot)], at: try Self.time(received),
            from: try Self.gln(sender), at: try Self.gln(receiver)
        ), by: receiver)
    }

    /// Packing `quantity` of `lot` onto pallet `sscc`, shipping the pallet abroad, and the
    /// importer's receipt. Returns the pallet's Digital Link.
    @discardableResult
    func export(_ lot: String, _ quantity: Decimal, pallet sscc: String, after previous: String, exporter: Signer, importer: Signer,
                packed: String, shipped: String, received: String, billOfLading: String) throws -> String {
        let pallet = DigitalLink.logisticUnit(try SSCC(sscc)).uri
        let packing = try add(EventFactory.pack(
            into: try SSCC(sscc), contents: [(lot, quantity, "KGM", previous)], at: try Self.time(packed), location: try Self.gln(exporter)
        ), by: exporter)
        let shipping = try add(EventFactory.ship(
            units: [pallet], previous: [InputLink(record: packing, lot: pallet)], at: try Self.time(shipped),
            from: try Self.gln(exporter), to: try Self.gln(importer), documents: [BizTransaction(type: "bol", bizTransaction: billOfLading)]
        ), by: exporter)
        _ = try add(EventFactory.receive(
            units: [pallet], previous: [InputLink(record: shipping, lot: pallet)], at: try Self.time(received),
            from: try Self.gln(exporter), at: try Self.gln(importer)
        ), by: importer)
        return pallet
    }
}
