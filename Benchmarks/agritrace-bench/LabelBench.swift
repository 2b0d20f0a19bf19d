import AgriTrace
import Foundation
import TraceLabels

/// Labels per second rendered in process (PNG and SVG) against the `qrencode` command run for
/// the same Digital Links.
enum LabelBench {
    struct Figures {
        var pngPerSecond: Double, svgPerSecond: Double, qrencodePNGPerSecond: Double, qrencodeSVGPerSecond: Double
    }

    static func run(count: Int, in directory: URL) throws -> Figures {
        let uris = (0..<count).map { "https://dl.plateauharvest.vn/01/08936000120016/10/MV-2026-\($0)?7007=260410&422=704&h=4dWDSJB0dujwJtLedP26Dg" }
        func rate(_ body: (String) throws -> Void) rethrows -> Double {
            let start = Date()
            for uri in uris { try body(uri) }
            return Double(uris.count) / Date().timeIntervalSince(start)
        }
        let png = try rate { uri in _ = try QRCode(uri, level: .medium).png(pixelsPerModule: 6) }
        let svg = try rate { uri in _ = try QRCode(uri, level: .medium).svg() }
        let out = directory.appendingPathComponent("qrencode.out").path
        func qrencode(_ type: String) throws -> Double {
            try rate { uri in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["qrencode", "-t", type, "-l", "M", "-s", "6", "-o", out, uri]
                try process.run()
                process.waitUntilExit()
            }
        }
        return Figures(pngPerSecond: png, svgPerSecond: svg, qrencodePNGPerSecond: try qrencode("PNG"), qrencodeSVGPerSecond: try qrencode("SVG"))
    }
}
