import AgriTrace
import Foundation
import GRDB
import TraceCrypto

/// What a command may read and write inside its one transaction.
public struct RegistryTransaction {
    let db: Database
    /// What the transaction works out once and reads again.
    private let memo = Memo()

    private final class Memo {
        /// The signers' GLNs by keyid, and how many certificates were stored when they were read.
        var glns: (certificates: Int, byKeyid: [String: String])?
    }

    /// The digests of every record naming `identifier`, oldest first.
    public func digests(concerning identifier: String) throws -> [String] {
        try String.fetchAll(try db.cachedStatement(sql: """
            SELECT r.digest FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? ORDER BY i.seq
            """), arguments: [identifier])
    }

    /// The record that last touched `identifier`: the link a new event on it must carry. One
    /// index seek, however many records name it.
    public func latestRecord(touching identifier: String) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: """
            SELECT r.digest FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? ORDER BY i.seq DESC LIMIT 1
            """), arguments: [identifier])
    }

    /// When the stored record `digest` happened (as a date, and as its event wrote it), read from
    /// its row: nothing is decoded.
    public func eventTime(of digest: String) throws -> (date: Date, text: String)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT event_time, event_time_text FROM record WHERE digest_key = ? AND digest = ?"),
                         arguments: [DigestKey.of(digest), digest]).map { (Date(timeIntervalSince1970: $0["event_time"]), $0["event_time_text"]) }
    }

    /// The record with this digest, if stored.
    public func record(_ digest: String) throws -> StoredRecord? {
        try StoredRecord.fetchAll(db, sql: "SELECT * FROM record WHERE digest_key = ? AND digest = ?", arguments: [DigestKey.of(digest), digest]).first
    }

    /// The records naming `identifier`, oldest first.
    public func records(concerning identifier: String) throws -> [StoredRecord] {
        try StoredRecord.fetchAll(db, sql: """
            SELECT r.* FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? ORDER BY i.seq
            """, arguments: [identifier])
    }

    /// A harvest (commissioning) record of some lot of `gtin`, if the registry holds one: what a
    /// partner's product is called (its `agt:productName`) and what it is (`agt:category`) where
    /// this registry has no product entry for it. One index range over the lots' Digital Links;
    /// the same record each time.
    public func harvest(ofGTIN gtin: GTIN) throws -> StoredRecord? {
        try records(ofGTIN: gtin, step: "commissioning", limit: 1).first
    }

    /// The record that names `gtin`'s product as one it makes (``EPCISEvent/names(ofProduct:)``): a
    /// harvest of it, else a transformation that output it (a partner's cuts of beef, a juice), if
    /// the registry holds one.
    public func namingRecord(ofGTIN gtin: GTIN) throws -> StoredRecord? {
        func names(_ record: StoredRecord) -> Bool { !record.event.names(ofProduct: gtin.value).isEmpty }
        if let harvest = try harvest(ofGTIN: gtin), names(harvest) { return harvest }
        return try transformations(making: gtin).first(where: names)
    }

    /// Transformations that output lots of `gtin`, among the earliest few naming it (the first
    /// made it; later ones may only use it).
    private func transformations(making gtin: GTIN) throws -> [StoredRecord] {
        try records(ofGTIN: gtin, step: "transforming", limit: 8).filter { $0.event.madeGoods.contains { DigitalLink.gtin(of: $0) == gtin } }
    }

    /// Records of step `step` naming a lot or item of `gtin`, oldest first: one index range over
    /// the lots' Digital Links.
    private func records(ofGTIN gtin: GTIN, step: String, limit: Int) throws -> [StoredRecord] {
        let prefix = DigitalLink.gs1Domain + "/01/\(gtin.value)/"  // every lot and item of the GTIN, and nothing else
        let end = String(prefix.dropLast()) + "0"  // "0" follows "/" in byte order
        return try StoredRecord.fetchAll(db, sql: """
            SELECT r.* FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier >= ? AND i.identifier < ? AND r.biz_step = ? ORDER BY r.seq LIMIT ?
            """, arguments: [prefix, end, step, limit])
    }

    /// The product categories (`honey`, `beef` …) of the lots of `gtin`: its product entry's here,
    /// else the one a harvest record of it declares, else, for a product made from others (a
    /// partner's cuts of beef, a juice), those of the products that the transformations making it
    /// took, as buyers apply the policy of the harvests goods come from. Empty when none says;
    /// at most ``categoryProductLimit`` products are looked at.
    public func categories(ofGTIN gtin: GTIN) throws -> Set<String> {
        var categories = Set<String>(), looked = Set<String>(), pending = [gtin]
        while looked.count < Self.categoryProductLimit, let next = pending.popLast() {
            guard looked.insert(next.value).inserted else { continue }
            if let product = try product(next) {
                categories.insert(product.category)
            } else if let harvest = try harvest(ofGTIN: next) {
                if let category = harvest.event.productCategory { categories.insert(category) }
            } else {
                for record in try transformations(making: next) {
                    pending += Set(record.event.usedGoods.compactMap { DigitalLink.gtin(of: $0) }).filter { !looked.contains($0.value) }
                }
            }
        }
        return categories
    }

    /// Products ``categories(ofGTIN:)`` looks at, through transformations of transformations.
    static let categoryProductLimit = 64

    /// The revocation lists (CRLs) the registry holds: its authority's, and those imported bundles carried.
    public func revocationLists() throws -> [CertificateRevocationList] {
        try Data.fetchAll(db, sql: "SELECT der FROM crl").map { try CertificateRevocationList(der: $0) }
    }

    /// The transformations naming `lot`, as input or output, oldest first, each decoded at most
    /// once across calls sharing `decoded` (a blend of 2,000 lots names every one of them).
    func transformations(naming lot: String, decoded: inout [Int64: EPCISEvent]) throws -> [EPCISEvent] {
        let seqs = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT r.seq FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? AND r.event_type = 'TransformationEvent' ORDER BY i.seq
            """), arguments: [lot])
        return try seqs.compactMap { seq in
            if let event = decoded[seq] { return event }
            let event = try StoredRecord.fetchAll(db, sql: "SELECT * FROM record WHERE seq = ?", arguments: [seq]).first?.event
            decoded[seq] = event
            return event
        }
    }

    /// The records that may judge `identifier` fit or not, oldest first: inspections (a
    /// certifier's or a laboratory's) and holdings (a recall). What a shipment's notes read,
    /// without decoding the lot's other records.
    public func verdicts(on identifier: String) throws -> [StoredRecord] {
        try StoredRecord.fetchAll(db, sql: """
            SELECT r.* FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? AND r.biz_step IN \(Self.verdictSteps) ORDER BY i.seq
            """, arguments: [identifier])
    }

    /// The parties (GLNs; a keyid where the certificate names none) that signed a record naming
    /// `identifier`, or a unit it was packed into, other than a recall: who made, moved, held or
    /// examined it. A recall by any other party is one buyers' verifiers note but do not count
    /// (``DispositionCheck``).
    public func handlers(of identifier: String) throws -> Set<String> {
        let glns = try certificateGLNs()
        var parties = Set<String>(), pending = [identifier], seen: Set<String> = [identifier]
        while let goods = pending.popLast() {
            for record in try records(concerning: goods) where !record.event.isRecall {
                parties.insert(glns[record.signerKeyid] ?? record.signerKeyid)
                if record.event.type == .aggregationEvent, record.event.action == .add, let unit = record.event.parentID,
                   seen.insert(unit).inserted { pending.append(unit) }
            }
        }
        return parties
    }

    /// The party (GLN, else keyid) that signed `record`.
    public func party(of record: StoredRecord) throws -> String { try certificateGLNs()[record.signerKeyid] ?? record.signerKeyid }

    /// The digests of ``verdicts(on:)`` of any of `identifiers`, in one query, nothing decoded.
    public func verdictDigests(on identifiers: Set<String>) throws -> Set<String> {
        guard !identifiers.isEmpty else { return [] }
        return try Set(String.fetchAll(db, sql: """
            SELECT r.digest FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier IN (SELECT value FROM json_each(?)) AND r.biz_step IN \(Self.verdictSteps)
            """, arguments: [String(decoding: try JSONEncoder().encode(Array(identifiers)), as: UTF8.self)]))
    }

    /// The steps a record judging goods takes: an inspection, a holding (a recall).
    private static let verdictSteps = "('inspecting', 'holding')"

    /// The record that made `lot`: its harvest or the transformation it came out of.
    public func creator(of lot: String) throws -> StoredRecord? {
        // Only the kinds of record that can create it are decoded (a packing makes a unit, not a
        // lot: a pallet's packing names every lot on it).
        let makers = DigitalLink.isLogisticUnit(lot) ? "'TransformationEvent', 'AggregationEvent'" : "'TransformationEvent'"
        return try StoredRecord.fetchAll(db, sql: """
            SELECT r.* FROM record_identifier i JOIN record r ON r.seq = i.seq
            WHERE i.identifier = ? AND (r.biz_step = 'commissioning' OR r.event_type IN (\(makers)))
            ORDER BY i.seq
            """, arguments: [lot]).first { $0.event.createdIdentifiers.contains(lot) }
    }

    /// The stock of a lot each party holds, replayed from every record naming it.
    public func ledger(for lot: String) throws -> LotLedger {
        var ledger = LotLedger()
        try replay(try records(concerning: lot), into: &ledger)
        return ledger
    }

    /// `records` applied to `ledger` in turn, each signed by its signer's GLN (its keyid where
    /// no stored certificate gives one).
    private func replay(_ records: [StoredRecord], into ledger: inout LotLedger) throws {
        let glns = try certificateGLNs()
        for record in records {
            ledger.apply(record.event, signer: glns[record.signerKeyid] ?? record.signerKeyid, digest: record.digest)
        }
    }

    /// The packings of logistic unit `unit` (`ADD` aggregations into it), oldest first: what it
    /// holds, for unpacking it and for the lots a shipment of it moves.
    public func packings(of unit: String) throws -> [StoredRecord] {
        try records(concerning: unit).filter { $0.event.packs(into: unit) }
    }

    /// The first error the ledgers of `identifiers` find in one of the records `added` (stored in
    /// this transaction, not yet committed), beside the registry's others: what every verifier
    /// would refuse in a bundle holding them (a lot created a second time, more shipped than
    /// held). Findings about records stored before are not theirs.
    ///
    /// One ledger replays every record naming any of `identifiers`, each decoded once, in the
    /// order stored, as a verifier replays a bundle: a ledger per identifier decoded a pallet's
    /// packing of 2,000 lots 2,000 times.
    public func imbalance(among added: Set<String>, identifiers: some Collection<String>) throws -> Finding? {
        var seqs = Set<Int64>()
        for identifier in Set(identifiers) {
            seqs.formUnion(try Int64.fetchAll(db.cachedStatement(sql: "SELECT seq FROM record_identifier WHERE identifier = ?"), arguments: [identifier]))
        }
        var ledger = LotLedger()
        let ordered = seqs.sorted()
        for start in stride(from: 0, to: ordered.count, by: 512) {
            let chunk = Array(ordered[start..<min(start + 512, ordered.count)])
            let sql = "SELECT * FROM record WHERE seq IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ","))) ORDER BY seq"
            try replay(try StoredRecord.fetchAll(db, sql: sql, arguments: StatementArguments(chunk)), into: &ledger)
        }
        return ledger.findings.first { $0.severity == .error && $0.record.map(added.contains) == true }
    }

    /// The GLN of each stored certificate, by keyid: decoded once per transaction (again only
    /// when it stores certificates), where each lot's ledger decoded them all — packing a pallet
    /// of 2,000 lots decoded every certificate 2,000 times.
    func certificateGLNs() throws -> [String: String] {
        let stored = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM certificate")) ?? 0
        if let memo = memo.glns, memo.certificates == stored { return memo.byKeyid }
        var result: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT keyid, der FROM certificate") {
            if let gln = (try? Certificate(der: row["der"]))?.gln { result[row["keyid"]] = gln }
        }
        memo.glns = (stored, result)
        return result
    }

    /// Appends signed records (with their signer certificates).
    @discardableResult
    public func append(_ envelopes: [Envelope], certificates: [Certificate]) throws -> [String] {
        try Registry.insert(certificates: certificates, crls: [], db: db)
        return try RecordInserter(db: db).insert(RecordRow.rows(decoding: envelopes), imported: false)
    }

    /// Signs `events` with `signer` on all cores and appends them with the signer's chain. The
    /// events may link to records already stored, not to each other. Each run of signed events is
    /// stored as soon as it is ready, while the rest are signed (``SigningJob``); `progress` hears
    /// (stored, total) every 256 events or so and at the end. Returns the envelopes, in the order
    /// of `events`.
    @discardableResult
    public func register(_ events: [EPCISEvent], by signer: Signer, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Envelope] {
        try store(SigningJob(signer: signer, events: events), progress: progress)
    }

    /// Appends what `job` signs, with its signer's chain, each run as soon as it is signed.
    func store(_ job: SigningJob, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Envelope] {
        try Registry.insert(certificates: [job.signer.certificate] + job.signer.chain, crls: [], db: db)
        let inserter = try RecordInserter(db: db)
        var envelopes: [Envelope] = []
        envelopes.reserveCapacity(job.count)
        try job.store { signed in
            _ = try inserter.insert(signed.rows, imported: false)
            let reported = envelopes.count / 256
            envelopes += signed.envelopes
            if envelopes.count / 256 > reported || envelopes.count == job.count { progress(envelopes.count, job.count) }
        }
        return envelopes
    }

    // MARK: Master data

    public func addProduct(_ product: Product) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM product WHERE gtin = ?", arguments: [product.gtin.value]) == nil else {
            throw TraceError("product.exists", "product \(product.gtin) is already registered")
        }
        try db.execute(sql: "INSERT INTO product (gtin, name_vi, name_en, name_zh, name_th, category, unit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [product.gtin.value, product.nameVi, product.nameEn, product.nameZh, product.nameTh, product.category, product.unit])
    }

    public func products() throws -> [Product] {
        try Row.fetchAll(db, sql: "SELECT * FROM product ORDER BY gtin").map(Product.init(row:))
    }

    public func product(_ gtin: GTIN) throws -> Product? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE gtin = ?"), arguments: [gtin.value]).map(Product.init(row:))
    }

    public func addPlot(_ plot: StoredPlot) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM plot WHERE id = ?", arguments: [plot.id]) == nil else {
            throw TraceError("plot.exists", "plot \(plot.id) is already registered")
        }
        try db.execute(sql: "INSERT INTO plot (id, name, geometry, area_ha, organic_since) VALUES (?, ?, ?, ?, ?)",
                       arguments: [plot.id, plot.name, plot.geometryJSON, plot.areaHectares, plot.organicSince])
    }

    public func plots() throws -> [StoredPlot] {
        try Row.fetchAll(db, sql: "SELECT * FROM plot ORDER BY id").map(StoredPlot.init(row:))
    }

    public func addHeldCertificate(_ certificate: HeldCertificate) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM held_certificate WHERE number = ?", arguments: [certificate.number]) == nil else {
            throw TraceError("certificate.exists", "certificate \(certificate.number) is already registered")
        }
        try db.execute(sql: "INSERT INTO held_certificate (number, body, valid_from, valid_until) VALUES (?, ?, ?, ?)",
                       arguments: [certificate.number, certificate.body, certificate.validFrom, certificate.validUntil])
    }

    public func heldCertificates() throws -> [HeldCertificate] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM held_certificate ORDER BY number")).map(HeldCertificate.init(row:))
    }

    /// The certificate registered under `number`, typed in either Unicode form.
    public func heldCertificate(_ number: String) throws -> HeldCertificate? {
        try heldCertificates().first { $0.number == number.nfc }
    }

    /// The plot `id` names, typed in either Unicode form (a plot stored before ids were composed
    /// is found as it was typed).
    public func plot(_ id: String) throws -> StoredPlot? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM plot WHERE id IN (?, ?) ORDER BY id = ? DESC LIMIT 1"), arguments: [id.nfc, id, id.nfc])
            .map(StoredPlot.init(row:))
    }
}
