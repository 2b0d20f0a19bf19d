import Foundation

/// One shared copy of each string that many records repeat (lots, places, parties), for the
/// records a verification keeps in memory. Safe to use from many threads; lives as long as the
/// verification that made it.
final class StringInterner: Sendable {
    /// The shards, held without reference counting while the interner lives (``deinit`` lets them
    /// go): every record's reading asks a shard a few times from every core, and taking and giving
    /// back a reference count each time wrote to the shard's memory, which the cores then passed
    /// back and forth between them.
    private let shards: [Unmanaged<Shard>]
    private let singleLists = ShardedStringTable<[String]>()

    /// An interner with room from the start for about `expectedStrings` strings, so that its
    /// tables need not grow (each growth places every string again) while records are read.
    init(expectedStrings: Int = 0) {
        let perShard = max(expectedStrings, 0) / ShardedStringTable<String>.shardCount
        var capacity = 64
        while capacity * 3 < perShard * 4 { capacity *= 2 }  // at most three quarters full
        shards = (0..<ShardedStringTable<String>.shardCount).map { _ in
            Unmanaged.passRetained(Shard(seed: .random(in: .min ... .max), capacity: capacity))
        }
    }

    deinit {
        for shard in shards { shard.release() }
    }

    /// One shard's strings, by a hash of their UTF-8 bytes (by code point: `Å` is not shared as
    /// `A` + ring), so the one-pass reader can find a string from the bytes of its payload
    /// without making a String first.
    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        // Guarded by `lock`, so not checked again at run time (with the lock, each access cost as much as the hash).
        @exclusivity(unchecked) private var table: InternTable

        /// `seed` is the process's own, so that no bundle can choose strings that collide (and if
        /// some do, they are only not shared).
        init(seed: UInt64, capacity: Int) { table = InternTable(seed: seed, capacity: capacity) }

        func string(for bytes: UnsafeRawBufferPointer, make: () -> String) -> String {
            lock.lock()
            defer { lock.unlock() }
            return table.string(for: bytes, make: make)
        }
    }

    /// The shared copy of `text`. Short strings are stored inline and need no sharing.
    func callAsFunction(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }
        return text.utf8.withContiguousStorageIfAvailable { shared(UnsafeRawBufferPointer($0)) { text } } ?? text
    }

    /// The shared string of these UTF-8 bytes, which must be valid UTF-8 (the caller has checked).
    func callAsFunction(utf8 bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        return shared(bytes) { String(decoding: bytes, as: UTF8.self) }
    }

    /// The string kept for `bytes`, or the one `make` gives, kept from now on.
    private func shared(_ bytes: UnsafeRawBufferPointer, make: () -> String) -> String {
        shards[ShardedStringTable<String>.shardIndex(count: bytes.count, last: bytes.last)]._withUnsafeGuaranteedRef {
            $0.string(for: bytes, make: make)
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
