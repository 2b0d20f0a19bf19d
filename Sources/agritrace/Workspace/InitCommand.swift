import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `agritrace init`: a new workspace.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: the registry (SQLite), the configuration and the trust anchors.",
        discussion: "Then install a signing identity with 'agritrace identity request' and 'agritrace identity install'."
    )

    @Option(help: "Your organisation's name.") var org: String
    @Option(help: "Your organisation's 13-digit GLN.") var gln: String
    @Option(help: ArgumentHelp("Your resolver domain for label Digital Links, e.g. https://dl.example.vn.", valueName: "url")) var resolverDomain: String?
    @Option(name: .customLong("trust"), help: ArgumentHelp("A PEM file of trust anchors for importing partners' bundles. Repeat for several.", valueName: "anchor.pem"))
    var trust: [String] = []
    @Option(help: ArgumentHelp("The workspace directory (default: $AGRITRACE_WORKSPACE, else ./.agritrace).", valueName: "dir")) var workspace: String?

    func run() throws {
        let anchors = try trust.flatMap { try Certificate.all(fileAt: URL(fileURLWithPath: $0)) }
        if let resolverDomain { try AuthenticatedLabel.checkResolver(resolverDomain) }
        let config = Workspace.Config(organization: org, gln: try GLN(gln), resolverDomain: resolverDomain)
        let created = try Workspace.create(at: Workspace.location(workspace), config: config, trustAnchors: anchors)
        print("created workspace \(created.directory.path) for \(org) (GLN \(gln)) trusting \(anchors.count) anchor(s)")
    }
}
