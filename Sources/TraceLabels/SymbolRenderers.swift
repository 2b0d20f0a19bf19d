internal import CZlib
import Foundation

extension QRCode {
    /// The dark modules as horizontal runs, row by row (module coordinates, quiet zone not
    /// counted): what vector outputs draw, a few hundred shapes where modules are thousands.
    var darkRuns: [(x: Int, y: Int, length: Int)] {
        var runs: [(x: Int, y: Int, length: Int)] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x, y) else { x += 1; continue }
                let start = x
                while x < size, isDark(x, y) { x += 1 }
                runs.append((start, y, x - start))
            }
        }
        return runs
    }

    /// SVG of the symbol with its quiet zone, `moduleMillimetres` per module; dark modules are
    /// merged into a single path of horizontal runs.
    public func svg(moduleMillimetres: Double = 0.5) -> String {
        let total = size + 2 * Self.quietZone
        var path = ""
        for run in darkRuns {
            path += "M\(run.x + Self.quietZone) \(run.y + Self.quietZone)h\(run.length)v1h-\(run.length)z"
        }
        let millimetres = String(format: "%.3f", Double(total) * moduleMillimetres)
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(millimetres)mm" height="\(millimetres)mm" viewBox="0 0 \(total) \(total)" shape-rendering="crispEdges">\
        <rect width="\(total)" height="\(total)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>

        """
    }

    /// PNG of the symbol with its quiet zone: `pixelsPerModule` exact pixels per module, 1-bit
    /// or 8-bit greyscale, with the resolution recorded (pHYs) for printing at `dpi`.
    public func png(pixelsPerModule: Int = 8, greyscale: Bool = false, dpi: Int = 300) throws -> Data {
        guard (1...100).contains(pixelsPerModule) else { throw LabelError("label.size", "pixels per module must be 1 to 100") }
        let total = (size + 2 * Self.quietZone) * pixelsPerModule
        let rowBytes = greyscale ? total : (total + 7) / 8
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * total)
        for py in 0..<total {
            let row = py * (rowBytes + 1)
            raw[row] = 0  // filter: none
            for px in 0..<total {
                let mx = px / pixelsPerModule - Self.quietZone, my = py / pixelsPerModule - Self.quietZone
                let dark = mx >= 0 && my >= 0 && mx < size && my < size && isDark(mx, my)
                if greyscale {
                    raw[row + 1 + px] = dark ? 0 : 255
                } else if !dark {
                    raw[row + 1 + px / 8] |= UInt8(0x80 >> (px % 8))
                }
            }
        }
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var compressedLength = uLongf(compressed.count)
        guard compress2(&compressed, &compressedLength, raw, uLong(raw.count), 9) == Z_OK else {
            throw LabelError("label.png", "zlib could not compress the image")
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            var length = UInt32(body.count).bigEndian
            png.append(Data(bytes: &length, count: 4))
            let typed = Array(type.utf8) + body
            png.append(contentsOf: typed)
            var crc = UInt32(crc32(0, typed, uInt(typed.count))).bigEndian
            png.append(Data(bytes: &crc, count: 4))
        }
        func be32(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).bigEndian, Array.init) }
        chunk("IHDR", be32(total) + be32(total) + [greyscale ? 8 : 1, 0, 0, 0, 0])
        let perMetre = Int((Double(dpi) / 0.0254).rounded())
        chunk("pHYs", be32(perMetre) + be32(perMetre) + [1])
        chunk("IDAT", Array(compressed.prefix(Int(compressedLength))))
        chunk("IEND", [])
        return png
    }

    /// ZPL II for Zebra-compatible thermal printers: the symbol at `magnification` dots per
    /// module (1–10) at (`x`, `y`) dots, with error correction `level`.
    public func zpl(data: String, level: Level, magnification: Int = 4, x: Int = 40, y: Int = 40) -> String {
        "^FO\(x),\(y)^BQN,2,\(max(1, min(10, magnification)))^FH_^FD\(level.rawValue)A,\(ZPL.escaped(data))^FS"
    }
}

extension PrintedLabel {
    /// A whole ZPL II label (UTF-8, `^CI28`) of 100 × 50 mm at 203 dpi (800 × 400 dots, the PDF's
    /// thermal size): the symbol and, beside it where the symbol ends, up to ``zplLines`` lines of
    /// text — the organic certificate and the exporter too, which the sixth line used to cut off —
    /// drawn as one graphic (``ZPLText``: the printer's own font has no ư, no Chinese, no Thai).
    /// Each line also goes as a comment (`^FX`), for people reading the file, with `^` and `~`
    /// taken out: a name from someone else's bundle holding `^XZ^XA…` or `~JR` would otherwise
    /// end the label and print one of its own, or reset the printer.
    public func zpl(level: QRCode.Level) throws -> String {
        let code = try QRCode(data, level: level)
        let textX = 40 + code.size * Self.zplMagnification + 30
        let lines = Array(text.lines.prefix(Self.zplLines))
        let comments = lines.map { "^FX " + ZPL.comment(LabelLines.printable($0)) }
        let graphic = try ZPLText.graphic(lines, width: 800 - 10 - textX)
        return "^XA^CI28^PW800^LL400\n" + code.zpl(data: data, level: level, magnification: Self.zplMagnification) + "\n"
            + comments.joined(separator: "\n") + "\n^FO\(textX),40" + graphic + "^FS\n^XZ\n"
    }

    /// Dots per module of a ZPL label's symbol, and the lines of text that fit beside it.
    static let zplMagnification = 4, zplLines = 10
}

/// ZPL field data: `^` and `~` would start commands, so they go as hexadecimal escapes.
enum ZPL {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "_", with: "_5F").replacingOccurrences(of: "^", with: "_5E").replacingOccurrences(of: "~", with: "_7E")
    }

    /// Text for a `^FX` comment, which ends at the next `^` and cannot escape one: `^` and `~` as `?`.
    static func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "^", with: "?").replacingOccurrences(of: "~", with: "?")
    }
}
