import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

@Suite("Master data")
struct MasterDataTests {
    @Test("a plot's geometry is a GeoJSON Point, Polygon or MultiPolygon in range, its area more than zero, organic since a past day",
          arguments: [
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, nil, nil, nil),
            (#"{"type":"Point","coordinates":[105.41,23.17,1200]}"#, nil, "3.2", "2020-01-01"),
            (#"{"type":"Polygon","coordinates":[[[105.4,23.1],[105.5,23.1],[105.5,23.2],[105.4,23.1]]]}"#, nil, nil, nil),
            (#"{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]],[[[7,8],[9,8],[9,9],[7,8]]]]}"#, nil, nil, nil),
            (#"{"type":"Point","coordinates":[105.4]}"#, "coordinates must be [longitude, latitude]", nil, nil),
            (#"{"type":"Point","coordinates":["105.4","23.1"]}"#, "coordinates must be [longitude, latitude]", nil, nil),
            (#"{"type":"Point","coordinates":[23.1,105.4]}"#, "latitude -90 to 90", nil, nil),
            (#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6]]]}"#, "coordinates[0] must be a ring of at least four positions", nil, nil),
            (#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[7,8]]]}"#, "closed ring", nil, nil),
            (#"{"type":"Polygon","coordinates":[]}"#, "list of linear rings", nil, nil),
            (#"{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]],[[[1,2],[300,4],[5,6],[1,2]]]]}"#, "coordinates[1][0][1]", nil, nil),
            (#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#, "not Point, Polygon or MultiPolygon", nil, nil),
            ("null", "must be a GeoJSON", nil, nil),
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, "area 0", "0", nil),
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, "still to come", nil, "2099-01-01"),
          ] as [(String, String?, String?, String?)])
    func plotGeometry(geometry: String, problem: String?, area: String?, organicSince: String?) {
        let made = Result { try StoredPlot(id: "P9", name: "Lũng Pù", geometryJSON: geometry, areaHectares: area, organicSince: organicSince) }
        switch (made, problem) {
        case (.success, nil): break
        case (.failure(let error), let problem?): #expect("\(error)".contains(problem), "\(error)")
        case (.success, let problem?): Issue.record("\(geometry) was accepted; expected: \(problem)")
        case (.failure(let error), nil): Issue.record("\(geometry) was refused: \(error)")
        }
    }

    @Test("names and plot ids typed in either Unicode form (a Vietnamese keyboard's composed or combining mode) are one: stored composed, found either way")
    func unicodeForms() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let composed = "L\u{0169}ng P\u{00F9}", combining = "Lu\u{0303}ng Pu\u{0300}"  // "Lũng Pù" both ways
        #expect(composed == combining && Array(composed.utf8) != Array(combining.utf8))
        let point = #"{"type":"Point","coordinates":[105.41,23.17]}"#
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "M\u{00E2}\u{0323}t ong", nameEn: "Honey", category: "honey", unit: "KGM"))
            try tx.addPlot(try StoredPlot(id: combining, name: combining, geometryJSON: point))
            #expect(throws: TraceError.self) { try tx.addPlot(try StoredPlot(id: composed, name: "again", geometryJSON: point)) }
            let stored = try tx.plots()
            #expect(stored.count == 1 && Array(stored[0].id.utf8) == Array(composed.utf8) && Array(stored[0].name.utf8) == Array(composed.utf8))
            #expect(Array(try tx.products()[0].nameVi.utf8) == Array("M\u{1EAD}t ong".utf8))
        }
        // A harvest names the plot typed either way, and its record carries the composed text.
        try coop.harvest(gtin: Parties.honey, lot: "U1", quantity: 5, plots: [composed], harvestDate: "2026-04-10", time: Parties.day)
        try coop.harvest(gtin: Parties.honey, lot: "U2", quantity: 5, plots: [combining], harvestDate: "2026-04-10", time: Parties.day)
        for record in try coop.workspace.registry.allRecords() {
            let plot = record.event.ilmd?["agt:plots"]?.arrayValue?.first?["properties"]?["name"]?.stringValue ?? ""
            #expect(Array(plot.utf8) == Array(composed.utf8))
        }
    }

    @Test("products, plots and held certificates are validated, listed and never registered twice")
    func masterData() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.workspace.registry.transaction { tx in
            #expect(try tx.products().map(\.gtin) == [Parties.honey])
            #expect(try tx.plots().map(\.id) == ["P1"])
            #expect(throws: TraceError.self) { try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "honey", unit: "KGM")) }
            #expect(throws: TraceError.self) { try tx.addPlot(try StoredPlot(id: "P1", name: "x", geometryJSON: #"{"type":"Point","coordinates":[1,2]}"#)) }
            try tx.addHeldCertificate(try HeldCertificate(number: "VC-1", body: "VietCert", validFrom: "2026-01-01", validUntil: "2026-04-30"))
            #expect(try tx.heldCertificates().map(\.number) == ["VC-1"])
        }
        #expect(throws: TraceError.self) { try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "fish", unit: "KGM") }
        for unit in ["kg", "", "KGMS", "K G"] {  // UN/ECE Recommendation 20 codes only, as EPCIS has them
            #expect { try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "honey", unit: unit) } throws: { "\($0)".contains("UN/ECE") }
        }
        #expect(throws: TraceError.self) { try StoredPlot(id: "P2", name: "x", geometryJSON: #"{"type":"Line"}"#) }
        #expect(throws: TraceError.self) { try HeldCertificate(number: "X", body: "Y", validFrom: "2026-12-01", validUntil: "2026-01-01") }
        // A harvest under a held certificate must fall inside its validity.
        #expect { try coop.harvest(gtin: Parties.honey, lot: "MV-9", quantity: 5, plots: [], harvestDate: "2026-05-01", organicCertificate: "VC-1",
                                  time: Parties.day.addingTimeInterval(20 * 86_400)) } throws: {
            ($0 as? TraceError)?.code == "certificate.expired"
        }
        try coop.harvest(gtin: Parties.honey, lot: "MV-9", quantity: 5, plots: [], harvestDate: "2026-04-01", organicCertificate: "VC-1", time: Parties.day)
    }
}
