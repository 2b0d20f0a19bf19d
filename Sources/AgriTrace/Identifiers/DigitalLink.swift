import Foundation

/// The GS1 Digital Link URIs that name things in AgriTrace records, on `https://id.gs1.org`.
///
/// This covers the keys records use (GTIN with lot and serial, SSCC, GLN as party or location).
public enum DigitalLink: Hashable, Sendable, CustomStringConvertible {
    case lot(GTIN, lot: String)
    case item(GTIN, lot: String?, serial: String)
    case product(GTIN)
    case logisticUnit(SSCC)
    case party(GLN)
    case location(GLN)

    public static let gs1Domain = "https://id.gs1.org"

    /// Whether `identifier` is a logistic unit's canonical Digital Link (`https://id.gs1.org/00/<SSCC>`).
    public static func isLogisticUnit(_ identifier: String) -> Bool { identifier.hasPrefix(logisticUnitPrefix) }

    /// What every logistic unit's canonical Digital Link starts with.
    public static let logisticUnitPrefix = gs1Domain + "/00/"

    /// The canonical URI.
    public var uri: String {
        switch self {
        case .lot(let gtin, let lot): "\(Self.gs1Domain)/01/\(gtin)/10/\(Self.escape(lot))"
        case .item(let gtin, let lot, let serial):
            "\(Self.gs1Domain)/01/\(gtin)" + (lot.map { "/10/\(Self.escape($0))" } ?? "") + "/21/\(Self.escape(serial))"
        case .product(let gtin): "\(Self.gs1Domain)/01/\(gtin)"
        case .logisticUnit(let sscc): "\(Self.gs1Domain)/00/\(sscc)"
        case .party(let gln): gln.partyURI
        case .location(let gln): gln.locationURI
        }
    }

    public var description: String { uri }

    /// The product (GTIN) this identifier names, if it is a lot or an item.
    public var gtin: GTIN? {
        switch self {
        case .lot(let gtin, _), .item(let gtin, _, _): gtin
        default: nil
        }
    }

    /// The product (GTIN) of a lot's or an item's Digital Link; nil for anything else.
    public static func gtin(of identifier: String) -> GTIN? {
        (try? DigitalLink(parsing: identifier))?.gtin
    }

    /// The lot (GTIN + lot) this identifier belongs to, if any.
    public var lotURI: String? {
        switch self {
        case .lot: uri
        case .item(let gtin, let lot?, _): DigitalLink.lot(gtin, lot: lot).uri
        default: nil
        }
    }

    /// Parses a Digital Link on any domain into one of the supported keys.
    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["http", "https"].contains(scheme.lowercased()), components.host?.isEmpty == false else {
            throw IdentifierError.invalid("Digital Link", text, "is not an http(s) URI")
        }
        let parts = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // Keys may follow a path prefix on a custom domain: find the first primary key AI.
        guard let start = parts.firstIndex(where: { ["01", "00", "414", "417"].contains($0) }),
              (parts.endIndex - start) % 2 == 0 else {
            throw IdentifierError.invalid("Digital Link", text, "has no GS1 key in its path")
        }
        // No supported key has more than three AIs (01/10/21): a longer path is refused before its
        // pairs are made, which for a hostile value of megabytes were hundreds of thousands.
        guard parts.endIndex - start <= 6 else {
            throw IdentifierError.invalid("Digital Link", text, "has more path AIs than any supported key")
        }
        var pairs: [(String, String)] = []
        var index = start
        while index < parts.endIndex {
            guard let value = parts[index + 1].removingPercentEncoding, !value.isEmpty else {
                throw IdentifierError.invalid("Digital Link", text, "has an empty or badly escaped value for AI \(parts[index])")
            }
            pairs.append((String(parts[index]), value))
            index += 2
        }
        let ais = pairs.map(\.0)
        let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        switch ais {
        case ["01"]: self = .product(try GTIN(values["01"]!))
        case ["01", "10"]: self = .lot(try GTIN(values["01"]!), lot: try Self.checkedAI82(values["10"]!, ai: "10", max: 20))
        case ["01", "21"], ["01", "10", "21"]:
            self = .item(try GTIN(values["01"]!), lot: try values["10"].map { try Self.checkedAI82($0, ai: "10", max: 20) },
                         serial: try Self.checkedAI82(values["21"]!, ai: "21", max: 20))
        case ["00"]: self = .logisticUnit(try SSCC(values["00"]!))
        case ["417"]: self = .party(try GLN(values["417"]!))
        case ["414"]: self = .location(try GLN(values["414"]!))
        default: throw IdentifierError.invalid("Digital Link", text, "has path AIs \(ais.joined(separator: "/")) that name no supported key")
        }
    }

    /// Checks a value against GS1's AI encodable character set 82 and a length limit.
    public static func checkedAI82(_ value: String, ai: String, max: Int) throws -> String {
        // Set 82 is ASCII: a value is of it when every byte is (and then it has a character per byte).
        guard !value.isEmpty, value.utf8.count <= max, value.utf8.allSatisfy({ set82[Int($0)] }) else {
            throw IdentifierError.invalid("AI (\(ai))", value, "must be 1 to \(max) characters of GS1 set 82")
        }
        return value
    }

    /// GS1 AI encodable character set 82, by byte.
    private static let set82: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Percent-encodes everything but `A-Za-z0-9-._~`, as GS1 Digital Link requires.
    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
