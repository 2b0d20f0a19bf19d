internal import CQRencode
import Foundation

/// A QR Code symbol made by libqrencode: the smallest version that fits the text at the chosen
/// error-correction level, as a square of dark and light modules (quiet zone not included).
public struct QRCode: Sendable, Equatable {
    /// Error-correction levels: the share of the symbol that may be damaged and still read.
    public enum Level: String, Sendable, CaseIterable {
        case low = "L", medium = "M", quartile = "Q", high = "H"

        var qrLevel: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The standard quiet zone, in modules, on every side.
    public static let quietZone = 4

    public let size: Int
    public let version: Int
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    /// Encodes `text` (8-bit byte mode, so any UTF-8 survives).
    public init(_ text: String, level: Level = .medium) throws {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw LabelError("label.empty", "there is nothing to encode") }
        let code = bytes.withUnsafeBufferPointer { buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, level.qrLevel)
        }
        guard let code else {
            throw LabelError("label.tooLong", "\(bytes.count) bytes do not fit in a QR Code at level \(level.rawValue)")
        }
        defer { QRcode_free(code) }
        size = Int(code.pointee.width)
        version = Int(code.pointee.version)
        modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }
}

/// A labelling error with a stable code.
public struct LabelError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code): \(message)" }
}
