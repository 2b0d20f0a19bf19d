import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// The events report.
extension RegistryTests {
    @Test("the events report names the product on every row: a partner's from its harvest record, a pallet's from what was packed into it")
    func eventsReportProducts() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporterGLN = try GLN(SampleActor.exporter.gln), sscc = try SSCC("089360001000000018")
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: exporterGLN, time: Parties.day.addingTimeInterval(60))
        let file = try temporaryDirectory().appendingPathComponent("handed-over.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        // The exporter registers no product of its own: it knows the honey only from the coop's bundle.
        let exporter = try Parties.workspace(.exporter)
        #expect(try exporter.workspace.importBundle(at: file).added == 2)
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: try GLN(SampleActor.honeyCoop.gln), time: Parties.day.addingTimeInterval(120))
        try exporter.pack(into: sscc, contents: [.init(lot: Parties.lot, quantity: 600)], time: Parties.day.addingTimeInterval(180))
        try exporter.ship(units: [sscc], to: try GLN(SampleActor.importerSingapore.gln), time: Parties.day.addingTimeInterval(240))
        func rows(from: Date?) throws -> [[Substring]] {
            try EventReport.csv(workspace: exporter.workspace, from: from, to: nil).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let all = try rows(from: nil)
        #expect(all.map { $0[2] } == ["commissioning", "shipping", "receiving", "packing", "packing", "shipping"])
        #expect(all[3][3] == "https://id.gs1.org/00/089360001000000018" && all[3][4] == "unit" && all[4][3] == Substring(Parties.lot) && all[4][4] == "content")
        #expect(all.allSatisfy { $0[5] == "Honey" }, "\(all)")
        // A window holding only the pallet's shipment: its packing lies outside, and still names its contents.
        let pallet = try rows(from: Parties.day.addingTimeInterval(200))
        #expect(pallet.count == 1 && pallet[0][3] == "https://id.gs1.org/00/089360001000000018" && pallet[0][5] == "Honey", "\(pallet)")
    }

    @Test("the events report has a row for every lot an event names: each lot of a shipment, a blend's inputs and output, with their amounts")
    func eventsReportRowPerLot() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 300, plots: ["P1"], harvestDate: "2026-04-10", time: Parties.day)
        let second = DigitalLink.lot(Parties.honey, lot: "MV-2").uri, blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 200), .init(lot: second, quantity: 100)], outputs: [.init(lot: blend, quantity: 290)],
                           time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100), .init(lot: blend, quantity: 50)], to: try GLN(SampleActor.exporter.gln),
                      time: Parties.day.addingTimeInterval(120))
        let rows = try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(30), to: nil).split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // step, lot, role, quantity, unit
        #expect(rows.map { [$0[2], $0[3], $0[4], $0[6], $0[7]] } == [
            ["transforming", Parties.lot, "input", "200", "KGM"], ["transforming", second, "input", "100", "KGM"],
            ["transforming", blend, "output", "290", "KGM"],
            ["shipping", Parties.lot, "", "100", "KGM"], ["shipping", blend, "", "50", "KGM"],
        ], "\(rows)")
        #expect(Set(rows.map { $0[13] }).count == 2)  // two records
    }

    @Test("the events report is a CSV, quoted and safe for spreadsheets, within its window")
    func eventsReport() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln),
                      documents: [BizTransaction(type: "inv", bizTransaction: "=HYPERLINK(\"x\"),1")], time: Parties.day.addingTimeInterval(60))
        let csv = try EventReport.csv(workspace: coop.workspace, from: nil, to: nil)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[0] == Substring(EventReport.header.joined(separator: ",")))
        #expect(lines[1].contains("commissioning") && lines[1].contains("Honey") && lines[1].contains("1200"))
        // A harvest's row says when and where it was harvested; other rows leave those empty (and measurements: none here).
        #expect(lines[1].hasSuffix(",active,,2026-04-10,2026-04-10,Lũng Pù,"), "\(lines[1])")
        #expect(lines[2].hasSuffix(",in_transit,,,,,"), "\(lines[2])")
        #expect(lines[2].contains("\"'=HYPERLINK(\"\"x\"\"),1\""))
        // A value that only starts like a number is still defused; a number is left as it is.
        #expect(EventReport.field("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(EventReport.field("-2.5") == "-2.5" && EventReport.field("+7") == "+7")
        // Decided by bytes, as a spreadsheet reads them: a mark after '=' hides no formula, "\r\n" is a
        // line break, a quote before a mark is still doubled; a leading tab or carriage return is defused.
        #expect(EventReport.field("=\u{301}1+1") == "'=\u{301}1+1")
        #expect(EventReport.field("a\r\nb") == "\"a\r\nb\"")
        #expect(EventReport.field("x\"\u{301}y") == "\"x\"\"\u{301}y\"")
        #expect(EventReport.field("\tcmd") == "'\tcmd" && EventReport.field("Mật ong") == "Mật ong")
        #expect(try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(30), to: nil).split(separator: "\r\n").count == 2)
        // The window is from ..< to: the harvest at `day` is in [day, day+60) and the shipment at day+60 is not.
        let window = try EventReport.csv(workspace: coop.workspace, from: Parties.day, to: Parties.day.addingTimeInterval(60)).split(separator: "\r\n")
        #expect(window.count == 2 && window[1].contains("commissioning"))
        #expect(try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(61), to: nil).split(separator: "\r\n").count == 1)
        let plan = try coop.workspace.registry.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM record WHERE event_time >= 0 AND event_time < 1 ORDER BY seq")
                .map { $0["detail"] as String }
        }
        #expect(plan.joined().contains("record_by_time"), "\(plan)")
    }
}
