import Foundation

/// UN/ECE Recommendation 20 units that AgriTrace converts: a unit belongs to a dimension and has
/// a factor to that dimension's base unit. Units convert only within their dimension.
struct UnitOfMeasure: Hashable {
    let dimension: String
    let factor: Decimal

    static let known: [String: UnitOfMeasure] = [
        "KGM": .init(dimension: "mass", factor: 1), "GRM": .init(dimension: "mass", factor: Decimal(string: "0.001") ?? 0),
        "TNE": .init(dimension: "mass", factor: 1000), "LBR": .init(dimension: "mass", factor: Decimal(string: "0.45359237") ?? 0),
        "LTR": .init(dimension: "volume", factor: 1), "MLT": .init(dimension: "volume", factor: Decimal(string: "0.001") ?? 0),
        "MTQ": .init(dimension: "volume", factor: 1000),
        "H87": .init(dimension: "count", factor: 1), "EA": .init(dimension: "count", factor: 1),
    ]

    /// The unit for a code; an unknown code is its own dimension, so it only matches itself.
    static func of(_ code: String?) -> UnitOfMeasure {
        let code = code ?? "H87"
        return known[code] ?? UnitOfMeasure(dimension: "unit:\(code)", factor: 1)
    }

    /// The base unit of a dimension, for messages.
    static func baseUnitName(_ dimension: String) -> String {
        switch dimension {
        case "mass": "kg"
        case "volume": "L"
        case "count": "units"
        default: dimension
        }
    }

    /// `quantity` in this dimension's base unit.
    func base(_ quantity: Decimal) -> Decimal { quantity * factor }
}

/// The dimension of a unit code, for callers outside the module.
public enum UnitOfMeasureName {
    /// `mass`, `volume`, `count`, or `unit:<code>` for a code AgriTrace does not convert.
    public static func dimension(_ code: String) -> String { UnitOfMeasure.of(code).dimension }

    /// `quantity` in `from` units expressed in `to` units, or nil when they measure different
    /// things (kilograms and litres). A unit AgriTrace does not convert converts only to itself.
    public static func convert(_ quantity: Decimal, from: String?, to: String?) -> Decimal? {
        let source = UnitOfMeasure.of(from), target = UnitOfMeasure.of(to)
        guard source.dimension == target.dimension else { return nil }
        return source.base(quantity) / target.factor
    }

    /// Whether `code` has the form of a UN/ECE Recommendation 20 code, as the EPCIS 2.0 schema
    /// asks of a quantity's `uom`: 2 or 3 capital letters or digits.
    public static func isCode(_ code: String) -> Bool {
        (2...3).contains(code.utf8.count) && code.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Why `code` is refused, for messages: what ``isCode(_:)`` asks, in words.
    public static func notACode(_ code: String) -> String {
        "\(code.prefix(40)) is not a UN/ECE Recommendation 20 unit code (2 or 3 capital letters or digits, e.g. KGM, LTR, H87)"
    }
}
