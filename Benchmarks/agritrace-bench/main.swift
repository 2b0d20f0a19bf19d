import AgriTrace
import Foundation
import TraceCrypto

/// `make bench`: signs and verifies a realistic bundle, and measures OpenSSL's own P-256 verify
/// rate on all cores for the same number of signatures in the same run (``OpenSSLRate``). The
/// last line holds the figures as name=value pairs.
///
/// Usage: `agritrace-bench --help`.
let usage = """
Usage: agritrace-bench [--records N] [--registry-events N] [--labels N]
       agritrace-bench --records N --keep           (keep the bundle and anchor in a temporary folder)
       agritrace-bench --verify-only BUNDLE ANCHOR [--skip-signatures] [--settle]
                                                (child process: one verification, for peak RSS; with
                                                --skip-signatures, everything but the signature checks;
                                                --settle waits for the records' freeing before the exit)
       agritrace-bench --stage-loop N                 (registration's stages one after another on one
                                                thread, µs per event, beside OpenSSL's raw sign)
       agritrace-bench --long-value BYTES             (event hash of events holding one long value, ns
                                                per byte, beside an ordinary event's)
       agritrace-bench --leak-loop N                  (sign/verify/parse loop for valgrind)
       agritrace-bench --exit-while-busy ANCHOR [--as-embedder]  (exit while another thread reads and
                                                frees certificates: must exit 0, not crash; a test runs it;
                                                --as-embedder: without OpenSSLLifetime.keepUntilExit(), the
                                                work started by OpenSSLLifetime.inBackground, as the library's)
       agritrace-bench --exchange-only BUNDLE ANCHOR  (import the bundle into a new workspace, export its container)
       agritrace-bench --registry-only N [--register-only] [--keep]  (the registry's figures only: for
                                                profilers, which cannot follow the verifier's child process;
                                                --register-only: registering, without trace and check;
                                                --keep: keep the last registry in a temporary folder)
       agritrace-bench --hash-loop N [--each] [--shape S]  (CBV event hash of the honey events, µs per
                                                event, from payloads and from decoded events; then of the
                                                registry's shapes (S: only 0 harvest, 1 inspection or
                                                2 shipment); --each: per event, with encoding and decoding)
"""
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

/// The value of a count option: a whole number of at least one. Anything else ends the program
/// with exit code 2, naming the option, before any work starts.
func count(_ name: String) -> Int? {
    guard let text = option(name) else { return nil }
    guard let value = Int(text), value > 0 else {
        FileHandle.standardError.write(Data("agritrace-bench: \(name) takes a whole number of at least 1, not \"\(text.prefix(40))\"\n".utf8))
        exit(2)
    }
    return value
}

if arguments.contains("--help") || arguments.contains("-h") {
    print(usage)
    exit(0)
}
// The full run's sizes, checked before any work.
let recordCount = count("--records") ?? 20_000
let registryEvents = count("--registry-events") ?? 100_000
let labelCount = count("--labels") ?? 300

/// A new, empty working folder of its own (`mkdtemp`): a folder left behind by an earlier run
/// whose process had the same id is never reused.
func freshDirectory() throws -> URL {
    var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("agritrace-bench-XXXXXX").path.utf8CString)
    guard let path = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: FileManager.default.temporaryDirectory.path])
    }
    return URL(fileURLWithPath: String(cString: path))
}

/// `body` run in a fresh working folder, which is removed afterwards, whatever happens (a `defer`
/// at the top level would not run before `exit`).
func inFreshDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = try freshDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// CPU time (user and system, all threads) of the child processes waited for so far, in seconds.
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Every mode; an error (a missing or broken file, a full disk) ends the program with its
/// message and exit code 2, not a crash.
func run() throws {
    // First, as agritrace-verify does; --as-embedder runs as a program that does not.
    let asEmbedder = arguments.contains("--as-embedder")
    if !asEmbedder { OpenSSLLifetime.keepUntilExit() }
    // A program that ends while another thread still uses OpenSSL, as a verifier's freeing of
    // records and building of tables may: it must end with its own exit code, not a crash.
    if let anchorPath = option("--exit-while-busy") {
        let pem = try String(contentsOfFile: anchorPath, encoding: .utf8)
        let busy = DispatchSemaphore(value: 0)
        if asEmbedder {
            // Work the library leaves running (OpenSSLLifetime.inBackground), the exit's wait the only guard.
            OpenSSLLifetime.inBackground(on: .global()) {
                busy.signal()
                let end = Date().addingTimeInterval(0.2)
                while Date() < end { _ = try? Certificate.all(pem: pem) }  // certificates read and freed, over and over
            }
        } else {
            // A thread nobody waits for: OpenSSL's state kept to the end the only guard.
            Thread.detachNewThread {
                busy.signal()
                while true { _ = try? Certificate.all(pem: pem) }
            }
        }
        busy.wait()
        usleep(1_000)
        exit(0)
    }
    if let bundlePath = option("--verify-only"), arguments.count >= 4 {
        let anchors = try Certificate.all(fileAt: URL(fileURLWithPath: arguments[3]))
        // Without the signature checks: what all the rest costs, the part the ratio's goal bounds.
        let recordChecks = arguments.contains("--skip-signatures") ? BundleVerifier.defaultRecordChecks.filter { !($0 is SignatureCheck) }
                                                                   : BundleVerifier.defaultRecordChecks
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: anchors, at: Date(timeIntervalSince1970: 1_790_000_000)),
                                      recordChecks: recordChecks)
        let report = verifier.verify(contentsOf: URL(fileURLWithPath: bundlePath))
        // Counting instructions, the freeing after the report is counted whole: else the count
        // changes with whether it finished before the program exits.
        if arguments.contains("--settle") { BundleVerifier.waitUntilFreed() }
        print(report.level.rawValue, report.records.count, report.findings.count, Set(report.findings.map(\.code.rawValue)).sorted())
        // VmHWM is this process image's own peak; getrusage's maxrss would also count the parent's
        // pages that the child shared for a moment between fork and exec.
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        print(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? "VmHWM: 0 kB")
        exit(report.level == .trusted ? 0 : 1)
    }

    // The CBV 2.0 event hash is the verifier's costliest check after the signatures: time it alone.
    if let loops = count("--hash-loop") {
        let pki = try SamplePKI.generate()
        let payloads = try HoneyScenario(pki: pki).records().map(\.payload)
        let events = try payloads.map { try EPCISEvent.decode(payload: $0) }
        if option("--shape") == nil {  // with --shape, that shape alone (for profilers)
            var start = Date()
            for _ in 0..<loops { for payload in payloads { _ = try EventHash.preHash(ofEventJSON: payload) } }
            print("from the payload, per event µs:", Date().timeIntervalSince(start) / Double(loops * payloads.count) * 1e6)
            start = Date()
            for _ in 0..<loops { for event in events { _ = try EventHash.eventID(for: event) } }
            print("from the event (eventID), per event µs:", Date().timeIntervalSince(start) / Double(loops * events.count) * 1e6)
        }
        // The registry benchmark's three shapes, one lot each, timed apart (--shape N: only that one).
        let shapes = try RegistryBench.Shapes()
        for stage in option("--shape").flatMap(Int.init).map({ [$0] }) ?? [0, 1, 2] {
            let event = shapes.event(stage: stage, index: 7, previous: "sha256:" + String(repeating: "ab", count: 32))
            print("registry shape \(stage) (\(event.bizStepWord ?? "")), eventID µs:", try RegistryBench.Shapes.timeEventIDs(of: event, loops: loops))
        }
        if arguments.contains("--each") {
            for (payload, event) in zip(payloads, events) {
                var t = Date()
                for _ in 0..<loops { _ = try EventHash.preHash(ofEventJSON: payload) }
                let generic = Date().timeIntervalSince(t) / Double(loops) * 1e6
                t = Date()
                for _ in 0..<loops { _ = try EventHash.eventID(for: event) }
                let direct = Date().timeIntervalSince(t) / Double(loops) * 1e6
                t = Date()
                for _ in 0..<loops { _ = try event.payloadBytes() }
                let encode = Date().timeIntervalSince(t) / Double(loops) * 1e6
                t = Date()
                for _ in 0..<loops { _ = try EPCISEvent.decode(payload: payload) }
                print(event.bizStep ?? "", payload.count, "generic", generic, "direct", direct, "encode", encode, "decode", Date().timeIntervalSince(t) / Double(loops) * 1e6)
            }
        }
        exit(0)
    }
    if let bytes = count("--long-value") {
        try LongValueLoop.run(bytes: bytes)
        exit(0)
    }
    if let events = count("--stage-loop") {
        try StageLoop.run(events: events)
        exit(0)
    }
    if let loops = count("--leak-loop") {
        try LeakLoop.run(iterations: loops)
        exit(0)
    }

    if let bundlePath = option("--exchange-only"), arguments.count >= 4 {
        let anchors = try Certificate.all(fileAt: URL(fileURLWithPath: arguments[3]))
        let exchange = try inFreshDirectory { directory in
            try ExchangeBench.run(bundle: URL(fileURLWithPath: bundlePath), subject: BenchBundle.container, anchors: anchors, in: directory)
        }
        print(String(format: "import_records_per_s=%.0f export_records_per_s=%.0f", exchange.importRecordsPerSecond, exchange.exportRecordsPerSecond))
        exit(0)
    }

    if let events = count("--registry-only") {
        let pki = try SamplePKI.generate(mixAlgorithms: false)
        let run = { (directory: URL) in try RegistryBench.run(pki: pki, events: events, in: directory, queries: !arguments.contains("--register-only")) }
        let registry: RegistryBench.Figures
        if arguments.contains("--keep") {
            let directory = try freshDirectory()
            registry = try run(directory)
            print("kept the last registry under \(directory.path)")
        } else {
            registry = try inFreshDirectory(run)
        }
        print(String(format: "register_events_per_s=%.0f raw_sign_per_s=%.0f register_ratio=%.3f register_cpu_us_per_event=%.1f raw_sign_us=%.1f register_cores_busy=%.2f trace_back_ms=%.1f trace_forward_ms=%.1f check_records_per_s=%.0f stock_ms=%.0f",
                     registry.eventsPerSecond, registry.rawSignPerSecond, registry.eventsPerSecond / registry.rawSignPerSecond,
                     registry.cpuMicrosecondsPerEvent, 1e6 / registry.rawSignPerSecond, registry.coresBusy,
                     registry.traceBackMilliseconds, registry.traceForwardMilliseconds, registry.checkRecordsPerSecond, registry.stockMilliseconds))
        exit(0)
    }

    let pki = try SamplePKI.generate(mixAlgorithms: false)
    let directory = try freshDirectory()
    let keep = arguments.contains("--keep")
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let bundleURL = directory.appendingPathComponent("bench.provenance.json")
    let anchorURL = directory.appendingPathComponent("root.pem")
    try Data(pki.root.certificate.pemRepresentation.utf8).write(to: anchorURL)

    print("building and signing a bundle of about \(recordCount) records on \(ProcessInfo.processInfo.activeProcessorCount) cores…")
    let (bundle, signSeconds, signed) = try BenchBundle(pki: pki, recordCount: recordCount).build()
    try bundle.write(to: bundleURL)
    let bundleBytes = (try FileManager.default.attributesOfItem(atPath: bundleURL.path)[.size] as? Int) ?? 0

    /// Runs the verifier in a child process, so its peak memory (VmHWM) is its own.
    /// Its CPU time is that of all its threads, start to exit, from `getrusage` of the children
    /// this process has waited for.
    func runVerifier(_ bundle: URL, skippingSignatures: Bool = false) throws -> (output: String, peakMB: Double, seconds: Double, cpuSeconds: Double, status: Int32) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--verify-only", bundle.path, anchorURL.path] + (skippingSignatures ? ["--skip-signatures"] : [])
        let pipe = Pipe()
        child.standardOutput = pipe
        let start = Date(), cpuStart = childrenCPUSeconds()
        try child.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        let seconds = Date().timeIntervalSince(start), cpuSeconds = childrenCPUSeconds() - cpuStart
        let lines = output.split(separator: "\n")
        let kilobytes = lines.last.flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        return (lines.first.map(String.init) ?? "", kilobytes / 1024, seconds, cpuSeconds, child.terminationStatus)
    }

    // The verifier's resident size with a tiny bundle (the honey sample): the program and its
    // libraries, which a large bundle's peak includes.
    let tinyURL = directory.appendingPathComponent("tiny.provenance.json")
    try HoneyScenario(pki: pki).bundle().write(to: tinyURL)
    let baselineRSSMB = try runVerifier(tinyURL).peakMB
    // The machine is shared and noisy: verification, OpenSSL's raw rate, AgriTrace's own
    // signature math (faster than OpenSSL's stock verification: a table per signer; the ratio to
    // it is what the verifier's other work leaves) and the verification without its signature
    // checks (what the ratio's goal bounds: 0.90 leaves it a tenth of the signature math) are
    // each measured twice, alternately, and the better of each is kept.
    let first = try runVerifier(bundleURL)
    let rawFirst = try OpenSSLRate.verify(count: signed)
    let mathFirst = try SignatureMathRate.verify(count: signed)
    let unsignedFirst = try runVerifier(bundleURL, skippingSignatures: true)
    let second = try runVerifier(bundleURL)
    let rawSecond = try OpenSSLRate.verify(count: signed)
    let mathSecond = try SignatureMathRate.verify(count: signed)
    let unsignedSecond = try runVerifier(bundleURL, skippingSignatures: true)
    let verification = second.seconds < first.seconds ? second : first
    let raw = rawSecond.perSecond > rawFirst.perSecond ? rawSecond : rawFirst
    let math = mathSecond.perSecond > mathFirst.perSecond ? mathSecond : mathFirst
    let (childOutput, peakRSSMB, verifySeconds) = (verification.output, max(first.peakMB, second.peakMB), verification.seconds)
    let (unsignedSeconds, unsignedCPU) = (min(unsignedFirst.seconds, unsignedSecond.seconds), min(unsignedFirst.cpuSeconds, unsignedSecond.cpuSeconds))
    let verifyCPU = min(first.cpuSeconds, second.cpuSeconds)
    if keep { print("kept \(bundleURL.path) and \(anchorURL.path)") }
    print("verifier child: \(childOutput.trimmingCharacters(in: .whitespacesAndNewlines)) (level, records, findings)")
    guard first.status == 0, second.status == 0 else {
        print("error: the benchmark bundle did not verify as trusted")
        if !keep { try? FileManager.default.removeItem(at: directory) }
        exit(1)
    }

    let exchange = try ExchangeBench.run(bundle: bundleURL, subject: BenchBundle.container, anchors: [pki.root.certificate], in: directory)
    print(String(format: "exchange: imported the bundle at %.0f records/s, exported the container's at %.0f records/s",
                 exchange.importRecordsPerSecond, exchange.exportRecordsPerSecond))

    print("registering \(registryEvents) events in a registry…")
    let registry = try RegistryBench.run(pki: pki, events: registryEvents, in: directory)
    let bulkHarvestPerSecond = try BulkHarvestBench.run(pki: pki, rows: 20_000, in: directory)
    let verifyRate = Double(signed) / verifySeconds
    let ratio = verifyRate / raw.perSecond
    print(String(format: "verify: %d records in %.2f s (including process start and file read), %.2f s of it without the signature checks; raw OpenSSL P-256 verify: %.0f/s; AgriTrace's signature math alone: %.0f/s",
                 signed, verifySeconds, unsignedSeconds, raw.perSecond, math.perSecond))
    print(String(format: "verify CPU (all threads): %.2f s, %.2f s of it without the signature checks; the goal (the rest a tenth of the signature math) is a share of %.2f or less",
                 verifyCPU, unsignedCPU, 1.0 / 11))
    let labels = try LabelBench.run(count: labelCount, in: directory)
    print(String(format: "labels: PNG %.0f/s and SVG %.0f/s in process; qrencode CLI PNG %.0f/s, SVG %.0f/s",
                 labels.pngPerSecond, labels.svgPerSecond, labels.qrencodePNGPerSecond, labels.qrencodeSVGPerSecond))
    print(String(format: "registry: %d events at %.0f/s; raw single-core P-256 sign %.0f/s; %.1f µs of CPU per event (raw sign %.1f), %.2f cores busy; trace back %.1f ms, forward %.1f ms; check %.0f records/s; stock %.0f ms",
                 registryEvents, registry.eventsPerSecond, registry.rawSignPerSecond, registry.cpuMicrosecondsPerEvent, 1e6 / registry.rawSignPerSecond,
                 registry.coresBusy, registry.traceBackMilliseconds, registry.traceForwardMilliseconds, registry.checkRecordsPerSecond, registry.stockMilliseconds))
    print(String(format: "memory: peak %.1f MB verifying a %.1f MB bundle; %.1f MB verifying the 30 kB honey sample (program and libraries)",
                 peakRSSMB, Double(bundleBytes) / 1_048_576, baselineRSSMB))
    print(String(format: "verify_records_per_s=%.0f raw_verify_per_s=%.0f ratio=%.3f math_verify_per_s=%.0f math_ratio=%.3f nonsignature_share=%.2f nonsignature_cpu_share=%.2f sign_records_per_s=%.0f peak_rss_mb=%.1f bundle_mb=%.1f baseline_rss_mb=%.1f "
                 + "register_events_per_s=%.0f raw_sign_per_s=%.0f register_ratio=%.3f register_cpu_us_per_event=%.1f register_cores_busy=%.2f trace_back_ms=%.1f trace_forward_ms=%.1f check_records_per_s=%.0f stock_ms=%.0f bulk_harvest_rows_per_s=%.0f "
                 + "import_records_per_s=%.0f export_records_per_s=%.0f "
                 + "png_labels_per_s=%.0f svg_labels_per_s=%.0f qrencode_png_per_s=%.0f png_ratio=%.1f svg_ratio=%.1f",
                 verifyRate, raw.perSecond, ratio, math.perSecond, verifyRate / math.perSecond, unsignedSeconds / verifySeconds, unsignedCPU / verifyCPU, Double(signed) / signSeconds, peakRSSMB, Double(bundleBytes) / 1_048_576, baselineRSSMB,
                 registry.eventsPerSecond, registry.rawSignPerSecond, registry.eventsPerSecond / registry.rawSignPerSecond,
                 registry.cpuMicrosecondsPerEvent, registry.coresBusy, registry.traceBackMilliseconds, registry.traceForwardMilliseconds, registry.checkRecordsPerSecond, registry.stockMilliseconds, bulkHarvestPerSecond,
                 exchange.importRecordsPerSecond, exchange.exportRecordsPerSecond,
                 labels.pngPerSecond, labels.svgPerSecond, labels.qrencodePNGPerSecond, labels.pngPerSecond / labels.qrencodePNGPerSecond,
                 labels.svgPerSecond / labels.qrencodeSVGPerSecond))
}

do { try run() } catch {
    FileHandle.standardError.write(Data("agritrace-bench: \(error)\n".utf8))
    exit(2)
}
