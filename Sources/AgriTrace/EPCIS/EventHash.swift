import Foundation
import TraceCrypto

/// The CBV 2.0 event hash (`ni:///sha-256;<hex>?ver=CBV2.0`), computed as the reference
/// implementation (RalphTro/epcis-event-hash-generator) computes it, so that every EPCIS system
/// names an event the same way. The pre-hash string concatenates the event's fields in a fixed
/// order with canonical values (UTC times to the millisecond, numbers without trailing zeros,
/// CBV words and EPC URNs as web URIs), then user extensions, sorted.
public enum EventHash {
    /// The hash of a pre-hash string.
    public static func hash(preHash: String) -> String {
        return preHash.withUTF8Bytes { hash(preHashBytes: UnsafeRawBufferPointer($0)) }
    }

    /// The event hash that is `digest`: `ni:///sha-256;<hex>?ver=CBV2.0`.
    static func name(of digest: SHA256Digest) -> String {
        digest.hexString(after: "ni:///sha-256;", before: "?ver=CBV2.0")
    }

    /// Where the 64 hexadecimal digits stand in an event hash's text (after `ni:///sha-256;`).
    static let digits = 14..<78

    /// The hash of a pre-hash string's UTF-8 bytes.
    static func hash(preHashBytes bytes: some ContiguousBytes) -> String {
        name(of: SHA256Digest(of: bytes))
    }

    /// The pre-hash of every event of an EPCIS 2.0 JSON(-LD) document, in document order; an
    /// event the algorithm cannot hash, or of more than `maximumEventValues` JSON values, is a
    /// failure in its place.
    public static func preHashes(ofDocument data: Data,
                                 maximumEventValues: Int = EPCISDocument.maximumEventValues) throws -> [Result<String, TraceError>] {
        let document = try OrderedJSON.parse(data, maxValues: EPCISDocument.maximumValues)
        guard let body = document["epcisBody"] else { throw TraceError("epcis.malformed", "$.epcisBody is missing") }
        let events: [OrderedJSON]
        if case .array(let list)? = body["eventList"] {
            events = list
        } else if case .array(let list)? = body["queryResults"]?["resultsBody"]?["eventList"] {
            events = list
        } else if let event = body["event"] {
            events = [event]
        } else {
            throw TraceError("epcis.malformed", "$.epcisBody has no eventList, event or queryResults.resultsBody.eventList")
        }
        return preHashes(of: events, context: document["@context"], document: document, maximumEventValues: maximumEventValues)
    }

    /// The pre-hash of one event whose own `@context` (as AgriTrace records carry) serves as
    /// the document context.
    public static func preHash(ofEventJSON data: Data) throws -> String {
        try preHash(ofEvent: try OrderedJSON.parse(data))
    }

    /// ``preHash(ofEventJSON:)`` of an event already parsed.
    static func preHash(ofEvent json: OrderedJSON) throws -> String {
        guard case .object(let members) = json else { throw TraceError("epcis.malformed", "an event must be a JSON object") }
        let event = OrderedJSON.object(members.filter { $0.key != "@context" })
        return try preHashes(of: [event], context: json["@context"], document: json)[0].get()
    }

    /// The eventID an AgriTrace event must carry: the hash of its payload JSON.
    public static func eventID(for event: EPCISEvent) throws -> String {
        hash(preHashBytes: try preHashBytes(of: event))
    }

    /// The pre-hash of `event`'s own payload (``EPCISEvent/payloadBytes()``): written straight
    /// from its fields where ``DirectPreHash`` covers its shape, from the payload otherwise.
    static func preHash(of event: EPCISEvent) throws -> String {
        String(decoding: try preHashBytes(of: event), as: UTF8.self)
    }

    /// ``preHash(of:)`` as the UTF-8 bytes that are hashed.
    private static func preHashBytes(of event: EPCISEvent) throws -> [UInt8] {
        if let direct = try DirectPreHash.preHashBytes(of: event) { return direct }
        return Array(try preHash(ofEventJSON: try event.payloadBytes()).utf8)
    }

    static func preHashes(of events: [OrderedJSON], context: OrderedJSON?, document: OrderedJSON,
                          maximumEventValues: Int = EPCISDocument.maximumEventValues) -> [Result<String, TraceError>] {
        let vocabulary = BareWords(document: document, context: context)
        var namespaces = PreHashNamespaces(Self.namespaces(context))
        let ignored = Self.ignoredFields(document)
        return events.map { event in
            Result { () throws(TraceError) -> String in
                do {
                    let values = event.valueCount
                    guard values <= maximumEventValues else {
                        throw TraceError("epcis.tooLarge", "the event holds \(values) JSON values, over the \(maximumEventValues) the event hash takes")
                    }
                    var event = event
                    if case .object(let members) = event, !ignored.isEmpty { event = .object(members.filter { !ignored.contains(ExactText($0.key)) }) }
                    let node = try PreHashNode(json: event, namespaces: &namespaces, words: vocabulary.replacing).correctingStructure()
                    return try PreHashBuilder.preHash(of: node)
                } catch let error as TraceError {
                    throw error
                } catch {
                    throw TraceError("epcis.hashUnsupported", "\(error)")
                }
            }
        }
    }

    /// Event members a document asks hashers to leave out, in an `…:ignoreFields` array of the
    /// document or its query results (repositories add capture IDs and stored hashes that are not
    /// part of the event). By code point, as the reference compares names.
    static func ignoredFields(_ json: OrderedJSON) -> Set<ExactText> {
        var fields = Set<ExactText>()
        collectIgnoredFields(json, into: &fields)
        return fields
    }

    private static func collectIgnoredFields(_ json: OrderedJSON, into fields: inout Set<ExactText>) {
        guard case .object(let members) = json else { return }
        for member in members {
            if member.key == "ignoreFields" || PreHashValue.endsWith(member.key, ":ignoreFields"), case .array(let names) = member.value {
                fields.formUnion(names.compactMap { $0.stringValue.map { ExactText($0) } })
            } else if member.key != "eventList", member.key != "event" {
                collectIgnoredFields(member.value, into: &fields)
            }
        }
    }

    /// Namespace prefixes a document's `@context` array declares, as `{namespace}`; by code point.
    static func namespaces(_ context: OrderedJSON?) -> [ExactText: String] {
        guard case .array(let entries)? = context else { return [:] }
        var result: [ExactText: String] = [:]
        for entry in entries {
            switch entry {
            case .string(let iri): result[ExactText(iri)] = "{\(iri)}"
            case .object(let members): for member in members { result[ExactText(member.key)] = "{\(member.value.stringValue ?? "")}" }
            default: break
            }
        }
        return result
    }
}
