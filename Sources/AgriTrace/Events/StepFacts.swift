import Foundation

/// What a step states beyond the goods it moves, as a person reads it: the plots a harvest grew
/// on and the organic certificate it claims; what an inspection or a laboratory found, with the
/// values it measured. One wording for the buyer's journey (``VerificationReport``) and the
/// registry's trace, beside ``MovementText``.
public enum StepFacts {
    /// Plot names and measured values a line shows before it counts the rest (a residue screen
    /// may report two hundred analytes), and the characters it shows of a measurement's name.
    static let plotsShown = 5, measurementsShown = 8, nameLength = 40

    /// The facts as short phrases, in the order a line shows them, each of them optional:
    /// `harvested 2026-04-08 to 2026-04-12` (``LotOrigin/harvestDays``), `plots: Lũng Pù, Sủng Là`, `conformant (moisture 17.2 %, HMF 12.4 mg/kg)` for an
    /// inspection (`certificate VC-ORG-1` when it names one), `organic VC-ORG-1` for anything else
    /// claiming a certificate, and measured values on their own for a step that is no inspection;
    /// a recall or a write-off with its reason (`recalled: HMF 52 mg/kg`, `destroyed: jars broken`).
    public static func phrases(step: String?, disposition: String?, measurements: [Measurement], plots: [String],
                               certificate: String?, harvested: String? = nil, reason: String? = nil) -> [String] {
        var phrases: [String] = []
        if let harvested { phrases.append("harvested \(harvested)") }
        let certificate = certificate.map { String($0.prefix(2 * nameLength)) }  // a hostile record's claim may be megabytes
        if !plots.isEmpty {
            let more = plots.count > plotsShown ? " and \(plots.count - plotsShown) more" : ""
            phrases.append("plots: " + plots.prefix(plotsShown).joined(separator: ", ") + more)
        }
        let summaries = summaries(of: measurements)
        let more = summaries.count > measurementsShown ? " and \(summaries.count - measurementsShown) more" : ""
        let values = summaries.isEmpty ? nil : summaries.prefix(measurementsShown).joined(separator: ", ") + more
        if step == "inspecting" {
            switch (disposition.map(result), values) {
            case let (result?, values?): phrases.append("\(result) (\(values))")
            case let (result?, nil): phrases.append(result)
            case let (nil, values?): phrases.append(values)
            case (nil, nil): break
            }
            if let certificate { phrases.append("certificate \(certificate)") }
        } else {
            if let word = disposition.map(EPCISEvent.cbvWord), word == "recalled" || word == "destroyed" {
                phrases.append(reason.map { "\(word): \($0.prefix(EPCISEvent.keptReasonLength))" } ?? word)
            }
            if let values { phrases.append(values) }
            if let certificate { phrases.append("organic \(certificate)") }
        }
        return phrases
    }

    /// ``phrases(step:disposition:measurements:plots:certificate:harvested:)`` of an event.
    public static func phrases(of event: EPCISEvent) -> [String] {
        phrases(step: event.bizStepWord, disposition: event.disposition, measurements: event.measurements, plots: event.plotNames,
                certificate: event.organicClaim, harvested: event.harvestDays, reason: event.reason)
    }

    /// The text after a step's dash: its movement's parts (amount, unit, counterparty) joined by
    /// spaces, then the facts, all joined by "; " (`1200 kg to Plateau …; organic VC-ORG-1`); nil
    /// when there is nothing to say.
    public static func detail(movement: [String?], facts: [String]) -> String? {
        let moved = movement.compactMap { $0 }
        let parts = (moved.isEmpty ? [] : [moved.joined(separator: " ")]) + facts
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// A disposition as a finding reads: `conformant`, `non-conformant`, `in transit`.
    static func result(_ disposition: String) -> String {
        let word = EPCISEvent.cbvWord(disposition)
        return word.hasPrefix("non_") ? "non-" + word.dropFirst(4).replacingOccurrences(of: "_", with: " ")
            : word.replacingOccurrences(of: "_", with: " ")
    }

    /// One phrase per measured quantity, in the order first reported: `moisture 17.2 %`, or for a
    /// value read several times (a carrier's temperature log) `temperature 2.8 to 5.1 °C (3 readings)`.
    public static func summaries(of measurements: [Measurement]) -> [String] {
        var order: [String] = [], readings: [String: [Measurement]] = [:]
        for measurement in measurements {
            let key = measurement.name + "\u{0}" + measurement.unit
            if readings[key] == nil { order.append(key) }
            readings[key, default: []].append(measurement)
        }
        return order.compactMap { key in
            guard let group = readings[key], let first = group.first else { return nil }
            guard group.count > 1, let low = group.map(\.value).min(), let high = group.map(\.value).max() else { return text(first) }
            let range = low == high ? value(low, String(first.unit.prefix(nameLength)))
                : "\(low) to \(value(high, String(first.unit.prefix(nameLength))))"
            let times = group.compactMap { $0.time.flatMap { try? EPCISTime(parsing: $0) } }
            let span = times.count < 2 ? "" : times.min().flatMap { earliest in times.max().map { ", \(local(earliest)) to \(local($0))" } } ?? ""
            return "\(first.name.prefix(nameLength)) \(range) (\(group.count) readings\(span))"
        }
    }

    /// When a value was read, in its own zone: `2026-04-25 14:00 +07:00`; nil when the report
    /// gives no time (or not one that reads as one).
    static func when(_ measurement: Measurement) -> String? {
        measurement.time.flatMap { try? EPCISTime(parsing: $0) }.map { "\(local($0)) \($0.offsetText)" }
    }

    /// `2026-04-25 14:00`: a time's day and minute in its own zone.
    private static func local(_ time: EPCISTime) -> String {
        let text = time.description
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    /// `moisture 17.2 %`, `HMF 12.4 mg/kg`.
    static func text(_ measurement: Measurement) -> String {
        "\(measurement.name.prefix(nameLength)) \(value(measurement.value, String(measurement.unit.prefix(nameLength))))"
    }

    /// A measured value with its unit as people write it (`17.2 %`), or alone when it has none.
    static func value(_ value: Decimal, _ unit: String?) -> String {
        guard let unit, !unit.isEmpty else { return "\(value)" }
        return UnitOfMeasureName.text(value, unit)
    }
}
