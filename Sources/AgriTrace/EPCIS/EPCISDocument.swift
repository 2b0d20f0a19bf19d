import Foundation

/// EPCIS 2.0 JSON-LD documents of AgriTrace events, for buyers' and regulators' EPCIS systems.
public enum EPCISDocument {
    /// The largest document `agritrace epcis hash` and `epcis import` read. A document is parsed
    /// whole, at about seven times its size in memory; an import takes at most 100,000 events,
    /// some 100 MB.
    public static let maximumBytes = 256 << 20

    /// The most JSON values a document may hold: as many as 256 MiB of ordinary events hold. A
    /// value takes about a hundred bytes parsed, however short its text: without this, a
    /// document of tiny values would take fifty times its size.
    public static let maximumValues = 10_000_000

    /// The most JSON values one event may hold for its CBV event hash (4 MiB of sensor readings
    /// hold some 250,000; an ordinary event a few dozen): the hash's tree of one event takes about
    /// half a kilobyte per value.
    public static let maximumEventValues = 500_000

    /// An `EPCISDocument` holding `events` in the given order. The AgriTrace namespace is declared
    /// once in the document context; each event's own `@context` is dropped, as EPCIS expects.
    public static func make(events: [EPCISEvent], created: Date = Date()) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var list: [OrderedJSON] = []
        for event in events {
            guard case .object(let members) = try OrderedJSON.parse(try event.payloadBytes()) else { continue }
            list.append(.object(members.filter { $0.key != "@context" }))
        }
        let context = try OrderedJSON.parse(try encoder.encode(EPCISEvent.defaultContext))
        let document = OrderedJSON.object([
            .init(key: "@context", value: context),
            .init(key: "type", value: .string("EPCISDocument")),
            .init(key: "schemaVersion", value: .string("2.0")),
            .init(key: "creationDate", value: .string(EPCISTime(date: created, offsetMinutes: 0).description)),
            .init(key: "epcisBody", value: .object([.init(key: "eventList", value: .array(list))])),
        ])
        var writer = CanonicalJSONWriter(capacity: list.count * 1024)
        document.write(into: &writer)
        return Data(writer.bytes)
    }
}
