import Foundation
import TraceCrypto

extension EPCISEvent {
    /// Measured values reported in `sensorElementList` as `agt:<name>` sensor reports.
    public var measurements: [Measurement] {
        if let kept = keptMeasurements { return kept }  // a verification's checks and report each ask
        guard let elements = sensorElementList?.arrayValue else { return [] }  // most events: nothing to read
        var measurements: [Measurement] = []
        for case .object(let element) in elements {
            guard case .array(let reports)? = element["sensorReport"] else { continue }
            for case .object(let report) in reports {
                // One pass over a report's few members, not a hashed lookup of each: the report and
                // the checks read every inspection's values.
                var type: String?, value: Decimal?, unit = "", time: String?
                for (key, member) in report {
                    switch (key, member) {
                    case ("type", .string(let text)): type = text
                    case ("value", .number(let number)): value = number
                    case ("uom", .string(let text)): unit = text
                    case ("time", .string(let text)): time = text
                    default: break
                    }
                }
                // `agt:` and the name after it, by bytes (String's prefix test takes its Unicode path).
                guard let type, let value, let name = type.withUTF8Bytes({ ByteSearch.hasPrefix($0, "agt:") ? String(decoding: $0[4...], as: UTF8.self) : nil })
                else { continue }
                measurements.append(Measurement(name, value, unit, time: time))
            }
        }
        return measurements
    }

    /// The organic certificate this event claims for the lots it creates, if any: its
    /// `certificationInfo`, or `agt:organicCertificate` in its ILMD.
    public var organicClaim: String? {
        if let claim = ilmd?["agt:organicCertificate"]?.stringValue { return claim }
        return certificationInfo?.stringValue ?? certificationInfo?.arrayValue?.first?.stringValue
    }

    /// The names of the plots a commissioning event's ILMD lists (`agt:plots`, GeoJSON features
    /// whose `properties` name them), in its order.
    public var plotNames: [String] { plotNames(atMost: .max) }

    private func plotNames(atMost limit: Int) -> [String] {
        // Most events have no ILMD: no lazy sequence is built for them (the report asks every record).
        guard let plots = ilmd?["agt:plots"]?.arrayValue else { return [] }
        var names: [String] = []
        for plot in plots where names.count < limit {
            if case .string(let name)? = plot["properties"]?["name"] { names.append(name) }
        }
        return names
    }

    /// Plots a verification keeps the names of, per record, and the characters it keeps of each:
    /// a harvest names a handful, a hostile record may name millions, each megabytes long.
    static let keptPlots = 50, keptPlotNameLength = 80

    /// An ILMD of at most this many JSON values a verification keeps whole (``keepingClaimsOnly()``)
    /// when it names no plot longer than kept: cut down, it would hold about as much.
    static let keptWholeValues = 64

    /// The harvest date a commissioning event's ILMD states (`cbvmda:harvestStartDate`).
    public var harvestStartDate: String? { ilmd?["cbvmda:harvestStartDate"]?.stringValue }

    /// The last day of a harvest spanning days (`cbvmda:harvestEndDate`).
    public var harvestEndDate: String? { ilmd?["cbvmda:harvestEndDate"]?.stringValue }

    /// A harvest's days as a person reads them (``LotOrigin/harvestDays``); nil for any other
    /// event, or a harvest stating no real day.
    public var harvestDays: String? { harvestOrigin.harvestDays }

    /// What a harvest states of when and where it grew (``LotOrigin``); nothing for any other event.
    public var harvestOrigin: LotOrigin { LotOrigin(harvests: isCommissioning ? [self] : []) }

    /// The first and last day a harvest states, as ``harvestOrigin`` reads them (a day that is not
    /// a real `YYYY-MM-DD` left out, a last day before the first the first), without its
    /// countries: what the report and the organic check ask of every harvest. Nil for any other
    /// event, or a harvest stating no real day.
    public var harvestDaySpan: (first: String, last: String)? { isCommissioning ? statedDaySpan : nil }

    /// ``harvestDaySpan`` of an event taken to be a harvest.
    var statedDaySpan: (first: String, last: String)? {
        guard let first = harvestStartDate, CalendarDay.midnight(first) != nil else { return nil }
        return (first, harvestEndDate.flatMap { CalendarDay.midnight($0) != nil && $0 > first ? $0 : nil } ?? first)
    }

    /// The validity a certifier attests for the certificate an inspection was made under
    /// (`agt:certificateValidity`: `from` and `until`, dates).
    public var certificateValidity: JSONValue? { extensions["agt:certificateValidity"] }

    /// Whether the event judges the goods it names unfit: found `non_conformant`, or `recalled`
    /// (``DispositionCheck``).
    public var isVerdict: Bool {
        switch disposition.map(EPCISEvent.cbvWord) {  // a switch, not a list of the two made for each record asked
        case "non_conformant"?, "recalled"?: true
        default: false
        }
    }

    /// Whether the event declares its goods `recalled` (``DispositionCheck``).
    public var isRecall: Bool { disposition.map(EPCISEvent.cbvWord) == "recalled" }

    /// The reason a recall or a write-off gives (`agt:reason`), as a verification keeps it: its first
    /// ``keptReasonLength`` characters.
    public var reason: String? { extensions[Self.reasonKey]?.stringValue }
    public static let reasonKey = "agt:reason"
    public static let keptReasonLength = 200

    /// The ILMD and extension members the claims here read: all of them that a verification keeps
    /// (``keepingClaimsOnly()``), besides the plots' names. A claim that reads another member adds it here.
    static let claimedILMDKeys: Set<String> = ["agt:organicCertificate", "cbvmda:harvestStartDate", "cbvmda:harvestEndDate",
                                                "cbvmda:countryOfOrigin"]
    static let claimedExtensionKeys: Set<String> = ["agt:imported", "agt:category", "agt:certificateValidity"]

    /// The names of the product a harvest makes (`agt:productName`: language code to name; they
    /// name every lot of ``madeGoods``), at most ``keptNames`` languages (the first in byte order)
    /// of ``keptPlotNameLength`` characters: what a buyer's report shows of what the goods are.
    public var productNames: [String: String] { Self.kept(extensions["agt:productName"]) }
    static let keptNames = 8

    /// The names this record gives product `gtin` (its 14 digits) of goods it makes: a
    /// transformation's `agt:productNames` (names by GTIN: cuts of a carcass are several
    /// products), else ``productNames`` (a harvest's, naming every lot it makes); empty when it
    /// names none for that product. Kept as ``productNames`` keeps them.
    public func names(ofProduct gtin: String) -> [String: String] {
        if let names = extensions["agt:productNames"]?[gtin] { return Self.kept(names) }
        guard extensions["agt:productName"] != nil, madeGoods.contains(where: { DigitalLink.gtin(of: $0)?.value == gtin }) else { return [:] }
        return productNames
    }

    /// Whether this record names any product it makes (``names(ofProduct:)``): a look at two keys,
    /// before the costlier reading of its goods' GTINs.
    public var namesProducts: Bool { extensions["agt:productNames"] != nil || extensions["agt:productName"] != nil }

    /// Names by language as a record keeps them: ``keptNames`` languages, ``keptPlotNameLength`` characters.
    private static func kept(_ names: JSONValue?) -> [String: String] {
        guard let names = names?.objectValue else { return [:] }
        var kept: [String: String] = [:]
        for (language, name) in names.sorted(by: { $0.key < $1.key }).prefix(keptNames) {
            if let name = name.stringValue { kept[String(language.prefix(8))] = String(name.prefix(keptPlotNameLength)) }
        }
        return kept
    }

    /// The products a transformation's `agt:productNames` gives names of, as a verification keeps
    /// them: at most this many (the first by GTIN).
    static let keptNamedProducts = 50

    /// The event with its open JSON (ILMD, extensions, sensor data) cut down to what the claims
    /// here read: what a verification keeps of a record for the checks of the bundle as a whole,
    /// once the record's own checks (signatures, event hash) have seen it all. A record's open
    /// JSON may be megabytes of tiny values, which as a tree take tens of times their size.
    func keepingClaimsOnly() -> EPCISEvent {
        // Nothing open to cut down (most events): the event as it is, its storage shared, not copied.
        guard ilmd != nil || !extensions.isEmpty || sensorElementList != nil else { return self }
        var event = self
        // A small ILMD (every AgriTrace harvest's) is kept whole: rebuilding it took a table for
        // each object kept. (Sensor data kept whole held 2 MB more at the bench's peak: cut down.)
        // With no string longer in bytes than a plot name is kept in characters, no plot name is
        // longer than kept: judged in the one walk that counts the values, not by reading the names.
        if let ilmd, let members = ilmd.objectValue, !ilmd.holdsAtMost(Self.keptWholeValues, stringBytes: Self.keptPlotNameLength) {
            var kept = members.filter { Self.claimedILMDKeys.contains($0.key) }
            let plots = plotNames(atMost: Self.keptPlots).map { name -> JSONValue in
                ["properties": ["name": .string(String(name.prefix(Self.keptPlotNameLength)))]]
            }
            if !plots.isEmpty { kept["agt:plots"] = .array(plots) }
            event.ilmd = .object(kept)
        }
        // Changed only where there are extensions (the reason and product names are among them):
        // a change to an event whose storage another copy shares copies all its fields first.
        if !extensions.isEmpty {
            event.extensions = extensions.filter { Self.claimedExtensionKeys.contains($0.key) || Self.modelledKeys.contains($0.key) }
            if let reason { event.extensions[Self.reasonKey] = .string(String(reason.prefix(Self.keptReasonLength))) }
            let names = productNames
            if !names.isEmpty { event.extensions["agt:productName"] = .object(names.mapValues(JSONValue.string)) }
            if let byProduct = extensions["agt:productNames"]?.objectValue {
                let kept = byProduct.keys.sorted().prefix(Self.keptNamedProducts).map { ($0, JSONValue.object(Self.kept(byProduct[$0]).mapValues(JSONValue.string))) }
                event.extensions["agt:productNames"] = .object(Dictionary(uniqueKeysWithValues: kept))
            }
        }
        if sensorElementList != nil {
            // The measurements as the reports of one element: a table and a list fewer for each.
            let kept = measurements
            event.sensorElementList = .array(kept.isEmpty ? [] : [.object(["sensorReport": .array(kept.map(\.json))])])
            event.keptMeasurements = kept  // what the cut-down sensor data reads as, read once
        }
        return event
    }

    /// Whether this event came from another EPCIS system and was attested by the signer (`agt:imported`),
    /// rather than performed by it.
    public var isImported: Bool { !extensions.isEmpty && extensions["agt:imported"] != nil }  // most events have none: no hashing

    /// When the signer attested an imported event (`agt:imported.at`): the time its signature
    /// was made, which the signer's certificate must cover, as the event's own time must for an
    /// event the signer performed. Nil for an event not imported or one imported without it.
    public var importedAt: EPCISTime? {
        guard let text = extensions["agt:imported"]?["at"]?.stringValue, text.utf8.count <= 64 else { return nil }
        return try? EPCISTime(parsing: text)
    }

    /// The time the signer's certificate must have been valid and unrevoked at: an imported
    /// event's attestation (``importedAt``), else the event's own time.
    public var signingTime: EPCISTime { importedAt ?? eventTime }

    /// The product category (`honey`, `citrus`, `beef`, `herb`) a commissioning event declares.
    public var productCategory: String? { extensions["agt:category"]?.stringValue }

    /// The GLN inside a party or location Digital Link (`…/417/<GLN>` or `…/414/<GLN>`).
    /// The Digital Link keys a party's GLN follows: party (417), then physical location (414).
    private static let glnKeys: [StaticString] = ["/417/", "/414/"]

    static func gln(in uri: String?) -> String? {
        guard let uri else { return nil }
        return uri.withUTF8Bytes { bytes in  // in place: the report and the checks ask this of every shipment and receipt
            // GS1's resolver holds neither key: a key right after it is the key's first occurrence,
            // found without a search (most parties and places are written so).
            let isOnResolver = ByteSearch.hasPrefix(bytes, "https://id.gs1.org/"), resolverEnd = 18  // "https://id.gs1.org".utf8.count
            for key in glnKeys {
                // The first occurrence of the key, then 13 ASCII digits and no more.
                guard let start = isOnResolver && ByteSearch.hasPrefix(bytes, key, at: resolverEnd) ? resolverEnd
                        : ByteSearch.offset(of: key, in: bytes) else { continue }
                let digits = bytes[(start + key.utf8CodeUnitCount)...].prefix { (48...57).contains($0) }
                if digits.count == 13 { return String(decoding: digits, as: UTF8.self) }
            }
            return nil
        }
    }

    /// The GLN of where the event happened: its business location, else its read point.
    public var locationGLN: String? { EPCISEvent.gln(in: bizLocation?.id ?? readPoint?.id) }

    /// The owning party's GLN of the first source, and of the first destination.
    public var sourceGLN: String? { EPCISEvent.gln(in: sourceList?.first { Self.isOwningParty($0.type) }?.source ?? sourceList?.first?.source) }
    public var destinationGLN: String? {
        EPCISEvent.gln(in: destinationList?.first { Self.isOwningParty($0.type) }?.destination ?? destinationList?.first?.destination)
    }

    /// Whether a source or destination type ends in `owning_party` (the CBV word, bare or at the
    /// end of its IRI), judged on its bytes: the report, the ledger and the party check ask this
    /// of every shipment and receipt, and String's Unicode suffix test cost several hundred
    /// instructions each time.
    static func isOwningParty(_ type: String) -> Bool {
        type.withUTF8Bytes { ByteSearch.hasPrefix($0, "owning_party", at: $0.count - 12) }
    }
}
