import AgriTrace
import Foundation
import TraceCrypto

extension Workspace {
    /// What importing a bundle did.
    public struct ImportResult: Sendable {
        public var report: VerificationReport
        /// Records newly stored (zero when the bundle was already imported).
        public var added: Int
    }

    /// Imports a partner's bundle: verified against this workspace's trust anchors first; a
    /// bundle that is not trusted changes nothing. Importing the same bundle twice is harmless.
    public func importBundle(at url: URL, acceptUntrusted: Bool = false) throws -> ImportResult {
        let file = try BundleFile(contentsOf: url, mapped: false)  // what is stored is exactly what was verified
        let verifier = try handOverVerifier()
        let report = verifier.verify(try addingHeldRevocationLists(to: file))
        guard report.level == .trusted || (acceptUntrusted && report.level == .valid) else {
            let first = report.findings.first { $0.severity != .warning }
            let noAnchors = verifier.options.trustAnchors.isEmpty && report.level == .valid
            throw TraceError("import.refused", "\(url.lastPathComponent) is \(report.level.rawValue), so nothing was imported"
                             + (first.map { ": [\($0.code)] \($0.message)" } ?? "")
                             + (noAnchors ? " (this workspace trusts no certificate authority: it was made without --trust)" : ""))
        }
        let certificates = try file.certificates.compactMap { $0.flatMap { Data(base64Encoded: $0) } }.map(Certificate.init(der:))
        let crls = try file.crls.compactMap { $0.flatMap { Data(base64Encoded: $0) } }.map(CertificateRevocationList.init(der:))
        // The bundle is sound on its own; beside the registry's records it must stay so: a partner's
        // harvest of a lot this registry already holds would make every export of that lot invalid.
        let added = try registry.append(json: file.records, certificates: certificates, crls: crls, imported: true) { tx, added, identifiers in
            guard let finding = try tx.imbalance(among: Set(added), identifiers: identifiers) else { return }
            throw TraceError("import.refused", "\(url.lastPathComponent) does not fit the records already here, so nothing was imported: "
                             + "[\(finding.code)] record \(finding.record ?? "") \(finding.message)")
        }
        return ImportResult(report: report, added: added.count)
    }

    /// `file` with the revocation lists this workspace holds added to those it carries. A CRL is
    /// its issuer's signed word whoever hands it on (the verifier takes only those the issuer
    /// signed), so a partner who never installed its authority's current list is judged by the
    /// one stored here, as the buyer will judge the bundles this workspace exports, which carry it.
    private func addingHeldRevocationLists(to file: BundleFile) throws -> BundleFile {
        var file = file
        let carried = Set(file.crls)
        let held = try registry.read { try $0.revocationLists() }.map { $0.derRepresentation.base64EncodedString() }
        file.crls += held.filter { !carried.contains($0) }
        return file
    }

    /// How a partner's `import` will judge `bundle`, this workspace's own export: the hand-over
    /// checks under this workspace's trust anchors, which it requires to be trusted. Run before
    /// the file leaves, so that a missing revocation list or a broken record is found here and
    /// not by the partner.
    public func handOverReport(of bundle: ProvenanceBundle) throws -> VerificationReport {
        try handOverVerifier().verify(data: try bundle.jsonData())
    }

    /// A partner's hand-over verification: integrity, trust under this workspace's anchors,
    /// links and quantities; no product policy, whose steps the journey may not have reached.
    private func handOverVerifier() throws -> BundleVerifier {
        var options = VerificationOptions(trustAnchors: try trustAnchors())
        options.automaticPolicy = false
        return BundleVerifier(options: options, checks: BundleVerifier.handOverChecks)
    }

    /// The bundle a buyer gets for a lot or logistic unit: its whole upstream history, the
    /// shipments of units holding it, and the certificates and CRLs to check them.
    public func exportBundle(subject: String) throws -> ProvenanceBundle {
        let heads = try registry.digests(concerning: subject)
        guard !heads.isEmpty else { throw TraceError("lot.unknown", "\(subject) is not in the registry") }
        // Downstream records that move a unit holding the subject come in through the builder.
        var related = try registry.upstream(of: Array(try registry.downstream(of: heads)))
        var records = try registry.records(related).map { (envelope: $0.envelope, event: $0.event) }
        // A verdict on one of these lots recorded after it moved on (an input recalled after the
        // blend) is part of the history too, with what it links to; the builder keeps those on
        // the goods that went into the subject.
        let lots = Set(records.flatMap { $0.event.concernedIdentifiers })
        let candidates = try registry.read { try $0.verdictDigests(on: lots) }.subtracting(related)
        let verdicts = try registry.records(candidates).filter(\.event.isVerdict).map(\.digest)
        if !verdicts.isEmpty {
            related.formUnion(try registry.upstream(of: verdicts))
            records = try registry.records(related).map { (envelope: $0.envelope, event: $0.event) }
        }
        let (certificates, crls) = try registry.certificatesAndCRLs()
        var bundle = try ProvenanceBundle.build(subject: subject, from: records, certificates: certificates, crls: crls)
        let signers = Set(bundle.records.flatMap { $0.signatures.map(\.keyid) })
        let anchors = Set(try trustAnchors().map(\.derRepresentation))
        // Signers and their issuers only; never trust anchors.
        let needed = certificates.filter { signers.contains($0.fingerprint.hexString) }
        let issuerNames = Set(needed.map(\.issuer))
        let issuers = certificates.filter { issuerNames.contains($0.subject) && $0.basicConstraints?.isCA == true }
        bundle.certificates = (needed + issuers).map(\.derRepresentation).filter { !anchors.contains($0) }
        return bundle
    }

    /// Re-verifies every stored record: signatures, signer chains to the trust anchors, links
    /// and event IDs. Returns the findings (none when the registry is sound).
    public func check() throws -> VerificationReport {
        // The stored records go to the verifier as the envelope JSON a bundle carries: decoded there, on all cores.
        let (certificates, crls) = try registry.certificatesAndCRLs()
        let stored = BundleFile(subject: "", records: try registry.allEnvelopeJSON(), certificates: certificates.map(\.derRepresentation),
                                crls: crls.map(\.derRepresentation))
        var options = VerificationOptions(trustAnchors: try trustAnchors())
        options.automaticPolicy = false
        let verifier = BundleVerifier(options: options, checks: [EventFormCheck(), SignerChainCheck(), LinkCheck()])
        return verifier.verify(stored)
    }
}
