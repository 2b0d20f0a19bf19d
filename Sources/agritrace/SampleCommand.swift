import AgriTrace
import ArgumentParser
import Foundation

/// `agritrace sample`: regenerate every sample bundle from the sample PKI.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write the sample bundles of the four products, their tampered and fraudulent copies, and the built-in policies.",
        discussion: """
        Writes into DIR: honey/, citrus/, beef/ and herb/ each with NAME.provenance.json; \
        honey/tampered/ and fraud/ with broken copies and an expected.json giving the code and \
        level agritrace-verify must report for each; policies/ with the built-in policies.
        """
    )

    @Option(help: ArgumentHelp("The sample PKI directory.", valueName: "dir")) var pki = "Certificates"
    @Option(help: ArgumentHelp("Where to write the samples.", valueName: "dir")) var out = "Samples"

    func run() throws {
        let pki = try SamplePKI.load(from: URL(fileURLWithPath: self.pki))
        let root = URL(fileURLWithPath: out)
        for sample in CleanSample.allCases {
            let directory = root.appendingPathComponent(sample.rawValue)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let bundle = try sample.make(pki: pki)
            try bundle.write(to: directory.appendingPathComponent("\(sample.rawValue).provenance.json"))
            print("wrote \(out)/\(sample.rawValue)/\(sample.rawValue).provenance.json (\(bundle.records.count) records)")
        }
        try write(TamperedSample.allCases.map { ($0.rawValue, try $0.make(pki: pki), $0.expectedCode.rawValue, $0.expectedLevel.rawValue, $0.explanation) },
                  to: root.appendingPathComponent("honey/tampered"))
        try write(FraudSample.allCases.map { ($0.rawValue, try $0.make(pki: pki), $0.expectedCode.rawValue, TrustLevel.invalid.rawValue, $0.explanation) },
                  to: root.appendingPathComponent("fraud"))
        let policies = root.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        for (category, policy) in Policy.builtIn.sorted(by: { $0.key < $1.key }) {
            try policy.jsonData().write(to: policies.appendingPathComponent("\(category).json"), options: .atomic)
        }
        print("wrote \(TamperedSample.allCases.count) tampered and \(FraudSample.allCases.count) fraudulent copies, and \(Policy.builtIn.count) policies")
    }

    private func write(_ samples: [(name: String, bundle: ProvenanceBundle, code: String, level: String, what: String)], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var expected: [String: [String: String]] = [:]
        for sample in samples {
            try sample.bundle.write(to: directory.appendingPathComponent("\(sample.name).provenance.json"))
            expected[sample.name] = ["code": sample.code, "level": sample.level, "what": sample.what]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(expected).write(to: directory.appendingPathComponent("expected.json"), options: .atomic)
    }
}
