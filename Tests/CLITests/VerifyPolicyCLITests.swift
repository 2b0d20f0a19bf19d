import Foundation
import Testing
import TestSupport

@Suite("agritrace-verify policies")
struct VerifyPolicyCLITests {
    static let fraud = repositoryRoot.appendingPathComponent("Samples/fraud/over-shipped-honey.provenance.json").path
    static let honeyPolicy = repositoryRoot.appendingPathComponent("Samples/policies/honey.json").path

    @Test("the built-in policy applies by category; --no-policy applies only the general rules")
    func automaticAndNone() throws {
        let automatic = try CLI.verify([Self.fraud, "--trust", CLI.root, "--json"])
        #expect(automatic.status == 1 && automatic.output.contains("massBalance.exceeded"))
        #expect(automatic.output.contains(#""policy" : "honey""#))
        let moisture = repositoryRoot.appendingPathComponent("Samples/fraud/moisture-over-limit.provenance.json").path
        #expect(try CLI.verify([moisture, "--trust", CLI.root]).status == 1)
        // Without a policy no limit applies; the laboratory's own verdict, non-conformant, still does.
        let unpoliced = try CLI.verify([moisture, "--trust", CLI.root, "--no-policy", "--json"])
        #expect(unpoliced.status == 1 && unpoliced.output.contains("lot.nonConformant") && !unpoliced.output.contains("policy."), "\(unpoliced.output)")
        #expect(try CLI.verify([moisture, "--trust", CLI.root, "--policy", Self.honeyPolicy]).status == 1)
    }

    @Test("a broken policy file or clashing flags exit 2")
    func badPolicy() throws {
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--policy", CLI.root]).status == 2)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--policy", Self.honeyPolicy, "--no-policy"]).status == 2)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--clock-skew", "-5"]).status == 2)
    }
}
