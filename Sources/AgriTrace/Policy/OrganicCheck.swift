import Foundation

/// Organic claims survive only where they are earned: a lot produced from other lots may claim
/// organic only if every input does, and a harvest that claims an organic certificate needs a
/// certifier's conformant inspection of that lot under that certificate, valid on the harvest date.
/// Claims about the subject's goods (``VerificationContext/subjectRecords``): a broken claim of a
/// lot that only shared a pallet with them says nothing about them.
public struct OrganicCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        let attestations = Self.attestations(in: context)
        var creators = Creators(context: context)
        for record in context.subjectRecords {
            let event = record.event
            guard let claim = event.organicClaim else { continue }
            if event.type == .transformationEvent {
                for link in event.inputs {
                    guard let creator = creators.creator(of: link.lot, from: link.record) else { continue }
                    if creator.event.organicClaim == nil {
                        findings.append(Finding(.organicBrokenChain, record: record.digest,
                            "claims organic certificate \(claim), but input \(link.lot) comes from \(creator.digest), which claims none"))
                    }
                }
            } else if event.isCommissioning {
                findings += checkHarvest(record, claim: claim, attestations: attestations)
            }
        }
        return findings
    }

    /// Certifiers' conformant inspections, by the lot they name and the certificate they were made
    /// under: the harvest dates they cover.
    private static func attestations(in context: VerificationContext) -> [Attested: Coverage] {
        var coverage: [Attested: Coverage] = [:]
        for record in context.records where record.event.bizStepWord == "inspecting"
            && record.event.disposition.map(EPCISEvent.cbvWord) == "conformant"
            && context.signers(of: record).contains(where: { $0.roles.contains(.certifier) }) {
            guard let claim = record.event.organicClaim else { continue }
            let validity = record.event.certificateValidity
            for lot in record.identifiers {
                coverage[Attested(lot: lot, claim: claim), default: Coverage()].add(
                    from: validity?["from"]?.stringValue, until: validity.map { $0["until"]?.stringValue ?? "9999-99-99" })
            }
        }
        return coverage.mapValues { $0.sorted() }
    }

    private func checkHarvest(_ record: VerifiedRecordInput, claim: String, attestations: [Attested: Coverage]) -> [Finding] {
        let coverage = record.event.createdIdentifiers.compactMap { attestations[Attested(lot: $0, claim: claim)] }
        guard !coverage.isEmpty else {
            return [Finding(.organicBrokenChain, record: record.digest,
                "claims organic certificate \(claim), but no certifier's conformant inspection of this lot under that certificate is in the bundle")]
        }
        // The harvest's first and last day (a gap between two attested spans inside it is not looked for).
        let span = record.event.harvestDaySpan
        let day = String(record.event.eventTime.description.prefix(10))
        let (first, last) = (span?.first ?? day, span?.last ?? day)
        guard coverage.contains(where: { $0.covers(first) && $0.covers(last) }) else {
            return [Finding(.organicBrokenChain, record: record.digest,
                "claims organic certificate \(claim), but the certifier's attested validity does not cover the harvest date \(LotOrigin.days(span?.first, span?.last) ?? day)")]
        }
        return []
    }

    /// A lot and the certificate a certifier inspected it under, compared by code point
    /// (``ExactText``) and hashed by its lot and claim's fast hash (a Dictionary's hash of the two
    /// strings by SipHash cost more than the check's other work on a record).
    private struct Attested: Hashable {
        let lot: ExactText, claim: ExactText

        init(lot: String, claim: String) { (self.lot, self.claim) = (ExactText(lot), ExactText(claim)) }

        func _rawHashValue(seed: Int) -> Int { ExactText.rawHash(of: claim.text, seed: lot._rawHashValue(seed: seed)) }
    }

    /// The dates a lot's attestations under one certificate cover (dates as `YYYY-MM-DD` text,
    /// compared as text): answered by a binary search, so thousands of harvests of a lot with
    /// thousands of attestations cost thousands of steps, not millions.
    private struct Coverage {
        /// An attestation stated no validity: it covers every date.
        private var always = false
        /// `from` ascending; `latestUntil[i]`: the latest `until` among the first i + 1.
        private var intervals: [(from: String, until: String)] = []
        private var latestUntil: [String] = []

        /// An attestation valid `from` … `until`; `until` nil: no validity stated.
        mutating func add(from: String?, until: String?) {
            guard let until else {
                always = true
                return
            }
            intervals.append((from ?? "0000-00-00", until))
        }

        func sorted() -> Coverage {
            var sorted = self
            sorted.intervals.sort { $0.from < $1.from }
            var latest = ""
            sorted.latestUntil = sorted.intervals.map { latest = max(latest, $0.until); return latest }
            return sorted
        }

        func covers(_ date: String) -> Bool {
            if always { return true }
            var low = 0, high = intervals.count  // the intervals starting on or before `date`: [0, low)
            while low < high {
                let middle = (low + high) / 2
                if intervals[middle].from <= date { low = middle + 1 } else { high = middle }
            }
            return low > 0 && latestUntil[low - 1] >= date
        }
    }

    /// The record that created each lot, found by following the lot's links back from a record.
    /// Every walk remembers where it led from each record it passed, so that thousands of blends
    /// drawing on one long history walk it once, not once each.
    struct Creators {
        let context: VerificationContext
        private struct Start: Hashable { let lot: String, digest: String }
        private var found: [Start: VerifiedRecordInput?] = [:]
        /// For a record with many inputs, the first link for each lot (a scan of 30,000 links for
        /// each of 30,000 lots would be the same square again).
        private var linkByLot: [String: [String: String]] = [:]

        init(context: VerificationContext) { self.context = context }

        mutating func creator(of lot: String, from digest: String) -> VerifiedRecordInput? {
            var current = digest, path: [String] = [], visited = Set<String>()
            var creator: VerifiedRecordInput?
            while true {
                if let known = found[Start(lot: lot, digest: current)] {
                    creator = known
                    break
                }
                guard visited.insert(current).inserted, let record = context.record(withDigest: current) else { break }  // a cycle, or not in the bundle
                path.append(current)
                if record.event.createdIdentifierList.contains(lot) {
                    creator = record
                    break
                }
                guard let next = link(of: record, for: lot) else { break }
                current = next
            }
            for step in path { found.updateValue(creator, forKey: Start(lot: lot, digest: step)) }  // nil too: "none" is an answer
            return creator
        }

        /// The record `record`'s first link for `lot` names.
        private mutating func link(of record: VerifiedRecordInput, for lot: String) -> String? {
            let inputs = record.event.inputs
            guard inputs.count > 8 else { return inputs.first(where: { $0.lot == lot })?.record }
            if linkByLot[record.digest] == nil {
                linkByLot[record.digest] = Dictionary(inputs.map { ($0.lot, $0.record) }, uniquingKeysWith: { first, _ in first })
            }
            return linkByLot[record.digest]?[lot]
        }
    }
}
