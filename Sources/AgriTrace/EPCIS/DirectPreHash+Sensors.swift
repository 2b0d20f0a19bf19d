import Foundation

/// Sensor data written straight from its JSON, for the shapes measurements take: elements of
/// `sensorMetadata` (an object) and `sensorReport` (an array of objects), each member either a
/// field of the order with a scalar value, or a namespaced extension with one (which the order
/// leaves to a run of the tail). It gives what the tree code gives (``PreHashNode``, then
/// ``PreHashBuilder/field(_:_:into:)`` and the leftover run); anything else returns false and
/// takes the tree path. Held equal to it by the direct pre-hash's differential tests.
extension DirectPreHash {
    /// One sensor element, checked: its metadata's and reports' members.
    private struct SensorElement {
        var metadata: [OrderedJSON.Member]?
        var reports: [[OrderedJSON.Member]] = []
    }

    /// Writes the ordered `sensorElementList` field and sets `leftoverRun` to the run of what the
    /// order leaves over, if anything; false, writing nothing, when the shape is not one covered here.
    func writeSensorElementList(_ json: OrderedJSON, into out: inout Output, leftoverRun: inout Output?) throws -> Bool {
        guard let elements = Self.sensorElements(json) else { return false }
        var leftovers: [Output] = []  // one run per element with members the order leaves over
        try nested("sensorElementList", into: &out) { out in
            try PreHashBuilder.appendSorted(elements, into: &out) { element, run in
                var parts: [Output] = []  // the element's leftover parts
                try nested("sensorElement", into: &run) { run in
                    if let metadata = element.metadata {
                        try part("sensorMetadata", metadata, PreHashOrder.sensorMetadataPlaces, into: &run, leftovers: &parts)
                    }
                    try PreHashBuilder.appendSorted(element.reports, into: &run) { report, run in
                        try part("sensorReport", report, PreHashOrder.sensorReportPlaces, into: &run, leftovers: &parts)
                    }
                }
                if !parts.isEmpty { leftovers.append(Self.run("sensorElement", parts)) }
            }
        }
        if !leftovers.isEmpty { leftoverRun = Self.run("sensorElementList", leftovers) }
        return true
    }

    /// The fields of one metadata object or report in the order's sequence (`places`: each
    /// field's place in it), and the run of its other members (extensions) into `leftovers`.
    private func part(_ name: String, _ members: [OrderedJSON.Member], _ places: NameTable, into out: inout Output,
                      leftovers: inout [Output]) throws {
        // The fields by their place in the order and in `members`: read where `members` holds them,
        // not copied (a member's name and value, a reference count each) into a list to sort.
        var fields: [(place: Int, index: Int)] = []  // a member name appears once
        fields.reserveCapacity(members.count)  // one allocation, not one per doubling
        var extensions: [Output] = []
        for index in members.indices {
            if let place = places.index(of: members[index].key) {
                fields.append((place, index))
                continue
            }
            var run = PreHashBuilder.emptyRun()
            Self.appendName(members[index].key, into: &run)
            let (value, isText) = Self.scalar(members[index].value)
            if isText { try runValue(value ?? "", into: &run) } else { try PreHashBuilder.runValue(value ?? "", into: &run) }
            extensions.append(run)
        }
        fields.sort { $0.place < $1.place }
        try nested(name, into: &out) { out in
            for field in fields {
                let key = members[field.index].key, (value, isText) = Self.scalar(members[field.index].value)
                try leaf(key, value, isText: isText, isTime: PreHashBuilder.isTimeName(key), into: &out)
            }
        }
        if !extensions.isEmpty { leftovers.append(Self.run(name, extensions)) }
    }

    /// `name` followed by `runs` in byte order, as ``PreHashBuilder/run(of:into:)`` writes a
    /// node of no text whose children gave those runs.
    private static func run(_ name: String, _ runs: [Output]) -> Output {
        var out = PreHashBuilder.emptyRun()
        out.append(utf8Of: name)
        for run in runs.sorted(by: { $0.lexicographicallyPrecedes($1) }) { out += run }
        return out
    }

    /// A scalar as the tree holds its text, and whether it is a string (whose bare words and
    /// namespace prefixes are replaced).
    private static func scalar(_ json: OrderedJSON) -> (String?, isText: Bool) {
        switch json {
        case .string(let text): (text, true)
        case .number(let literal): (PythonValueText.cachedStr(numberLiteral: literal), false)
        case .bool(let flag): (flag ? "True" : "False", false)
        case .null: ("None", false)
        case .array, .object: (nil, false)
        }
    }

    /// The elements, or nil when any part of them is not of the covered shape.
    private static func sensorElements(_ json: OrderedJSON) -> [SensorElement]? {
        var elements: [SensorElement] = []
        for item in json.memberElements {
            guard case .object(let members) = item else { return nil }
            var element = SensorElement()
            for member in members {
                switch (member.key, member.value) {
                case ("sensorMetadata", .object(let fields)):
                    guard isCovered(fields, PreHashOrder.sensorMetadataPlaces) else { return nil }
                    element.metadata = fields
                case ("sensorReport", .array(let reports)):
                    for report in reports {
                        guard case .object(let fields) = report, isCovered(fields, PreHashOrder.sensorReportPlaces) else { return nil }
                        element.reports.append(fields)
                    }
                default:
                    return nil
                }
            }
            elements.append(element)
        }
        return elements
    }

    /// Members with scalar values, each a field of the order or a namespaced extension that
    /// the tree gives no special meaning, and none whose name makes the tree set extensions
    /// aside (it does so for names holding `eventTime` or `action`).
    private static func isCovered(_ members: [OrderedJSON.Member], _ places: NameTable) -> Bool {
        members.allSatisfy { member in
            if case .array = member.value { return false }
            if case .object = member.value { return false }
            if places.index(of: member.key) != nil { return true }
            let name = name(member.key)
            return isPlainExtensionName(member.key) && !PreHashValue.contains(name, "eventTime") && !PreHashValue.contains(name, "action")
                && !PreHashNode.isUnsortedKey(name)
        }
    }
}
