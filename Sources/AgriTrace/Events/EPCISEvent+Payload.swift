import Foundation

extension EPCISEvent {
    /// The JSON bytes that become a record's payload: keys sorted, no escaped slashes, so the
    /// same event always gives the same bytes (those of `JSONEncoder` with `.sortedKeys` and
    /// `.withoutEscapingSlashes`, written directly).
    public func payloadBytes() throws -> Data {
        var writer = CanonicalJSONWriter()
        writePayload(into: &writer)
        return Data(writer.bytes)
    }

    /// The members of ``encode(to:)``, written in code point order of their names: the modelled
    /// ones in their fixed order, each extension where its name falls between them.
    private func writePayload(into writer: inout CanonicalJSONWriter) {
        let extras = extensions.isEmpty ? [] : extensions.filter { !Self.modelledKeys.contains($0.key) }
            .sorted { CodePointOrder.precedes($0.key, $1.key) }
        writer.object { writer, first in
            var next = 0  // the first extension not written yet
            func member(_ name: StaticString, _ value: (inout CanonicalJSONWriter) -> Void) {
                while next < extras.count, CodePointOrder.precedes(extras[next].key, name) {
                    let extra = extras[next]
                    writer.member(key: extra.key, first: &first) { $0.write(extra.value) }
                    next += 1
                }
                writer.member(name, first: &first, value)
            }
            func member(_ name: StaticString, _ text: String?) {
                if let text { member(name) { $0.string(text) } }
            }
            func member(_ name: StaticString, _ json: JSONValue?) {
                if let json { member(name) { $0.write(json) } }
            }
            func member(_ name: StaticString, _ texts: [String]?) {
                if let texts { member(name) { $0.array(texts) { $0.string($1) } } }
            }
            func member(_ name: StaticString, _ quantities: [QuantityElement]?) {
                guard let quantities else { return }
                member(name) { $0.array(quantities) { writer, element in
                    writer.object { writer, first in
                        writer.member("epcClass", first: &first) { $0.string(element.epcClass) }
                        if let quantity = element.quantity { writer.member("quantity", first: &first) { $0.number(quantity) } }
                        if let uom = element.uom { writer.member("uom", first: &first) { $0.string(uom) } }
                    }
                } }
            }
            func member(_ name: StaticString, _ location: Location?) {
                guard let location else { return }
                member(name) { $0.object { writer, first in writer.member("id", first: &first) { $0.string(location.id) } } }
            }
            /// A list of objects of two text members, given in code point order.
            func member<Item>(_ name: StaticString, _ items: [Item]?, _ first: StaticString, _ second: StaticString, _ values: (Item) -> (String, String?)) {
                guard let items else { return }
                member(name) { $0.array(items) { writer, item in
                    let (one, two) = values(item)
                    writer.object { writer, isFirst in
                        writer.member(first, first: &isFirst) { $0.string(one) }
                        if let two { writer.member(second, first: &isFirst) { $0.string(two) } }
                    }
                } }
            }

            member("@context") { writer in
                if hasDefaultContext { writer.raw(Self.defaultContextJSON) } else { writer.write(context) }
            }
            member("action", action?.rawValue)
            member("agt:inputs", inputs.isEmpty ? nil : inputs, "lot", "record") { ($0.lot, $0.record) }
            member("bizLocation", bizLocation)
            member("bizStep", bizStep)
            member("bizTransactionList", bizTransactionList, "bizTransaction", "type") { ($0.bizTransaction, $0.type) }
            member("certificationInfo", certificationInfo)
            member("childEPCs", childEPCs)
            member("childQuantityList", childQuantityList)
            member("destinationList", destinationList, "destination", "type") { ($0.destination, $0.type) }
            member("disposition", disposition)
            member("epcList", epcList)
            member("eventID", eventID)
            member("eventTime", eventTime.description)
            member("eventTimeZoneOffset", eventTime.offsetText)
            member("ilmd", ilmd)
            member("inputEPCList", inputEPCList)
            member("inputQuantityList", inputQuantityList)
            member("outputEPCList", outputEPCList)
            member("outputQuantityList", outputQuantityList)
            member("parentID", parentID)
            member("quantityList", quantityList)
            member("readPoint", readPoint)
            member("sensorElementList", sensorElementList)
            member("sourceList", sourceList, "source", "type") { ($0.source, $0.type) }
            member("type", type.rawValue)
            for extra in extras[next...] { writer.member(key: extra.key, first: &first) { $0.write(extra.value) } }
        }
    }
}
