import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// The exporter's day with the benchmark bundle: importing it into a fresh workspace (verified
/// first, then stored) and exporting the container's bundle back out of the registry.
enum ExchangeBench {
    struct Figures {
        var importRecordsPerSecond: Double
        var exportRecordsPerSecond: Double
    }

    static func run(bundle url: URL, subject: String, anchors: [Certificate], in directory: URL) throws -> Figures {
        let workspace = try Workspace.create(at: directory.appendingPathComponent("exchange"),
                                             config: .init(organization: "Bench Exporter", gln: try GLN(SampleActor.exporter.gln)),
                                             trustAnchors: anchors)
        var started = Date()
        let imported = try workspace.importBundle(at: url)
        let importSeconds = Date().timeIntervalSince(started)
        started = Date()
        let exported = try workspace.exportBundle(subject: subject)
        let exportSeconds = Date().timeIntervalSince(started)
        guard imported.added == exported.records.count else {
            throw TraceError("bench.exchange", "imported \(imported.added) records but exported \(exported.records.count)")
        }
        return Figures(importRecordsPerSecond: Double(imported.added) / importSeconds,
                       exportRecordsPerSecond: Double(exported.records.count) / exportSeconds)
    }
}
