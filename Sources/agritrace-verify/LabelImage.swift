import Foundation

/// Reads the QR code of a label photo with zbarimg (Debian's zbar-tools), offline.
enum LabelImage {
    static func decode(_ path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw UsageError("--label-image \(path): cannot read the file") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw UsageError("--label-image needs zbarimg (apt-get install zbar-tools)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let first = text.split(separator: "\n").first else {
            throw UsageError("--label-image \(path): no QR code could be read")
        }
        return String(first)
    }
}
