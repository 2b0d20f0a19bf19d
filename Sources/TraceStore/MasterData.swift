import AgriTrace
import Foundation
import GRDB

extension String {
    /// The text in Unicode's composed form (NFC). Vietnamese keyboards write either form (Unikey's
    /// "dựng sẵn" or "tổ hợp"), so the names and ids a clerk types are stored composed, and ids are
    /// looked up composed: `Lũng Pù` typed either way is one plot.
    var nfc: String {
        utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping  // ASCII is composed already
    }
}

/// A product the party trades: GTIN, names in Vietnamese and English (optionally Chinese and
/// Thai), category and unit.
public struct Product: Codable, Sendable, Equatable {
    public static let categories = ["honey", "citrus", "beef", "herb", "other"]

    public var gtin: GTIN
    public var nameVi: String
    public var nameEn: String
    public var nameZh: String?
    public var nameTh: String?
    public var category: String
    /// UN/ECE unit code, e.g. KGM.
    public var unit: String

    /// A product to register: a known category, both names, a UN/ECE unit code.
    public init(gtin: GTIN, nameVi: String, nameEn: String, nameZh: String? = nil, nameTh: String? = nil, category: String, unit: String) throws {
        guard Product.categories.contains(category) else {
            throw TraceError("argument.invalid", "category \(category) is not one of \(Product.categories.joined(separator: ", "))")
        }
        guard !nameVi.isEmpty, !nameEn.isEmpty else { throw TraceError("argument.invalid", "a product needs a Vietnamese and an English name") }
        guard UnitOfMeasureName.isCode(unit) else {
            throw TraceError("argument.invalid", "unit \(UnitOfMeasureName.notACode(unit))")
        }
        self.init(stored: gtin, nameVi: nameVi.nfc, nameEn: nameEn.nfc, nameZh: nameZh?.nfc, nameTh: nameTh?.nfc, category: category, unit: unit)
    }

    /// A product as stored: read back as it is, whatever rules were in force when it was registered.
    private init(stored gtin: GTIN, nameVi: String, nameEn: String, nameZh: String?, nameTh: String?, category: String, unit: String) {
        self.gtin = gtin
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.nameZh = nameZh
        self.nameTh = nameTh
        self.category = category
        self.unit = unit
    }

    init(row: Row) throws {
        self.init(stored: try GTIN(row["gtin"]), nameVi: row["name_vi"], nameEn: row["name_en"], nameZh: row["name_zh"],
                  nameTh: row["name_th"], category: row["category"], unit: row["unit"])
    }

    /// The names as AgriTrace events carry them (`agt:productName`).
    public var names: [String: String] {
        var names = ["vi": nameVi, "en": nameEn]
        if let nameZh { names["zh"] = nameZh }
        if let nameTh { names["th"] = nameTh }
        return names
    }
}

/// A farm plot: id, name, a GeoJSON point or polygon, area and organic-since date.
public struct StoredPlot: Encodable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// A GeoJSON geometry object, as JSON text.
    public var geometryJSON: String
    public var areaHectares: String?
    public var organicSince: String?

    /// A plot to register: its geometry a GeoJSON Point, Polygon or MultiPolygon in range
    /// (``GeoJSONGeometry``), its area more than zero, organic since a day not after `today`
    /// (`YYYY-MM-DD`, in the party's time zone; by default Vietnam's).
    public init(id: String, name: String, geometryJSON: String, areaHectares: String? = nil, organicSince: String? = nil,
                today: String = String(EPCISTime(date: Date()).description.prefix(10))) throws {
        guard !id.isEmpty, !name.isEmpty else { throw TraceError("argument.invalid", "a plot needs an id and a name") }
        if let problem = GeoJSONGeometry.problem(in: geometryJSON) {
            throw TraceError("argument.invalid", "plot \(id): geometry \(problem)")
        }
        if let areaHectares, !(Decimal(wholeText: areaHectares).map { $0 > 0 } ?? false) {
            throw TraceError("argument.invalid", "plot \(id): area \(areaHectares) is not a number of hectares more than zero")
        }
        if let organicSince {
            guard CalendarDay.midnight(organicSince) != nil else {
                throw TraceError("argument.invalid", "plot \(id): organic since \(organicSince) is not a day written YYYY-MM-DD")
            }
            guard organicSince <= today else { throw TraceError("argument.invalid", "plot \(id): organic since \(organicSince) is a day still to come") }
        }
        self.init(stored: id.nfc, name: name.nfc, geometryJSON: geometryJSON, areaHectares: areaHectares, organicSince: organicSince)
    }

    /// A plot as stored: read back as it is, whatever rules were in force when it was registered.
    private init(stored id: String, name: String, geometryJSON: String, areaHectares: String?, organicSince: String?) {
        self.id = id
        self.name = name
        self.geometryJSON = geometryJSON
        self.areaHectares = areaHectares
        self.organicSince = organicSince
    }

    init(row: Row) {
        self.init(stored: row["id"], name: row["name"], geometryJSON: row["geometry"], areaHectares: row["area_ha"], organicSince: row["organic_since"])
    }

    private enum CodingKeys: String, CodingKey { case id, name, geometry, areaHectares, organicSince }

    /// For `--json`: the geometry as the GeoJSON object it is, not as text inside a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(plot.geometry, forKey: .geometry)
        try container.encodeIfPresent(areaHectares, forKey: .areaHectares)
        try container.encodeIfPresent(organicSince, forKey: .organicSince)
    }

    /// The plot as AgriTrace events carry it.
    public var plot: Plot {
        Plot(id: id, name: name, geometry: (try? JSONValue.parse(Data(geometryJSON.utf8))) ?? .null,
             areaHectares: areaHectares.flatMap { Decimal(wholeText: $0) })
    }
}

/// A certificate the party holds, such as its organic certificate: number, issuing body, validity.
public struct HeldCertificate: Codable, Sendable, Equatable {
    public var number: String
    public var body: String
    /// `YYYY-MM-DD`.
    public var validFrom: String
    public var validUntil: String

    public init(number: String, body: String, validFrom: String, validUntil: String) throws {
        guard !number.isEmpty, !body.isEmpty else { throw TraceError("argument.invalid", "a certificate needs a number and an issuing body") }
        for day in [validFrom, validUntil] where CalendarDay.midnight(day) == nil {
            throw TraceError("argument.invalid", "\(day) is not a day written YYYY-MM-DD")
        }
        guard validFrom <= validUntil else { throw TraceError("argument.invalid", "the certificate ends before it begins") }
        self.number = number.nfc
        self.body = body.nfc
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    init(row: Row) throws {
        try self.init(number: row["number"], body: row["body"], validFrom: row["valid_from"], validUntil: row["valid_until"])
    }

    /// Whether the certificate is valid on `day` (`YYYY-MM-DD`).
    public func isValid(on day: String) -> Bool { validFrom <= day && day <= validUntil }
}
