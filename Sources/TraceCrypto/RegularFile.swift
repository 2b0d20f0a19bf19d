import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading input files safely: only regular files are read (a FIFO, socket or device given as a
/// bundle, key or certificate would block or never end), opened without blocking, up to a size
/// limit. Every file a party or buyer hands AgriTrace goes through here.
public enum RegularFile {
    public struct Failure: Error, LocalizedError, CustomStringConvertible {
        public var errorDescription: String?
        public var description: String { errorDescription ?? "unreadable" }
        public init(errorDescription: String) { self.errorDescription = errorDescription }
        static func errno() -> Failure { Failure(errorDescription: String(cString: strerror(Glibc.errno))) }
    }

    /// The file's bytes; files over `limit` bytes (default 1 GiB) are refused.
    public static func read(_ url: URL, limit: Int = 1 << 30) throws -> Data {
        try open(url) { fd, size in
            guard size <= limit else { throw Failure(errorDescription: "\(size) bytes, over the \(limit)-byte limit") }
            var data = Data(count: size)
            var done = 0
            try data.withUnsafeMutableBytes { buffer in
                while done < size, let base = buffer.baseAddress {
                    let count = Glibc.read(fd, base + done, size - done)
                    if count < 0, Glibc.errno == EINTR { continue }
                    guard count > 0 else { throw count == 0 ? Failure(errorDescription: "the file shrank while being read") : Failure.errno() }
                    done += count
                }
            }
            return data
        }
    }

    /// Reads a PEM or DER input file (a key, certificates, a CRL) and parses it with `parse`,
    /// naming the file in any error (see ``input(_:_:_:limit:)``; a ``CryptoError`` of `parse`
    /// gets the path appended).
    static func parse<T>(_ url: URL, _ what: String, _ code: CryptoError.Code, limit: Int, _ parse: (Data) throws -> T) throws -> T {
        let data = try input(url, what, code, limit: limit)
        do { return try parse(data) } catch var error as CryptoError {
            error.message += " in \(url.path)"
            throw error
        }
    }

    /// The bytes of an input file, or a ``CryptoError`` with `code` that names the file (`what`)
    /// and says what is wrong: missing, a directory, unreadable, or over `limit` bytes.
    static func input(_ url: URL, _ what: String, _ code: CryptoError.Code, limit: Int) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CryptoError(code, "\(what) file \(url.path) does not exist or is a directory")
        }
        do { return try read(url, limit: limit) } catch {
            throw CryptoError(code, "cannot read \(what) file \(url.path): \(error.localizedDescription)")
        }
    }

    /// Opens `url` without blocking and hands `body` the descriptor and size of a regular file.
    public static func open<T>(_ url: URL, _ body: (Int32, Int) throws -> T) throws -> T {
        let fd = Glibc.open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.errno() }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure.errno() }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw Failure(errorDescription: "not a regular file") }
        return try body(fd, Int(status.st_size))
    }
}
