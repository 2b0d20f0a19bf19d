import AgriTrace
import ArgumentParser
import Foundation

/// `agritrace sample`: regenerate the sample bundles from the sample PKI.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write the mint-honey sample bundle and its tampered copies, signed with the sample PKI.",
        discussion: """
        Writes DIR/honey.provenance.json, one DIR/tampered/NAME.provenance.json per tampering, and \
        DIR/tampered/expected.json with the code and level agritrace-verify must report for each.
        """
    )

    @Option(help: ArgumentHelp("The sample PKI directory.", valueName: "dir")) var pki = "Certificates"
    @Option(help: ArgumentHelp("Where to write the samples.", valueName: "dir")) var out = "Samples/honey"

    func run() throws {
        let pki = try SamplePKI.load(from: URL(fileURLWithPath: self.pki))
        let directory = URL(fileURLWithPath: out)
        let tampered = directory.appendingPathComponent("tampered")
        try FileManager.default.createDirectory(at: tampered, withIntermediateDirectories: true)
        let clean = try HoneyScenario(pki: pki).bundle(crls: [pki.crl])
        try clean.write(to: directory.appendingPathComponent("honey.provenance.json"))
        var expected: [String: [String: String]] = [:]
        for sample in TamperedSample.allCases {
            try sample.make(pki: pki).write(to: tampered.appendingPathComponent("\(sample.rawValue).provenance.json"))
            expected[sample.rawValue] = ["code": sample.expectedCode.rawValue, "level": sample.expectedLevel.rawValue,
                                         "what": sample.explanation]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(expected).write(to: tampered.appendingPathComponent("expected.json"), options: .atomic)
        print("wrote \(out)/honey.provenance.json (\(clean.records.count) records) and \(TamperedSample.allCases.count) tampered copies")
    }
}
