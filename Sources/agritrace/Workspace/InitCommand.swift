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
        discussion: """
            Then install a signing identity with 'agritrace identity request' and 'agritrace identity install'.

            Records carry the time zone they were made in. A party outside Viet Nam says its own \
            with --offset (Singapore, Kunming: +08:00; Bangkok: +07:00), so that its records \
            and its reports' days are in local time.

            Example:
              agritrace init --org "Lion City Fine Foods Pte. Ltd." --gln 8936000100094 --offset +08:00 --trust root-ca.pem
            """
    )

    @Option(help: "Your organisation's name.") var org: String
    @Option(help: "Your organisation's 13-digit GLN.") var gln: String
    @Option(help: ArgumentHelp("Your resolver domain for label Digital Links, e.g. https://dl.example.vn.", valueName: "url")) var resolverDomain: String?
    @Option(name: .customLong("trust"), help: ArgumentHelp("A PEM file of trust anchors for importing partners' bundles. Repeat for several.", valueName: "anchor.pem"))
    var trust: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Your time zone's offset from UTC, e.g. +08:00 (default: +07:00, Viet Nam).", valueName: "±hh:mm")) var offset: String?
    @Option(help: ArgumentHelp("The workspace directory (default: $AGRITRACE_WORKSPACE, else ./.agritrace).", valueName: "dir")) var workspace: String?

    func run() throws {
        let anchors = try trust.flatMap { try Certificate.all(fileAt: URL(fileURLWithPath: $0)) }
        if let resolverDomain { try AuthenticatedLabel.checkResolver(resolverDomain) }
        let config = Workspace.Config(organization: org, gln: try GLN(gln), resolverDomain: resolverDomain,
                                      offsetMinutes: try offset.map(Self.offsetMinutes) ?? Workspace.Config.vietnamOffsetMinutes)
        let created = try Workspace.create(at: Workspace.location(workspace), config: config, trustAnchors: anchors)
        print("created workspace \(created.directory.path) for \(org) (GLN \(gln), UTC\(EPCISTime.offsetText(config.offsetMinutes))) trusting \(anchors.count) anchor(s)")
    }

    /// `+08:00`, `-03:30`, `+0545` or `+8` as minutes east of UTC, within the zones that exist (−12:00 to +14:00).
    static func offsetMinutes(_ text: String) throws -> Int {
        let bad = TraceError("argument.invalid", "--offset \(text.prefix(20)) is not a time zone offset such as +08:00 or -05:00 (UTC-12:00 to UTC+14:00)")
        guard let sign = text.first, sign == "+" || sign == "-" else { throw bad }
        let parts = text.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { throw bad }
        let hoursText: Substring, minutesText: Substring
        switch (parts.count, parts[0].count) {
        case (1, 1...2): (hoursText, minutesText) = (parts[0], "0")  // +8, +08
        case (1, 4): (hoursText, minutesText) = (parts[0].prefix(2), parts[0].suffix(2))  // +0800
        case (2, 1...2) where parts[1].count == 2: (hoursText, minutesText) = (parts[0], parts[1])  // +08:00, +8:00
        default: throw bad
        }
        let hours = Int(hoursText) ?? 99, minutes = Int(minutesText) ?? 99
        let total = (hours * 60 + minutes) * (sign == "-" ? -1 : 1)
        guard minutes < 60, (-12 * 60...14 * 60).contains(total) else { throw bad }
        return total
    }
}
