import Foundation
import TraceCrypto

/// Bundles that are intact and correctly signed, yet tell a story that cannot be true: the
/// frauds a policy exists to catch. Each names the code the verifier must report under the
/// product's built-in policy.
public enum FraudSample: String, CaseIterable, Sendable {
    case overShippedHoney = "over-shipped-honey"
    case conventionalBlendedIntoOrganic = "conventional-blended-into-organic"
    case backdatedLabResult = "backdated-lab-result"
    case missingCertifierStep = "missing-certifier-step"
    case transformationCreatesWeight = "transformation-creates-weight"
    case moistureOverLimit = "moisture-over-limit"
    case failedLabTestShipped = "failed-lab-test-shipped"

    public var expectedCode: TraceError.Code {
        switch self {
        case .overShippedHoney: .massBalanceExceeded
        case .conventionalBlendedIntoOrganic: .organicBrokenChain
        case .backdatedLabResult: .linkTimeOrder
        case .missingCertifierStep: .stepMissing
        case .transformationCreatesWeight: .massBalanceYield
        case .moistureOverLimit: .limitExceeded
        case .failedLabTestShipped: .lotNonConformant
        }
    }

    public var explanation: String {
        switch self {
        case .overShippedHoney: "the cooperative hands 1500 kg to the exporter from a 1200 kg harvest"
        case .conventionalBlendedIntoOrganic: "an uncertified herb collection is blended into a lot sold as organic"
        case .backdatedLabResult: "the lab result is dated the day before the honey was harvested"
        case .missingCertifierStep: "the honey never had its organic inspection, yet still claims the certificate"
        case .transformationCreatesWeight: "4200 kg of carcasses are declared to give 4500 kg of cuts"
        case .moistureOverLimit: "the lab measured 21.5 % moisture, above the 20 % honey limit"
        case .failedLabTestShipped: "the lab found the honey non-conformant, with every measured value in its limits; it is shipped anyway"
        }
    }

    public func make(pki: SamplePKI) throws -> ProvenanceBundle {
        let crls = [pki.crl]
        switch self {
        case .overShippedHoney:
            var honey = try HoneyScenario(pki: pki)
            honey.handedOver = 1500
            return try honey.bundle(crls: crls)
        case .conventionalBlendedIntoOrganic:
            var herb = try HerbScenario(pki: pki)
            herb.secondIsOrganic = false
            return try herb.bundle(crls: crls)
        case .backdatedLabResult:
            var honey = try HoneyScenario(pki: pki)
            honey.labTime = "2026-04-11T14:20:00.000+07:00"
            return try honey.bundle(crls: crls)
        case .missingCertifierStep:
            var honey = try HoneyScenario(pki: pki)
            honey.certifier = nil
            return try honey.bundle(crls: crls)
        case .transformationCreatesWeight:
            var beef = try BeefScenario(pki: pki)
            beef.cutsKilograms = 4500
            return try beef.bundle(crls: crls)
        case .moistureOverLimit:
            var honey = try HoneyScenario(pki: pki)
            honey.moisture = Decimal(string: "21.5") ?? 0
            return try honey.bundle(crls: crls)
        case .failedLabTestShipped:
            var honey = try HoneyScenario(pki: pki)
            honey.labConformant = false
            return try honey.bundle(crls: crls)
        }
    }
}

/// The clean bundles of the four products, by sample folder name.
public enum CleanSample: String, CaseIterable, Sendable {
    case honey, citrus, beef, herb

    public func make(pki: SamplePKI) throws -> ProvenanceBundle {
        switch self {
        case .honey: try HoneyScenario(pki: pki).bundle(crls: [pki.crl])
        case .citrus: try CitrusScenario(pki: pki).bundle(crls: [pki.crl])
        case .beef: try BeefScenario(pki: pki).bundle(crls: [pki.crl])
        case .herb: try HerbScenario(pki: pki).bundle(crls: [pki.crl])
        }
    }
}
