import AgriTrace
import Foundation
import TraceStore

/// A cooperative's spreadsheet through the library: `rows` harvests of one product on one plot,
/// each checked against the registry (product, plots, lot not yet used), then all signed and
/// stored in one transaction (`EventRecorder.harvestAll`, what `agritrace harvest --csv` runs
/// after reading the file). Rows per second.
enum BulkHarvestBench {
    static func run(pki: SamplePKI, rows: Int, in directory: URL) throws -> Double {
        let workspace = try Workspace.create(at: directory.appendingPathComponent("bulk"),
                                             config: .init(organization: "Bench Cooperative", gln: try GLN(SampleActor.honeyCoop.gln)),
                                             trustAnchors: [pki.root.certificate])
        let honey = try GTIN("08936000120016")
        try workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
            try tx.addPlot(try StoredPlot(id: "P1", name: "Lũng Pù", geometryJSON: #"{"type":"Point","coordinates":[105.41,23.17]}"#))
        }
        let recorder = EventRecorder(workspace: workspace, signer: try pki.signer(.honeyCoop))
        let requests = (0..<rows).map {
            EventRecorder.HarvestRequest(gtin: honey, lot: "B-\($0)", quantity: 100, unit: nil, plots: ["P1"], harvestDate: "2026-04-10",
                                         organicCertificate: nil)
        }
        let started = Date()
        try recorder.harvestAll(requests) { _, _ in }
        return Double(rows) / Date().timeIntervalSince(started)
    }
}
