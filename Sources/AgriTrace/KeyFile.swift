import Foundation

/// Private key files: written with mode 0600 from the first byte, never world-readable.
public enum KeyFile {
    /// Writes `data` to `url` with mode 0600, replacing any existing file atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw TraceError("key.write", "cannot create key file in \(url.deletingLastPathComponent().path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            guard rename(temporary.path, url.path) == 0 else {
                throw TraceError("key.write", "cannot move the new key into place at \(url.path)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw TraceError("key.write", "cannot write key file \(url.path): \(error.localizedDescription)")
        }
    }

    /// Whether the key file at `url` is readable by others than its owner (mode wider than 0600).
    public static func isTooOpen(_ url: URL) -> Bool {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int else { return false }
        return mode & 0o077 != 0
    }
}
