import Foundation

/// When and where the goods of a lot grew, as its records state: the days of every harvest whose
/// lot flows into it (the lot itself, what a transformation made it from, what a packing put into
/// it), earliest first day to latest last day, and the countries those harvests name. A lot that
/// merely travelled in the same shipment or on the same pallet does not count.
///
/// What a label prints (AI 7007, AI 422 and their words) and what a buyer's verifier holds a
/// scanned label to (``LabelCheck``): a blend of lots harvested on 1 and 20 April was harvested
/// from 1 to 20 April, not on the first input's day.
public struct LotOrigin: Sendable, Equatable {
    /// The first and last harvest day, `YYYY-MM-DD`; nil when no harvest states a real day.
    public private(set) var firstDay: String?, lastDay: String?
    /// The countries the harvests name (`cbvmda:countryOfOrigin`, ISO 3166 alpha-2 as written).
    public private(set) var countries: Set<String> = []

    /// The origin the `harvests` state together (each a commissioning event). A day that is not
    /// a real `YYYY-MM-DD` is left out, and a last day before its harvest's first is its first.
    public init(harvests: some Sequence<EPCISEvent>) {
        for harvest in harvests {
            if let country = harvest.ilmd?["cbvmda:countryOfOrigin"]?.stringValue { countries.insert(country) }
            guard let (first, last) = harvest.statedDaySpan else { continue }
            firstDay = min(firstDay ?? first, first)
            lastDay = max(lastDay ?? last, last)
        }
    }

    /// The origin of `lots` (a subject and the lots that flow into it) from the harvests among `events`.
    public init(lots: Set<String>, events: some Sequence<EPCISEvent>) {
        self.init(harvests: events.lazy.filter { $0.isCommissioning && !$0.createdIdentifiers.isDisjoint(with: lots) })
    }

    /// The lots whose goods flow into `subject` among `events` (each record once, predecessors
    /// first or not), as ``SubjectHistory`` finds them for bundles and verification.
    public static func lots(flowingInto subject: String, events: [(digest: String, event: EPCISEvent)]) -> Set<String> {
        var positions: [String: Int] = [:]
        for (position, record) in events.enumerated() where positions[record.digest] == nil { positions[record.digest] = position }
        let linked = LinkedRecords(events.map(\.event), positions: positions)
        return SubjectHistory.history(of: subject, in: linked) { event, id in event.concerns(id) }.lots
    }

    /// The harvest days as AI 7007 holds them: `YYMMDD`, or `YYMMDDYYMMDD` for several days.
    public var harvestDateElement: String? {
        guard let firstDay, let lastDay else { return nil }
        let first = Self.yymmdd(firstDay), last = Self.yymmdd(lastDay)
        return first == last ? first : first + last
    }

    /// The harvest days as a person reads them: `2026-04-01`, or `2026-04-01 to 2026-04-20`.
    public var harvestDays: String? { Self.days(firstDay, lastDay) }

    /// `first`, or `first to last` when they differ; nil without a first day.
    public static func days(_ first: String?, _ last: String?) -> String? {
        guard let first else { return nil }
        return last.map { $0 == first ? first : "\(first) to \($0)" } ?? first
    }

    /// The one country every harvest names, as AI 422 holds it (ISO 3166 numeric); nil when they
    /// name several, none, or one not in ``numericCodes``.
    public var countryElement: String? {
        guard countries.count == 1, let country = countries.first else { return nil }
        return Self.numericCodes[country]
    }

    /// `2026-04-10` as `260410`.
    static func yymmdd(_ day: String) -> String {
        String(day.utf8.filter { $0 != UInt8(ascii: "-") }.dropFirst(2).map { Character(UnicodeScalar($0)) })
    }

    /// ISO 3166 numeric codes of the countries AgriTrace's parties grow, process and sell in:
    /// Viet Nam and its neighbours, ASEAN, and the buyers' countries DESIGN names.
    static let numericCodes: [String: String] = [
        "VN": "704", "LA": "418", "KH": "116", "CN": "156", "TH": "764", "MM": "104", "MY": "458", "SG": "702",
        "ID": "360", "PH": "608", "BN": "096", "TL": "626", "JP": "392", "KR": "410", "AU": "036",
    ]
}
