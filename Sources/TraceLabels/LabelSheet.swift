internal import CCairo
import AgriTrace
import Foundation

/// The words printed beside the QR code: product names (Vietnamese and English, optionally
/// Chinese or Thai), lot, net quantity, dates, origin, organic certificate and exporter.
public struct LabelText: Sendable {
    public var names: [String]
    public var lot: String
    public var netQuantity: String?
    /// What the quantity is, in English and Vietnamese, as Vietnam's labelling rules word it:
    /// net weight (`Khối lượng tịnh`), net volume (`Thể tích thực`) or count (`Số lượng`).
    public var netWords = NetWords.weight
    /// The SSCC of a logistic unit's label, whose `lot` lists the lots it holds.
    public var sscc: String?
    public var harvestDate: String?
    public var bestBefore: String?
    public var origin: String
    public var organicCertificate: String?
    public var exporter: String?

    public init(names: [String], lot: String, netQuantity: String? = nil, harvestDate: String? = nil, bestBefore: String? = nil,
                origin: String = "Product of Viet Nam · Sản phẩm của Việt Nam", organicCertificate: String? = nil, exporter: String? = nil) {
        self.names = names
        self.lot = lot
        self.netQuantity = netQuantity
        self.harvestDate = harvestDate
        self.bestBefore = bestBefore
        self.origin = origin
        self.organicCertificate = organicCertificate
        self.exporter = exporter
    }

    /// The lines in print order.
    public var lines: [String] {
        var lines = names
        if let sscc { lines.append("SSCC: \(sscc)") }
        lines.append("Lot / Lô: \(lot)")
        if let netQuantity { lines.append("\(netWords.rawValue): \(netQuantity)") }
        if let harvestDate { lines.append("Harvested / Thu hoạch: \(harvestDate)") }
        if let bestBefore { lines.append("Best before / Hạn dùng: \(bestBefore)") }
        lines.append(origin)
        if let organicCertificate { lines.append("Organic / Hữu cơ: \(organicCertificate)") }
        if let exporter { lines.append(exporter) }
        return lines
    }
}

/// The words before a label's quantity, by what its unit measures.
public enum NetWords: String, Sendable {
    case weight = "Net weight / Khối lượng tịnh", volume = "Net volume / Thể tích thực", count = "Count / Số lượng"

    /// The words for a UN/ECE unit code: weight for mass, volume for volume, count for pieces
    /// and for a unit AgriTrace does not know (`5 BX`).
    public init(unit: String?) {
        switch UnitOfMeasureName.dimension(unit ?? "H87") {
        case "mass": self = .weight
        case "volume": self = .volume
        default: self = .count
        }
    }
}

/// One label to print: the QR text and the words.
public struct PrintedLabel: Sendable {
    public var data: String
    public var text: LabelText
    public init(data: String, text: LabelText) {
        self.data = data
        self.text = text
    }
}

/// PDF label sheets through cairo: A4 with a grid of labels, or one label per page of a thermal
/// size such as 100 × 50 mm. Text is set by ``LabelLines``.
public enum LabelSheet {
    public enum Layout: Sendable {
        /// A4 (210 × 297 mm) with `columns` × `rows` labels.
        case a4(columns: Int, rows: Int)
        /// One label per page of this size, in millimetres.
        case thermal(width: Double, height: Double)
    }

    static let pointsPerMillimetre = 72.0 / 25.4

    /// Writes the labels to a PDF file.
    public static func pdf(_ labels: [PrintedLabel], layout: Layout, level: QRCode.Level = .medium, to url: URL,
                           progress: (Int, Int) -> Void = { _, _ in }) throws {
        let (pageWidth, pageHeight, columns, rows): (Double, Double, Int, Int) = switch layout {
        case .a4(let columns, let rows): (210, 297, max(1, columns), max(1, rows))
        case .thermal(let width, let height): (width, height, 1, 1)
        }
        guard let surface = cairo_pdf_surface_create(url.path, pageWidth * pointsPerMillimetre, pageHeight * pointsPerMillimetre) else {
            throw LabelError("label.pdf", "cairo cannot create \(url.path)")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw LabelError("label.pdf", "cairo cannot draw") }
        defer { cairo_destroy(cr) }
        let cellWidth = pageWidth / Double(columns), cellHeight = pageHeight / Double(rows)
        for (index, label) in labels.enumerated() {
            let slot = index % (columns * rows)
            if slot == 0, index > 0 { cairo_show_page(cr) }
            let x = Double(slot % columns) * cellWidth, y = Double(slot / columns) * cellHeight
            try draw(label, level: level, in: cr, x: x, y: y, width: cellWidth, height: cellHeight)
            progress(index + 1, labels.count)
        }
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw LabelError("label.pdf", "cairo could not write \(url.path): \(String(cString: cairo_status_to_string(cairo_surface_status(surface))))")
        }
    }

    private static func draw(_ label: PrintedLabel, level: QRCode.Level, in cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double) throws {
        let mm = pointsPerMillimetre
        let margin = 3.0
        let code = try QRCode(label.data, level: level)
        let total = Double(code.size + 2 * QRCode.quietZone)
        let side = min(height - 2 * margin, width * 0.45)
        let module = side / total
        cairo_set_source_rgb(cr, 0, 0, 0)
        // One rectangle per run of dark modules: a PDF writes each as numbers in text, and a
        // sheet of 500 labels drawn module by module took 8.6 s, most of it printing them.
        for run in code.darkRuns {
            cairo_rectangle(cr, (x + margin + Double(run.x + QRCode.quietZone) * module) * mm, (y + margin + Double(run.y + QRCode.quietZone) * module) * mm,
                            Double(run.length) * module * mm, module * mm)
        }
        cairo_fill(cr)
        let lines = label.text.lines
        let textX = x + margin + side + 2, available = height - 2 * margin
        var size = min(3.2, available / Double(max(lines.count, 1)) / 1.25)
        let text = try LabelLines(lines, in: cr)
        // Shrink until the widest line fits beside the symbol.
        let room = (x + width - margin - textX) * mm
        let widest = text.widest(atSize: size * mm)
        if widest > room, widest > 0 { size *= room / widest }
        text.draw(atSize: size * mm, x: textX * mm, firstBaseline: (y + margin + size * 1.25) * mm, lineHeight: size * 1.25 * mm)
        cairo_set_line_width(cr, 0.2)
        cairo_rectangle(cr, (x + 0.5) * mm, (y + 0.5) * mm, (width - 1) * mm, (height - 1) * mm)
        cairo_stroke(cr)
    }
}
