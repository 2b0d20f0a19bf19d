import Foundation
import Testing
@testable import AgriTrace
import TraceCrypto

@Suite("Bundle verification")
struct BundleVerifierTests {
    @Test("the clean honey bundle is trusted, with every step marked and in order")
    func cleanBundleTrusted() throws {
        let report = try Fixtures.verify(Fixtures.bundle)
        #expect(report.level == .trusted, "\(report.journeyText())")
        #expect(report.findings.isEmpty)
        #expect(report.records.map { $0.step ?? "" } == ["commissioning", "inspecting", "inspecting", "shipping", "receiving", "packing", "shipping", "receiving"])
        #expect(report.records.allSatisfy { $0.mark == .trusted })
        #expect(report.records.first?.signer?.hasPrefix("Meo Vac Mint Honey") == true)
    }
}
