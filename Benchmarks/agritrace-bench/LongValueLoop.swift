import AgriTrace
import Foundation

/// The CBV event hash of events holding one very long value — what a hostile record may carry
/// in any field — in ns per byte of that value, beside an ordinary event's cost per byte of its
/// payload: a long value must cost about what as many bytes of ordinary events cost.
enum LongValueLoop {
    static func run(bytes: Int) throws {
        let shapes = try RegistryBench.Shapes()
        let ordinary = shapes.event(stage: 2, index: 1, previous: "sha256:" + String(repeating: "ab", count: 32))
        let ordinaryBytes = try ordinary.payloadBytes().count
        let loops = 2000
        var start = Date()
        for _ in 0..<loops { _ = try EventHash.eventID(for: ordinary) }
        let ordinaryNanos = Date().timeIntervalSince(start) / Double(loops) * 1e9 / Double(ordinaryBytes)
        print(String(format: "ordinary event (%d-byte payload): %.1f ns/byte", ordinaryBytes, ordinaryNanos))
        let filler = String(repeating: "abcdefgh/", count: bytes / 9)
        let values: [(String, String)] = [
            ("Digital Link, key at the end", "https://example.com/" + filler + "01/09506000134352"),
            ("Digital Link, key first", "https://id.gs1.org/01/09506000134352/10/" + filler),
            ("Digital Link with query", "https://example.com/01/09506000134352?" + filler),
            ("EPC URN", "urn:epc:id:sgtin:0614141.107346." + filler),
            ("number", String(repeating: "1", count: bytes)),
            ("CBV URN", "urn:epcglobal:cbv:bizstep:" + filler),
            ("plain text", filler),
        ]
        for (name, value) in values {
            var event = ordinary
            event.epcList = [value]
            start = Date()
            let outcome: String
            do { outcome = String(try EventHash.eventID(for: event).prefix(24)) } catch { outcome = "refused" }
            let nanos = Date().timeIntervalSince(start) * 1e9 / Double(value.utf8.count)
            print(String(format: "%@ (%d bytes): %.1f ns/byte, %.0f× ordinary (%@)", name, value.utf8.count, nanos, nanos / ordinaryNanos, outcome))
        }
    }
}
