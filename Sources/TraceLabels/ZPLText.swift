internal import CCairo
import AgriTrace
import Foundation

/// A ZPL label's lines of text as one graphic field (`^GFA`), drawn by Pango as the PDF's are.
/// A thermal printer's resident font (`^A0`) has Latin letters only: a Vietnamese name printed
/// with it lost its ư, ơ and ạ, a Chinese or Thai one printed as nothing. As dots, every script
/// the label fonts cover prints on any Zebra-compatible printer.
enum ZPLText {
    /// Em size, line pitch and first baseline of the text, in dots (203 dpi: 22 dots ≈ 2.8 mm);
    /// a block whose widest line would not fit is drawn smaller, as the PDF's is.
    static let size = 22.0, lineHeight = 34, firstBaseline = 26

    /// The `^GFA` command drawing `lines` in a block `width` dots wide (rounded down to whole
    /// bytes), one line per ``lineHeight``, with ZPL's ASCII compression: a row ending in white
    /// ends at `,`, a row repeating the one before is `:`.
    static func graphic(_ lines: [String], width: Int) throws -> String {
        let rowBytes = max(1, width / 8), height = max(1, lines.count * lineHeight)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(rowBytes * 8), Int32(height)) else {
            throw LabelError("label.zpl", "cairo cannot make the label's text image")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw LabelError("label.zpl", "cairo cannot draw the label's text") }
        defer { cairo_destroy(cr) }
        cairo_set_source_rgba(cr, 0, 0, 0, 1)
        do {
            let text = try LabelLines(lines, in: cr)
            let widest = text.widest(atSize: size), room = Double(rowBytes * 8)
            text.draw(atSize: widest > room ? size * room / widest : size, x: 0, firstBaseline: Double(firstBaseline), lineHeight: Double(lineHeight))
        }
        cairo_surface_flush(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let pixels = cairo_image_surface_get_data(surface) else {
            throw LabelError("label.zpl", "cairo could not draw the label's text")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let hex = Array("0123456789ABCDEF".utf8)
        var data: [UInt8] = [], previous: [UInt8]? = nil
        data.reserveCapacity(height * 8)
        for y in 0..<height {
            var row = [UInt8](repeating: 0, count: rowBytes)
            for x in 0..<(rowBytes * 8) where pixels[y * stride + x] >= 128 {  // half covered or more: a dot
                row[x / 8] |= 0x80 >> UInt8(x % 8)
            }
            defer { previous = row }
            if row == previous { data.append(UInt8(ascii: ":")); continue }
            let inked = (row.lastIndex { $0 != 0 }).map { $0 + 1 } ?? 0
            for byte in row.prefix(inked) { data += [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] }
            if inked < rowBytes { data.append(UInt8(ascii: ",")) }
        }
        let total = rowBytes * height
        return "^GFA,\(total),\(total),\(rowBytes),\(String(decoding: data, as: UTF8.self))"
    }
}
