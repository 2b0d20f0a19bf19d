import Foundation
import Testing
@testable import AgriTrace
import TraceCrypto
import TestSupport

@Suite("Bundle verification")
struct BundleVerifierTests {
    @Test("the clean honey bundle is trusted, with every step marked and in order")
    func cleanBundleTrusted() throws {
        let report = try Fixtures.verify(Fixtures.bundle)
        #expect(report.level == .trusted, "\(report.journeyText())")
        #expect(report.findings.isEmpty)
        #expect(report.records.map { $0.step ?? "" } == ["commissioning", "inspecting", "inspecting", "shipping", "receiving", "packing", "shipping", "receiving"])
        #expect(report.records.allSatisfy { $0.mark == .trusted })
        #expect(report.records.first?.signer?.hasPrefix("Meo Vac Mint Honey") == true)
    }

    @Test("the report says what the goods are: the names the record that made the subject's product gives (its harvest, the processor's cutting), and the products harvested for it where its own was not", arguments: [
        (CleanSample.honey, ["Product: Meo Vac mint-flower honey · Mật ong hoa bạc hà Mèo Vạc"]),
        (.citrus, ["From harvests of: Ham Yen king orange · Cam sành Hàm Yên · ส้มฮัมเยน"]),  // a pallet
        (.beef, ["Product: Dong Van yellow-cattle beef cuts · Thịt bò vàng Đồng Văn cắt miếng · 同文黄牛肉块",  // cuts of a carcass, another GTIN
                 "From harvests of: Dong Van yellow-cattle beef · Thịt bò vàng Đồng Văn · 同文黄牛肉"]),
        (.herb, ["From harvests of: Jiaogulan (Gynostemma) · Giảo cổ lam"]),  // a blend recorded without its product's names
    ])
    func reportNamesTheProduct(sample: CleanSample, expected: [String]) throws {
        let report = try Fixtures.verify(try sample.make(pki: Fixtures.pki))
        let lines = report.journeyText().split(separator: "\n").map(String.init)
        #expect(lines.count > expected.count && Array(lines[1...expected.count]) == expected, "\(lines.prefix(3))")
        #expect(lines.count > expected.count + 1 && !lines[expected.count + 1].hasPrefix("From") && !lines[expected.count + 1].hasPrefix("Product"))
        #expect((report.product == nil) == [.citrus, .herb].contains(sample) && (report.harvestedFrom == nil) == (sample == .honey))
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
        let vietnamese = ["honey": "Mật ong hoa bạc hà Mèo Vạc", "beef": "Thịt bò vàng Đồng Văn cắt miếng"][sample.rawValue]
        #expect((json?["product"] as? [String: String])?["vi"] == vietnamese)
    }

    @Test("a shipment received short says so on its last receipt, in the shipment's unit; received in full, nothing", arguments: [
        ([Decimal(1185)], "15 kg short of the 1200 kg shipped"), ([600, Decimal(string: "0.585") ?? 0], "15 kg short of the 1200 kg shipped"),
        ([600, Decimal(string: "0.6") ?? 0], nil),
    ])
    func receivedShort(receipts: [Decimal], phrase: String?) throws {
        let pki = Fixtures.pki, lot = HoneyScenario.lot
        let (coop, exporter) = (try pki.signer(.honeyCoop), try pki.signer(.exporter))
        let (from, to) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.exporter.gln))
        func at(_ hour: Int) throws -> EPCISTime { try EPCISTime(parsing: "2026-04-12T1\(hour):00:00.000+07:00") }
        let harvest = try coop.sign(EventFactory.harvest(lot: lot, quantity: 1200, uom: "KGM", at: try at(0), location: from, harvestDate: "2026-04-12", plots: []))
        let shipment = try coop.sign(EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: 1200, uom: "KGM")],
                                                       previous: [InputLink(record: harvest.digest, lot: lot)], at: try at(1), from: from, to: to))
        var records = [harvest, shipment]
        for (number, quantity) in receipts.enumerated() {  // the second in tonnes
            records.append(try exporter.sign(EventFactory.receive(quantities: [QuantityElement(epcClass: lot, quantity: quantity, uom: number == 0 ? "KGM" : "TNE")],
                                                                  previous: [InputLink(record: shipment.digest, lot: lot)], at: try at(2 + number), from: from, at: to)))
        }
        let report = try Fixtures.verifyWithoutPolicy(ProvenanceBundle(subject: lot, records: records,
            certificates: [coop.certificate, exporter.certificate, pki.issuing.certificate].map(\.derRepresentation), crls: [pki.crl.derRepresentation]))
        let lines = report.journeyText().split(separator: "\n").filter { $0.contains(" receiving ") }
        #expect(lines.count == receipts.count && lines.dropLast().allSatisfy { !$0.contains("short") }, "\(lines)")
        #expect(phrase.map { lines.last?.hasSuffix("; " + $0) == true } ?? !report.journeyText().contains("short"), "\(lines)")
        #expect(report.records.last?.shortfall == phrase.map { _ in [.init(lot: lot, missing: 15, shipped: 1200, uom: "KGM")] })
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test("the journey says whom each shipment went to and each receipt came from, by the names the certificates give, and counts logistic units")
    func journeyNamesCounterparties() throws {
        let report = try Fixtures.verify(Fixtures.bundle)
        let lines = report.journeyText().split(separator: "\n").map(String.init)
        let shipping = lines.filter { $0.contains(" shipping ") }, receiving = lines.filter { $0.contains(" receiving ") }
        #expect(shipping.count == 2 && receiving.count == 2)
        #expect(shipping.first?.hasSuffix("— 1200 kg to Plateau Harvest Export Co., Ltd.") == true, "\(shipping)")
        #expect(receiving.first?.hasSuffix("— 1200 kg from Meo Vac Mint Honey Cooperative (HTX Mật ong Bạc hà Mèo Vạc)") == true, "\(receiving)")
        #expect(shipping.last?.contains("— 1 logistic unit (SSCC 0893600010000") == true, "\(shipping)")
        #expect(shipping.last?.hasSuffix(" to Lion City Fine Foods Pte. Ltd.") == true, "\(shipping)")
        let packing = lines.filter { $0.contains(" packing ") }
        #expect(packing.count == 1 && packing[0].contains("— 600 kg into SSCC 0893600010000") == true, "\(packing)")
        // Machines get the GLNs; a step with no source or destination names none.
        let lastShipment = try #require(report.records.last { $0.step == "shipping" })
        #expect(lastShipment.destinationGLN == "8936000100094" && lastShipment.sourceGLN == "8936000100070")
        #expect(report.records.first?.destinationGLN == nil && report.records.first?.source == nil)
    }

    @Test("the journey says where a harvest grew and under which certificate, and what each inspection found and measured; --json gives them as data")
    func journeyStatesFindings() throws {
        let report = try Fixtures.verify(Fixtures.bundle)
        let lines = report.journeyText().split(separator: "\n").map(String.init)
        let harvest = try #require(lines.first { $0.contains(" commissioning ") })
        #expect(harvest.hasSuffix("— 1200 kg; harvested 2026-04-10; plots: Lũng Pù mint slope, Sủng Là valley; organic VC-ORG-2026-0457"), "\(harvest)")
        let inspections = lines.filter { $0.contains(" inspecting ") }
        #expect(inspections.count == 2)
        #expect(inspections.first?.hasSuffix("— conformant; certificate VC-ORG-2026-0457") == true, "\(inspections)")
        #expect(inspections.last?.hasSuffix("— conformant (moisture 17.8 %, HMF 12.4 mg/kg, diastase 14.2 DN)") == true, "\(inspections)")
        // Machines get the same as data: the CBV word, numbers with their unit codes, the plots' names.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let records = try #require(json?["records"] as? [[String: Any]])
        #expect(records[0]["plots"] as? [String] == ["Lũng Pù mint slope", "Sủng Là valley"])
        #expect(records[0]["certificate"] as? String == "VC-ORG-2026-0457" && records[0]["disposition"] as? String == "active")
        let lab = try #require(records[2]["measurements"] as? [[String: Any]])
        #expect(lab.count == 3 && lab[0]["name"] as? String == "moisture" && (lab[0]["value"] as? NSNumber)?.doubleValue == 17.8 && lab[0]["unit"] as? String == "P1")
        #expect(records[2]["disposition"] as? String == "conformant" && records[3]["measurements"] == nil && records[3]["plots"] == nil)
    }

    @Test("a finding reads as people say it: non-conformant, values in their units, plots counted past five")
    func stepFactsWording() {
        let values = [Measurement("moisture", 21.5, "P1"), Measurement("temperature", 4, "CEL"), Measurement("brix", 11.8, "Brix")]
        #expect(StepFacts.phrases(step: "inspecting", disposition: "https://ref.gs1.org/cbv/Disp-non_conformant", measurements: values, plots: [],
                                  certificate: nil) == ["non-conformant (moisture 21.5 %, temperature 4 °C, brix 11.8 Brix)"])
        #expect(StepFacts.phrases(step: "inspecting", disposition: nil, measurements: values.prefix(1).map { $0 }, plots: [], certificate: "C-1")
                == ["moisture 21.5 %", "certificate C-1"])
        #expect(StepFacts.phrases(step: "storing", disposition: "in_transit", measurements: [], plots: [], certificate: "C-1") == ["organic C-1"])
        let plots = (1...7).map { "P\($0)" }
        #expect(StepFacts.phrases(step: "commissioning", disposition: "active", measurements: [], plots: plots, certificate: nil)
                == ["plots: P1, P2, P3, P4, P5 and 2 more"])
        // A residue screen of 200 analytes, one named at length: eight shown, the rest counted, names cut.
        let screen = (1...200).map { Measurement($0 == 1 ? String(repeating: "x", count: 500) : "a\($0)", 0, "NA") }
        let line = StepFacts.phrases(step: "inspecting", disposition: "conformant", measurements: screen, plots: [], certificate: nil)
        #expect(line == ["conformant (\(String(repeating: "x", count: 40)) 0 mg/kg, a2 0 mg/kg, a3 0 mg/kg, a4 0 mg/kg, a5 0 mg/kg, a6 0 mg/kg, "
                         + "a7 0 mg/kg, a8 0 mg/kg and 192 more)"])
        #expect(StepFacts.detail(movement: [nil, nil], facts: []) == nil)
        #expect(StepFacts.detail(movement: ["5 kg", nil, "to X"], facts: ["organic C"]) == "5 kg to X; organic C")
    }

    @Test("a blend's journey names every lot that is not the subject: which harvest is which, and what went into what")
    func journeyNamesLots() throws {
        let report = try Fixtures.verify(try HerbScenario(pki: Fixtures.pki).bundle())
        let lines = report.journeyText().split(separator: "\n").map(String.init)
        // Each harvest with its own inspection and hand-over, in the order they happened, then the blend.
        #expect(report.records.prefix(9).map { $0.step ?? "" } == ["commissioning", "inspecting", "shipping", "receiving",
                                                                     "commissioning", "inspecting", "shipping", "receiving", "transforming"])
        let harvests = lines.filter { $0.contains(" commissioning ") }
        #expect(harvests.count == 2 && harvests[0].contains("— 300 kg of lot JG-2026-A14; harvested 2026-08-10; plots: ")
                && harvests[1].contains("— 260 kg of lot JG-2026-B09; harvested 2026-08-11; plots: "),
                "\(harvests)")
        let blend = try #require(lines.first { $0.contains(" transforming ") })
        #expect(blend.contains("— 300 kg of lot JG-2026-A14 and 260 kg of lot JG-2026-B09 into 140 kg of lot JG-2026-D03;"), "\(blend)")
        let inspections = lines.filter { $0.contains(" inspecting ") }
        #expect(inspections.first?.contains("— lot JG-2026-A14; conformant; certificate VC-ORG-2026-0612") == true, "\(inspections)")
        // The subject's own steps read as before: its lot is the report's heading.
        #expect(inspections.last?.hasSuffix("— conformant (moisture 9.5 %)") == true && lines.contains { $0.hasSuffix("— 140 kg into SSCC 089360001000000056") })
        // Machines get the lots as EPCIS quantity elements.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let records = try #require(json?["records"] as? [[String: Any]])
        let transform = try #require(records.first { $0["step"] as? String == "transforming" })
        let inputs = try #require(transform["inputLots"] as? [[String: Any]]), outputs = try #require(transform["lots"] as? [[String: Any]])
        #expect(inputs.map { $0["epcClass"] as? String } == [HerbScenario.collectionA, HerbScenario.collectionB])
        #expect(outputs.count == 1 && outputs[0]["epcClass"] as? String == HerbScenario.blend && (outputs[0]["quantity"] as? NSNumber)?.intValue == 140
                && outputs[0]["uom"] as? String == "KGM")
        #expect(records.first { $0["step"] as? String == "receiving" }?["inputLots"] == nil)
        // The honey journey, all about its subject lot, names none.
        #expect(!(try Fixtures.verify(Fixtures.bundle)).journeyText().contains(" of lot "))
    }

    @Test("a lot reads by its number, by GTIN/LOT where two products share the number; other identifiers as they are, cut short")
    func lotNames() {
        let a = DigitalLink.lot(try! GTIN("08936000120054"), lot: "JG-1").uri, b = DigitalLink.lot(try! GTIN("08936000120061"), lot: "JG-1").uri
        let slash = DigitalLink.lot(try! GTIN("08936000120016"), lot: "MV/31").uri, urn = "urn:epc:class:lgtin:893600.0120016.X"
        let long = "https://id.gs1.org/01/08936000120016/10/" + String(repeating: "A", count: 5000)
        let names = LotNames([a, b, slash, urn, long])
        #expect(names(a) == "08936000120054/JG-1" && names(b) == "08936000120061/JG-1")
        #expect(names(slash) == "MV/31" && LotNames([a])(a) == "JG-1")
        #expect(names(urn) == urn && names(long) == String(long.prefix(LotNames.maximumLength)) + "…")
        // A side lists four lots, or three and a count of the rest.
        func lot(_ i: Int) -> QuantityElement { QuantityElement(epcClass: DigitalLink.lot(try! GTIN("08936000120016"), lot: "L\(i)").uri, quantity: 5, uom: "KGM") }
        let many = LotNames((0..<9).map { lot($0).epcClass })
        #expect(MovementText.goods(consumed: [], lots: (0..<4).map(lot), units: [], subject: nil, name: many) == "5 kg of lot L0, 5 kg of lot L1, 5 kg of lot L2 and 5 kg of lot L3")
        #expect(MovementText.goods(consumed: (0..<9).map(lot), lots: [], units: [], subject: nil, name: many)
                == "5 kg of lot L0, 5 kg of lot L1, 5 kg of lot L2 and 6 more lots into no lot")
        #expect(MovementText.goods(consumed: [], lots: [lot(1)], units: [], subject: lot(1).epcClass, name: many) == "5 kg")
        #expect(MovementText.goods(consumed: [], lots: [QuantityElement(epcClass: lot(1).epcClass)], units: [], subject: lot(1).epcClass, name: many) == nil)
        #expect(MovementText.goods(consumed: [], lots: [], units: [], subject: nil, name: many) == nil)
        // A shipment of a pallet and a loose lot names both.
        let pallet = DigitalLink.logisticUnit(try! SSCC("089360001000000018")).uri
        #expect(MovementText.goods(consumed: [], lots: [lot(2)], units: [pallet], subject: nil, name: many)
                == "5 kg of lot L2 and 1 logistic unit (SSCC 089360001000000018)")
        #expect(MovementText.goods(consumed: [], lots: [], units: [pallet, pallet], subject: nil, name: many) == "2 logistic units")
    }

    @Test("a verification keeps the names of at most 50 plots a record lists, 80 characters of each, not their shapes")
    func keptPlotsAreBounded() throws {
        func plot(_ i: Int) -> JSONValue {
            ["type": "Feature", "geometry": ["type": "Point", "coordinates": [.number(105), .number(23)]],
             "properties": ["id": .string("P\(i)"), "name": .string("plot \(i) " + String(repeating: "ư", count: 200))]]
        }
        var event = EventFactory.harvest(lot: "https://id.gs1.org/01/08936000120016/10/L1", quantity: 1, uom: "KGM",
                                         at: EPCISTime(date: Date(timeIntervalSince1970: 1_776_000_000)), location: try GLN("8936000100018"),
                                         harvestDate: "2026-04-10", plots: [])
        event.ilmd = ["agt:plots": .array((1...70).map(plot)), "agt:organicCertificate": "C-1"]
        let kept = event.keepingClaimsOnly()
        #expect(event.plotNames.count == 70 && kept.plotNames.count == 50)
        #expect(kept.plotNames.first == String(("plot 1 " + String(repeating: "ư", count: 200)).prefix(80)))
        #expect(kept.organicClaim == "C-1" && kept.ilmd?["agt:plots"]?.arrayValue?.contains { $0["geometry"] != nil } == false)
    }

    @Test("a verification keeps a small ILMD whole, and cuts down a large one, long plot names and any sensor data")
    func smallOpenJSONIsKeptWhole() throws {
        var event = EventFactory.harvest(lot: "https://id.gs1.org/01/08936000120016/10/L1", quantity: 1, uom: "KGM",
                                         at: EPCISTime(date: Date(timeIntervalSince1970: 1_776_000_000)), location: try GLN("8936000100018"),
                                         harvestDate: "2026-04-10", plots: [])
        func plot(_ name: String) -> JSONValue {
            ["type": "Feature", "geometry": ["type": "Point", "coordinates": [.number(105), .number(23)]], "properties": ["name": .string(name)]]
        }
        event.ilmd = ["agt:plots": [plot("Lũng Pù slope")], "agt:organicCertificate": "C-1", "agt:grade": "A"]
        #expect(event.keepingClaimsOnly().ilmd == event.ilmd)
        // A name longer than a verification keeps: cut down, though small.
        event.ilmd = ["agt:plots": [plot(String(repeating: "ư", count: 81))], "agt:organicCertificate": "C-1"]
        #expect(event.keepingClaimsOnly().ilmd?["agt:plots"]?.arrayValue?.first?["geometry"] == nil)
        #expect(event.keepingClaimsOnly().plotNames == [String(repeating: "ư", count: 80)])
        // Any string longer in bytes than a kept name (80 characters of 2 bytes, a long note): cut
        // down, claims and names the same.
        for long in [["agt:plots": [plot(String(repeating: "ư", count: 80))]], ["agt:plots": [plot("P")], "agt:note": .string(String(repeating: "n", count: 81))]] as [JSONValue] {
            event.ilmd = long
            #expect(event.keepingClaimsOnly().ilmd?["agt:plots"]?.arrayValue?.first?["geometry"] == nil)
            #expect(event.keepingClaimsOnly().plotNames == event.plotNames && event.keepingClaimsOnly().ilmd?["agt:note"] == nil)
        }
        // More values than kept whole: cut down to what the claims read.
        event.ilmd = ["agt:plots": .array((1...13).map { plot("P\($0)") }), "agt:grade": "A"]
        let kept = event.keepingClaimsOnly()
        #expect(kept.ilmd?["agt:grade"] == nil && kept.plotNames == (1...13).map { "P\($0)" })
        // Sensor data, however small, is cut down to its measurements, as the reports of one element.
        let report: JSONValue = ["type": "agt:moisture", "value": .number(17), "uom": "P1"]
        event.sensorElementList = [["sensorMetadata": ["agt:logger": "L-7"], "sensorReport": [report]], ["sensorReport": [report, ["type": "Temperature"]]]]
        let cut = event.keepingClaimsOnly()
        #expect(cut.sensorElementList == [["sensorReport": [report, report]]] && cut.measurements == event.measurements && cut.measurements.count == 2)
        event.sensorElementList = [["sensorReport": [["type": "Temperature"]]]]
        #expect(event.keepingClaimsOnly().sensorElementList == [])
    }

    @Test("a JSON value counts what it holds, itself included, no further than asked")
    func valueCount() {
        let value: JSONValue = ["a": [.number(1), .null, ["b": "c"]], "d": .bool(true)]
        #expect(value.holdsAtMost(7) && !value.holdsAtMost(6))  // the object, the array, 1, null, the inner object, "c", true
        #expect(JSONValue.string("x").holdsAtMost(1) && !JSONValue.string("x").holdsAtMost(0))
        // Strings by their UTF-8 bytes, at any depth; member names are not values.
        #expect(value.holdsAtMost(7, stringBytes: 1) && !value.holdsAtMost(7, stringBytes: 0))
        let names: JSONValue = ["a long member name": ["x": .string("ư")]]
        #expect(names.holdsAtMost(3, stringBytes: 2) && !names.holdsAtMost(3, stringBytes: 1))
        let deep = (0..<60).reduce(JSONValue.null) { inner, _ in .array([inner, inner]) }  // 2^61 values, counted to the limit only
        #expect(!deep.holdsAtMost(1_000))
    }

    @Test("a verification's cut-down event reads the measurements the whole event holds, read once; new sensor data is read anew")
    func keptMeasurementsAreTheEventsOwn() throws {
        let values = [Measurement("moisture", Decimal(string: "17.5")!, "P1", time: "2026-04-10T08:00:00.000+07:00"),
                      Measurement("hmf", 12, "mg/kg"), Measurement("note", 0, "")]
        let event = EventFactory.inspection(lot: "https://id.gs1.org/01/08936000120016/10/L1", previous: "sha256:" + String(repeating: "0", count: 64),
                                            at: EPCISTime(date: Date(timeIntervalSince1970: 1_776_000_000)), location: try GLN("8936000100018"),
                                            conformant: true, measurements: values)
        var kept = event.keepingClaimsOnly()
        #expect(event.measurements == values && kept.measurements == values)
        // Read again from the cut-down sensor data, without what was kept, they are the same; and
        // what was kept is no part of the event's value.
        var reread = kept
        reread.sensorElementList = kept.sensorElementList
        #expect(reread.measurements == values)
        #expect(reread == kept && reread.hashValue == kept.hashValue)
        kept.sensorElementList = [["sensorReport": [["type": "agt:brix", "value": .number(80), "uom": "P1"]]]]
        #expect(kept.measurements == [Measurement("brix", 80, "P1")])
        kept.sensorElementList = nil
        #expect(kept.measurements.isEmpty)
    }

    @Test("a party no certificate in the bundle names is shown by its GLN; identifiers are counted as items unless every one is an SSCC")
    func journeyFallsBackToGLNAndItems() {
        var record = VerificationReport.RecordSummary(digest: "sha256:00", eventID: "", type: "ObjectEvent", eventTime: "2026-04-19T08:00:00+07:00",
                                                      step: "receiving", mark: .trusted)
        record.sourceGLN = "8936000100018"
        #expect(VerificationReport.counterparty(of: record) == "from GLN 8936000100018")
        record.destinationGLN = "8936000100070"
        record.destination = "Plateau Harvest Export Co., Ltd."
        #expect(VerificationReport.counterparty(of: record) == "from GLN 8936000100018")  // a receipt names where it came from
        record.step = "shipping"
        #expect(VerificationReport.counterparty(of: record) == "to Plateau Harvest Export Co., Ltd.")
        let sscc = "https://id.gs1.org/00/089360001000000018", item = "https://id.gs1.org/01/08936000120016/21/7"
        #expect(MovementText.count([]) == nil)
        #expect(MovementText.count([sscc]) == "1 logistic unit (SSCC 089360001000000018)")
        #expect(MovementText.count([sscc, sscc]) == "2 logistic units")
        #expect(MovementText.count([sscc, item]) == "2 items")
        #expect(MovementText.count([item]) == "1 item")
        record.parent = sscc
        for (action, text) in [("ADD", "into SSCC 089360001000000018"), ("DELETE", "out of SSCC 089360001000000018"), ("OBSERVE", "in SSCC 089360001000000018")] {
            record.action = action
            #expect(VerificationReport.container(of: record) == text)
        }
        record.parent = item
        #expect(VerificationReport.container(of: record) == "in \(item)")
    }

    @Test("a bundle mapped from a file verifies as its bytes do, and its records read the same after their pages are handed back")
    func mappedFileReleasesPages() throws {
        let directory = try temporaryDirectory()
        let url = directory.appendingPathComponent("honey.provenance.json")
        let bytes = try Fixtures.bundle.jsonData()
        try bytes.write(to: url)
        let mapped = try BundleFile(contentsOf: url)
        let copied = try BundleFile(contentsOf: url, mapped: false)
        #expect(mapped.records == copied.records)
        mapped.releasePages(upTo: bytes.count)
        #expect(mapped.records == copied.records)  // read again from the file
        let fromFile = Fixtures.verifier().verify(contentsOf: url), fromBytes = Fixtures.verifier().verify(data: bytes)
        #expect(fromFile.level == .trusted && fromBytes.level == .trusted)
        #expect(fromFile.records.map(\.digest) == fromBytes.records.map(\.digest))
        #expect(throws: TraceError.self) { try BundleFile(contentsOf: directory) }
        let empty = directory.appendingPathComponent("empty.json")
        try Data().write(to: empty)
        #expect(throws: TraceError.self) { try BundleFile(contentsOf: empty) }
    }

    @Test("waiting for the records' freeing returns once every verification's records are freed", .timeLimit(.minutes(1)))
    func waitsUntilFreed() throws {
        for _ in 0..<3 { #expect(try Fixtures.verify(Fixtures.bundle).level == .trusted) }
        BundleVerifier.waitUntilFreed()
        BundleVerifier.waitUntilFreed()  // nothing left: returns at once
    }

    @Test("records' keyid lists are kept once per signer: equal one-key lists share their storage, longer lists are kept as they are")
    func sharedKeyidLists() {
        let intern = StringInterner()
        let keyid = String(repeating: "ab", count: 32)
        let first = intern.list([keyid]), second = intern.list([String(repeating: "ab", count: 32)])
        #expect(first == [keyid] && second == [keyid])
        #expect(first.withUnsafeBufferPointer { $0.baseAddress } == second.withUnsafeBufferPointer { $0.baseAddress })
        let other = intern.list([String(repeating: "cd", count: 32)])
        #expect(other != first && intern.list([keyid, String(repeating: "cd", count: 32)]) == [keyid, String(repeating: "cd", count: 32)])
        #expect(intern.list([]).isEmpty)
    }

    @Test("an interner sized for none, for fewer strings than it is given, or for many, keeps one copy of each", arguments: [0, 1_000, 100_000])
    func sizedInterner(expectedStrings: Int) {
        func storage(_ text: String) -> UnsafePointer<UInt8>? { text.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }
        let intern = StringInterner(expectedStrings: expectedStrings)
        let lots = (0..<5_000).map { "https://id.gs1.org/01/08936000120016/10/LOT-\($0)" }
        let first = lots.map { intern($0) }
        let again = lots.map { lot in Array(lot.utf8).withUnsafeBytes { intern(utf8: $0) } }
        #expect(first == lots && again == lots)
        #expect(zip(first, again).allSatisfy { storage($0) == storage($1) })
        #expect(Set(first.map(storage)).count == lots.count)
    }

    @Test("a canonical payload read with the interner is the same event, its identifiers the interner's one copy whether found from bytes or from a string")
    func readerSharesStrings() throws {
        func storage(_ text: String?) -> UnsafePointer<UInt8>? { text?.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }
        let intern = StringInterner()
        let lot = "https://id.gs1.org/01/08936000120016/10/B" + String(42)
        let fromString = intern(lot), fromBytes = Array(lot.utf8).withUnsafeBytes { intern(utf8: $0) }
        #expect(fromBytes == lot && storage(fromBytes) == storage(fromString))
        #expect(Array("short".utf8).withUnsafeBytes { intern(utf8: $0) } == "short")
        let events = try PayloadEncodingTests.scenarioEvents()
        var firstSeen: [String: UnsafePointer<UInt8>] = [:]
        for event in events + events {
            let payload = try event.payloadBytes()
            let read = try EPCISEvent.read(payload: payload, sharingWith: intern), plain = try EPCISEvent.read(payload: payload)
            #expect(read.event == plain.event && read.isCanonical && read.stringsShared && !plain.stringsShared)
            let identifiers = (read.event.quantityList ?? []).map(\.epcClass) + read.event.inputs.flatMap { [$0.lot, $0.record] }
                + [read.event.readPoint?.id, read.event.bizLocation?.id, read.event.parentID].compactMap { $0 } + (read.event.epcList ?? [])
            for identifier in identifiers where identifier.utf8.count > 15 {
                let shared = try #require(storage(identifier))
                #expect(firstSeen[identifier, default: shared] == shared, "\(identifier) read into a copy of its own")
                #expect(storage(intern(identifier)) == shared)
                firstSeen[identifier] = shared
            }
        }
        #expect(!firstSeen.isEmpty)
    }

    @Test("a kept record's event shares repeated strings and keeps of its open JSON what claims read, and nothing else changes")
    func sharedStringsKeepEvents() throws {
        let intern = StringInterner()
        let events = try PayloadEncodingTests.scenarioEvents()
        for event in events + events {
            let kept = event.sharingStrings(intern)
            var unchanged = kept
            (unchanged.ilmd, unchanged.extensions, unchanged.sensorElementList) = (event.ilmd, event.extensions, event.sensorElementList)
            #expect(unchanged == event)
            #expect(kept.organicClaim == event.organicClaim && kept.productCategory == event.productCategory && kept.isImported == event.isImported)
            #expect(kept.harvestStartDate == event.harvestStartDate && kept.certificateValidity == event.certificateValidity)
            #expect(kept.measurements == event.measurements && kept.plotNames == event.plotNames && kept.productNames == event.productNames)
        }
        // What is dropped: of an ILMD larger than is kept whole, the plots' shapes (their names
        // stay) and other members; the metadata of a laboratory's report. A small ILMD stays whole.
        let harvest = try #require(events.first { !$0.plotNames.isEmpty })
        #expect(harvest.ilmd?["agt:plots"]?.arrayValue?.first?["geometry"] != nil)
        #expect(harvest.sharingStrings(intern).ilmd == harvest.ilmd)
        var large = harvest
        if case .object(var members)? = large.ilmd, let plots = members["agt:plots"]?.arrayValue {
            members["agt:plots"] = .array((0..<10).flatMap { _ in plots })
            large.ilmd = .object(members)
        }
        #expect(large.sharingStrings(intern).ilmd?["agt:plots"]?.arrayValue?.first?["geometry"] == nil)
        #expect(large.sharingStrings(intern).plotNames == large.plotNames && large.plotNames.count == 10 * harvest.plotNames.count)
        let imported = try #require(events.first { $0.extensions["agt:productName"] != nil })
        var marked = imported
        marked.extensions["agt:imported"] = .object(["source": .string("urn:example")])
        marked.extensions["agt:notes"] = .string("a clerk's note")
        #expect(marked.sharingStrings(intern).isImported && marked.sharingStrings(intern).extensions["agt:notes"] == nil)
        // Product names are kept, bounded: a hostile record's thousand languages of megabytes each are not.
        marked.extensions["agt:productName"] = .object(Dictionary(uniqueKeysWithValues: (0..<1000).map { ("l\($0)", JSONValue.string(String(repeating: "n", count: 100_000))) }))
        let names = marked.sharingStrings(intern).productNames
        #expect(names.count == 8 && names.values.allSatisfy { $0.count == 80 })
        #expect(intern("short") == "short" && intern(String(repeating: "x", count: 40)) == String(repeating: "x", count: 40))
    }

    @Test("a record that appears twice is one duplicate finding, on the second copy, and the bundle is invalid")
    func duplicateRecord() throws {
        var bundle = Fixtures.bundle
        let twice = bundle.records[1]
        bundle.records.append(twice)
        let report = try Fixtures.verify(bundle)
        let duplicates = report.findings.filter { $0.code == .recordDuplicate }
        #expect(duplicates.count == 1)
        #expect(duplicates.first?.record == twice.digest)
        #expect(duplicates.first?.message.contains("appears twice") == true)
        #expect(report.level == .invalid)
    }

    @Test("a record's signers are found once each, in the envelope's order: one that signed three times is judged once for it, a keyid without a certificate is none; a step needs one signer of a role allowed it")
    func signersOfARecord() throws {
        let coop = try Fixtures.pki.signer(.honeyCoop).certificate, certifier = try Fixtures.pki.signer(.certifier).certificate
        let (coopKey, certifierKey) = (coop.fingerprint.hexString, certifier.fingerprint.hexString)
        let event = EventFactory.harvest(lot: HoneyScenario.lot, quantity: 10, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                         location: try GLN(SampleActor.honeyCoop.gln), harvestDate: "2026-04-12", plots: [])
        let unknown = String(repeating: "0", count: 64)
        let records = [
            VerifiedRecordInput(index: 0, digest: "sha256:" + String(repeating: "a", count: 64), keyids: [certifierKey], event: event),
            // Index 2: the record at 1 did not decode.
            VerifiedRecordInput(index: 2, digest: "sha256:" + String(repeating: "b", count: 64), keyids: [coopKey, unknown, coopKey, certifierKey, coopKey], event: event),
            VerifiedRecordInput(index: 3, digest: "sha256:" + String(repeating: "c", count: 64), keyids: [unknown, certifierKey], event: event),
        ]
        let issuing = Fixtures.pki.issuing.certificate  // in the bundle, but signs no record
        let certificates = [coopKey: coop, certifierKey: certifier, issuing.fingerprint.hexString: issuing]
        func context(trusting anchor: Certificate) throws -> VerificationContext {
            VerificationContext(subject: HoneyScenario.lot, records: records, certificates: certificates, crls: [],
                                options: VerificationOptions(trustAnchors: [anchor], at: Fixtures.verifyTime), chainVerifier: try ChainVerifier(trustAnchors: [anchor]))
        }
        let untrusted = try context(trusting: try TamperedSample.impostorRoot())
        #expect(untrusted.bundleSigners.map(\.keyid) == [certifierKey, coopKey])
        #expect(untrusted.signerPositions(of: records[1]).map { untrusted.bundleSigners[$0].keyid } == [coopKey, coopKey, certifierKey, coopKey])
        #expect(untrusted.signers(of: records[0]).map(\.name) == [certifier.partyName])
        // Records a signer signs alone share one list of its position.
        let alone = [records[0], records[2]].map { untrusted.signerPositions(of: $0) }
        #expect(alone[0] == [0] && alone[0].withUnsafeBufferPointer { $0.baseAddress } == alone[1].withUnsafeBufferPointer { $0.baseAddress })
        let found = SignerChainCheck().findings(in: untrusted)
        #expect(found.map(\.code) == Array(repeating: .certificateUntrusted, count: 4))
        #expect(found.map(\.record) == [records[0].digest, records[1].digest, records[1].digest, records[2].digest])
        #expect(found[1].message.hasPrefix(coop.partyName) && found[2].message.hasPrefix(certifier.partyName))
        // Trusted, but the bundle has no CRL: each signer of each record once, in the same order.
        let gaps = RevocationStatusCheck().findings(in: try context(trusting: Fixtures.pki.root.certificate))
        #expect(gaps.map(\.code) == Array(repeating: .certificateRevocationUnknown, count: 4))
        #expect(gaps.map(\.record) == [records[0].digest, records[1].digest, records[1].digest, records[2].digest])
        #expect(gaps[1].message.contains(coop.partyName) && gaps[2].message.contains(certifier.partyName))
        // A harvest is a producer's step: the certifier alone may not sign one; beside the cooperative it may.
        let roles = RoleCheck().findings(in: untrusted)
        #expect(roles.map(\.code) == [.roleNotAllowed, .roleNotAllowed])
        #expect(roles.map(\.record) == [records[0].digest, records[2].digest])
        #expect(roles.first?.message == "\(certifier.partyName) signed this commissioning event with role(s) [certifier]; that step needs one of [processor, producer]")
    }

    @Test("two records with one eventID: the second is a duplicate naming the first; the first is not")
    func duplicateEventID() throws {
        var bundle = Fixtures.bundle
        let first = bundle.records[1]
        var event = try EPCISEvent.decode(payload: first.payload)
        // Another event a minute later, under the first one's ID.
        event.eventTime = EPCISTime(date: event.eventTime.date.addingTimeInterval(60), offsetMinutes: event.eventTime.offsetMinutes)
        let second = try Fixtures.scenario.harvester.sign(event)
        let reread = try EPCISEvent.decode(payload: second.payload)
        #expect(second.digest != first.digest && reread.eventID == event.eventID)
        bundle.records.append(second)
        let duplicates = try Fixtures.verify(bundle).findings.filter { $0.code == .recordDuplicate }
        #expect(duplicates.map(\.record) == [second.digest])
        #expect(duplicates.first?.message == "eventID \(event.eventID) is also used by \(first.digest)")
    }

    @Test("a record may carry up to 16 signatures; one with more is refused unchecked, and the signer will not add a 17th")
    func signatureBound() throws {
        var bundle = Fixtures.bundle
        let signature = bundle.records[0].signatures[0]
        bundle.records[0].signatures = Array(repeating: signature, count: SignatureCheck.maximumSignatures)
        #expect(try Fixtures.verify(bundle).level == .trusted)
        bundle.records[0].signatures.append(signature)
        let report = try Fixtures.verify(bundle)
        #expect(report.codes == ["signature.tooMany"])
        #expect(report.findings.count == 1 && report.level == .invalid)
        var envelope = bundle.records[0]
        #expect { try Fixtures.scenario.harvester.countersign(&envelope) } throws: { ($0 as? TraceError)?.code == .signatureTooMany }
    }

    @Test("certificates and CRLs repeated many times are decoded once; a broken entry is one finding at its first position")
    func repeatedEntries() throws {
        var bundle = Fixtures.bundle
        let junk = Data("not a certificate".utf8)
        bundle.certificates = [junk, junk] + Array(repeating: bundle.certificates, count: 200).flatMap { $0 }
        bundle.crls = Array(repeating: Fixtures.pki.crl.derRepresentation, count: 200) + [junk]
        let report = try Fixtures.verify(bundle)
        #expect(report.codes == ["certificate.malformed", "crl.malformed"])
        #expect(report.findings.map { String($0.message.prefix(15)) } == ["certificates[0]", "crls[200] is no"])
    }

    @Test("a record repeated many times: each finding is reported and printed once, not once per copy")
    func manyCopies() throws {
        var bundle = Fixtures.bundle
        let copies = 400, repeated = bundle.records[3]
        bundle.records += Array(repeating: repeated, count: copies)
        let report = try Fixtures.verify(bundle)
        let duplicates = report.findings.filter { $0.code == .recordDuplicate }
        #expect(duplicates.count == copies)
        #expect(report.records.count == Fixtures.bundle.records.count + copies)
        #expect(report.records.filter { $0.digest == repeated.digest }.allSatisfy { $0.mark == .invalid })
        // Findings name records by digest: they go under the first copy, once (not 401 × 400 lines).
        let text = report.journeyText()
        let printed = text.split(separator: "\n").filter { $0.contains("[record.duplicate]") }
        #expect(printed.count == copies)
        #expect(text.split(separator: "\n").count < report.records.count + report.findings.count + 10)
    }
}

extension BundleVerifierTests {
    @Test("a report lists the first 1,000 findings of a code and counts the rest; the level and every record's mark come from all of them")
    func findingsPerCodeAreCapped() throws {
        var bundle = Fixtures.bundle
        // 1,200 copies of a trusted record with its signatures cut: 1,200 signature.missing, and
        // (the same eventID each time) as many record.duplicate.
        var unsigned = bundle.records[0]
        unsigned.signatures = []
        bundle.records += Array(repeating: unsigned, count: 1_200)
        let report = try Fixtures.verify(bundle)
        #expect(report.level == .invalid)
        #expect(report.findings.filter { $0.code == .signatureMissing }.count == VerificationReport.maximumListedPerCode)
        let truncated = report.findings.filter { $0.code == .reportTruncated }
        #expect(truncated.contains { $0.severity == .error && $0.record == nil && $0.message.hasPrefix("200 more signature.missing findings") })
        #expect(report.records.suffix(1_200).allSatisfy { $0.mark == .invalid })
        #expect(report.journeyText().contains("[report.truncated] 200 more signature.missing findings are not listed"))
    }
}

@Suite("Numbers people type")
struct WholeTextDecimalTests {
    @Test("a number is read only when the whole text is one", arguments: [
        ("1200", "1200"), ("1200.5", "1200.5"), ("-0.25", "-0.25"), ("+7", "7"), ("007", "7"),
        ("999999999999999", "999999999999999"), ("0.000000000000000000123456789012345", "0.000000000000000000123456789012345"),
        ("12.34567890123450000000", "12.3456789012345"), ("000000000000000000001", "1"),
    ])
    func accepted(text: String, value: String) {
        #expect(Decimal(wholeText: text) == Decimal(string: value))
    }

    @Test("what Foundation would read in part is refused", arguments: [
        "1,200", "1200,5", "12abc", "1.2.3", "1e3", " 5", "5 ", "", ".5", "5.", "0x10", "1_000", "١٢", "-", "+", "--1", "NaN",
        // More digits than a double holds exactly: Foundation would round them without a word.
        "99999999999999999999999999999999999999999", "12.345678901234567890123", "1000000000000000", "1.0000000000000001",
    ])
    func refused(text: String) {
        #expect(Decimal(wholeText: text) == nil)
    }

    @Test("a comma is the decimal mark only when asked")
    func decimalComma() {
        #expect(Decimal(wholeText: "1200,5", decimalMark: UInt8(ascii: ",")) == Decimal(string: "1200.5"))
        #expect(Decimal(wholeText: "1.200,5", decimalMark: UInt8(ascii: ",")) == nil)
        #expect(Decimal(wholeText: "1200.5", decimalMark: UInt8(ascii: ",")) == nil)
    }
}
