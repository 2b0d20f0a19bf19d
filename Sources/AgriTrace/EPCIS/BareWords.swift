import Foundation
import TraceCrypto

/// EPCIS 2.0 JSON-LD lets CBV words stand bare (`"bizStep": "shipping"`). The reference event
/// hash expands the document with JSON-LD, collects every CBV and GS1 vocabulary IRI, and then
/// replaces any string value that is the last word of exactly one of them. This reproduces that:
/// it expands the vocabulary-typed fields of the EPCIS context itself, no network needed.
///
/// A class, not a struct: the pre-hash writer hands it to its helpers and their closures, and
/// each copy of a struct of three arrays took three reference counts and gave them back (39 of
/// each per event of the bench bundle); a copy of the class takes one.
final class BareWords: Sendable {
    private let expanded: IRIList
    /// What ``replacing(_:)`` rejects at a glance: no value as long as the longest IRI (in bytes)
    /// ends one, and, when no IRI holds a colon past its `https:`, no value holding a colon.
    private let longest: Int, colonsOnlyInScheme: Bool

    convenience init(document: OrderedJSON, context: OrderedJSON?) {
        var prefixes = CBVVocabulary.prefixes
        if case .array(let entries)? = context {
            for case .object(let members) in entries {
                for member in members { if let iri = member.value.stringValue { prefixes[ExactText(member.key)] = iri } }
            }
        }
        var found = Set<ExactText>()  // by code point, as the reference's set of IRIs
        Self.collect(document, parent: nil, prefixes: prefixes) { found.insert(ExactText($0)) }
        var iris = IRIList()
        for iri in found where Self.isVocabularyIRI(iri.text) { iris.append(iri.text) }
        self.init(iris)
    }

    /// The same for an event with the default context, read from its fields; `subtrees` are its
    /// members held as open JSON (ILMD, extensions), by member name. Agrees with
    /// ``init(document:context:)`` on the event's payload (``DirectPreHash`` relies on it).
    convenience init(event: EPCISEvent, subtrees: [(key: String, value: OrderedJSON)]) {
        var found = FoundIRIs()
        // Every list read in place (``Swift/Array/forEachInPlace(_:)``), field by field: this runs for every event signed or verified.
        found.typed(event.bizStep, CBVVocabulary.bizStep)
        found.typed(event.disposition, CBVVocabulary.disposition)
        event.sourceList.forEachInPlace { source in
            found.typed(source.type, CBVVocabulary.sourceDestinationType)
            found.note(source.source)
        }
        event.destinationList.forEachInPlace { destination in
            found.typed(destination.type, CBVVocabulary.sourceDestinationType)
            found.note(destination.destination)
        }
        event.bizTransactionList.forEachInPlace { transaction in
            found.typed(transaction.type, CBVVocabulary.bizTransactionType)
            found.note(transaction.bizTransaction)
        }
        found.note(event.eventID); found.note(event.action?.rawValue); found.note(event.parentID)
        found.note(event.readPoint?.id); found.note(event.bizLocation?.id); found.note(event.certificationInfo?.stringValue)
        found.note(event.epcList); found.note(event.childEPCs); found.note(event.inputEPCList); found.note(event.outputEPCList)
        found.note(event.quantityList); found.note(event.childQuantityList); found.note(event.inputQuantityList); found.note(event.outputQuantityList)
        event.inputs.forEachInPlace { input in
            found.note(input.record)
            found.note(input.lot)
        }
        for subtree in subtrees { Self.collect(subtree.value, parent: subtree.key, prefixes: Self.defaultPrefixes) { found.insert($0) } }
        self.init(found.iris)  // order does not matter: a word must end exactly one of them
    }

    private init(_ iris: IRIList) {
        expanded = iris
        (longest, colonsOnlyInScheme) = iris.shape
    }

    /// Vocabulary IRIs (what ``replacing(_:)`` gives), which ``match(_:)`` compares every value of
    /// every event with through their UTF-8 bytes, read in place. One list, one allocation: a list
    /// of their bytes end to end beside it took two more for every event.
    private struct IRIList {
        private(set) var strings: [String] = []
        /// The longest IRI in bytes, and whether no IRI holds a colon past its `https:`.
        private(set) var shape = (longest: 0, colonsOnlyInScheme: true)

        mutating func append(_ iri: String) {
            if strings.isEmpty { strings.reserveCapacity(4) }  // an event's are a handful: one allocation, not a growth per IRI
            strings.append(iri)
            iri.withUTF8Bytes { bytes in
                shape.longest = max(shape.longest, bytes.count)
                if bytes.count > 6, bytes[6...].contains(UInt8(ascii: ":")) { shape.colonsOnlyInScheme = false }
            }
        }
    }

    /// The vocabulary IRIs an event's fields hold or expand to, each once (by code point); a
    /// handful: a list beats a set.
    private struct FoundIRIs {
        var iris = IRIList()

        /// Notes `iri` if it is a vocabulary IRI.
        mutating func insert(_ iri: String) {
            if BareWords.isVocabularyIRI(iri), !iris.strings.contains(where: { ExactText($0) == ExactText(iri) }) { iris.append(iri) }
        }

        /// Notes a value of the event (an IRI, or anything else, which is not noted).
        mutating func note(_ value: String?) {
            if let value { insert(value) }
        }

        mutating func note(_ values: [String]?) {
            values.forEachInPlace { insert($0) }
        }

        mutating func note(_ quantities: [QuantityElement]?) {
            // Field by field through the list's storage: a copy of each element would copy its strings.
            quantities?.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    insert(elements[index].epcClass)
                    note(elements[index].uom)
                }
            }
        }

        /// Notes a value typed with a vocabulary: its expansion and itself.
        mutating func typed(_ word: String?, _ vocabulary: CBVVocabulary.Vocabulary) {
            guard let word else { return }
            if let iri = BareWords.expand(word, vocabulary, BareWords.defaultPrefixes) { insert(iri) }
            note(word)
        }
    }

    /// The prefixes of ``EPCISEvent/defaultContext``: the EPCIS context's and `agt`.
    fileprivate static let defaultPrefixes = CBVVocabulary.prefixes.merging(["agt": EPCISEvent.agtNamespace]) { _, agt in agt }

    /// Whether `value` starts with a CBV or GS1 vocabulary IRI, compared by code point as the
    /// reference compares.
    fileprivate static func isVocabularyIRI(_ value: String) -> Bool {
        return value.withUTF8Bytes { bytes in
            // Most values are a digest, a word, a number or a Digital Link (`https://id.…`): one byte each tells.
            guard bytes.count > 8, bytes[0] == UInt8(ascii: "h"), bytes[8] == UInt8(ascii: "r") || bytes[8] == UInt8(ascii: "g") else { return false }
            return ByteSearch.hasPrefix(bytes, "https://ref.gs1.org/cbv") || ByteSearch.hasPrefix(bytes, "https://gs1.org/voc")
        }
    }

    /// The one vocabulary IRI that `value` is the last word of (after a `-` or `/`), or `value`
    /// itself when none or several are. Compares bytes, allocating nothing.
    func replacing(_ value: String) -> String {
        return value.withUTF8Bytes(expansion) ?? value
    }

    /// The one vocabulary IRI that a value with these UTF-8 bytes is the last word of, if any.
    func expansion(of word: UnsafeBufferPointer<UInt8>) -> String? {
        match(word).map { expanded.strings[$0] }
    }

    /// Whether ``replacing(_:)`` gives a value with these UTF-8 bytes back unchanged.
    func keeps(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        match(word) == nil
    }

    /// The index of the one vocabulary IRI that `word` is the last word of, if exactly one.
    private func match(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let wordBase = word.baseAddress, word.count > 0, word.count < longest else { return nil }  // most values are longer than any IRI
        if colonsOnlyInScheme, memchr(wordBase, Int32(UInt8(ascii: ":")), word.count) != nil { return nil }  // a link, a digest, a time
        // Through the list's storage: its iterator would hand out each string with a reference count.
        return expanded.strings.withUnsafeBufferPointer { iris in
            var match: Int?
            for index in iris.indices {
                let isMatch = iris[index].withUTF8Bytes { iri in
                    // The IRI ends with `-` or `/` and then the word.
                    guard iri.count > word.count, let iriBase = iri.baseAddress,
                          memcmp(iriBase + iri.count - word.count, wordBase, word.count) == 0 else { return false }
                    let before = iri[iri.count - word.count - 1]
                    return before == UInt8(ascii: "-") || before == UInt8(ascii: "/")
                }
                guard isMatch else { continue }
                guard match == nil else { return nil }
                match = index
            }
            return match
        }
    }

    /// Hands `found` every vocabulary IRI `json` holds and every expansion of a vocabulary-typed
    /// member's words (the same one maybe more than once): the caller keeps the vocabulary IRIs, once each.
    private static func collect(_ json: OrderedJSON, parent: String?, prefixes: [ExactText: String], _ found: (String) -> Void) {
        switch json {
        case .string(let value) where isVocabularyIRI(value):
            found(value)
        case .array(let items):
            for item in items { collect(item, parent: parent, prefixes: prefixes, found) }
        case .object(let members):
            for member in members {
                if let vocabulary = vocabulary(parent: parent, key: member.key) {
                    // The member's words: its string, or its array's strings (read where they are, not listed).
                    switch member.value {
                    case .string(let word):
                        if let iri = expand(word, vocabulary, prefixes) { found(iri) }
                    case .array(let items):
                        for case .string(let word) in items { if let iri = expand(word, vocabulary, prefixes) { found(iri) } }
                    default:
                        break
                    }
                }
                collect(member.value, parent: member.key, prefixes: prefixes, found)
            }
        default:
            break
        }
    }

    /// The vocabulary a member's value is typed with in the EPCIS 2.0 context. Names compared as
    /// bytes: this is asked of every member of every event's open JSON, and most are none of these.
    private static func vocabulary(parent: String?, key: String) -> CBVVocabulary.Vocabulary? {
        guard key.utf8.count <= 11 else { return nil }  // longer than any name below: most extensions are
        func parentIs(_ name: StaticString) -> Bool { parent?.withUTF8Bytes { ByteSearch.equals($0, name) } ?? false }
        return key.withUTF8Bytes { key -> CBVVocabulary.Vocabulary? in
            func keyIs(_ name: StaticString) -> Bool { ByteSearch.equals(key, name) }
            if keyIs("bizStep") { return CBVVocabulary.bizStep }
            if keyIs("disposition") { return CBVVocabulary.disposition }
            if keyIs("set") || keyIs("unset") { return parentIs("persistentDisposition") ? CBVVocabulary.disposition : nil }
            if keyIs("type") {
                if parentIs("bizTransactionList") { return CBVVocabulary.bizTransactionType }
                if parentIs("sourceList") || parentIs("destinationList") { return CBVVocabulary.sourceDestinationType }
                return parentIs("sensorReport") ? CBVVocabulary.measurementType : nil
            }
            if keyIs("reason") { return parentIs("errorDeclaration") ? CBVVocabulary.errorReason : nil }
            if keyIs("component") { return parentIs("sensorReport") ? CBVVocabulary.component : nil }
            if keyIs("exception") { return parentIs("sensorReport") ? CBVVocabulary.sensorAlertType : nil }
            return nil
        }
    }

    /// JSON-LD's expansion of a `@vocab`-typed value: a term of the vocabulary, a compact IRI, or
    /// an absolute IRI. Nil also for a compact IRI whose namespace does not start as a vocabulary
    /// IRI does (`agt:moisture`, `urn:agritrace:ns:1#…`): every caller keeps only vocabulary IRIs
    /// (``isVocabularyIRI(_:)``), so the expansion is not made only to be dropped.
    fileprivate static func expand(_ word: String, _ vocabulary: CBVVocabulary.Vocabulary, _ prefixes: [ExactText: String]) -> String? {
        if let iri = vocabulary.expand(word) { return iri }
        // The first colon by code point, as JSON-LD splits a compact IRI (a Character search would
        // miss a colon a combining mark follows, and step over the mark after it).
        guard let colon = word.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        guard let namespace = prefixes[ExactText(String(word[..<colon]))] else { return word }
        // No vocabulary IRI starts otherwise (an empty namespace leaves the text after the colon to tell).
        guard namespace.isEmpty || namespace.utf8.first == UInt8(ascii: "h") else { return nil }
        return namespace + word[word.utf8.index(after: colon)...]
    }
}
