import Foundation
import TraceCrypto

/// The file a buyer receives with the goods (`*.provenance.json`): the signed records of the
/// subject's whole upstream history, predecessors first, with the certificates and CRLs needed
/// to check them offline. See DESIGN, "Provenance bundle".
public struct ProvenanceBundle: Sendable {
    /// The format version this code writes and reads.
    public static let currentVersion = 1

    /// The lot (or logistic unit) the bundle is about, as a Digital Link.
    public var subject: String
    public var records: [Envelope]
    /// Signer and intermediate certificates (DER); never trust anchors.
    public var certificates: [Data]
    /// CRLs (DER).
    public var crls: [Data]

    public init(subject: String, records: [Envelope], certificates: [Data] = [], crls: [Data] = []) {
        self.subject = subject
        self.records = records
        self.certificates = certificates
        self.crls = crls
    }

    /// Writes the bundle to `url` record by record, so memory stays flat for large bundles: into
    /// a file beside it, renamed to `url` once complete, so that a failure or a kill midway never
    /// leaves half a bundle (or half of the one it replaces) under that name.
    public func write(to url: URL) throws {
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw TraceError("bundle.unwritable", "cannot create a file in \(url.deletingLastPathComponent().path) to write \(url.lastPathComponent)")
        }
        do {
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try write { try handle.write(contentsOf: $0) }
            try handle.synchronize()
            guard rename(partial.path, url.path) == 0 else {
                throw TraceError("bundle.unwritable", "cannot write \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The bundle as JSON bytes.
    public func jsonData() throws -> Data {
        var out = Data()
        try write { out.append($0) }
        return out
    }

    private func write(_ emit: (Data) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func strings(_ blobs: [Data]) -> String {
            blobs.map { "    \"\($0.base64EncodedString())\"" }.joined(separator: ",\n")
        }
        let subjectJSON = String(decoding: try encoder.encode(subject), as: UTF8.self)
        try emit(Data("{\n  \"agritraceBundle\": \(Self.currentVersion),\n  \"subject\": \(subjectJSON),\n  \"records\": [\n".utf8))
        for (index, record) in records.enumerated() {
            var line = Data("    ".utf8)
            line.append(record.jsonBytes())
            line.append(Data((index + 1 < records.count ? ",\n" : "\n").utf8))
            try emit(line)
        }
        try emit(Data("  ],\n  \"certificates\": [\n\(strings(certificates))\n  ],\n  \"crls\": [\n\(strings(crls))\n  ]\n}\n".utf8))
    }
}

extension ProvenanceBundle {
    /// Builds the bundle for `subject` from a pool of records: the records that concern the
    /// subject or a logistic unit holding it, and their whole upstream history, in an order where
    /// every record follows the records it links to.
    public static func build(
        subject: String, from pool: [Envelope], certificates: [Certificate], crls: [CertificateRevocationList] = []
    ) throws -> ProvenanceBundle {
        let decoded = try pool.map { envelope in (envelope: envelope, event: try EPCISEvent.decode(payload: envelope.payload)) }
        return try build(subject: subject, from: decoded, certificates: certificates, crls: crls)
    }

    /// ``build(subject:from:certificates:crls:)`` from records whose events are decoded already
    /// (each `event` the one its envelope's payload holds), as a registry keeps them.
    public static func build(
        subject: String, from pool: [(envelope: Envelope, event: EPCISEvent)], certificates: [Certificate],
        crls: [CertificateRevocationList] = []
    ) throws -> ProvenanceBundle {
        // Each record once (the first of any with the same digest: the same payload), by position.
        var envelopes: [Envelope] = [], events: [EPCISEvent] = [], positions: [String: Int] = [:]
        for (envelope, event) in pool {
            let digest = envelope.digest
            guard positions[digest] == nil else { continue }
            positions[digest] = envelopes.count
            envelopes.append(envelope)
            events.append(event)
        }
        let linked = LinkedRecords(events, positions: positions)
        let included = SubjectHistory.history(of: subject, in: linked) { event, id in event.concerns(id) }.included
        guard included.contains(true) else { throw TraceError(.bundleMalformed, "no record concerns \(subject)") }
        var history: [String: EPCISEvent] = [:]
        for (digest, position) in positions where included[position] { history[digest] = events[position] }
        let ordered = try LinkGraph(events: history).topologicalOrder()
        return ProvenanceBundle(
            subject: subject,
            records: ordered.compactMap { positions[$0].map { envelopes[$0] } },
            certificates: certificates.map(\.derRepresentation),
            crls: crls.map(\.derRepresentation)
        )
    }
}
