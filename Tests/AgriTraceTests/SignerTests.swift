import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

@Suite("Signer")
struct SignerTests {
    @Test("signing many events on all cores keeps their order, names each by its own event hash, and every envelope verifies")
    func signsManyInOrder() throws {
        let signer = try Fixtures.pki.signer(.honeyCoop)
        let coop = try GLN(SampleActor.honeyCoop.gln)
        // 37 events: more than two of the runs a worker signs at a time, and a run cut short.
        let events = try (0..<37).map { index in
            EventFactory.harvest(lot: "https://id.gs1.org/01/08936000120016/10/S\(index)", quantity: Decimal(index + 1), uom: "KGM",
                                 at: try EPCISTime(parsing: "2026-04-12T07:00:00.000+07:00"), location: coop,
                                 harvestDate: "2026-04-12", plots: [])
        }
        let signed = try signer.sign(events)
        #expect(signed.count == events.count)
        for (index, (envelope, event)) in signed.enumerated() {
            #expect(event.quantityList?.first?.epcClass == "https://id.gs1.org/01/08936000120016/10/S\(index)")
            #expect(event.eventID == (try EventHash.eventID(for: events[index])))
            #expect(try EPCISEvent.decode(payload: envelope.payload) == event)
            #expect(signer.certificate.publicKey.isValidSignature(envelope.signatures[0].sig, for: envelope.pae))
        }
        #expect(try signer.sign([]).isEmpty)
    }
}
