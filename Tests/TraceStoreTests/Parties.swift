import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// A sample PKI and helpers to make party workspaces.
enum Parties {
    static let pki: SamplePKI = {
        do { return try SamplePKI.generate() } catch { fatalError("sample PKI: \(error)") }
    }()
    static let honey = try! GTIN("08936000120016")  // a literal with a valid check digit
    static let lot = "https://id.gs1.org/01/08936000120016/10/MV-1"
    static let day = Date(timeIntervalSince1970: 1_776_000_000)  // 2026-04-12

    /// A party's workspace with its identity and its authority's CRL installed (`revocationList: false`: without the CRL).
    static func workspace(_ actor: SampleActor, revocationList: Bool = true) throws -> EventRecorder {
        let directory = try temporaryDirectory().appendingPathComponent("ws")
        let workspace = try Workspace.create(at: directory, config: .init(organization: actor.organization, gln: try GLN(actor.gln)),
                                             trustAnchors: [pki.root.certificate])
        let signer = try pki.signer(actor)
        try workspace.installIdentity(chain: [signer.certificate] + signer.chain, key: signer.key, passphrase: nil)
        if revocationList { try workspace.addRevocationList(pki.crl) }
        var recorder = EventRecorder(workspace: workspace, signer: try workspace.signer(passphrase: nil))
        recorder.now = { Date(timeIntervalSince1970: 1_780_000_000) }  // 2026-05-28
        return recorder
    }

    /// A workspace of `actor` that has imported `from`'s bundle of `subject`, as a partner receives it.
    static func handedOver(from: EventRecorder, to actor: SampleActor, subject: String = lot) throws -> EventRecorder {
        let file = try temporaryDirectory().appendingPathComponent("handed-over.provenance.json")
        try from.workspace.exportBundle(subject: subject).write(to: file)
        let partner = try workspace(actor)
        _ = try partner.workspace.importBundle(at: file)
        return partner
    }

    /// `actor`'s workspace once `coop` has shipped it `quantity` of the lot, and it has imported
    /// the bundle and received the shipment (a minute, then two, after the harvest).
    static func shippedAndReceived(_ quantity: Decimal, from coop: EventRecorder, to actor: SampleActor) throws -> EventRecorder {
        try coop.ship(amounts: [.init(lot: lot, quantity: quantity)], to: try GLN(actor.gln), time: day.addingTimeInterval(60))
        let partner = try handedOver(from: coop, to: actor)
        try partner.receive(amounts: [.init(lot: lot, quantity: quantity)], from: try GLN(SampleActor.honeyCoop.gln), time: day.addingTimeInterval(120))
        return partner
    }

    /// `category`: the product's; a product of no built-in policy (`other`) lets the cooperative
    /// blend its own lots, which the honey policy gives to processors.
    static func cooperativeWithHarvest(_ quantity: Decimal = 1200, revocationList: Bool = true, category: String = "honey") throws -> EventRecorder {
        let coop = try workspace(.honeyCoop, revocationList: revocationList)
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: honey, nameVi: "Mật ong", nameEn: "Honey", category: category, unit: "KGM"))
            try tx.addPlot(try StoredPlot(id: "P1", name: "Lũng Pù", geometryJSON: #"{"type":"Point","coordinates":[105.41,23.17]}"#))
        }
        try coop.harvest(gtin: honey, lot: "MV-1", quantity: quantity, plots: ["P1"], harvestDate: "2026-04-10", time: day)
        return coop
    }
}
