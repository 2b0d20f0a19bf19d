import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceLabels
import TraceStore

/// `agritrace label`: QR labels for a lot, authenticated with the exporter's signature.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Print QR labels for a lot or a pallet (SSCC): SVG, PNG, ZPL for thermal printers, or a PDF sheet.",
        discussion: """
        The QR code holds a GS1 Digital Link on your resolver domain with the lot, harvest date \
        (7007) and origin (422), plus h and s: the labelled record and your signature over the \
        link, so a buyer's agritrace-verify --label can tell a genuine label from a copy. \
        --plain leaves them out for packs too small for the larger symbol; a buyer's verifier \
        then cannot tell who printed the label, so it calls the result at best valid. A pallet's or \
        carton's label (--sscc) names the unit alone (GS1 puts dates and origin only beside a \
        GTIN) and lists the lots packed into it, their harvest days and total quantity.

        From a workspace:  agritrace label --lot 08936000120016/MV-2026-031 --format pdf --out labels.pdf
        From a bundle:     agritrace label --bundle honey.provenance.json --key exporter.key --certificate exporter.pem --format png --out l.png
        """
    )
    @OptionGroup var options: SigningOptions
    @Option(help: ArgumentHelp("The lot (Digital Link or GTIN/LOT), from the workspace.", valueName: "lot")) var lot: String?
    @Option(help: ArgumentHelp("A logistic unit (pallet, carton) you packed, by its SSCC, from the workspace.", valueName: "sscc"))
    var sscc: String?
    @Option(help: ArgumentHelp("Label from this bundle instead of the workspace.", valueName: "file")) var bundle: String?
    @Option(help: ArgumentHelp("With --bundle: the signing key.", valueName: "file")) var key: String?
    @Option(help: ArgumentHelp("With --bundle: the signer's certificate (and chain).", valueName: "file")) var certificate: String?
    @Option(help: ArgumentHelp("Resolver domain for the link (default: the workspace's, else https://id.gs1.org).", valueName: "url")) var resolver: String?
    @Option(help: "svg, png, zpl or pdf.") var format = "png"
    @Option(help: ArgumentHelp("Where to write the label.", valueName: "file")) var out: String
    @Option(help: "QR error correction: L, M, Q or H.") var level = "M"
    @Flag(help: "A plain link without h and s.") var plain = false
    @Option(help: ArgumentHelp("Use-by / expiry date (AI 17): YYYY-MM-DD, or GS1's YYMMDD (DD 00: the month's last day).", valueName: "date"))
    var expiry: String?
    @Option(help: ArgumentHelp("Serialised unit labels 1…N (AI 21) instead of one lot label.", valueName: "N")) var serials: Int?
    @Option(help: "PNG resolution.") var dpi = 300
    @Option(help: ArgumentHelp("PDF layout: a4 (2 × 5 grid) or thermal (100 × 50 mm).", valueName: "layout")) var layout = "a4"

    func run() throws {
        guard let level = QRCode.Level(rawValue: level.uppercased()) else { throw TraceError("argument.invalid", "--level must be L, M, Q or H") }
        let url = try OutputFile.url(out)
        let (source, signer, domain, names) = try sources()
        var plan = try LabelPlan(bundle: source, exporter: signer.certificate.partyName, names: names)
        if plan.content.sscc != nil, expiry != nil || serials != nil {
            throw TraceError("argument.invalid", "--expiry and --serials are for lots: GS1 puts an expiry only beside a GTIN, and an SSCC is one unit")
        }
        plan.content.expiry = try expiry.map { try Self.expiryValue($0, harvest: plan.content.harvestDate) }
        if let serials, !(1...100_000).contains(serials) { throw TraceError("argument.invalid", "--serials must be 1 to 100000") }
        guard (72...2400).contains(dpi) else { throw TraceError("argument.invalid", "--dpi must be 72 to 2400 (label printers print 203 to 600)") }
        let count = serials ?? 0
        var labels: [PrintedLabel] = [], bar = ProgressBar()
        defer { bar.finish() }
        for serial in (count == 0 ? [nil] : (1...count).map { Optional(String($0)) }) {
            var content = plan.content
            content.serial = serial
            let link = plain ? try AuthenticatedLabel.plain(content, resolver: domain)
                : try AuthenticatedLabel.signed(content, resolver: domain, record: plan.record, signer: signer)
            labels.append(PrintedLabel(data: link.uri, text: plan.text))
            if count > 0 { bar.show(labels.count, count) }
        }
        bar.finish()
        switch format {
        case "pdf":
            try LabelSheet.pdf(labels, layout: layout == "thermal" ? .thermal(width: 100, height: 50) : .a4(columns: 2, rows: 5), level: level, to: url)
        case "svg", "png", "zpl":
            guard labels.count == 1, let label = labels.first else { throw TraceError("argument.invalid", "--serials needs --format pdf") }
            let code = try QRCode(label.data, level: level)
            let data: Data = switch format {
            case "svg": Data(code.svg().utf8)
            case "png": try code.png(pixelsPerModule: max(1, dpi / 50), dpi: dpi)
            default: Data(try label.zpl(level: level).utf8)
            }
            try data.write(to: url, options: .atomic)
        default:
            throw TraceError("argument.invalid", "--format must be svg, png, zpl or pdf")
        }
        print(labels.first?.data ?? "")
        if plan.text.names.isEmpty, let gtin = plan.content.gtin {
            print("note: the label names no product: no record in the bundle that made a lot of GTIN \(gtin) gives its names "
                  + "(label from a workspace that registered the product: 'agritrace product add')")
        }
        for finding in try DispositionCheck.findings(in: source) { print(verdictNote(finding)) }
    }

    /// `--expiry` as AI 17 holds it (YYMMDD), given as YYYY-MM-DD or YYMMDD: a real day (30
    /// February is none), not before the harvest (`harvest`: AI 7007's YYMMDD or YYMMDDYYMMDD).
    static func expiryValue(_ text: String, harvest: String?) throws -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let value = parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            ? String(parts[0].suffix(2) + parts[1] + parts[2]) : text
        if parts.count == 3, !text.hasPrefix("20") {
            throw TraceError("argument.invalid", "--expiry \(text): a label's AI 17 holds years 2000 to 2099")
        }
        if let problem = GS1SyntaxDictionary.shared.validate(value, for: "17") {
            throw TraceError("argument.invalid", "--expiry \(text): \(problem); give a day as YYYY-MM-DD (or YYMMDD)")
        }
        let comparable = value.hasSuffix("00") ? value.dropLast(2) + "31" : Substring(value)  // DD 00: the month's last day
        if let harvest, comparable < harvest.prefix(6) {
            throw TraceError("argument.invalid", "--expiry \(text) is before the lot's harvest (\(harvest.prefix(6)), YYMMDD)")
        }
        return value
    }

    /// The bundle to label, the signer, the resolver domain, and the product's names as this
    /// workspace registered them (nil from a bundle, or for a product registered elsewhere).
    private func sources() throws -> (ProvenanceBundle, Signer, String, [String]?) {
        if let bundle {
            guard let key, let certificate else { throw TraceError("argument.invalid", "--bundle needs --key and --certificate") }
            let file = try BundleFile(contentsOf: URL(fileURLWithPath: bundle))
            let chain = try Certificate.all(fileAt: URL(fileURLWithPath: certificate))
            let keyURL = URL(fileURLWithPath: key)
            let signer = try Signer(key: try PrivateKey(fileAt: keyURL, passphrase: try options.passphrase.passphrase(forKeyAt: keyURL)),
                                    certificate: chain[0], chain: Array(chain.dropFirst()))
            let records = try file.records.map(Envelope.parse)
            return (ProvenanceBundle(subject: file.subject, records: records), signer, resolver ?? DigitalLink.gs1Domain, nil)
        }
        guard lot != nil || sscc != nil else { throw TraceError("argument.invalid", "give --lot or --sscc (from the workspace), or --bundle") }
        let subject = try subjectOf(lot: lot, sscc: sscc)
        let workspace = try options.open()
        let signer = try workspace.signer(passphrase: try options.passphrase.passphrase(forKeyAt: workspace.identityKeyURL))
        var names: [String]?
        if case .lot(let gtin, _)? = try? DigitalLink(parsing: subject), let product = try workspace.registry.transaction({ try $0.product(gtin) }) {
            let byLanguage = product.names
            names = ["vi", "en", "zh", "th"].compactMap { byLanguage[$0] }
        }
        return (try workspace.exportBundle(subject: subject), signer, resolver ?? workspace.config.resolverDomain ?? DigitalLink.gs1Domain, names)
    }
}
