import Foundation

/// UN/ECE Recommendation 20 units that AgriTrace converts: a unit belongs to a dimension and has
/// an exact factor to that dimension's base unit (kilogram, litre, piece), as Recommendation 20's
/// conversion factors and the international definitions of the customary units give it. Units
/// convert only within their dimension; a code not listed here is still accepted, and matches
/// only itself.
struct UnitOfMeasure: Hashable {
    let dimension: String
    let factor: Decimal
    /// How a person reads the unit after a number: `kg`, `gal (US)`, `dozen`.
    let symbol: String
    /// Whether this is its dimension's base unit (kg, L, units), which converts with no arithmetic.
    let isBase: Bool

    init(dimension: String, factor: Decimal, symbol: String) {
        (self.dimension, self.factor, self.symbol) = (dimension, factor, symbol)
        isBase = factor == 1
    }

    static let known: [String: UnitOfMeasure] = {
        var known: [String: UnitOfMeasure] = [:]
        func add(_ dimension: String, _ units: KeyValuePairs<String, (factor: String, symbol: String)>) {
            for (code, unit) in units { known[code] = UnitOfMeasure(dimension: dimension, factor: Decimal(string: unit.factor) ?? 0, symbol: unit.symbol) }
        }
        add("mass", [
            "KGM": ("1", "kg"), "GRM": ("0.001", "g"), "MGM": ("0.000001", "mg"), "HGM": ("0.1", "hg"), "DTN": ("100", "dt"),
            "TNE": ("1000", "t"), "KTN": ("1000000", "kt"), "CTM": ("0.0002", "ct"),
            "LBR": ("0.45359237", "lb"), "ONZ": ("0.028349523125", "oz"),  // avoirdupois
            "CWA": ("45.359237", "cwt (US)"), "CWI": ("50.80234544", "cwt (UK)"), "STN": ("907.18474", "ton (US)"), "LTN": ("1016.0469088", "ton (UK)"),
        ])
        add("volume", [
            "LTR": ("1", "L"), "MLT": ("0.001", "mL"), "CLT": ("0.01", "cL"), "DLT": ("0.1", "dL"), "HLT": ("100", "hL"),
            "MTQ": ("1000", "m³"), "DMQ": ("1", "dm³"), "CMQ": ("0.001", "cm³"),
            "GLL": ("3.785411784", "gal (US)"), "QTL": ("0.946352946", "qt (US)"), "PTL": ("0.473176473", "pt (US)"),
            "OZA": ("0.0295735295625", "fl oz (US)"),
            "GLI": ("4.54609", "gal (UK)"), "QTI": ("1.1365225", "qt (UK)"), "PTI": ("0.56826125", "pt (UK)"), "OZI": ("0.0284130625", "fl oz (UK)"),
        ])
        add("count", [
            "H87": ("1", "pieces"), "EA": ("1", "each"), "C62": ("1", "units"), "NAR": ("1", "articles"), "PR": ("2", "pairs"),
            "DZN": ("12", "dozen"), "DPC": ("12", "dozen"), "CEN": ("100", "hundred"), "GRO": ("144", "gross"), "MIL": ("1000", "thousand"),
        ])
        return known
    }()

    /// The unit for a code; an unknown code is its own dimension, so it only matches itself.
    /// Inlined: most callers read one field (the dimension, or the base amount), and then only
    /// that field of the kilogram is copied, not the whole unit through its copying function.
    @inline(__always)
    static func of(_ code: String?) -> UnitOfMeasure {
        // Most quantities are in kilograms: a comparison of two short strings, not a lookup
        // that hashes one (the ledger asks several times for every quantity of every record).
        if code == "KGM" { return kilogram }
        return other(code ?? "H87")
    }

    /// The unit of any code but `KGM`: from the table, else a dimension of its own.
    private static func other(_ code: String) -> UnitOfMeasure {
        known[code] ?? UnitOfMeasure(dimension: "unit:\(code)", factor: 1, symbol: measurementSymbols[code] ?? code)
    }

    private static let kilogram = UnitOfMeasure(dimension: "mass", factor: 1, symbol: "kg")

    /// How a person reads the Recommendation 20 codes laboratories report measured values in,
    /// which AgriTrace does not convert: `17.2 %` rather than `17.2 P1`.
    static let measurementSymbols: [String: String] = [
        "P1": "%", "CEL": "°C", "FAH": "°F", "KEL": "K", "59": "ppm", "61": "ppb", "NA": "mg/kg",
    ]

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
    func base(_ quantity: Decimal) -> Decimal { isBase ? quantity : quantity * factor }

    /// `base`, an amount in this dimension's base unit, in this unit. Decimal arithmetic takes
    /// microseconds (a division most): the base units, nearly every lot's, skip it — `stock`
    /// of 50,000 lots spent a fifth of its time dividing by one.
    func amount(fromBase base: Decimal) -> Decimal { isBase ? base : base / factor }
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
        return target.amount(fromBase: source.base(quantity))
    }

    /// `quantity` with its unit as a person reads it: `1200 kg`, `3 gal (US)`, `2 dozen`; a code
    /// AgriTrace does not know as it is (`5 BX`).
    public static func text(_ quantity: Decimal, _ code: String?) -> String {
        DecimalText.of(quantity) + " " + UnitOfMeasure.of(code).symbol  // Foundation's text, without its slow formatting
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
