import Foundation

/// Lots as a person reads them in a line of a report: by their lot number alone
/// (`JG-2026-A14`) where that names one lot among those the report shows, else as
/// `GTIN/LOT`, the form `agritrace --lot` takes (`08936000120054/JG-2026-A14`). Any other
/// identifier reads as it is, its first ``maximumLength`` characters.
public struct LotNames: Sendable {
    /// The characters shown of an identifier that is no lot's canonical Digital Link (a hostile
    /// record's may be megabytes).
    public static let maximumLength = 80
    private let names: [String: String]

    /// Names for `identifiers`, every lot a report shows (others are ignored).
    public init(_ identifiers: some Sequence<String>) {
        var lots: [String: (gtin: Substring, lot: String)] = [:]
        for identifier in identifiers where lots[identifier] == nil {
            if let parts = Self.parts(of: identifier) { lots[identifier] = parts }
        }
        var gtinsByLot: [String: Set<Substring>] = [:]
        for parts in lots.values { gtinsByLot[parts.lot, default: []].insert(parts.gtin) }
        names = lots.mapValues { parts in (gtinsByLot[parts.lot]?.count ?? 0) > 1 ? "\(parts.gtin)/\(parts.lot)" : parts.lot }
    }

    /// How `identifier` reads.
    public func callAsFunction(_ identifier: String) -> String {
        if let name = names[identifier] { return name }
        let shown = identifier.prefix(Self.maximumLength)
        return shown.endIndex == identifier.endIndex ? identifier : shown + "…"
    }

    /// The GTIN and the lot number (unescaped) of a lot's canonical Digital Link
    /// (`https://id.gs1.org/01/<14 digits>/10/<lot>`), read by bytes; nil for anything else.
    static func parts(of identifier: String) -> (gtin: Substring, lot: String)? {
        let bytes = identifier.utf8, prefix = (DigitalLink.gs1Domain + "/01/").utf8
        // A lot number is at most 20 characters, each escaped in at most three bytes.
        guard bytes.count <= prefix.count + 18 + 3 * 20, bytes.starts(with: prefix) else { return nil }
        let gtinStart = bytes.index(bytes.startIndex, offsetBy: prefix.count)
        guard let gtinEnd = bytes.index(gtinStart, offsetBy: 14, limitedBy: bytes.endIndex),
              bytes[gtinStart..<gtinEnd].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              bytes[gtinEnd...].starts(with: "/10/".utf8) else { return nil }
        let escaped = identifier[bytes.index(gtinEnd, offsetBy: 4)...]
        guard !escaped.isEmpty, !escaped.utf8.contains(UInt8(ascii: "/")), let lot = escaped.removingPercentEncoding else { return nil }
        return (identifier[gtinStart..<gtinEnd], lot)
    }
}
