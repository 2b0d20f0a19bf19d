import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// A loop over every OpenSSL-backed operation, for `make leakcheck` (valgrind --leak-check=full):
/// keys, signatures, certificates, CRLs, CSRs, chain verification, and whole-bundle verification
/// including failures, and a registry opened, written, queried and closed (its SQLite connections,
/// the background checkpointer's included). Any OpenSSL object not freed shows up as a definite
/// leak; a connection left open, as a file descriptor counted after the loop.
enum LeakLoop {
    /// A key with enough signatures to verify takes a table of its multiples (`FixedBaseVerifier`):
    /// valid, altered and malformed signatures checked with it, then the key and its table freed.
    private static func tableRound() throws {
        let key = try PrivateKey.generate(.p256), publicKey = try key.publicKey
        let message = Array("leak check".utf8), signature = try key.sign(message)
        var altered = signature
        altered[altered.count - 1] ^= 1
        let pending = (0..<1_024).map { _ in publicKey.pendingSignature(Data(signature), for: message) }
            + [publicKey.pendingSignature(Data(altered), for: message), publicKey.pendingSignature(Data(signature.dropLast()), for: message)]
        PublicKey.waitForTables()  // checked with the table, not the ordinary way
        guard PendingSignature.validity(of: Array(pending.suffix(6))) == [true, true, true, true, false, false] else {
            throw TraceError("bench.leak", "a key's table gave a wrong answer")
        }
    }

    static func run(iterations: Int) throws {
        let pki = try SamplePKI.generate(actors: [.honeyCoop, .certifier, .laboratory, .exporter, .importerSingapore, .revokedHerbs])
        let bundle = try HoneyScenario(pki: pki).bundle(crls: [pki.crl])
        let data = try bundle.jsonData()
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate]))
        let broken = try TamperedSample.signatureChanged.make(pki: pki).jsonData()
        // Bundles read from files are memory-mapped: every mapping must be undone, which
        // valgrind does not see, so count them in /proc/self/maps after the loop.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("agritrace-leak-\(getpid()).provenance.json")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let registryDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("agritrace-leak-\(getpid())-registry")
        defer { try? FileManager.default.removeItem(at: registryDirectory) }
        let signer = try pki.signer(.honeyCoop)
        try registryRound(bundle, signer: signer, in: registryDirectory)  // first: what the process opens once (dispatch's event descriptors)
        let descriptorsBefore = openDescriptors()
        for _ in 0..<iterations {
            try registryRound(bundle, signer: signer, in: registryDirectory)
            for algorithm in KeyAlgorithm.allCases {
                let key = try PrivateKey.generate(algorithm)
                let signature = try key.sign(Array("leak check".utf8))
                _ = try key.publicKey.isValidSignature(signature, for: Array("leak check".utf8))
                _ = try PrivateKey(pemOrDER: try key.pemRepresentation(passphrase: "pw"), passphrase: "pw")
                _ = try? PrivateKey(pemOrDER: try key.derRepresentation(passphrase: "pw"), passphrase: "wrong")
                _ = try? PrivateKey(pemOrDER: Data("junk".utf8))
                let csr = try CertificateSigningRequest(subject: .init(commonName: "leak"), key: key)
                _ = try CertificateSigningRequest(der: csr.derRepresentation)
                let certificate = try pki.issuing.issue(csr, notBefore: SamplePKI.validFrom, notAfter: SamplePKI.validUntil,
                                                        extendedKeyUsages: [Role.producer.oid], subjectAltNameURIs: ["https://id.gs1.org/417/8936000100018"])
                _ = try Certificate(pemOrDER: Data(certificate.pemRepresentation.utf8))
                _ = try? Certificate(der: Data([0x30, 0x82, 0x01]))
            }
            try tableRound()
            let crl = try pki.issuing.revocationList([.init(serialNumber: "0A1B", revocationDate: Date())], thisUpdate: Date(),
                                                     nextUpdate: SamplePKI.validUntil, number: 2)
            _ = try CertificateRevocationList(der: crl.derRepresentation)
            _ = try? CertificateRevocationList(der: Data("x".utf8))
            let chains = try ChainVerifier(trustAnchors: [pki.root.certificate])
            _ = try? chains.verify(try pki.signer(.revokedHerbs).certificate, intermediates: [pki.issuing.certificate], at: Date(), crls: [pki.crl])
            _ = try? chains.verify(try pki.signer(.honeyCoop).certificate, intermediates: [], at: nil)
            _ = verifier.verify(data: data)
            _ = verifier.verify(data: broken)
            _ = verifier.verify(data: Data("[[[[".utf8))
            _ = verifier.verify(contentsOf: file)
        }
        let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
        let mapped = maps.split(separator: "\n").filter { $0.hasSuffix(file.lastPathComponent) }.count
        guard mapped == 0 else {
            print("leak loop: \(mapped) mapping(s) of the bundle file were never unmapped")
            exit(4)
        }
        // GRDB closes a pool's connections on their own queues: give them a moment (valgrind is slow).
        var left = openDescriptors() - descriptorsBefore
        for _ in 0..<100 where left > 0 {
            usleep(20_000)
            left = openDescriptors() - descriptorsBefore
        }
        guard left <= 0 else {
            print("leak loop: \(left) file descriptor(s) left open (a registry connection not closed?)")
            exit(4)
        }
        print("leak loop: \(iterations) iterations done, no bundle file left mapped, no descriptor left open")
    }

    /// A registry made, filled with the bundle's records and 40 events signed into it (a batch
    /// that fails at its last event first, stored not at all), and as streams of batches (one
    /// stopped by its caller), queried, closed and removed.
    private static func registryRound(_ bundle: ProvenanceBundle, signer: Signer, in directory: URL) throws {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let registry = try Registry(path: directory.appendingPathComponent("registry.sqlite").path)
        let digests = try registry.append(bundle.records, certificates: try bundle.certificates.map { try Certificate(der: $0) })
        var events = try bundle.records.prefix(40).map { record in
            var event = try EPCISEvent.decode(payload: record.payload)
            event.eventID = ""
            event.eventTime = EPCISTime(date: event.eventTime.date.addingTimeInterval(1), offsetMinutes: event.eventTime.offsetMinutes)
            return event
        }
        events[events.count - 1].extensions["agt:note"] = .string("Infinity")  // the CBV hash refuses it: nothing of the batch is stored
        _ = try? registry.register(events, by: signer)
        events[events.count - 1].extensions = [:]
        _ = try registry.register(events, by: signer)
        // A stream whose caller stops after its first batch (the second, being signed, is stopped), then a whole one.
        let later = { (seconds: Double) in
            events.map { event in
                var event = event
                event.eventTime = EPCISTime(date: event.eventTime.date.addingTimeInterval(seconds), offsetMinutes: event.eventTime.offsetMinutes)
                return RegistrationBatch([event], by: signer)
            }
        }
        try? registry.register(later(1)) { _ in throw TraceError("leak.stop", "the caller stops") }
        try registry.register(later(2)) { _ in }
        _ = try registry.upstream(of: digests.suffix(1))
        _ = try registry.downstream(of: Array(digests.prefix(1)))
        _ = try registry.records(Set(digests))
        try registry.checkpoint()
    }

    private static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
