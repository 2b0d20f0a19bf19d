import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// Registration's stages timed one after another on one thread, in µs per event, beside
/// OpenSSL's raw single-core sign: where the CPU time a registered event costs goes. (The
/// registry benchmark runs these stages overlapped on all cores; this one separates them.)
enum StageLoop {
    static func run(events count: Int) throws {
        let pki = try SamplePKI.generate(mixAlgorithms: false)
        let coop = try pki.signer(.honeyCoop)
        let shapes = try RegistryBench.Shapes()
        func report(_ name: String, _ microseconds: Double) {
            print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%7.2f µs/event", microseconds))
        }
        report("raw OpenSSL sign", 1e6 / (try OpenSSLRate.sign(with: coop.key, count: count)))
        var clock = Date()
        func lap(_ name: String) {
            report(name, Date().timeIntervalSince(clock) / Double(count) * 1e6)
            clock = Date()
        }
        var events = (0..<count).map { shapes.event(stage: $0 % 3, index: $0 / 3, previous: "sha256:" + String(repeating: "ab", count: 32)) }
        lap("build events")
        for i in events.indices { events[i].eventID = try EventHash.eventID(for: events[i]) }
        lap("event hash")
        let payloads = try events.map { try $0.payloadBytes() }
        lap("payload JSON")
        let paes = payloads.map { Envelope.pae(payloadType: Envelope.eventPayloadType, payload: $0) }
        lap("PAE")
        _ = paes.map { Digest.sha256($0) }
        lap("SHA-256 of PAE")
        _ = try paes.map { try coop.key.sign($0) }
        lap("key.sign(PAE) (SHA-256 and ECDSA)")
        let envelopes = try payloads.map { try coop.sign(payload: $0) }
        lap("sign(payload:) (PAE, SHA-256, ECDSA)")
        _ = envelopes.map { $0.jsonBytes() }
        lap("envelope JSON")
        _ = envelopes.map(\.digest)
        lap("record digest")
        _ = events.map { Array($0.concernedIdentifiers) }
        lap("identifiers")
        _ = try envelopes.map { try EPCISEvent.decode(payload: $0.payload) }
        lap("decode payload (not in registration)")
        try inFreshDirectory { directory in
            let workspace = try Workspace.create(at: directory.appendingPathComponent("w"),
                                                 config: .init(organization: "Bench", gln: try GLN(SampleActor.honeyCoop.gln)),
                                                 trustAnchors: [pki.root.certificate])
            clock = Date()
            _ = try workspace.registry.transaction { try $0.append(envelopes, certificates: [coop.certificate]) }
            lap("append: decode on all cores, insert, commit")
            try workspace.registry.checkpoint()
            lap("checkpoint")
        }
    }
}
