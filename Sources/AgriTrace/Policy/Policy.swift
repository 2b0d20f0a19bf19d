import Foundation
import TraceCrypto

/// A verification policy for one product category: which roles may sign which step, which
/// steps a lot must pass and in what order, limits on measured values, yield tolerances for
/// transformations, and the clock skew allowed. Policies are JSON files (`agritracePolicy: 1`);
/// see `Samples/policies/` and the README there for every field.
public struct Policy: Codable, Hashable, Sendable {
    /// The format version this code reads and writes.
    public static let currentVersion = 1

    public var agritracePolicy: Int
    /// A short name for reports, such as `honey`.
    public var name: String
    /// The product category this policy applies to (`honey`, `citrus`, `beef`, `herb`).
    public var category: String
    /// Which roles may sign each CBV business step (bare words); steps not listed may be signed
    /// by producers, processors, exporters, carriers and importers.
    public var stepRoles: [String: [Role]]
    /// Steps the subject's history must contain, in this order.
    public var requiredSteps: [RequiredStep]
    /// Allowed ratio of transformation output to input, per unit dimension (mass or volume).
    public var yieldTolerance: YieldTolerance?
    /// Largest clock difference tolerated between linked records, in seconds.
    public var clockSkewSeconds: Double?
    /// Whether a record signed before its signer's revocation is refused (default: warning).
    public var strictRevocation: Bool?
    /// Whether the party an event names (shipper, receiver) must be the signer's GLN (default true).
    public var partiesMustSign: Bool?
    /// Limits on the values every record of a step reports, wherever the history has one, required
    /// or not (beef: a carrier's `transporting` temperatures at most 4 °C); by step (bare word).
    public var stepLimits: [String: [Limit]]?

    /// One step the history must contain.
    public struct RequiredStep: Codable, Hashable, Sendable {
        /// The CBV business step (bare word), e.g. `inspecting`.
        public var step: String
        /// Roles that count for this step; empty means any role allowed for the step.
        public var roles: [Role]
        /// How many distinct parties (identities, not keys) must sign this step.
        public var minSigners: Int?
        /// Limits on measured values reported with this step.
        public var limits: [Limit]?

        public init(step: String, roles: [Role] = [], minSigners: Int? = nil, limits: [Limit]? = nil) {
            self.step = step
            self.roles = roles
            self.minSigners = minSigners
            self.limits = limits
        }

        /// What makes this step one no history could meet or that means nothing, if anything,
        /// as the rest of a message after the step's place.
        func problem() -> String? {
            if step.isEmpty { return ".step is empty" }
            if let minSigners, !(1...1000).contains(minSigners) { return ".minSigners must be 1 to 1000, not \(minSigners)" }
            for (index, limit) in (limits ?? []).enumerated() {
                if let problem = limit.problem() { return ".limits[\(index)]\(problem)" }
            }
            return nil
        }
    }

    /// A bound on one measured value (a sensor report `agt:<measurement>`).
    public struct Limit: Codable, Hashable, Sendable {
        public var measurement: String
        public var min: Decimal?
        public var max: Decimal?
        public var unit: String?
        /// Whether a missing measurement is a failure (default true).
        public var required: Bool?

        /// What makes this limit mean nothing, as the rest of a message after its place.
        func problem() -> String? {
            if measurement.isEmpty { return ".measurement is empty" }
            if let min, let max, min > max { return " has min \(min) over max \(max)" }
            return nil
        }

        public init(measurement: String, min: Decimal? = nil, max: Decimal? = nil, unit: String? = nil, required: Bool? = nil) {
            self.measurement = measurement
            self.min = min
            self.max = max
            self.unit = unit
            self.required = required
        }
    }

    /// Output ÷ input bounds for transformations (1.0 = no weight gained or lost).
    public struct YieldTolerance: Codable, Hashable, Sendable {
        public var min: Decimal
        public var max: Decimal
        public init(min: Decimal, max: Decimal) {
            self.min = min
            self.max = max
        }

        /// Under every policy: nothing comes out heavier than what went in, measured alike.
        public static let general = YieldTolerance(min: 0, max: 1)
    }

    public init(name: String, category: String, stepRoles: [String: [Role]], requiredSteps: [RequiredStep],
                yieldTolerance: YieldTolerance? = nil, clockSkewSeconds: Double? = nil,
                strictRevocation: Bool? = nil, partiesMustSign: Bool? = nil, stepLimits: [String: [Limit]]? = nil) {
        self.agritracePolicy = Self.currentVersion
        self.name = name
        self.category = category
        self.stepRoles = stepRoles
        self.requiredSteps = requiredSteps
        self.yieldTolerance = yieldTolerance
        self.clockSkewSeconds = clockSkewSeconds
        self.strictRevocation = strictRevocation
        self.partiesMustSign = partiesMustSign
        self.stepLimits = stepLimits
    }

    /// Reads a policy file, refusing unknown versions and naming what is wrong.
    public static func load(from url: URL) throws -> Policy {
        let data: Data
        do { data = try RegularFile.read(url, limit: 1 << 20) } catch {
            throw TraceError("policy.unreadable", "cannot read policy file \(url.path): \(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// Decodes policy JSON.
    public static func decode(_ data: Data, source: String = "policy") throws -> Policy {
        let policy: Policy
        do { policy = try JSONDecoder().decode(Policy.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw TraceError("policy.malformed", "\(source): missing \(Self.path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(type, context) where !context.codingPath.isEmpty {
            throw TraceError("policy.malformed", "\(source): \(Self.path(context.codingPath)) must be \(Self.kind(of: type))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context) {
            // Nothing to point at when the file is not JSON, or not an object: say what a policy file is.
            guard !context.codingPath.isEmpty else { throw TraceError("policy.malformed", "\(source) is not a policy file (a JSON object, as in Samples/policies)") }
            throw TraceError("policy.malformed", "\(source): \(Self.path(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw TraceError("policy.malformed", "\(source) is not a policy file")
        }
        guard policy.agritracePolicy == currentVersion else {
            throw TraceError("policy.version", "\(source) is policy version \(policy.agritracePolicy); this tool reads version \(currentVersion)")
        }
        if let tolerance = policy.yieldTolerance, tolerance.min > tolerance.max || tolerance.min < 0 {
            throw TraceError("policy.malformed", "\(source): yieldTolerance needs 0 ≤ min ≤ max")
        }
        if let skew = policy.clockSkewSeconds, !(0...VerificationOptions.maximumClockSkew).contains(skew) {
            throw TraceError("policy.malformed", "\(source): clockSkewSeconds must be between 0 and \(Int(VerificationOptions.maximumClockSkew))")
        }
        for (index, step) in policy.requiredSteps.enumerated() {
            if let problem = step.problem() { throw TraceError("policy.malformed", "\(source): requiredSteps[\(index)]\(problem)") }
        }
        for (step, limits) in policy.stepLimits ?? [:] {
            for (index, limit) in limits.enumerated() {
                if let problem = limit.problem() { throw TraceError("policy.malformed", "\(source): stepLimits.\(step)[\(index)]\(problem)") }
            }
        }
        return policy
    }

    /// How a policy file's reader names the JSON a Swift type is read from.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type, is Decimal.Type: "a number"
        case is [Any].Type: "a list"
        default: "an object"
        }
    }

    /// The policy as pretty JSON, the form of `Samples/policies/*.json`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The step-to-role table the role check uses.
    public var stepRoleTable: StepRoles {
        StepRoles(allowed: stepRoles.mapValues(Set.init), otherwise: StepRoles.default.otherwise)
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
