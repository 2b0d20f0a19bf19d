import AgriTrace
import Foundation

/// Products' English names by GTIN, for reports: the workspace's own products, else, for a
/// partner's product known only from its bundle, the name the record that made it gives (its
/// harvest, or a processor's transformation), looked up once per GTIN.
struct ProductNames {
    private let registry: Registry
    /// The workspace's own products.
    let registered: [String: String]
    private var found: [String: String] = [:]

    init(workspace: Workspace) throws {
        registry = workspace.registry
        registered = try workspace.registry.read { tx in
            Dictionary(try tx.products().map { ($0.gtin.value, $0.nameEn) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The name of the product `identifier` (a lot's or item's Digital Link) is of; empty when
    /// it names no GTIN or no name is known.
    mutating func name(of identifier: String) throws -> String {
        try name(ofGTIN: Self.gtin(of: identifier))
    }

    mutating func name(ofGTIN gtin: String) throws -> String {
        if gtin.isEmpty { return "" }
        if let name = registered[gtin] ?? found[gtin] { return name }
        let maker = try (try? GTIN(gtin)).flatMap { try registry.namingRecord(ofGTIN: $0) }  // a foreign event's odd key: no name
        let name = maker?.event.names(ofProduct: gtin)["en"] ?? ""
        found[gtin] = name
        return name
    }

    /// The GTIN in a lot's or item's Digital Link (`…/01/<GTIN>/10/…`); empty for anything else.
    static func gtin(of identifier: String) -> String {
        identifier.range(of: "/01/").map { String(identifier[$0.upperBound...].prefix(14)) } ?? ""
    }
}
