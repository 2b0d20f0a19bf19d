import Foundation
import Testing
@testable import AgriTrace

/// Every record's event time is read by ``EPCISTime/init(parsing:)``: the instant and offset of
/// each ISO 8601 form EPCIS allows, and a clear refusal of anything else.
@Suite("EPCIS time")
struct EPCISTimeTests {
    @Test("reads the instant and the offset, with or without a fraction, in Z or an offset, keeping the text", arguments: [
        ("2026-03-15T08:30:00.000+07:00", 1_773_538_200.0, 420), ("2026-03-15T01:30:00Z", 1_773_538_200.0, 0),
        ("2026-03-15t01:30:00.25z", 1_773_538_200.25, 0), ("2026-03-14T20:00:00.5-05:30", 1_773_538_200.5, -330),
        ("2024-02-29T00:00:00.123456789123+00:00", 1_709_164_800.123456789, 0), ("2026-12-31T23:59:60+14:00", 1_798_711_200.0, 840),
    ])
    func readsForms(text: String, seconds: Double, offset: Int) throws {
        let time = try EPCISTime(parsing: text)
        #expect(abs(time.date.timeIntervalSince1970 - seconds) < 1e-6 && time.offsetMinutes == offset && time.description == text)
    }

    @Test("refuses anything else as a malformed record, naming the text", arguments: [
        "", "2026-03-15", "2026-03-15T08:30:00", "2026-03-15 08:30:00+07:00", "2026/03/15T08:30:00+07:00", "2026-03-15T08:30:00+0700",
        "2026-02-29T08:30:00+07:00", "2026-13-01T08:30:00+07:00", "2026-03-15T24:00:00+07:00", "2026-03-15T08:60:00+07:00",
        "2026-03-15T08:30:00+15:00", "2026-03-15T08:30:00+07:60", "2026-03-15T08:30:00.+07:00", "2026-03-15T08:30:00.000+07:00x",
        "2026-03-15T08:30:00Zx", "2O26-03-15T08:30:00+07:00", "2026-03-15T08:30:00.0000000000000000000+07:00", "２026-03-15T08:30:00+07:00",
    ])
    func refusesOthers(text: String) {
        #expect {
            try EPCISTime(parsing: text)
        } throws: { error in
            (error as? TraceError)?.code == .recordMalformed && "\(error)".contains("time \"\(text.prefix(40))\"")
        }
    }
}
