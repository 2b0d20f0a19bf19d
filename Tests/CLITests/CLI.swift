import Foundation
import Testing
import TestSupport

/// End-to-end tests of the built command-line tools (run `swift build` first; `make test` does).
enum CLI {
    static let bin: URL = {
        if let path = ProcessInfo.processInfo.environment["AGRITRACE_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug")
    }()
    static func agritrace(_ args: [String], in dir: URL? = nil, env: [String: String]? = nil) throws -> (status: Int32, output: String) {
        try run([bin.appendingPathComponent("agritrace").path] + args, in: dir, environment: env)
    }
    static func verify(_ args: [String], in dir: URL? = nil) throws -> (status: Int32, output: String) {
        try run([bin.appendingPathComponent("agritrace-verify").path] + args, in: dir)
    }
    static let root = repositoryRoot.appendingPathComponent("Certificates/root-ca.pem").path
    static let honey = repositoryRoot.appendingPathComponent("Samples/honey/honey.provenance.json").path
    static func tampered(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Samples/honey/tampered/\(name).provenance.json").path
    }
}

/// A file of `size` bytes that takes no room on disk (sparse), to test size limits.
func sparseFile(_ url: URL, size: Int) throws -> URL {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
    return url
}
