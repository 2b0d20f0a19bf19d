import Foundation

/// UN/ECE Recommendation 20 units that AgriTrace converts: a unit belongs to a dimension and has
/// an exact factor to that dimension's base unit (kilogram, litre, piece), as Recommendation 20's
/// conversion factors and the international definitions of the customary units give it. Units
/// convert only within their dimension; a code not listed here is still accepted, and matches
/// only itself.
struct UnitOfMeasure: Hashable {
    let dimension: String
    let factor: Decimal

    static let known: [String: UnitOfMeasure] = {
        var known: [String: UnitOfMeasure] = [:]
        func add(_ dimension: String, _ factors: KeyValuePairs<String, String>) {
            for (code, factor) in factors { known[code] = UnitOfMeasure(dimension: dimension, factor: Decimal(string: factor) ?? 0) }
        }
        add("mass", [
            "KGM": "1", "GRM": "0.001", "MGM": "0.000001", "HGM": "0.1", "DTN": "100", "TNE": "1000", "KTN": "1000000",
            "CTM": "0.0002",  // metric carat
            "LBR": "0.45359237", "ONZ": "0.028349523125",  // avoirdupois pound and ounce
            "CWA": "45.359237", "CWI": "50.80234544", "STN": "907.18474", "LTN": "1016.0469088",  // US and UK hundredweight and ton
        ])
        add("volume", [
            "LTR": "1", "MLT": "0.001", "CLT": "0.01", "DLT": "0.1", "HLT": "100", "MTQ": "1000", "DMQ": "1", "CMQ": "0.001",
            "GLL": "3.785411784", "QTL": "0.946352946", "PTL": "0.473176473", "OZA": "0.0295735295625",  // US liquid measures
            "GLI": "4.54609", "QTI": "1.1365225", "PTI": "0.56826125", "OZI": "0.0284130625",  // imperial measures
        ])
        add("count", [
            "H87": "1", "EA": "1", "C62": "1", "NAR": "1", "PR": "2", "DZN": "12", "DPC": "12", "CEN": "100", "GRO": "144", "MIL": "1000",
        ])
        return known
    }()

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
