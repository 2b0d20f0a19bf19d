import Foundation

/// Runs a command found on PATH and returns its exit status and output (standard error included
/// unless `includeErrors` is false).
@discardableResult
public func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                includeErrors: Bool = true) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = includeErrors ? pipe : FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A new empty directory of this test process. All of them live under one folder that is removed
/// when the process exits, so a test run leaves no workspaces, keys or bundles behind.
public func temporaryDirectory() throws -> URL {
    let url = testRoot.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The folder of this test process's temporary directories, made on first use.
private let testRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("agritrace-tests-\(getpid())-\(UUID().uuidString)")
    atexit { try? FileManager.default.removeItem(at: testRoot) }
    return url
}()

/// An ISO 8601 date from a literal in a test.
public func date(_ iso: String) -> Date {
    guard let date = try? Date(iso, strategy: .iso8601) else { fatalError("bad test date \(iso)") }
    return date
}

/// The repository's root folder, found from this source file's path.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
