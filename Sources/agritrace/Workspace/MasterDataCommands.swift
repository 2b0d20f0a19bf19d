import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace product`: the products the party trades.
struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "product", abstract: "Register and list products.", subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a product by GTIN with its names, category and unit.")
        @OptionGroup var options: WorkspaceOptions
        @Option(help: "GTIN-8, -12, -13 or -14.") var gtin: String
        @Option(help: "Name in Vietnamese.") var nameVi: String
        @Option(help: "Name in English.") var nameEn: String
        @Option(help: "Name in Chinese.") var nameZh: String?
        @Option(help: "Name in Thai.") var nameTh: String?
        @Option(help: "honey, citrus, beef, herb or other.") var category: String
        @Option(help: "UN/ECE unit code: KGM, LTR, H87 …") var unit = "KGM"

        func run() throws {
            let product = try Product(gtin: try GTIN(gtin), nameVi: nameVi, nameEn: nameEn, nameZh: nameZh, nameTh: nameTh, category: category, unit: unit)
            try options.open().registry.transaction { try $0.addProduct(product) }
            print("registered product \(product.gtin) \(product.nameEn)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered products.")
        @OptionGroup var options: WorkspaceOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let products = try options.open().registry.transaction { try $0.products() }
            if json { try printJSON(products); return }
            for product in products { print("\(product.gtin)  \(product.category.padding(toLength: 7, withPad: " ", startingAt: 0)) \(product.unit)  \(product.nameVi) / \(product.nameEn)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one product.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The product's GTIN.") var gtin: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let key = try GTIN(gtin)
            guard let product = try options.open().registry.transaction({ try $0.product(key) }) else {
                throw TraceError("product.unknown", "product \(key) is not registered")
            }
            if json { try printJSON(product) } else { print("\(product.gtin)\n  vi: \(product.nameVi)\n  en: \(product.nameEn)\n  category: \(product.category), unit: \(product.unit)") }
        }
    }
}

/// `agritrace plot`: the farm plots lots are harvested from.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plot", abstract: "Register and list farm plots.", subcommands: [Add.self, List.self, Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one plot.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The plot's id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let plot = try options.open().registry.transaction({ try $0.plot(id) }) else { throw TraceError("plot.unknown", "plot \(id) is not registered") }
            if json { try printJSON(plot) } else { print("\(plot.id)  \(plot.name)\n  geometry: \(plot.geometryJSON)\n  area: \(plot.areaHectares.map { "\($0) ha" } ?? "not recorded")"
                                          + "; organic since: \(plot.organicSince ?? "not recorded")") }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a plot with a GeoJSON point (--point LON,LAT) or geometry (--geojson).")
        @OptionGroup var options: WorkspaceOptions
        @Option(help: "The plot's id, e.g. MV-P07.") var id: String
        @Option(help: "The plot's name.") var name: String
        @Option(help: ArgumentHelp("Longitude,latitude of the plot.", valueName: "lon,lat")) var point: String?
        @Option(help: ArgumentHelp("A GeoJSON geometry (Point, Polygon, MultiPolygon) as JSON text.", valueName: "json")) var geojson: String?
        @Option(help: "Area in hectares.") var area: String?
        @Option(help: ArgumentHelp("Date the plot became organic.", valueName: "YYYY-MM-DD")) var organicSince: String?

        func run() throws {
            guard point == nil || geojson == nil else { throw TraceError("argument.invalid", "give --point or --geojson, not both") }
            var geometry = geojson
            if let point {
                let parts = point.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, (-180...180).contains(parts[0]), (-90...90).contains(parts[1]) else {
                    throw TraceError("argument.invalid", "--point \(point) is not LONGITUDE,LATITUDE")
                }
                geometry = #"{"type":"Point","coordinates":[\#(parts[0]),\#(parts[1])]}"#
            }
            guard let geometry else { throw TraceError("argument.invalid", "give --point or --geojson") }
            if let area, Decimal(wholeText: area) == nil {
                throw TraceError("argument.invalid", "--area \(area) is not a number (at most 15 digits, with a point as the decimal mark: 3.2)")
            }  // more than zero: StoredPlot checks that, as every rule a plot has
            let workspace = try options.open()
            let today = String(EPCISTime(date: Date(), offsetMinutes: workspace.config.offsetMinutes).description.prefix(10))
            let plot = try StoredPlot(id: id, name: name, geometryJSON: geometry, areaHectares: area, organicSince: organicSince, today: today)
            try workspace.registry.transaction { try $0.addPlot(plot) }
            print("registered plot \(id) \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered plots.")
        @OptionGroup var options: WorkspaceOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let plots = try options.open().registry.transaction { try $0.plots() }
            if json { try printJSON(plots); return }
            for plot in plots { print("\(plot.id)  \(plot.name)  \(plot.geometryJSON)") }
        }
    }
}

/// `agritrace certificate`: certificates the party holds (organic certification and the like).
struct HeldCertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certificate", abstract: "Register and list the certificates you hold (organic certification).",
                                                    subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a certificate: harvests claiming it must fall inside its validity.")
        @OptionGroup var options: WorkspaceOptions
        @Option(help: "The certificate number, e.g. VC-ORG-2026-0457.") var number: String
        @Option(help: "The issuing body.") var body: String
        @Option(help: ArgumentHelp("First valid day.", valueName: "YYYY-MM-DD")) var validFrom: String
        @Option(help: ArgumentHelp("Last valid day.", valueName: "YYYY-MM-DD")) var validUntil: String

        func run() throws {
            let certificate = try HeldCertificate(number: number, body: body, validFrom: validFrom, validUntil: validUntil)
            try options.open().registry.transaction { try $0.addHeldCertificate(certificate) }
            print("registered certificate \(number) (\(body), \(validFrom) to \(validUntil))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the certificates you hold.")
        @OptionGroup var options: WorkspaceOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let certificates = try options.open().registry.transaction { try $0.heldCertificates() }
            if json { try printJSON(certificates); return }
            for certificate in certificates { print("\(certificate.number)  \(certificate.validFrom) … \(certificate.validUntil)  \(certificate.body)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one certificate.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The certificate number.") var number: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let certificate = try options.open().registry.transaction({ try $0.heldCertificate(number) }) else {
                throw TraceError("certificate.unknown", "certificate \(number) is not registered")
            }
            if json { try printJSON(certificate) } else { print("\(certificate.number)\n  body: \(certificate.body)\n  valid: \(certificate.validFrom) to \(certificate.validUntil)") }
        }
    }
}
