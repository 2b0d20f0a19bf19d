import Foundation

/// Which roles may sign which CBV business step. The default suits AgriTrace's supply chains;
/// per-product policies refine it.
public struct StepRoles: Sendable, Hashable {
    public var allowed: [String: Set<Role>]
    /// Roles that may sign a step the table does not list.
    public var otherwise: Set<Role>

    public init(allowed: [String: Set<Role>], otherwise: Set<Role>) {
        self.allowed = allowed
        self.otherwise = otherwise
    }

    public static let `default` = StepRoles(
        allowed: [
            "commissioning": [.producer, .processor],
            "inspecting": [.certifier, .laboratory],
            "packing": [.producer, .processor, .exporter],
            "unpacking": [.producer, .processor, .exporter, .importer],  // whoever packs may unpack what it holds
            "shipping": [.producer, .processor, .exporter, .carrier, .importer],  // an importer distributes, or returns
            "departing": [.exporter, .carrier],
            "arriving": [.carrier, .importer],
            "receiving": [.producer, .processor, .exporter, .importer],  // a producer takes returns back
            "transforming": [.processor, .producer],
            "commissioning_imported": [.registryOperator],
        ],
        otherwise: [.producer, .processor, .exporter, .carrier, .importer]
    )

    /// The roles that may sign `step` (a bare CBV word).
    public func roles(for step: String?) -> Set<Role> {
        step.flatMap { allowed[$0] } ?? otherwise
    }
}
