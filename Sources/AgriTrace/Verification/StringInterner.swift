import Foundation

/// One shared copy of each string that many records repeat (lots, places, parties), for the
/// records a verification keeps in memory. Safe to use from many threads; lives as long as the
/// verification that made it.
final class StringInterner: Sendable {
    private let strings = ShardedStringTable<String>()
    private let singleLists = ShardedStringTable<[String]>()

    /// The shared copy of `text`. Short strings are stored inline and need no sharing.
    func callAsFunction(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }
        return strings.withShard(for: text) { shard in
            if let known = shard[ExactText(text)] { return known }  // by code point: `Å` is not shared as `A` + ring
            shard[ExactText(text)] = text
            return text
        }
    }

    /// The shared copies of `texts`, in a list shared too when it holds one text (a record's
    /// keyids: nearly every record has one signature, and a bundle a handful of signers, so a
    /// verification keeps a handful of lists instead of one per record).
    func list(_ texts: [String]) -> [String] {
        guard texts.count == 1, let text = texts.first else { return texts.map(callAsFunction) }
        return singleLists.withShard(for: text) { shard in
            if let known = shard[ExactText(text)] { return known }
            let list = [self(text)]
            shard[ExactText(text)] = list
            return list
        }
    }
}

extension EPCISEvent {
    /// The event as a verification keeps it: its identifiers, places, parties and links as shared
    /// copies, and of its open JSON only what claims read (``keepingClaimsOnly()``).
    func sharingStrings(_ intern: StringInterner) -> EPCISEvent {
        var event = keepingClaimsOnly()
        func quantities(_ list: [QuantityElement]?) -> [QuantityElement]? {
            list?.map { QuantityElement(epcClass: intern($0.epcClass), quantity: $0.quantity, uom: $0.uom.map(intern.callAsFunction)) }
        }
        event.epcList = epcList?.map(intern.callAsFunction)
        event.childEPCs = childEPCs?.map(intern.callAsFunction)
        event.inputEPCList = inputEPCList?.map(intern.callAsFunction)
        event.outputEPCList = outputEPCList?.map(intern.callAsFunction)
        event.parentID = parentID.map(intern.callAsFunction)
        event.quantityList = quantities(quantityList)
        event.childQuantityList = quantities(childQuantityList)
        event.inputQuantityList = quantities(inputQuantityList)
        event.outputQuantityList = quantities(outputQuantityList)
        event.readPoint = readPoint.map { Location(id: intern($0.id)) }
        event.bizLocation = bizLocation.map { Location(id: intern($0.id)) }
        event.sourceList = sourceList?.map { Source(type: intern($0.type), source: intern($0.source)) }
        event.destinationList = destinationList?.map { Destination(type: intern($0.type), destination: intern($0.destination)) }
        event.inputs = inputs.map { InputLink(record: intern($0.record), lot: intern($0.lot)) }
        return event
    }
}
