import AgriTrace
import Foundation

/// Master data read once per command: a spreadsheet of harvests names the same product, plots
/// and organic certificate row after row, and reading them for every row cost more than the
/// rest of checking it.
final class MasterDataLookup {
    private let tx: RegistryTransaction
    private var products: [String: Product?] = [:]
    /// By id as typed; a `String` key is the same for an id typed composed or with combining
    /// marks, as the registry's lookup is (``RegistryTransaction/plot(_:)``).
    private var plots: [String: StoredPlot?] = [:]
    private var held: [HeldCertificate]?

    init(_ tx: RegistryTransaction) {
        self.tx = tx
    }

    func product(_ gtin: GTIN) throws -> Product? {
        if let known = products[gtin.value] { return known }
        let product = try tx.product(gtin)
        products[gtin.value] = product
        return product
    }

    /// The plot registered under `id`.
    func plot(_ id: String) throws -> StoredPlot? {
        if let known = plots[id] { return known }
        let plot = try tx.plot(id)
        plots[id] = plot
        return plot
    }

    /// The certificate registered under `number` (``RegistryTransaction/heldCertificate(_:)``).
    func heldCertificate(_ number: String) throws -> HeldCertificate? {
        let certificates = try held ?? tx.heldCertificates()
        held = certificates
        return certificates.first { $0.number == number.nfc }
    }
}
