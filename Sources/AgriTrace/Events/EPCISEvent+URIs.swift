import Foundation

extension EPCISEvent {
    /// Refuses an event whose identifiers or vocabulary are not ASCII. EPCIS 2.0 names things
    /// by URI (EPCs, classes, places, parties, links) and its steps, dispositions and types by
    /// URI or bare CBV word; a URI is ASCII, other text percent-encoded (RFC 3986). Business
    /// document numbers, which clerks type, may be any text. The rule also keeps a hostile record
    /// cheap: Swift hashes non-ASCII text only after normalising it, up to a few hundred times
    /// slower per byte, and these values are hashed several times over in a verification.
    /// Units of measure are UN/ECE Recommendation 20 codes, as the EPCIS 2.0 schema has them.
    public func checkWireForm() throws {
        try checkWireForm(allTextASCII: false)
    }

    /// ``checkWireForm()``, told whether every string of the event is known to be ASCII: read
    /// from a canonical payload with no byte above 0x7F (its writer escapes no such character,
    /// so none can hide in an escape). Then only the units of measure are left to check.
    func checkWireForm(allTextASCII: Bool) throws {
        func check(_ value: String?, _ field: @autoclosure () -> String) throws {
            guard let value, !Self.isASCII(value) else { return }
            let shown = value.count > 40 ? value.prefix(40) + "…" : value
            throw TraceError(.eventInvalid, "\(field()) is not ASCII, as URIs and CBV words are (percent-encode other text): \(shown)")
        }
        func checkAll(_ values: [String]?, _ field: String) throws {
            try values.forEachIndexedInPlace { index, value in try check(value, "\(field)[\(index)]") }
        }
        func checkQuantities(_ list: [QuantityElement]?, _ field: String) throws {
            // Field by field through the list's storage: a copy of each element would copy its strings.
            try list?.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if !allTextASCII { try check(elements[index].epcClass, "\(field)[\(index)].epcClass") }
                    if let uom = elements[index].uom, !UnitOfMeasureName.isCode(uom) {
                        throw TraceError(.eventInvalid, "\(field)[\(index)].uom \(UnitOfMeasureName.notACode(uom))")
                    }
                }
            }
        }
        if !allTextASCII {
            try checkAll(epcList, "epcList")
            try checkAll(childEPCs, "childEPCs")
            try checkAll(inputEPCList, "inputEPCList")
            try checkAll(outputEPCList, "outputEPCList")
            try check(parentID, "parentID")
        }
        try checkQuantities(quantityList, "quantityList")
        try checkQuantities(childQuantityList, "childQuantityList")
        try checkQuantities(inputQuantityList, "inputQuantityList")
        try checkQuantities(outputQuantityList, "outputQuantityList")
        guard !allTextASCII else { return }
        try check(bizStep, "bizStep")
        try check(disposition, "disposition")
        try check(readPoint?.id, "readPoint.id")
        try check(bizLocation?.id, "bizLocation.id")
        try sourceList.forEachIndexedInPlace { index, source in
            try check(source.type, "sourceList[\(index)].type")
            try check(source.source, "sourceList[\(index)].source")
        }
        try destinationList.forEachIndexedInPlace { index, destination in
            try check(destination.type, "destinationList[\(index)].type")
            try check(destination.destination, "destinationList[\(index)].destination")
        }
        try bizTransactionList.forEachIndexedInPlace { index, transaction in try check(transaction.type, "bizTransactionList[\(index)].type") }
        try inputs.forEachIndexedInPlace { index, link in
            try check(link.record, "agt:inputs[\(index)].record")
            try check(link.lot, "agt:inputs[\(index)].lot")
        }
    }

    /// Whether `text` is all ASCII, looked at a buffer at a time (every identifier of every
    /// event signed is).
    private static func isASCII(_ text: String) -> Bool {
        text.withUTF8Bytes { isASCII(UnsafeRawBufferPointer($0)) }
    }

    /// Whether no byte is above 0x7F.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.reduce(0, |) < 0x80
    }
}
