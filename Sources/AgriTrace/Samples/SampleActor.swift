import Foundation

/// The fictitious parties of the sample PKI and scenarios. Names sound real; none is.
public struct SampleActor: Hashable, Sendable {
    /// File stem in `Certificates/` (`honey-coop` → `honey-coop.pem`, `honey-coop.key`).
    public var id: String
    public var organization: String
    public var country: String
    public var roles: [Role]
    public var gln: String
    /// For the revoked sample actor: when its certificate was revoked.
    public var revokedOn: Date?

    public static let honeyCoop = SampleActor(id: "honey-coop", organization: "Meo Vac Mint Honey Cooperative (HTX Mật ong Bạc hà Mèo Vạc)", country: "VN", roles: [.producer], gln: "8936000100018")
    public static let orangeCoop = SampleActor(id: "orange-coop", organization: "Ham Yen Sweet Orange Cooperative (HTX Cam sành Hàm Yên)", country: "VN", roles: [.producer], gln: "8936000100025")
    public static let cattleCoop = SampleActor(id: "cattle-coop", organization: "Dong Van Yellow Cattle Cooperative (HTX Bò vàng Đồng Văn)", country: "VN", roles: [.producer], gln: "8936000100032")
    public static let certifier = SampleActor(id: "certifier", organization: "VietCert Organic Certification Body", country: "VN", roles: [.certifier], gln: "8936000100049")
    public static let laboratory = SampleActor(id: "laboratory", organization: "Northern Food Testing Laboratory", country: "VN", roles: [.laboratory], gln: "8936000100056")
    public static let processor = SampleActor(id: "processor", organization: "Highland Agri Processing JSC", country: "VN", roles: [.processor], gln: "8936000100063")
    public static let exporter = SampleActor(id: "exporter", organization: "Plateau Harvest Export Co., Ltd.", country: "VN", roles: [.exporter], gln: "8936000100070")
    public static let carrier = SampleActor(id: "carrier", organization: "Red River Cold Chain Logistics", country: "VN", roles: [.carrier], gln: "8936000100087")
    public static let importerSingapore = SampleActor(id: "importer-sg", organization: "Lion City Fine Foods Pte. Ltd.", country: "SG", roles: [.importer], gln: "8936000100094")
    public static let importerBangkok = SampleActor(id: "importer-bkk", organization: "Chao Phraya Organic Trading Co., Ltd.", country: "TH", roles: [.importer], gln: "8936000100100")
    public static let importerKunming = SampleActor(id: "importer-kunming", organization: "Kunming Spring Valley Foods Co., Ltd.", country: "CN", roles: [.importer], gln: "8936000100117")
    public static let revokedHerbs = SampleActor(
        id: "revoked-herb-collector", organization: "Quan Ba Herb Collectors (certificate revoked)", country: "VN", roles: [.producer],
        gln: "8936000100124", revokedOn: SamplePKI.date("2026-03-01T00:00:00Z")
    )

    public static let all: [SampleActor] = [
        honeyCoop, orangeCoop, cattleCoop, certifier, laboratory, processor, exporter, carrier,
        importerSingapore, importerBangkok, importerKunming, revokedHerbs,
    ]
}
