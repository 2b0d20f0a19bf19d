import AgriTrace
import Foundation
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

@Suite("Revocation lists in the workspace")
struct RevocationListTests {
    @Test("exports carry the party's CRL; without one a partner refuses the hand-over as revocationUnknown")
    func exportsCarryTheCRL() throws {
        let coop = try Parties.cooperativeWithHarvest(revocationList: false)
        let file = try temporaryDirectory().appendingPathComponent("harvest.provenance.json")
        let bare = try coop.workspace.exportBundle(subject: Parties.lot)
        #expect(bare.crls.isEmpty)
        try bare.write(to: file)
        let certifier = try Parties.workspace(.certifier)
        #expect { try certifier.workspace.importBundle(at: file) } throws: { error in
            let error = error as? TraceError
            return error?.code == "import.refused" && error?.message.contains("certificate.revocationUnknown") == true
        }
        #expect(try certifier.workspace.registry.count() == 0)

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
