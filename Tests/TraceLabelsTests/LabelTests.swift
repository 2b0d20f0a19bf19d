import AgriTrace
import Foundation
import Testing
import TestSupport
import TraceCrypto
@testable import TraceLabels

enum LabelFixtures {
    static let pki: SamplePKI = {
        do { return try SamplePKI.generate() } catch { fatalError("sample PKI: \(error)") }
    }()
    static let bundle: ProvenanceBundle = {
        do { return try HoneyScenario(pki: pki).bundle(crls: [pki.crl]) } catch { fatalError("bundle: \(error)") }
    }()
    static let plan: LabelPlan = {
        do { return try LabelPlan(bundle: bundle, exporter: "Plateau Harvest Export Co., Ltd.") } catch { fatalError("plan: \(error)") }
    }()

    static func label(signer: Signer? = nil) throws -> String {
        try AuthenticatedLabel.signed(plan.content, resolver: "https://dl.plateauharvest.vn", record: plan.record,
                                      signer: signer ?? pki.signer(.exporter)).uri
    }

    static func verify(label: String) throws -> VerificationReport {
        var options = VerificationOptions(trustAnchors: [pki.root.certificate], at: Date(timeIntervalSince1970: 1_796_000_000))
        options.label = label
        return BundleVerifier(options: options).verify(data: try bundle.jsonData())
    }

    /// zbarimg's reading of an image file.
    static func decode(_ file: URL) throws -> String {
        // zbarimg's own diagnostics (it looks for D-Bus) go to standard error: keep them out.
        let result = try run(["zbarimg", "--quiet", "--raw", file.path], includeErrors: false)
        #expect(result.status == 0, "\(result.output)")
        return result.output.split(separator: "\n").first.map(String.init) ?? ""
    }
}

@Suite("Label symbols decode to exactly what was encoded")
struct SymbolTests {
    static let short = "https://id.gs1.org/01/08936000120016/10/MV-2026-031"

    @Test("PNG, 1-bit and greyscale, at every error-correction level, short and long", arguments: QRCode.Level.allCases)
    func png(level: QRCode.Level) throws {
        let long = try LabelFixtures.label()
        let dir = try temporaryDirectory()
        for (index, text) in [Self.short, long].enumerated() {
            for greyscale in [false, true] {
                let file = dir.appendingPathComponent("\(index)-\(greyscale).png")
                let code = try QRCode(text, level: level)
                try code.png(pixelsPerModule: 6, greyscale: greyscale).write(to: file)
                #expect(try LabelFixtures.decode(file) == text)
            }
        }
    }

    @Test("the smallest version that fits is chosen, higher levels make bigger symbols, and the PNG has exact module pixels")
    func sizes() throws {
        let low = try QRCode(Self.short, level: .low), high = try QRCode(Self.short, level: .high)
        #expect(low.version < high.version)
        #expect(low.size == 17 + 4 * low.version)
        let png = try low.png(pixelsPerModule: 5)
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == (low.size + 2 * QRCode.quietZone) * 5)
        #expect(throws: LabelError.self) { try QRCode(String(repeating: "x", count: 3000), level: .high) }
        #expect(throws: LabelError.self) { try QRCode("", level: .low) }
    }

    @Test("SVG rasterised by rsvg-convert decodes at every level; its size is exact in millimetres", arguments: QRCode.Level.allCases)
    func svg(level: QRCode.Level) throws {
        let text = try LabelFixtures.label()
        let code = try QRCode(text, level: level)
        let svg = code.svg(moduleMillimetres: 0.5)
        #expect(svg.contains("width=\"\(String(format: "%.3f", Double(code.size + 8) * 0.5))mm\""))
        #expect(svg.components(separatedBy: "<path").count == 2)  // one merged path
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("label.svg"), png = dir.appendingPathComponent("label.png")
        try svg.write(to: file, atomically: true, encoding: .utf8)
        #expect(try run(["rsvg-convert", "-d", "300", "-p", "300", "-o", png.path, file.path]).status == 0)
        #expect(try LabelFixtures.decode(png) == text)
    }

    @Test("a PDF sheet rasterised by pdftoppm decodes at every level, and pdftotext shows the Vietnamese intact", arguments: QRCode.Level.allCases)
    func pdf(level: QRCode.Level) throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("sheet.pdf")
        let text = try LabelFixtures.label()
        try LabelSheet.pdf([PrintedLabel(data: text, text: LabelFixtures.plan.text)], layout: .thermal(width: 100, height: 50), level: level, to: file)
        #expect(try run(["pdftoppm", "-r", "300", "-png", file.path, dir.appendingPathComponent("page").path]).status == 0)
        #expect(try LabelFixtures.decode(dir.appendingPathComponent("page-1.png")) == text)
        let words = try run(["pdftotext", file.path, "-"]).output
        #expect(words.contains("Mật ong hoa bạc hà Mèo Vạc"))
        #expect(words.contains("Sản phẩm của Việt Nam"))
        #expect(words.contains("Lot / Lô: MV-2026-031"))
        let sheet = dir.appendingPathComponent("a4.pdf")
        let many = (1...12).map { PrintedLabel(data: Self.short + "/21/\($0)", text: LabelFixtures.plan.text) }
        try LabelSheet.pdf(many, layout: .a4(columns: 2, rows: 5), to: sheet)
        #expect(try run(["pdfinfo", sheet.path]).output.contains("Pages:           2"))
    }

    @Test("a Chinese and a Thai product name print in fonts that have their glyphs, and words keep their spacing")
    func foreignNames() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("names.pdf")
        var text = LabelFixtures.plan.text
        text.names = ["Mật ong bạc hà", "Mint honey", "薄荷蜂蜜", "น้ำผึ้งดอกมิ้นท์"]
        try LabelSheet.pdf([PrintedLabel(data: SymbolTests.short, text: text)], layout: .thermal(width: 100, height: 50), to: file)
        // Cairo's own text calls set every line in DejaVu Sans, which has neither script: the
        // names printed as empty boxes. Each script now brings a font of its own into the file.
        let fonts = try run(["pdffonts", file.path]).output.split(separator: "\n").dropFirst(2)
        let others = Set(fonts.compactMap { $0.split(separator: " ").first }.filter { !$0.contains("DejaVu") })
        #expect(others.count >= 2, "\(fonts)")
        let words = try run(["pdftotext", file.path, "-"]).output
        #expect(words.contains("薄荷蜂蜜") && words.contains("Mật ong bạc hà") && words.contains("Lot / Lô: MV-2026-031"), "\(words)")
        #expect(try run(["pdftoppm", "-r", "300", "-png", file.path, dir.appendingPathComponent("page").path]).status == 0)
        #expect(try LabelFixtures.decode(dir.appendingPathComponent("page-1.png")) == SymbolTests.short)
    }

    @Test("a name from someone else's bundle cannot add a line to the label, reorder it, or shrink it unreadable: shown escaped, cut at 100 characters")
    func hostileNames() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("hostile.pdf")
        var text = LabelFixtures.plan.text
        text.names = ["Honey\nOrganic / Hữu cơ: FAKE-CERT", "Lot \u{202E}130-6202-VM", String(repeating: "Mật ong ", count: 5_000)]
        try LabelSheet.pdf([PrintedLabel(data: SymbolTests.short, text: text)], layout: .thermal(width: 100, height: 50), to: file)
        let words = try run(["pdftotext", "-raw", file.path, "-"]).output
        #expect(words.contains("Honey\\u{A}Organic") && !words.contains("\nOrganic / Hữu cơ: FAKE-CERT"), "\(words)")
        #expect(words.contains("\\u{202E}130-6202-VM"), "\(words)")
        let long = words.split(separator: "\n").first { $0.hasPrefix("Mật ong Mật ong") }
        #expect(long.map { $0.count == LabelLines.maximumCharacters && $0.hasSuffix("…") } == true, "\(long ?? "")")
        // The other lines keep a size that reads: the lot line is not shrunk to fit 40,000 characters.
        #expect(LabelLines.printable(String(repeating: "a", count: 40_000)).count == LabelLines.maximumCharacters)
        #expect(LabelLines.printable("Mật ong bạc hà") == "Mật ong bạc hà")
    }

    @Test("a ZPL label's text cannot issue printer commands: a name holding ^XZ^XA or ~JR is dots and a comment without them")
    func zplText() throws {
        var text = LabelFixtures.plan.text
        text.names = ["Honey^XZ^XA^FO0,0^FDFAKE^FS", "~JR reset", "Mật ong\n^XZ"]
        let zpl = try PrintedLabel(data: SymbolTests.short, text: text).zpl(level: .medium)
        #expect(zpl.components(separatedBy: "^XA").count == 2 && zpl.components(separatedBy: "^XZ").count == 2, "\(zpl)")  // one label, ended once
        #expect(!zpl.contains("~") && !zpl.contains("^FDFAKE"), "\(zpl)")
        #expect(zpl.contains("^FX Honey?XZ?XA?FO0,0?FDFAKE?FS\n") && zpl.contains("^FX ?JR reset\n") && zpl.contains("^FX Mật ong\\u{A}?XZ\n"), "\(zpl)")
        #expect(zpl.hasPrefix("^XA^CI28^PW800^LL400\n") && zpl.hasSuffix("^XZ\n"))
    }

    /// The dots of a ZPL label's text graphic (`^FOx,y^GFA,…`): its position and rows, read back
    /// from the ASCII compression ``ZPLText`` writes (`,` ends a row in white, `:` repeats the last).
    static func zplGraphic(_ zpl: String) throws -> (x: Int, y: Int, rows: [[Bool]]) {
        let field = try #require(zpl.split(separator: "\n").first { $0.contains("^GFA,") })
        let position = field.dropFirst(3).prefix { $0 != "^" }.split(separator: ",").compactMap { Int($0) }
        let parts = field.split(separator: "^GFA,")[1].dropLast(3).split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
        let (total, rowBytes) = (try #require(Int(parts[0])), try #require(Int(parts[2])))
        var rows: [[Bool]] = [], row: [Bool] = []
        func end() { rows.append(row + [Bool](repeating: false, count: rowBytes * 8 - row.count)); row = [] }
        for character in parts[3] {
            switch character {
            case ",": end()
            case ":": rows.append(rows.last ?? [])
            default:
                let nibble = try #require(character.hexDigitValue)
                row += (0..<4).map { nibble & (8 >> $0) != 0 }
                if row.count == rowBytes * 8 { end() }
            }
        }
        #expect(rows.count * rowBytes == total)
        return (position[0], position[1], rows)
    }

    @Test("a ZPL label prints every line as dots beside the symbol and within 400 dots: Vietnamese, Chinese and Thai names too, which the printer's font has not")
    func zplLines() throws {
        var text = LabelFixtures.plan.text
        text.names = ["Mật ong hoa bạc hà Mèo Vạc", "Meo Vac mint-flower honey", "同文黄牛肉", "ส้มฮัมเยน"]
        let label = PrintedLabel(data: try LabelFixtures.label(), text: text)
        let zpl = try label.zpl(level: .medium)
        #expect(label.text.lines.count >= 9 && !zpl.contains("^A0N"), "\(zpl)")
        for line in label.text.lines { #expect(zpl.contains("^FX " + line + "\n"), "\(line)") }
        let graphic = try Self.zplGraphic(zpl)
        let symbol = try QRCode(label.data, level: .medium)
        #expect(graphic.x > 40 + symbol.size * 4 && graphic.x + (graphic.rows.first?.count ?? 0) <= 800 && graphic.y + graphic.rows.count <= 400)
        #expect(graphic.rows.count == label.text.lines.count * ZPLText.lineHeight)
        for (number, line) in label.text.lines.enumerated() {  // every line's band has ink: its glyphs were found
            let band = graphic.rows[(number * ZPLText.lineHeight)..<((number + 1) * ZPLText.lineHeight)]
            #expect(band.joined().filter { $0 }.count > 20, "line \(number): \(line)")
        }
    }

    @Test("ZPL carries the data with ^ and ~ escaped")
    func zpl() throws {
        let code = try QRCode(Self.short, level: .quartile)
        let zpl = code.zpl(data: "a^b~c_d", level: .quartile)
        #expect(zpl.contains("^BQN,2,4") && zpl.contains("^FH_^FDQA,a_5Eb_7Ec_5Fd^FS"))
    }
}

@Suite("Authenticated labels")
struct AuthenticatedLabelTests {
    @Test("a genuine label is trusted with the bundle; its link is a valid GS1 Digital Link")
    func genuine() throws {
        let label = try LabelFixtures.label()
        #expect(label.hasPrefix("https://dl.plateauharvest.vn/01/08936000120016/10/MV-2026-031?7007=260410&422=704&h="))
        let report = try LabelFixtures.verify(label: label)
        #expect(report.level == .trusted, "\(report.codes)")
        #expect(try GS1DigitalLinkURI(parsing: label).elementString() == "^010893600012001610MV-2026-031^7007260410^422704")
    }

    @Test("tampered labels are rejected with their codes", arguments: ["lot", "h", "s", "role", "stranger"])
    func tampered(kind: String) throws {
        let label = try LabelFixtures.label()
        let pki = LabelFixtures.pki
        let (forged, code): (String, String) = switch kind {
        case "lot": (label.replacingOccurrences(of: "MV-2026-031", with: "MV-2026-099"), "label.subjectMismatch")
        case "h": (label.replacingOccurrences(of: "&h=", with: "&h=AA"), "label.recordMismatch")
        case "s": (label.replacingOccurrences(of: "&s=", with: "&s=AAAA"), "label.signatureInvalid")
        case "role": (try LabelFixtures.label(signer: try pki.signer(.laboratory)), "label.roleNotAllowed")
        default: (try LabelFixtures.label(signer: try pki.signer(.orangeCoop)), "label.signatureInvalid")
        }
        let report = try LabelFixtures.verify(label: forged)
        #expect(report.codes.contains(code), "\(kind): \(report.codes)")
        #expect(report.level == .invalid)
    }

    @Test("a resolver is an https URL with a host and at most a path; anything a phone should not open is refused",
          arguments: [("https://dl.plateauharvest.vn", true), ("https://id.gs1.org/", true), ("https://example.vn/dl", true),
                      ("javascript:alert(1)", false), ("http://dl.example.vn", false), ("file:///etc/passwd", false), ("https://", false),
                      ("https://dl.example.vn/a?b=1", false), ("https://dl.example.vn/#top", false), ("https://user@dl.example.vn", false),
                      ("https://dl.ví-dụ.vn", false), ("https://dl.example.vn/a b", false), ("dl.example.vn", false)])
    func resolvers(stem: String, accepted: Bool) throws {
        let made = Result { try AuthenticatedLabel.plain(LabelFixtures.plan.content, resolver: stem) }
        switch made {
        case .success(let label): #expect(accepted && label.uri.contains("/01/08936000120016/10/"), "\(stem) gave \(label.uri)")
        case .failure(let error): #expect(!accepted && (error as? TraceError)?.code == "label.resolverInvalid", "\(stem): \(error)")
        }
    }

    @Test("a plain label names the lot but proves nothing about who printed it: valid, not trusted")
    func plain() throws {
        let label = try AuthenticatedLabel.plain(LabelFixtures.plan.content, resolver: "https://dl.plateauharvest.vn").uri
        let report = try LabelFixtures.verify(label: label)
        #expect(report.level == .valid)
        #expect(report.codes == ["label.unauthenticated"])
        #expect(report.journeyText().contains("Label ? the scanned label names this lot but carries no signature"))
        let junk = try LabelFixtures.verify(label: "not a link")
        #expect(junk.codes.contains("label.malformed"))
        #expect(junk.journeyText().contains("Label ✘ the scanned label does not belong to this bundle"))
    }

    @Test("data after the signature, or h or s twice, is refused: the signature must cover everything the label says",
          arguments: ["&17=301231", "&x=1", "&s=AAAA", "&h=AAAA"])
    func unsignedTail(tail: String) throws {
        let label = try LabelFixtures.label()
        let report = try LabelFixtures.verify(label: label + tail)
        #expect(report.codes == ["label.malformed"], "\(tail): \(report.codes)")
        #expect(report.level == .invalid)
        #expect(try LabelFixtures.verify(label: label).level == .trusted)
    }

    @Test("s without h, or h twice before s, is refused")
    func misplacedParameters() throws {
        let label = try LabelFixtures.label()
        let signature = String(label[try #require(label.range(of: "&s=")).upperBound...])
        let withoutH = label.components(separatedBy: "&h=")[0] + "&s=" + signature
        #expect(try LabelFixtures.verify(label: withoutH).codes == ["label.malformed"])
        let twiceH = label.replacingOccurrences(of: "&s=", with: "&h=AAAA&s=")
        #expect(try LabelFixtures.verify(label: twiceH).codes == ["label.malformed"])
    }
}

@Suite("A label states what went into the lot")
struct LabelClaimTests {
    static let herb: ProvenanceBundle = {
        do { return try HerbScenario(pki: LabelFixtures.pki).bundle(crls: [LabelFixtures.pki.crl]) } catch { fatalError("herb: \(error)") }
    }()

    static func verify(_ label: String) throws -> VerificationReport {
        var options = VerificationOptions(trustAnchors: [LabelFixtures.pki.root.certificate], at: Date(timeIntervalSince1970: 1_796_000_000))
        options.label = label
        return BundleVerifier(options: options).verify(data: try herb.jsonData())
    }

    @Test("a blend's label prints its inputs' whole harvest span, its own quantity and the claim it is sold under, and verifies")
    func blendLabel() throws {
        let plan = try LabelPlan(bundle: Self.herb, exporter: "Plateau Harvest Export Co., Ltd.")
        #expect(plan.content.harvestDate == "260810260811")  // collections on 10 and 11 August
        #expect(plan.text.harvestDate == "2026-08-10 to 2026-08-11")
        #expect(plan.text.netQuantity == "140 kg")  // the blend, not the first collection's 300 kg
        #expect(plan.text.lines.contains("Net weight / Khối lượng tịnh: 140 kg"))
        #expect(plan.text.organicCertificate == HerbScenario.certificateA)
        #expect(plan.text.names.isEmpty)  // the fresh leaves' names are not the dried blend's product
        #expect(plan.text.origin.hasPrefix("Product of Viet Nam"))
        let label = try AuthenticatedLabel.signed(plan.content, resolver: "https://dl.plateauharvest.vn", record: plan.record,
                                                  signer: try LabelFixtures.pki.signer(.exporter)).uri
        #expect(label.contains("?7007=260810260811&422=704&h="))
        let report = try Self.verify(label)
        #expect(report.level == .trusted, "\(report.codes)")
    }

    @Test("cuts of beef are labelled by the names the processor's cutting gives their product, not the carcasses'")
    func processedProductLabel() throws {
        let plan = try LabelPlan(bundle: try BeefScenario(pki: LabelFixtures.pki).bundle(), exporter: nil)
        #expect(plan.text.names == ["Thịt bò vàng Đồng Văn cắt miếng", "Dong Van yellow-cattle beef cuts", "同文黄牛肉块"])
    }

    @Test("a quantity is worded by what its unit measures: juice's litres are a net volume, pieces a count", arguments: [
        ("KGM", NetWords.weight), ("TNE", .weight), ("LTR", .volume), ("MLT", .volume), ("H87", .count), ("BX", .count), (nil, .count),
    ] as [(String?, NetWords)])
    func netWords(unit: String?, words: NetWords) {
        #expect(NetWords(unit: unit) == words)
    }

    @Test("a label whose harvest date or origin the lot's harvests do not state is refused (label.claimMismatch)",
          arguments: [("7007=260810", true), ("7007=260810260811", false), ("7007=260811260812", true), ("422=764", true), ("422=704", false)])
    func mismatchedClaims(element: String, refused: Bool) throws {
        var content = try LabelPlan(bundle: Self.herb, exporter: nil).content
        let (ai, value) = (String(element.prefix { $0 != "=" }), String(element.drop { $0 != "=" }.dropFirst()))
        if ai == "7007" { content.harvestDate = value } else { content.countryOfOrigin = value }
        let plan = try LabelPlan(bundle: Self.herb, exporter: nil)
        let label = try AuthenticatedLabel.signed(content, resolver: "https://dl.plateauharvest.vn", record: plan.record,
                                                  signer: try LabelFixtures.pki.signer(.exporter)).uri
        let report = try Self.verify(label)
        #expect(report.codes.contains("label.claimMismatch") == refused, "\(element): \(report.codes)")
        #expect((report.level == .invalid) == refused)
        if refused { #expect(report.journeyText().contains("Label ✘ the scanned label states a harvest date or origin the lot's records do not")) }
    }
}

@Suite("A pallet's label")
struct UnitLabelTests {
    @Test("a partner's pallet of 5,000 products' lots is labelled at once: three named, the rest counted", .timeLimit(.minutes(1)))
    func palletOfManyProducts() throws {
        let time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"), coop = try GLN(SampleActor.honeyCoop.gln)
        var envelopes: [Envelope] = [], contents: [(lot: String, quantity: Decimal, uom: String, previous: String)] = []
        for i in 0..<5_000 {
            let body = String(format: "893600%06d", i)
            let gtin = try GTIN(body + String(try #require(GS1CheckDigit.compute(body))))
            let lot = DigitalLink.lot(gtin, lot: "L\(i)").uri
            let harvest = EventFactory.harvest(lot: lot, quantity: 1, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-10", plots: [],
                                               productName: ["vi": "Sản phẩm \(i)", "en": "Product \(i)"])
            let envelope = Envelope(payload: try harvest.payloadBytes())
            envelopes.append(envelope)
            contents.append((lot, 1, "KGM", envelope.digest))
        }
        let sscc = try SSCC("089360001000000018")
        envelopes.append(Envelope(payload: try EventFactory.pack(into: sscc, contents: contents, at: time, location: coop).payloadBytes()))
        let plan = try LabelPlan(bundle: ProvenanceBundle(subject: DigitalLink.logisticUnit(sscc).uri, records: envelopes), exporter: nil)
        #expect(plan.text.names == ["Sản phẩm 0 · Product 0", "Sản phẩm 1 · Product 1", "Sản phẩm 2 · Product 2", "and 4997 more products"],
                "\(plan.text.names)")
        #expect(plan.text.lot == "L0, L1, L2 and 4997 more" && plan.text.netQuantity == "5000 kg")
    }


    @Test("names the SSCC alone in its link, lists what was packed with its harvest days and total, and verifies with the lot's bundle and the pallet's")
    func palletLabel() throws {
        let pallet = ProvenanceBundle(subject: HoneyScenario.pallet, records: LabelFixtures.bundle.records)
        let plan = try LabelPlan(bundle: pallet, exporter: "Plateau Harvest Export Co., Ltd.")
        #expect(plan.content.sscc?.value == HoneyScenario.sscc && plan.content.gtin == nil && plan.content.harvestDate == nil)
        #expect(plan.text.lines.contains("SSCC: \(HoneyScenario.sscc)") && plan.text.lines.contains("Lot / Lô: MV-2026-031"))
        #expect(plan.text.lines.contains("Net weight / Khối lượng tịnh: 600 kg") && plan.text.lines.contains("Harvested / Thu hoạch: 2026-04-10"))
        #expect(plan.text.names.count == 1 && plan.text.names[0].contains(" · "), "\(plan.text.names)")  // vi · en of the one product on it
        let label = try AuthenticatedLabel.signed(plan.content, resolver: "https://dl.plateauharvest.vn", record: plan.record,
                                                  signer: try LabelFixtures.pki.signer(.exporter)).uri
        #expect(label.hasPrefix("https://dl.plateauharvest.vn/00/\(HoneyScenario.sscc)?h="))
        let report = try LabelFixtures.verify(label: label)  // the lot's bundle: the label names the unit holding it
        #expect(report.level == .trusted, "\(report.codes)")
        #expect(report.journeyText().contains("Label ✔ the scanned label names the unit holding this lot"))
        // Another pallet's SSCC, signed just as well, does not name these goods.
        let other = AuthenticatedLabel.Content(unit: try SSCC("089360001000000025"))
        let stranger = try AuthenticatedLabel.signed(other, resolver: "https://dl.plateauharvest.vn", record: plan.record,
                                                     signer: try LabelFixtures.pki.signer(.exporter)).uri
        #expect(try LabelFixtures.verify(label: stranger).codes.contains("label.subjectMismatch"))
        // Printed plain, it names the unit all the same, and proves nothing about who printed it.
        let plain = try LabelFixtures.verify(label: try AuthenticatedLabel.plain(plan.content, resolver: "https://dl.plateauharvest.vn").uri)
        #expect(plain.codes == ["label.unauthenticated"]
                && plain.journeyText().contains("Label ? the scanned label names the unit holding this lot but carries no signature"))
    }
}
