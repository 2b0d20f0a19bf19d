import AgriTrace
import Foundation
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

@Suite("Revocation lists in the workspace")
struct RevocationListTests {
    @Test("exports carry the party's CRL; without one a partner holding none refuses the hand-over as revocationUnknown, one holding the authority's current CRL judges by it")
    func exportsCarryTheCRL() throws {
        let coop = try Parties.cooperativeWithHarvest(revocationList: false)
        let file = try temporaryDirectory().appendingPathComponent("harvest.provenance.json")
        let bare = try coop.workspace.exportBundle(subject: Parties.lot)
        #expect(bare.crls.isEmpty)
        try bare.write(to: file)
        let certifier = try Parties.workspace(.certifier, revocationList: false)
        #expect { try certifier.workspace.importBundle(at: file) } throws: { error in
            let error = error as? TraceError
            return error?.code == "import.refused" && error?.message.contains("certificate.revocationUnknown") == true
        }
        #expect(try certifier.workspace.registry.count() == 0)
        // A partner that stored the authority's current CRL knows the cooperative's key was not
        // revoked: the bundle is trusted, and the partner's own exports carry that CRL on.
        let laboratory = try Parties.workspace(.laboratory)
        let imported = try laboratory.workspace.importBundle(at: file)
        #expect(imported.added == 1 && imported.report.level == .trusted)
        #expect(try laboratory.workspace.exportBundle(subject: Parties.lot).crls == [Parties.pki.crl.derRepresentation])
        // The held list refuses as well as clears: a collector that never stored the CRL revoking
        // its key (on 2026-03-01) signs on, and leaves the CRL out of its bundle.
        let collector = try Parties.workspace(.revokedHerbs, revocationList: false)
        try collector.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        try collector.harvest(gtin: Parties.honey, lot: "Q-9", quantity: 5, plots: [], harvestDate: "2026-04-10",
                              time: try EPCISTime(parsing: "2026-04-12T07:00:00+07:00").date)
        let hidden = try temporaryDirectory().appendingPathComponent("revoked.provenance.json")
        try collector.workspace.exportBundle(subject: DigitalLink.lot(Parties.honey, lot: "Q-9").uri).write(to: hidden)
        #expect { try laboratory.workspace.importBundle(at: hidden) } throws: { error in
            let error = error as? TraceError
            return error?.code == "import.refused" && error?.message.contains("certificate.revoked") == true
        }
        #expect(try laboratory.workspace.registry.count() == 1)


        try coop.workspace.addRevocationList(Parties.pki.crl)
        try coop.workspace.addRevocationList(Parties.pki.crl)  // twice is harmless
        let bundle = try coop.workspace.exportBundle(subject: Parties.lot)
        #expect(bundle.crls == [Parties.pki.crl.derRepresentation])
        try bundle.write(to: file)
        #expect(try certifier.workspace.importBundle(at: file).added == 1)
        // The partner stores the CRL with the records, so its own exports carry it on.
        #expect(try certifier.workspace.registry.certificatesAndCRLs().1 == [Parties.pki.crl])
    }

    @Test("a CRL of an unknown authority, one with a borrowed name, or one past its next update is refused; nothing is stored")
    func refusals() throws {
        let coop = try Parties.workspace(.honeyCoop, revocationList: false)
        let (start, end) = (SamplePKI.validFrom, SamplePKI.validUntil)
        let stranger = try CertificateAuthority.root(subject: DistinguishedName(country: "VN", commonName: "Unrelated Root CA"),
                                                     key: try .generate(), notBefore: start, notAfter: end)
        let lookalike = try CertificateAuthority.root(subject: Parties.pki.issuing.certificate.subject, key: try .generate(),
                                                      notBefore: start, notAfter: end)
        for authority in [stranger, lookalike] {  // the signature decides, not the name
            let crl = try authority.revocationList([], thisUpdate: Parties.day, nextUpdate: Parties.day.addingTimeInterval(30 * 86_400), number: 1)
            #expect { try coop.workspace.addRevocationList(crl, now: Parties.day) } throws: { ($0 as? TraceError)?.code == "crl.unknownIssuer" }
        }
        let stale = try Parties.pki.issuing.revocationList([], thisUpdate: Parties.day, nextUpdate: Parties.day.addingTimeInterval(86_400), number: 2)
        #expect { try coop.workspace.addRevocationList(stale, now: Parties.day.addingTimeInterval(2 * 86_400)) } throws: {
            ($0 as? TraceError)?.code == "crl.outdated"
        }
        #expect(try coop.workspace.registry.certificatesAndCRLs().1.isEmpty)
        // The same list while current is taken.
        try coop.workspace.addRevocationList(stale, now: Parties.day)
        #expect(try coop.workspace.registry.certificatesAndCRLs().1 == [stale])
    }
}
