import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// ``OrganicCheck`` on contexts built directly from events: its rules case by case, and the
/// shapes that once made it quadratic, at 30,000 × 30,000.
@Suite("Organic claims: attestations, blends, and their cost at scale")
struct OrganicCheckTests {
    let pki = Fixtures.pki

    /// The context of `events` as a bundle's records, named by digest(position); `signers` gives
    /// the certificate that signed a record, by position (none: unsigned).
    func context(_ events: [EPCISEvent], signers: [Int: Certificate] = [:], subject: String = HoneyScenario.lot) throws -> VerificationContext {
        let records = events.enumerated().map { position, event in
            VerifiedRecordInput(index: position, digest: Self.digest(position), keyids: signers[position].map { [$0.fingerprint.hexString] } ?? [], event: event)
        }
        let certificates = Dictionary(signers.values.map { ($0.fingerprint.hexString, $0) }, uniquingKeysWith: { first, _ in first })
        return VerificationContext(subject: subject, records: records, certificates: certificates, crls: [],
                                   options: VerificationOptions(trustAnchors: [pki.root.certificate]),
                                   chainVerifier: try ChainVerifier(trustAnchors: [pki.root.certificate]))
    }

    static func digest(_ n: Int) -> String { "sha256:" + String(format: "%064x", n) }

    @Test("30,000 organic blends drawing on one lot 30,000 records deep each find the lot's harvest (walked once, not once per blend)")
    func blendsOnALongHistory() throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        let lot = HoneyScenario.lot, depth = 30_000, blends = 30_000
        var events = [EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-12", plots: [])]
        for n in 1...depth {
            events.append(EventFactory.inspection(lot: lot, previous: Self.digest(n - 1), at: time, location: coop, conformant: true))
        }
        for n in 0..<blends {
            events.append(EventFactory.transform(inputs: [(QuantityElement(epcClass: lot, quantity: 1, uom: "KGM"), Self.digest(depth))],
                                                 outputs: [QuantityElement(epcClass: "\(lot)-B\(n)", quantity: 1, uom: "KGM")],
                                                 at: time, location: coop, organicCertificate: "VC-ORG-1"))
        }
        // The harvest claims no certificate: every blend's claim is broken, and says by which record.
        let findings = OrganicCheck().findings(in: try context(events))
        #expect(findings.count == blends)
        #expect(findings.allSatisfy { $0.code == .organicBrokenChain && $0.message.contains("comes from \(Self.digest(0))") })
    }

    @Test("30,000 organic blends each drawing its own lot through one record that links all 30,000: each finds its lot's harvest")
    func blendsThroughAWideRecord() throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        let count = 30_000
        func lot(_ n: Int) -> String { "\(HoneyScenario.lot)-\(n)" }
        var events = (0..<count).map { n in  // harvests claiming no certificate
            EventFactory.harvest(lot: lot(n), quantity: 1, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-12", plots: [])
        }
        var gathering = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, bizStep: "inspecting",
                                   inputs: (0..<count).map { InputLink(record: Self.digest($0), lot: lot($0)) })
        gathering.quantityList = (0..<count).map { QuantityElement(epcClass: lot($0)) }
        events.append(gathering)
        for n in 0..<count {
            events.append(EventFactory.transform(inputs: [(QuantityElement(epcClass: lot(n), quantity: 1, uom: "KGM"), Self.digest(count))],
                                                 outputs: [QuantityElement(epcClass: "\(lot(n))-B", quantity: 1, uom: "KGM")],
                                                 at: time, location: coop, organicCertificate: "VC-ORG-1"))
        }
        // All the blends go into the subject, so that every claim is about the buyer's goods.
        let all = "\(HoneyScenario.lot)-ALL"
        events.append(EventFactory.transform(inputs: (0..<count).map { (QuantityElement(epcClass: "\(lot($0))-B", quantity: 1, uom: "KGM"), Self.digest(count + 1 + $0)) },
                                             outputs: [QuantityElement(epcClass: all, quantity: Decimal(count), uom: "KGM")], at: time, location: coop))
        let findings = OrganicCheck().findings(in: try context(events, subject: all))
        #expect(findings.count == count)
        #expect(findings.enumerated().allSatisfy { $0.element.message.contains("comes from \(Self.digest($0.offset)), which claims none") })
    }

    @Test("30,000 harvests claiming organic against 30,000 attestations of their lot: each harvest is weighed against all of them at once")
    func manyAttestations() throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        let certifier = try pki.signer(.certifier).certificate, lot = HoneyScenario.lot, count = 30_000
        var events: [EPCISEvent] = [], signers: [Int: Certificate] = [:]
        for n in 0..<count {  // attestations for one day each of 2026 and later; none covers 2025
            let day = String(format: "2026-%02d-%02d", n % 12 + 1, n % 28 + 1)
            signers[events.count] = certifier
            events.append(EventFactory.inspection(lot: lot, previous: Self.digest(0), at: time, location: coop, conformant: true,
                                                  certificate: "VC-ORG-1", certificateValidity: (from: day, until: day)))
        }
        for n in 0..<count {
            events.append(EventFactory.harvest(lot: lot, quantity: 1, uom: "KGM", at: time, location: coop,
                                               harvestDate: n % 2 == 0 ? "2026-05-05" : "2025-05-05", plots: [], organicCertificate: "VC-ORG-1"))
        }
        let findings = OrganicCheck().findings(in: try context(events, signers: signers))
        #expect(findings.count == count / 2 && findings.allSatisfy { $0.message.contains("does not cover the harvest date 2025-05-05") })
    }

    @Test("a harvest over days needs its first and its last day attested", arguments: [
        (("2026-01-01", "2026-04-10"), "does not cover the harvest date 2026-04-08 to 2026-04-11"),
        (("2026-04-09", "2026-12-31"), "does not cover the harvest date 2026-04-08 to 2026-04-11"),
        (("2026-04-08", "2026-04-11"), ""),
    ] as [((String, String), String)])
    func harvestOverDays(validity: (String, String), expected: String) throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        let events = [
            EventFactory.harvest(lot: HoneyScenario.lot, quantity: 100, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-08",
                                 harvestEndDate: "2026-04-11", plots: [], organicCertificate: "VC-ORG-1"),
            EventFactory.inspection(lot: HoneyScenario.lot, previous: Self.digest(0), at: time, location: coop, conformant: true,
                                    certificate: "VC-ORG-1", certificateValidity: (from: validity.0, until: validity.1)),
        ]
        let findings = OrganicCheck().findings(in: try context(events, signers: [1: try pki.signer(.certifier).certificate]))
        #expect(expected.isEmpty ? findings.isEmpty : findings.count == 1 && findings[0].message.contains(expected), "\(findings.map(\.message))")
    }

    @Test("a harvest's organic claim needs a certifier's attestation under that certificate whose validity covers the harvest date", arguments: [
        ([], "no certifier's conformant inspection"),
        ([("2026-01-01", "2026-03-31")], "does not cover the harvest date 2026-04-10"),
        ([("2026-04-11", "2026-12-31")], "does not cover"),
        ([("2026-01-01", "2026-03-31"), ("2026-04-10", "2026-04-10")], ""),
        ([("2025-01-01", "2027-01-01"), ("2026-02-01", "2026-02-28")], ""),  // the one that covers starts first, another after it
        ([("2026-06-01", "2026-06-30"), ("2026-01-01", "2026-02-01"), ("2026-03-01", "2026-04-30")], ""),
        ([nil], ""),  // no validity stated: any date
        ([("2026-01-01", "2026-03-31"), nil], ""),
    ] as [([(String, String)?], String)])
    func attestedValidity(validities: [(String, String)?], expected: String) throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        let certifier = try pki.signer(.certifier).certificate, lot = HoneyScenario.lot
        var events = [EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-10", plots: [],
                                           organicCertificate: "VC-ORG-1")]
        for validity in validities {
            events.append(EventFactory.inspection(lot: lot, previous: Self.digest(0), at: time, location: coop, conformant: true,
                                                  certificate: "VC-ORG-1", certificateValidity: validity.map { (from: $0.0, until: $0.1) }))
        }
        // The same attestations under another certificate, or by a party that is no certifier, count for nothing.
        events.append(EventFactory.inspection(lot: lot, previous: Self.digest(0), at: time, location: coop, conformant: true, certificate: "VC-ORG-2"))
        events.append(EventFactory.inspection(lot: lot, previous: Self.digest(0), at: time, location: coop, conformant: true, certificate: "VC-ORG-1"))
        var signers = Dictionary(uniqueKeysWithValues: (1..<events.count - 1).map { ($0, certifier) })
        signers[events.count - 1] = try pki.signer(.laboratory).certificate
        let findings = OrganicCheck().findings(in: try context(events, signers: signers))
        if expected.isEmpty {
            #expect(findings.isEmpty, "\(findings.map(\.message))")
        } else {
            #expect(findings.count == 1 && findings[0].message.contains(expected), "\(findings.map(\.message))")
        }
    }
}
