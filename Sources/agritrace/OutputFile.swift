import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// Where a command may write an output file (`--out`): anywhere but over what a workspace or a
/// CA folder keeps, or over a private key. A slip of the option would otherwise destroy them:
/// `export --out .agritrace/registry.sqlite` replaced the registry with a bundle, and
/// `pki request --out ca/ca.pem` the authority's certificate with a request.
enum OutputFile {
    /// The file `path` names, once it is known not to be one of those (symbolic links followed).
    static func url(_ path: String, option: String = "--out") throws -> URL {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let folder = url.deletingLastPathComponent(), name = url.lastPathComponent
        func holds(_ file: String) -> Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw TraceError("argument.invalid", "\(option) \(path) is a folder; name a file")
        }
        if Workspace.keptFiles.contains(name), holds(Workspace.markerFile) {
            throw TraceError("argument.invalid", "\(option) \(path) is the workspace's own \(name); writing there would destroy it: choose another file")
        }
        if CADirectory.keptFiles.contains(name), holds(CADirectory.certificateName) {
            throw TraceError("argument.invalid", "\(option) \(path) is the certificate authority's own \(name); writing there would destroy it: choose another file")
        }
        if holdsPrivateKey(url) {
            throw TraceError("argument.invalid", "\(option) \(path) holds a private key; refusing to write over it")
        }
        return url
    }

    /// For an output that goes to standard output unless a file is named: nil for none, and
    /// for `-` as command-line tools take it, else ``url(_:option:)``.
    static func urlOrStandardOutput(_ path: String?, option: String = "--out") throws -> URL? {
        guard let path, path != "-" else { return nil }
        return try url(path, option: option)
    }

    /// Whether `url` is a regular file that starts like a private key file (PEM, with or without
    /// the sample keys' banner); reads its first kilobyte only, and never waits on a FIFO.
    private static func holdsPrivateKey(_ url: URL) -> Bool {
        let start = (try? RegularFile.open(url) { fd, _ in
            var bytes = [UInt8](repeating: 0, count: 1024)
            let count = read(fd, &bytes, bytes.count)
            return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
        }) ?? ""
        return start.contains("PRIVATE KEY-----")
    }
}
