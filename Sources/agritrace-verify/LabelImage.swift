import Foundation

/// Reads the QR code of a label photo with zbarimg (Debian's zbar-tools), offline. The photo
/// is input like any other: a file over ``sizeLimit`` is refused, and zbarimg is stopped after
/// ``timeout`` (a crafted image must not hold the verifier forever).
enum LabelImage {
    static let sizeLimit = 64 << 20
    static let timeout: TimeInterval = 30

    static func decode(_ path: String) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard FileManager.default.isReadableFile(atPath: path), attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw UsageError("--label-image \(path): cannot read the file (it must be a regular file)")
        }
        guard let size = attributes?[.size] as? Int, size <= sizeLimit else {
            throw UsageError("--label-image \(path): over the \(sizeLimit >> 20) MB a label photo may have")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // "./" keeps a file name that starts with "-" from reading as an option.
        let argument = path.hasPrefix("-") ? "./" + path : path
        process.arguments = ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", argument]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch { throw UsageError("--label-image needs zbarimg (apt-get install zbar-tools)") }
        let reading = OutputReader(output.fileHandleForReading)
        guard finished.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            throw UsageError("--label-image \(path): zbarimg found no QR code within \(Int(timeout)) s")
        }
        let text = String(decoding: reading.data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let first = text.split(separator: "\n").first else {
            throw UsageError("--label-image \(path): no QR code could be read")
        }
        return String(first)
    }

    /// Reads a pipe to its end on a thread of its own, so a full pipe never blocks the child.
    private final class OutputReader: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var bytes = Data()  // written once, before `done` is signalled

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                bytes = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func data() -> Data {
            done.wait()
            return bytes
        }
    }
}
