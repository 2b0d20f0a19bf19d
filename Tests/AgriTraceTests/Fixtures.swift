import Foundation
@testable import AgriTrace
import TraceCrypto
import TestSupport

/// One sample PKI and honey bundle per test process (key generation is the slow part).
enum Fixtures {
    static let pki: SamplePKI = {
        do { return try SamplePKI.generate() } catch { fatalError("sample PKI: \(error)") }
    }()
    static let scenario: HoneyScenario = {
        do { return try HoneyScenario(pki: pki) } catch { fatalError("scenario: \(error)") }
    }()
    static let bundle: ProvenanceBundle = {
        do { return try scenario.bundle(crls: [pki.crl]) } catch { fatalError("bundle: \(error)") }
    }()
    static let verifyTime = date("2026-12-01T00:00:00Z")

    static func verifier(anchors: [Certificate] = [pki.root.certificate]) -> BundleVerifier {
        BundleVerifier(options: VerificationOptions(trustAnchors: anchors, at: verifyTime))
    }

    static func verify(_ bundle: ProvenanceBundle) throws -> VerificationReport {
        verifier().verify(data: try bundle.jsonData())
    }

    /// ``verify(_:)`` as a buyer who asks for no product policy (`--no-policy`): for bundles made
    /// to test one check, whose harvests declare no product category (else `policy.none`).
    static func verifyWithoutPolicy(_ bundle: ProvenanceBundle) throws -> VerificationReport {
        var options = VerificationOptions(trustAnchors: [pki.root.certificate], at: verifyTime)
        options.automaticPolicy = false
        return BundleVerifier(options: options).verify(data: try bundle.jsonData())
    }
}


