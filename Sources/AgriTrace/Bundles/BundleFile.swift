import Foundation
import TraceCrypto

/// A bundle as read from disk: its header fields decoded, its records still raw JSON slices so
/// they can be decoded and checked in parallel. Reading validates the whole document's syntax
/// first, with a depth limit and byte offsets in every error.
public struct BundleFile: Sendable {
    /// The largest bundle read by default (1 GiB).
    public static let defaultSizeLimit = 1 << 30

    public var version: Int
    public var subject: String
    /// Each record envelope's JSON text, in bundle order.
    public var records: [Data]
    /// Each certificate entry (base64 DER) as found; nil where it was not a string.
    public var certificates: [String?]
    public var crls: [String?]
    /// The file mapping the records are slices of, when the bundle was mapped from a file.
    private var mapping: Data?

    /// Reads a bundle file. With `mapped` (the default) the file is memory-mapped, not copied,
    /// and pages already read can be handed back (``releasePages(upTo:)``); a caller that will
    /// store what it verified reads with `mapped: false`, so the bytes cannot change in between.
    public init(contentsOf url: URL, sizeLimit: Int = BundleFile.defaultSizeLimit, mapped: Bool = true) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw TraceError(.bundleMalformed, "cannot read \(url.path): no such file or no permission")
        }
        if let size = attributes[.size] as? Int, size > sizeLimit {
            throw TraceError(.bundleTooLarge, "\(url.path) is \(size) bytes, over the \(sizeLimit)-byte limit")
        }
        guard (attributes[.type] as? FileAttributeType) != .typeDirectory else {
            throw TraceError(.bundleMalformed, "\(url.path) is a directory, not a bundle file")
        }
        // A file system that cannot map files is read instead; only a real mapping hands pages back.
        let data: Data, mapping: Data?
        do {
            mapping = mapped ? try FileMapping.map(url) : nil
            data = try mapping ?? RegularFile.read(url, limit: sizeLimit)
        } catch {
            throw TraceError(.bundleMalformed, "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data, sizeLimit: sizeLimit)
        self.mapping = mapping
        releasePages(upTo: data.count)  // the syntax scan has read every page; decoding reads them again
    }

    /// Hands the mapped pages before byte `offset` back to the system; they are read again from
    /// the file if touched. Keeps a large bundle's resident memory to the part being decoded.
    /// Does nothing for a bundle read from bytes.
    public func releasePages(upTo offset: Int) {
        mapping?.withUnsafeBytes { FileMapping.release($0, upTo: offset) }
    }

    /// A bundle assembled from records already at hand (each an envelope's JSON text, as a
    /// bundle carries it) and DER certificates and CRLs, for verifying them without writing and
    /// reading a bundle document first.
    public init(subject: String, records: [Data], certificates: [Data], crls: [Data]) {
        version = ProvenanceBundle.currentVersion
        self.subject = subject
        self.records = records
        self.certificates = certificates.map { $0.base64EncodedString() }
        self.crls = crls.map { $0.base64EncodedString() }
    }

    /// Reads a bundle from bytes.
    public init(data: Data, sizeLimit: Int = BundleFile.defaultSizeLimit) throws {
        guard data.count <= sizeLimit else {
            throw TraceError(.bundleTooLarge, "the bundle is \(data.count) bytes, over the \(sizeLimit)-byte limit")
        }
        self = try data.withUnsafeBytes { raw in try BundleFile.parse(raw, data: data) }
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, data: Data) throws -> BundleFile {
        let scanner = JSONScanner(bytes: raw)
        func fail(_ failure: JSONScanner.Failure) -> TraceError {
            TraceError(.bundleMalformed, "the bundle is not valid JSON at byte \(failure.offset): \(failure.reason)")
        }
        let members: [JSONScanner.Member]
        do { members = try scanner.topLevelMembers() } catch { throw fail(error) }
        let byKey = Dictionary(members.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

        guard let versionRange = byKey["agritraceBundle"]?.value else {
            throw TraceError(.bundleMalformed, "not an AgriTrace bundle: no \"agritraceBundle\" member")
        }
        guard let version = scanner.integer(versionRange) else {
            throw TraceError(.bundleMalformed, "\"agritraceBundle\" must be an integer version")
        }
        guard version == ProvenanceBundle.currentVersion else {
            throw TraceError(.bundleVersion, "bundle version \(version) is not supported; this verifier reads version \(ProvenanceBundle.currentVersion)")
        }
        guard let subjectRange = byKey["subject"]?.value, let subject = scanner.string(subjectRange) else {
            throw TraceError(.bundleMalformed, "the bundle has no \"subject\" string")
        }
        func array(_ key: String) throws -> [Range<Int>] {
            guard let member = byKey[key] else { throw TraceError(.bundleMalformed, "the bundle has no \"\(key)\" array") }
            guard let elements = member.elements else {
                throw TraceError(.bundleMalformed, "\"\(key)\" must be an array (byte \(member.value.lowerBound): expected an array)")
            }
            return elements
        }
        let base = data.startIndex
        let records = try array("records").map { data[(base + $0.lowerBound)..<(base + $0.upperBound)] }
        let certificates = try array("certificates").map { scanner.string($0) }
        let crls = try (byKey["crls"] == nil ? [] : array("crls")).map { scanner.string($0) }
        return BundleFile(version: version, subject: subject, records: records, certificates: certificates, crls: crls)
    }

    private init(version: Int, subject: String, records: [Data], certificates: [String?], crls: [String?]) {
        self.version = version
        self.subject = subject
        self.records = records
        self.certificates = certificates
        self.crls = crls
    }
}
