import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace stock`.
struct StockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock",
        abstract: "What this party holds now: lots with quantities left, and logistic units.",
        discussion: """
        Reckoned from every record in the registry, as the registry reckons it before it lets \
        you ship or pack: a lot harvested, made, received or unpacked here, less what was \
        shipped, packed or consumed; a logistic unit (SSCC) packed or received here and not \
        shipped or unpacked since, with what was packed into it. A lot a partner shipped to \
        you counts from its shipment, once the partner's bundle is imported (as the buyer's \
        mass balance counts it); a logistic unit from your receipt of it.

        Example:
          agritrace stock
          agritrace stock --json
        """
    )

    @OptionGroup var options: WorkspaceOptions
    @Flag(help: ArgumentHelp("Print the stock as JSON: holder (GLN), organization, lots [{lot, product, quantity, unit}] and units [{unit, contents, record}]."))
    var json = false

    func run() throws {
        let stock = try Stock.of(try options.open())
        if json { return try printJSON(stock) }
        print(stock.text(), terminator: "")
    }
}
