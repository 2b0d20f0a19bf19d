import AgriTrace
import ArgumentParser
import Foundation

/// `agritrace pki sample`: the sample PKI of Certificates/.
struct PKISample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate the sample PKI: a root, an issuing CA, a TEST-ONLY key and certificate per sample actor, a CRL.",
        discussion: "Every key file starts with a TEST KEY ONLY line and has mode 0600. Valid 2026-01-01 to 2046-01-01."
    )

    @Option(help: ArgumentHelp("Directory to write into.", valueName: "dir"))
    var out: String

    @Flag(help: "Replace the PKI files already in the directory.")
    var force = false

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        if !force, FileManager.default.fileExists(atPath: directory.appendingPathComponent("root-ca.pem").path) {
            throw TraceError("argument.invalid", "\(out) already holds a PKI; add --force to replace it (every sample then needs regenerating)")
        }
        let pki = try SamplePKI.generate()
        try pki.write(to: directory)
        print("wrote the sample PKI to \(out): root-ca.pem, issuing-ca.pem, issuing-ca.crl.pem and \(SampleActor.all.count) actors")
        for actor in SampleActor.all {
            let roles = actor.roles.map(\.rawValue).joined(separator: ",")
            print("  \(actor.id.padding(toLength: 24, withPad: " ", startingAt: 0)) \(roles.padding(toLength: 11, withPad: " ", startingAt: 0)) GLN \(actor.gln)  \(actor.organization)")
        }
    }
}
