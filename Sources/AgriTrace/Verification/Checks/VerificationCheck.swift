import Foundation

/// One verification rule, in the style of swift-certificates' verifier policies: it reads the
/// context and returns its findings, each with one code and one reason. Checks are independent,
/// so a new rule is a new type added to ``BundleVerifier/checks``.
public protocol VerificationCheck: Sendable {
    func findings(in context: VerificationContext) -> [Finding]
}
