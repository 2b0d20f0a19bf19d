import Foundation

extension Policy {
    /// The built-in policies, by category; `Samples/policies/` holds the same as files.
    public static let builtIn: [String: Policy] = Dictionary(uniqueKeysWithValues: [honey, citrus, beef, herb].map { ($0.category, $0) })

    private static let commonStepRoles: [String: [Role]] = [
        "commissioning": [.producer],
        "inspecting": [.certifier, .laboratory],
        "packing": [.producer, .processor, .exporter],
        // An importer ships on to the retailers of its country, or back what it refuses; whoever
        // shipped takes returns back.
        "shipping": [.producer, .processor, .exporter, .carrier, .importer],
        "receiving": [.producer, .processor, .exporter, .importer],
        "transforming": [.processor],
    ]

    /// Mint-flower honey: organic inspection, a lab test within Codex honey limits, export.
    public static let honey = Policy(
        name: "honey", category: "honey", stepRoles: commonStepRoles,
        requiredSteps: [
            RequiredStep(step: "commissioning", roles: [.producer]),
            RequiredStep(step: "inspecting", roles: [.certifier], minSigners: 1),
            RequiredStep(step: "inspecting", roles: [.laboratory], minSigners: 1, limits: [
                Limit(measurement: "moisture", max: 20, unit: "P1"),
                Limit(measurement: "HMF", max: 40, unit: "mg/kg"),
            ]),
            RequiredStep(step: "packing"),
            RequiredStep(step: "shipping", roles: [.exporter]),
            RequiredStep(step: "receiving", roles: [.importer]),
        ],
        yieldTolerance: YieldTolerance(min: Decimal(string: "0.95") ?? 1, max: 1),
        clockSkewSeconds: 300
    )

    /// Sweet oranges: Brix and residue tests, packed fresh.
    public static let citrus = Policy(
        name: "citrus", category: "citrus", stepRoles: commonStepRoles,
        requiredSteps: [
            RequiredStep(step: "commissioning", roles: [.producer]),
            RequiredStep(step: "inspecting", roles: [.laboratory], minSigners: 1, limits: [
                Limit(measurement: "brix", min: 10, unit: "Brix"),
                Limit(measurement: "pesticideResidue", max: Decimal(string: "0.01"), unit: "mg/kg"),
            ]),
            RequiredStep(step: "packing"),
            RequiredStep(step: "shipping", roles: [.exporter]),
            RequiredStep(step: "receiving", roles: [.importer]),
        ],
        yieldTolerance: YieldTolerance(min: Decimal(string: "0.8") ?? 1, max: 1),
        clockSkewSeconds: 300
    )

    /// Yellow-cattle beef: slaughter, veterinary residue test, cutting at a processor.
    public static let beef = Policy(
        name: "beef", category: "beef", stepRoles: commonStepRoles,
        requiredSteps: [
            RequiredStep(step: "commissioning", roles: [.producer]),
            RequiredStep(step: "inspecting", roles: [.laboratory], minSigners: 1, limits: [
                Limit(measurement: "clenbuterol", max: 0, unit: "ug/kg"),
            ]),
            RequiredStep(step: "transforming", roles: [.processor]),
            RequiredStep(step: "packing"),
            RequiredStep(step: "shipping", roles: [.exporter]),
            RequiredStep(step: "receiving", roles: [.importer]),
        ],
        yieldTolerance: YieldTolerance(min: Decimal(string: "0.55") ?? 0, max: Decimal(string: "0.8") ?? 1),
        clockSkewSeconds: 300,
        // Chilled beef stays at 4 °C or below on the way (a carrier's logged temperatures).
        stepLimits: ["transporting": [Limit(measurement: "temperature", max: 4, unit: "CEL")]]
    )

    /// Medicinal herbs: organic collection, drying and blending at a processor.
    public static let herb = Policy(
        name: "herb", category: "herb", stepRoles: commonStepRoles,
        requiredSteps: [
            RequiredStep(step: "commissioning", roles: [.producer]),
            RequiredStep(step: "inspecting", roles: [.certifier], minSigners: 1),
            RequiredStep(step: "transforming", roles: [.processor]),
            RequiredStep(step: "inspecting", roles: [.laboratory], minSigners: 1, limits: [
                Limit(measurement: "moisture", max: 12, unit: "P1"),
            ]),
            RequiredStep(step: "packing"),
            RequiredStep(step: "shipping", roles: [.exporter]),
            RequiredStep(step: "receiving", roles: [.importer]),
        ],
        yieldTolerance: YieldTolerance(min: Decimal(string: "0.15") ?? 0, max: Decimal(string: "0.4") ?? 1),
        clockSkewSeconds: 300
    )
}
