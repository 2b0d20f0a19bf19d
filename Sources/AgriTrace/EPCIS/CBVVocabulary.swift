import Foundation

/// The CBV 2.0 and GS1 vocabulary words that EPCIS 2.0 JSON-LD lets an event write bare
/// (`"bizStep": "shipping"`), per field, with the IRI each expands to. Generated from the EPCIS 2.0
/// JSON-LD context (`epcis-context.jsonld`, the scoped contexts of its `@vocab`-typed terms).
enum CBVVocabulary {
    /// A vocabulary: the IRI prefix its words expand under, and the words.
    struct Vocabulary {
        let prefix: String
        /// The words, looked up by their bytes: by code point, as the reference's JSON-LD reads a
        /// term (a `Dictionary` of Strings took `\u{212A}inematicViscosity`, with the Kelvin sign,
        /// for the word `KinematicViscosity`, which the reference leaves as written), and without
        /// hashing them.
        private let words: NameTable
        /// Each word's IRI, made once, at the word's place: events expand the same few words over and over.
        private let iris: [String]

        init(prefix: String, words: Set<String>) {
            self.prefix = prefix
            let list = words.sorted()
            self.words = NameTable(list)
            iris = list.map { prefix + $0 }
        }

        /// The IRI of a bare word of this vocabulary, if it is one.
        func expand(_ word: String) -> String? { words.index(of: word).map { iris[$0] } }
    }

    static let bizStep = Vocabulary(prefix: "https://ref.gs1.org/cbv/BizStep-", words: [
            "accepting",
            "arriving",
            "assembling",
            "collecting",
            "commissioning",
            "consigning",
            "creating_class_instance",
            "cycle_counting",
            "decommissioning",
            "departing",
            "destroying",
            "disassembling",
            "dispensing",
            "encoding",
            "entering_exiting",
            "holding",
            "inspecting",
            "installing",
            "killing",
            "loading",
            "other",
            "packing",
            "picking",
            "receiving",
            "removing",
            "repackaging",
            "repairing",
            "replacing",
            "reserving",
            "retail_selling",
            "sampling",
            "sensor_reporting",
            "shipping",
            "staging_outbound",
            "stock_taking",
            "stocking",
            "storing",
            "transporting",
            "unloading",
            "unpacking",
            "void_shipping",
        ])

    static let disposition = Vocabulary(prefix: "https://ref.gs1.org/cbv/Disp-", words: [
            "active",
            "available",
            "completeness_inferred",
            "completeness_verified",
            "conformant",
            "container_closed",
            "container_open",
            "damaged",
            "destroyed",
            "dispensed",
            "disposed",
            "encoded",
            "expired",
            "in_progress",
            "in_transit",
            "inactive",
            "mismatch_class",
            "mismatch_instance",
            "mismatch_quantity",
            "needs_replacement",
            "no_pedigree_match",
            "non_conformant",
            "non_sellable_other",
            "partially_dispensed",
            "recalled",
            "reserved",
            "retail_sold",
            "returned",
            "sellable_accessible",
            "sellable_not_accessible",
            "stolen",
            "unavailable",
            "unknown",
        ])

    static let bizTransactionType = Vocabulary(prefix: "https://ref.gs1.org/cbv/BTT-", words: [
            "bol",
            "cert",
            "desadv",
            "inv",
            "pedigree",
            "po",
            "poc",
            "prodorder",
            "recadv",
            "rma",
            "testprd",
            "testres",
            "upevt",
        ])

    static let sourceDestinationType = Vocabulary(prefix: "https://ref.gs1.org/cbv/SDT-", words: [
            "location",
            "owning_party",
            "possessing_party",
        ])

    static let errorReason = Vocabulary(prefix: "https://ref.gs1.org/cbv/ER-", words: [
            "did_not_occur",
            "incorrect_data",
        ])

    static let measurementType = Vocabulary(prefix: "https://gs1.org/voc/", words: [
            "AbsoluteHumidity",
            "AbsorbedDose",
            "AbsorbedDoseRate",
            "Acceleration",
            "Altitude",
            "AmountOfSubstance",
            "AmountOfSubstancePerUnitVolume",
            "Angle",
            "AngularAcceleration",
            "AngularMomentum",
            "AngularVelocity",
            "Area",
            "Capacitance",
            "Conductance",
            "Conductivity",
            "Count",
            "Density",
            "Dimensionless",
            "DoseEquivalent",
            "DoseEquivalentRate",
            "DynamicViscosity",
            "ElectricCharge",
            "ElectricCurrent",
            "ElectricCurrentDensity",
            "ElectricFieldStrength",
            "Energy",
            "Exposure",
            "Force",
            "Frequency",
            "Illuminance",
            "Inductance",
            "Irradiance",
            "KinematicViscosity",
            "Length",
            "LinearMomentum",
            "Luminance",
            "LuminousFlux",
            "LuminousIntensity",
            "MagneticFlux",
            "MagneticFluxDensity",
            "MagneticVectorPotential",
            "Mass",
            "MassConcentration",
            "MassFlowRate",
            "MassPerAreaTime",
            "MemoryCapacity",
            "MolalityOfSolute",
            "MolarEnergy",
            "MolarMass",
            "MolarVolume",
            "Power",
            "Pressure",
            "RadiantFlux",
            "RadiantIntensity",
            "Radioactivity",
            "RelativeHumidity",
            "Resistance",
            "Resistivity",
            "SolidAngle",
            "SpecificVolume",
            "Speed",
            "SurfaceDensity",
            "SurfaceTension",
            "Temperature",
            "Time",
            "Torque",
            "Voltage",
            "Volume",
            "VolumeFlowRate",
            "VolumeFraction",
            "VolumetricFlux",
            "Wavenumber",
        ])

    /// A sensor report's `exception` (the context's SensorAlertType).
    static let sensorAlertType = Vocabulary(prefix: "https://gs1.org/voc/", words: ["ALARM_CONDITION", "ERROR_CONDITION"])

    static let component = Vocabulary(prefix: "https://ref.gs1.org/cbv/Comp-", words: [
            "altitude",
            "axial_distance",
            "azimuth",
            "easting",
            "elevation_angle",
            "height",
            "latitude",
            "longitude",
            "northing",
            "polar_angle",
            "spherical_radius",
            "x",
            "y",
            "z",
        ])

    /// The compact IRI prefixes the EPCIS 2.0 context defines, by code point (as JSON-LD knows a term).
    static let prefixes: [ExactText: String] = [
        "epcis": "https://ref.gs1.org/epcis/", "cbv": "https://ref.gs1.org/cbv/", "cbvmda": "urn:epcglobal:cbv:mda:",
        "gs1": "https://gs1.org/voc/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#", "dcterms": "http://purl.org/dc/terms/",
    ]
}
