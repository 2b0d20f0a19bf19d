import Foundation
import TraceCrypto

/// Verifies a provenance bundle offline for a buyer: reads it, decodes every record on all
/// cores while running each ``RecordCheck`` on it, then runs each ``VerificationCheck`` over the
/// whole. Never throws for bad bundles: every problem is a finding.
public struct BundleVerifier: Sendable {
    public var options: VerificationOptions
    /// The rules about one record on its own, run while the record is decoded.
    public var recordChecks: [any RecordCheck]
    /// The rules about the bundle as a whole, in order. Add a rule by adding a check.
    public var checks: [any VerificationCheck]
    /// Tests set it in place of ``deferredBacklog(records:)``, to make deferred work run while the bundle is read.
    var deferredBacklog: Int?

    /// Every record's signatures and, where its eventID is a CBV 2.0 hash, that hash.
    public static let defaultRecordChecks: [any RecordCheck] = [SignatureCheck(), EventHashCheck()]

    /// Everything a buyer's verification checks of the bundle as a whole.
    public static let defaultChecks: [any VerificationCheck] = [
        EventFormCheck(), SignerChainCheck(), RevocationStatusCheck(), RoleCheck(), PartyCheck(), LinkCheck(), HistoryCheck(),
        MeasurementTimeCheck(), RequiredStepsCheck(), MassBalanceCheck(), OrganicCheck(), DispositionCheck(), LabelCheck(),
    ]

    /// The checks for a bundle still in the making (a partner's hand-over): integrity, trust,
    /// links and quantities, but not the product policy's required steps or organic claims,
    /// which only the finished journey can meet.
    public static let handOverChecks: [any VerificationCheck] = [
        EventFormCheck(), SignerChainCheck(), RevocationStatusCheck(), RoleCheck(), PartyCheck(), LinkCheck(), HistoryCheck(),
        MeasurementTimeCheck(), MassBalanceCheck(),
    ]

    /// A verifier for `options`; the default checks are a buyer's full verification.
    public init(options: VerificationOptions, checks: [any VerificationCheck] = BundleVerifier.defaultChecks,
                recordChecks: [any RecordCheck] = BundleVerifier.defaultRecordChecks) {
        self.options = options
        self.checks = checks
        self.recordChecks = recordChecks
    }

    /// Verifies the bundle file at `url`.
    public func verify(contentsOf url: URL) -> VerificationReport {
        do { return verify(try BundleFile(contentsOf: url)) } catch {
            return VerificationReport(unusable: error)
        }
    }

    /// Verifies bundle bytes.
    public func verify(data: Data) -> VerificationReport {
        do { return verify(try BundleFile(data: data)) } catch {
            return VerificationReport(unusable: error)
        }
    }

    /// Verifies a bundle that has been read.
    public func verify(_ file: BundleFile) -> VerificationReport {
        let (report, context) = report(on: file)
        // Freeing tens of thousands of decoded records is the last step, and one thread's work:
        // another core does it while the caller goes on with the report. The context is its only
        // owner by now (the report keeps none of it but shared strings).
        // (Freeing certificates takes OpenSSL's locks: a process exiting meanwhile waits for it.)
        if let context { OpenSSLLifetime.inBackground(on: .global(qos: .utility), group: Self.freeing) { withExtendedLifetime(context) {} } }
        return report
    }

    private static let freeing = DispatchGroup()

    /// Waits until the decoded records of every verification so far have been freed (each
    /// ``verify(_:)`` frees them on another core after it returns): for a program that measures
    /// its memory or its instructions after verifying, and wants all the work in the figure.
    public static func waitUntilFreed() {
        freeing.wait()
    }

    /// The report on `file`, and the context it was worked out from (nil when the trust anchors are unusable).
    private func report(on file: BundleFile) -> (VerificationReport, VerificationContext?) {
        var findings: [Finding] = []
        let (parsedCertificates, certificateFindings) = Self.decodeEntries(file.certificates, "certificates", .certificateMalformed) {
            try Certificate(der: $0)
        }
        let certificates = Dictionary(parsedCertificates.map { ($0.fingerprint.hexString, $0) }, uniquingKeysWith: { first, _ in first })
        let (crls, crlFindings) = Self.decodeEntries(file.crls, "crls", .crlMalformed) { try CertificateRevocationList(der: $0) }
        findings += certificateFindings + crlFindings
        // Records a thousand at a time, so a mapped file's pages can go once decoded; each worker
        // takes a run of them (``runLength``).
        // Room for about two strings a record: its digest, and the lots, places and parties it is
        // the first to name (1.3 a record in the bench bundle); and no more than one per 256
        // bytes of records, so that many tiny records cannot reserve more memory than they take.
        let recordBytes = file.records.reduce(0) { $0 + $1.count }
        let intern = StringInterner(expectedStrings: min(2 * file.records.count, recordBytes / 256))
        let recordChecks = self.recordChecks, keys = certificates
        var records: [VerifiedRecordInput] = []
        var deferred: [@Sendable () -> [Finding]] = [], deferredFindings: [[Finding]] = []
        let backlog = deferredBacklog ?? Self.deferredBacklog(records: file.records.count)
        records.reserveCapacity(file.records.count)
        for slice in stride(from: 0, to: file.records.count, by: 1024) {
            let indices = slice..<min(slice + 1024, file.records.count)
            let decoded = Self.runs(of: indices, in: file).concurrentMap { run in
                Self.decodeRecords(run, of: file, certificates: keys, checks: recordChecks, intern: intern)
            }
            deferredFindings += decoded.map(\.deferredNow)
            deferred += decoded.flatMap(\.deferred)
            for (index, result) in zip(indices, decoded.lazy.map(\.records).joined()) {
                switch result {
                case .success(let (record, recordFindings)):
                    records.append(record)
                    findings += recordFindings
                case .failure(let error):
                    findings.append(Finding(error.code, record: "records[\(index)]", error.message))
                }
            }
            if let last = indices.last { file.releasePages(upTo: file.records[last].endIndex) }
            // What the record checks left for later waits, up to what the cores the context and the
            // checks leave idle can take (``deferredBacklog(records:)``); the rest runs now, on all cores.
            if deferred.count > backlog {
                let now = deferred.count - backlog
                deferredFindings += deferred[..<now].concurrentMap { $0() }
                deferred.removeFirst(now)
            }
        }
        let chainVerifier: ChainVerifier
        do { chainVerifier = try ChainVerifier(trustAnchors: options.trustAnchors) } catch {
            return (VerificationReport(unusable: error), nil)
        }
        // The rest of what the record checks left (the signatures' elliptic-curve math) runs on the
        // cores that building the context, mostly one thread's work, leaves idle, and beside the
        // checks and the journey's summaries.
        let later = SideWork(deferred)
        deferred = []  // the side work's copy is the only one: each job's data goes once it has run
        let ((context, bundleFindings, journey), laterFindings) = later.run { [records] () -> (VerificationContext, [Finding], VerificationReport) in
            let context = VerificationContext(
                subject: file.subject, records: records, certificates: certificates, crls: crls,
                options: options, chainVerifier: chainVerifier
            )
            // The checks only read the context: run them side by side; findings keep the checks' order.
            let bundleFindings = checks.concurrentMap { $0.findings(in: context) }.flatMap { $0 }
            return (context, bundleFindings, VerificationReport(context: context))
        }
        var report = consume journey  // the one copy: marking its records must not copy them all
        // A record's deferred findings come first among its own (the report lists findings by record).
        report.judge(by: (deferredFindings + laterFindings).flatMap { $0 } + findings + bundleFindings, in: context)
        return (report, context)
    }

    /// How many records one worker decodes and checks at a time. Each record check runs over the
    /// whole run in turn, not record by record, so its code and tables stay in the core's cache.
    static let runLength = 16

    /// How many runs of a bundle of `records` records wait with their deferred checks for the
    /// context, the bundle checks and the journey, at most: half the records for each core beyond
    /// the first. Those take one core about what half the records' signatures take the others,
    /// when a signer of many records verifies with a table (``PendingSignature``); what a record
    /// keeps for its signatures is a few percent of what the record itself takes. Measured on two
    /// cores, 8 alternating rounds on the bench's 20,000 records: a quarter, 1.52 s; a third,
    /// 1.42 s; half, 1.37 s.
    static func deferredBacklog(records: Int) -> Int {
        records * (ProcessInfo.processInfo.activeProcessorCount - 1) / 2 / runLength
    }

    /// How many bytes of records one worker decodes at a time, at most (a record larger than
    /// this is a run of its own): a decoded record takes several times its size, and a hostile
    /// bundle's records may each be megabytes of tiny JSON values.
    static let runBytes = 256 << 10

    /// `indices` cut into runs of at most ``runLength`` records and ``runBytes`` bytes.
    static func runs(of indices: Range<Int>, in file: BundleFile) -> [Range<Int>] {
        var runs: [Range<Int>] = [], start = indices.lowerBound, bytes = 0
        for index in indices {
            let size = file.records[index].count
            if index > start, index - start == runLength || bytes + size > runBytes {
                runs.append(start..<index)
                (start, bytes) = (index, 0)
            }
            bytes += size
        }
        if start < indices.upperBound { runs.append(start..<indices.upperBound) }
        return runs
    }

    /// A run of records decoded, each with the findings of its record checks, and what the
    /// deferrable checks left for later: one job per check for the whole run, so that consecutive
    /// signature checks find the elliptic curve's tables still in the core's cache.
    private struct DecodedRun {
        let records: [Result<(VerifiedRecordInput, [Finding]), TraceError>]
        /// The deferrable checks' findings that cost too little to wait (``DeferrableRecordCheck/isCostly(_:)``).
        let deferredNow: [Finding]
        let deferred: [@Sendable () -> [Finding]]
    }

    /// Decodes the records at `indices` and runs the record checks on them, while their payloads
    /// are at hand; one result per record, in order.
    private static func decodeRecords(_ indices: Range<Int>, of file: BundleFile, certificates: [String: Certificate],
                                      checks: [any RecordCheck], intern: StringInterner) -> DecodedRun {
        let subjects = indices.map { readRecord(file.records[$0], certificates: certificates, intern: intern) }
        var findings = [[Finding]](repeating: [], count: subjects.count)
        var deferredNow: [Finding] = [], deferred: [@Sendable () -> [Finding]] = []
        for check in checks {
            if let check = check as? any DeferrableRecordCheck {
                let (now, later) = check.deferred(for: subjects.compactMap { try? $0.get() })
                deferredNow += now
                if let later { deferred.append(later) }
                continue
            }
            for (position, subject) in subjects.enumerated() {
                if case .success(let subject) = subject { findings[position] += check.findings(for: subject) }
            }
        }
        // The one-keyid lists of this run's signers, found by comparing keyids: the interner hashes
        // a keyid's 64 digits under a lock, and a list of the keyid was made to ask it.
        var signerLists = FirstKeys<[String]>()
        func keyidList(_ signatures: [Envelope.Signature]) -> [String] {
            guard signatures.count == 1 else { return intern.list(signatures.map(\.keyid)) }
            return signerLists.value(for: signatures[0].keyid) { intern.list([$0]) }
        }
        return DecodedRun(records: zip(indices, zip(subjects, findings)).map { index, checked in
            let (subject, recordFindings) = checked
            return subject.map { subject in
                // Kept: the event and the signers' keyids, with the strings thousands of records repeat
                // (lots, places, parties, signers, digests) as one shared copy each; not the payload.
                let keyids = keyidList(subject.envelope.signatures)
                let event = subject.stringsShared ? subject.event.keepingClaimsOnly() : subject.event.sharingStrings(intern)
                return (VerifiedRecordInput(index: index, digest: subject.digest, keyids: keyids, event: event), recordFindings)
            }
        }, deferredNow: deferredNow, deferred: deferred)
    }

    /// Reads one record: its envelope and its event, whose identifiers come shared by `intern`
    /// where the payload is in canonical form.
    private static func readRecord(_ json: Data, certificates: [String: Certificate], intern: StringInterner) -> Result<RecordUnderCheck, TraceError> {
        let envelope: Envelope
        do { envelope = try Envelope.parse(json) } catch {
            return .failure(error as? TraceError ?? TraceError(.recordMalformed, "\(error)"))
        }
        guard envelope.payloadType == Envelope.eventPayloadType else {
            return .failure(TraceError(.recordMalformed, "payloadType \"\(envelope.payloadType.prefix(60))\" is not \(Envelope.eventPayloadType)"))
        }
        let digest = intern(envelope.digest)  // the one copy the record and its findings keep
        let event: EPCISEvent, isCanonical: Bool, stringsShared: Bool
        do {
            (event, isCanonical, stringsShared) = try EPCISEvent.read(payload: envelope.payload, sharingWith: intern)
        } catch let error as TraceError {
            return .failure(TraceError(error.code, "record \(digest): \(error.message)"))
        } catch {
            return .failure(TraceError(.eventInvalid, "record \(digest): \(error)"))
        }
        return .success(RecordUnderCheck(envelope: envelope, event: event, digest: digest, certificates: certificates,
                                         isCanonical: isCanonical, stringsShared: stringsShared))
    }

    /// The distinct entries of a bundle's `certificates` or `crls` (base64 DER), decoded on all
    /// cores: each entry once, however often the bundle repeats it; each that fails a finding
    /// with `code` naming its first position.
    private static func decodeEntries<T: Sendable>(_ entries: [String?], _ field: String, _ code: TraceError.Code,
                                                   _ decode: @escaping @Sendable (Data) throws -> T) -> (values: [T], findings: [Finding]) {
        var seen = Set<String?>()
        let distinct = entries.enumerated().filter { seen.insert($0.element).inserted }.map { (index: $0.offset, entry: $0.element) }
        let decoded = distinct.concurrentMap { item in
            Result { () throws -> T in
                guard let entry = item.entry, let der = Data(base64Encoded: entry) else { throw TraceError(code, "is not a base64 string") }
                return try decode(der)
            }
        }
        var values: [T] = [], findings: [Finding] = []
        for (item, result) in zip(distinct, decoded) {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error): findings.append(Finding(code, record: nil, "\(field)[\(item.index)] \(reason(error))"))
            }
        }
        return (values, findings)
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? CryptoError { return "is not a certificate: \(error.message)" }
        if let error = error as? TraceError { return error.message }
        return "\(error)"
    }
}
