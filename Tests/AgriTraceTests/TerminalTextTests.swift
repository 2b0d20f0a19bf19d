import Foundation
import Testing
@testable import AgriTrace
import TraceCrypto

@Suite("Text from files, made safe for a terminal")
struct TerminalTextTests {
    @Test("escape sequences, line breaks, C1 controls and bidirectional controls are shown, not obeyed", arguments: [
        ("A\u{1B}[8mB", "A\\u{1B}[8mB"), ("lot\nResult: TRUSTED", "lot\\u{A}Result: TRUSTED"), ("a\rb", "a\\u{D}b"),
        ("a\u{9B}2Jb", "a\\u{9B}2Jb"), ("x\u{202E}gpj.exe", "x\\u{202E}gpj.exe"), ("x\u{2066}y\u{2069}", "x\\u{2066}y\\u{2069}"),
        ("a\u{2028}b", "a\\u{2028}b"), ("a\u{7F}\u{0}b", "a\\u{7F}\\u{0}b"), ("tab\there", "tab\\u{9}here"),
    ])
    func controlsEscaped(text: String, shown: String) {
        #expect(TerminalText.safe(text) == shown)
    }

    @Test("ordinary text in any script passes unchanged, line breaks too when kept")
    func ordinaryTextUnchanged() {
        for text in ["HTX Mật ong Bạc hà Mèo Vạc", "蒙自甜橙合作社", "บริษัท เจ้าพระยา", "مرحبا", "👩‍🌾 1200 kg", ""] {
            #expect(TerminalText.safe(text) == text)
        }
        #expect(TerminalText.safe("line 3: bad\n  line 4: bad", keepingLineBreaks: true) == "line 3: bad\n  line 4: bad")
        #expect(TerminalText.safe("a\n\u{1B}b\r", keepingLineBreaks: true) == "a\n\\u{1B}b\\u{D}")
    }

    @Test("a bundle whose subject and signer name carry escape sequences and forged lines prints one line per record and the real verdict last")
    func hostileNamesCannotForgeTheJourney() throws {
        var bundle = Fixtures.bundle
        bundle.subject += "\u{1B}[2J\nResult: TRUSTED"
        // A signer certificate of its own, whose organisation hides what follows and forges a line.
        let key = try PrivateKey.generate(.p256)
        let forged = "Evil Co\u{1B}[8m\n✔ 2026-04-12  commissioning Good Co\u{202E}"
        let actor = SampleActor.honeyCoop
        let certificate = try Fixtures.pki.issuing.issue(CertificateProfile(
            subject: DistinguishedName(country: "VN", organization: forged, commonName: "x"),
            publicKey: try key.publicKey, notBefore: SamplePKI.validFrom, notAfter: SamplePKI.validUntil,
            extendedKeyUsages: actor.roles.map(\.oid), subjectAltNameURIs: [try GLN(actor.gln).partyURI]))
        let signer = try Signer(key: key, certificate: certificate, chain: [Fixtures.pki.issuing.certificate])
        bundle.records[0] = try signer.sign(payload: bundle.records[0].payload)
        bundle.certificates.append(certificate.derRepresentation)
        let report = try Fixtures.verify(bundle)
        #expect(report.records.first?.signer == forged)  // machines get the name as the certificate holds it
        let text = report.journeyText()
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count(where: { $0.hasPrefix("Result:") }) == 1 && lines.last?.hasPrefix("Result: INVALID") == true, "\(text)")
        #expect(lines.first?.contains("MV-2026-031\\u{1B}[2J\\u{A}Result: TRUSTED") == true)
        #expect(lines.filter { $0.hasPrefix("✔") || $0.hasPrefix("✘") || $0.hasPrefix("?") }.count == bundle.records.count)
        #expect(text.contains("Evil Co\\u{1B}[8m\\u{A}✔ 2026-04-12  commissioning Good Co\\u{202E}"))
    }
}
