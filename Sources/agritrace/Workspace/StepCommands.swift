import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `agritrace inspect`: a certifier's or laboratory's finding on a lot.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Record an inspection or lab result on a lot.")
    @OptionGroup var options: SigningOptions
    @Option(help: ArgumentHelp("The lot: a Digital Link or GTIN/LOT.", valueName: "lot")) var lot: String
    @Option(help: "pass or fail.") var result: String
    @Option(name: .customLong("measure"), help: ArgumentHelp("A measured value, e.g. moisture=17.8:P1 or HMF=12.4:mg/kg. Repeat.", valueName: "name=value:unit"))
    var measures: [String] = []
    @Option(help: ArgumentHelp("The report file; its SHA-256 goes in the record.", valueName: "file")) var report: String?
    @Option(help: "The organic certificate this inspection attests; its validity goes in the record when registered here ('agritrace certificate add').")
    var certificate: String?
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        guard ["pass", "fail"].contains(result) else { throw TraceError("argument.invalid", "--result must be pass or fail") }
        let measurements = try measures.map { text -> AgriTrace.Measurement in
            let parts = text.split(separator: "=", maxSplits: 1)
            let valueUnit = parts.count == 2 ? parts[1].split(separator: ":", maxSplits: 1) : []
            guard parts.count == 2, let value = valueUnit.first.flatMap({ Decimal(wholeText: String($0)) }) else {
                throw TraceError("argument.invalid", "--measure \(text) is not name=value:unit (the value of at most 15 digits, with a point as the decimal mark: 17.8)")
            }
            return AgriTrace.Measurement(String(parts[0]), value, valueUnit.count == 2 ? String(valueUnit[1]) : "")
        }
        let digest = try report.map { path in
            do { return try Digest.hash(fileAt: URL(fileURLWithPath: path)).hexString } catch {
                throw TraceError("argument.invalid", "--report \(path): \(error.localizedDescription)")
            }
        }
        let recorder = try options.recorder()
        let envelope = try recorder.inspect(lot: try lotReference(lot), conformant: result == "pass", measurements: measurements,
                                            reportSHA256: digest, certificate: certificate, time: try optionalTime(time))
        announce(envelope, "inspection of \(lot): \(result)", notes: try recorder.notes(for: envelope))
    }
}

/// `agritrace transform`: blending, juicing, cutting.
struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform", abstract: "Record input lots turned into output lots (blending, juicing, cutting).",
        discussion: """
            Outputs of products you registered ('agritrace product add') carry their names in the \
            record, as a harvest does its own product's: partners' reports and labels and a \
            buyer's check then say what the cuts or the juice are called. A note says when nothing \
            names an output's product.

            Example:
              agritrace transform --input 08936000120030/DV-2026-B07=4200 --output 08936000120047/DV-2026-C07=2940
            """)
    @OptionGroup var options: SigningOptions
    @Option(name: .customLong("input"), help: ArgumentHelp("An input lot and quantity. Repeat.", valueName: "lot=quantity")) var inputs: [String] = []
    @Option(name: .customLong("output"), help: ArgumentHelp("An output lot and quantity. Repeat.", valueName: "lot=quantity")) var outputs: [String] = []
    @Option(help: ArgumentHelp("Unit of every quantity, a UN/ECE code (KGM, LTR, H87). Default: each lot's own, as it was harvested or first shipped; a new lot's, its product's.", valueName: "unit")) var unit: String?
    @Option(help: "The organic certificate the outputs are sold under.") var organicCertificate: String?
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let recorder = try options.recorder()
        let envelope = try recorder.transform(inputs: try inputs.map { try amount($0, unit: unit) }, outputs: try outputs.map { try amount($0, unit: unit) },
                                              organicCertificate: organicCertificate, time: try optionalTime(time))
        announce(envelope, "transformation of \(inputs.count) lot(s) into \(outputs.count)", notes: try recorder.notes(for: envelope))
    }
}

/// `agritrace pack`: lots into a carton or pallet (SSCC).
struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pack", abstract: "Record lots packed into a logistic unit (SSCC).")
    @OptionGroup var options: SigningOptions
    @Option(help: "The logistic unit's 18-digit SSCC.") var sscc: String
    @Option(name: .customLong("lot"), help: ArgumentHelp("A lot and the quantity packed. Repeat.", valueName: "lot=quantity")) var lots: [String] = []
    @Option(help: ArgumentHelp("Unit of every quantity, a UN/ECE code (KGM, LTR, H87). Default: each lot's own, as it was harvested or first shipped; a new lot's, its product's.", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let recorder = try options.recorder()
        let envelope = try recorder.pack(into: try SSCC(sscc), contents: try lots.map { try amount($0, unit: unit) }, time: try optionalTime(time))
        announce(envelope, "packing into \(sscc)", notes: try recorder.notes(for: envelope))
    }
}

/// `agritrace unpack`.
struct UnpackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpack",
                                                    abstract: "Record a logistic unit (SSCC) you hold unpacked: its lots become your stock again.")
    @OptionGroup var options: SigningOptions
    @Option(help: "The logistic unit's 18-digit SSCC.") var sscc: String
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        announce(try options.recorder().unpack(try SSCC(sscc), time: try optionalTime(time)), "unpacking of \(sscc)")
    }
}

/// `agritrace ship` and `agritrace receive`.
struct ShipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ship", abstract: "Record lots (whole or partial) or logistic units shipped to another party.")
    @OptionGroup var options: SigningOptions
    @Option(help: "The receiving party's GLN.") var to: String
    @Option(name: .customLong("lot"), help: ArgumentHelp("A lot and the quantity shipped. Repeat.", valueName: "lot=quantity")) var lots: [String] = []
    @Option(name: .customLong("sscc"), help: "A logistic unit shipped. Repeat.") var units: [String] = []
    @Option(help: ArgumentHelp("Unit of lot quantities, a UN/ECE code (KGM, LTR, H87). Default: each lot's own, as it was harvested or first shipped.", valueName: "unit")) var unit: String?
    @Option(name: .customLong("document"), help: ArgumentHelp("A business document, e.g. bol:HPH-SIN-1 or inv:2026-11. Repeat.", valueName: "type:id"))
    var documents: [String] = []
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let references = try documents.map { text -> BizTransaction in
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else { throw TraceError("argument.invalid", "--document \(text) is not type:id") }
            return BizTransaction(type: String(parts[0]), bizTransaction: "urn:agritrace:\(parts[0]):\(parts[1])")
        }
        let recorder = try options.recorder()
        let envelope = try recorder.ship(amounts: try lots.map { try amount($0, unit: unit) }, units: try units.map(SSCC.init),
                                         to: try GLN(to), documents: references, time: try optionalTime(time))
        announce(envelope, "shipment to GLN \(to)", notes: try recorder.notes(for: envelope))
    }
}

struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receive", abstract: "Record receiving what a partner shipped (import their bundle first).")
    @OptionGroup var options: SigningOptions
    @Option(help: "The shipping party's GLN.") var from: String
    @Option(name: .customLong("lot"), help: ArgumentHelp("A lot and the quantity received; the lot alone: all its shipment carried that is not received yet. Repeat.",
                                                         valueName: "lot[=quantity]")) var lots: [String] = []
    @Option(name: .customLong("sscc"), help: "A logistic unit received. Repeat.") var units: [String] = []
    @Option(help: ArgumentHelp("Unit of lot quantities, a UN/ECE code (KGM, LTR, H87). Default: each lot's own, as it was harvested or first shipped.", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let recorder = try options.recorder()
        let (counted, whole) = (lots.filter { $0.contains("=") }, lots.filter { !$0.contains("=") })
        let envelope = try recorder.receive(amounts: try counted.map { try amount($0, unit: unit) }, wholeLots: try whole.map(lotReference),
                                            units: try units.map(SSCC.init), from: try GLN(from), time: try optionalTime(time))
        announce(envelope, "receipt from GLN \(from)", notes: try recorder.notes(for: envelope))
    }
}
