import Foundation
import Testing
@testable import AgriTrace

@Suite("What an event measured")
struct EventMeasurementsTests {
    @Test("an event's measurements are its sensor reports of AgriTrace's types with a number, in order; anything else in the sensor data is passed over")
    func measurementsRead() {
        var event = EPCISEvent(type: .objectEvent, eventTime: EPCISTime(date: Date(timeIntervalSince1970: 1_790_000_000), offsetMinutes: 420))
        #expect(event.measurements.isEmpty)
        event.sensorElementList = .array([
            .string("not an element"),
            .object(["sensorReport": .array([
                .object(["type": .string("agt:moisture"), "value": .number(17.5), "uom": .string("P1")]),
                .object(["type": .string("gs1:Temperature"), "value": .number(4), "uom": .string("CEL")]),  // not AgriTrace's
                .object(["type": .string("agt:HMF"), "value": .string("11"), "uom": .string("mg/kg")]),  // not a number
                .string("not a report"),
                .object(["type": .string("agt:temperature"), "value": .number(-1.5), "uom": .string("CEL"), "time": .string("2026-04-12T11:00:00.000+07:00")]),
                .object(["value": .number(2), "type": .string("agt:temperature"), "time": .string("2026-04-12T12:00:00.000+07:00")]),
            ])]),
            .object(["sensorMetadata": .object(["time": .string("2026-04-12T11:00:00.000+07:00")])]),
            .object(["sensorReport": .array([.object(["type": .number(3), "value": .number(1)]),
                                             .object(["type": .string("agt:HMF"), "value": .number(11), "uom": .number(5)])])]),
        ])
        #expect(event.measurements == [Measurement("moisture", 17.5, "P1"), Measurement("temperature", -1.5, "CEL", time: "2026-04-12T11:00:00.000+07:00"),
                                       Measurement("temperature", 2, "", time: "2026-04-12T12:00:00.000+07:00"),
                                       Measurement("HMF", 11, "")])
        event.sensorElementList = .object(["sensorReport": .array([])])
        #expect(event.measurements.isEmpty)
    }
}
