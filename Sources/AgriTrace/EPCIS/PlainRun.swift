import Foundation

/// The pre-hash run of a member held as open JSON (an ILMD, an extension), written straight from
/// the JSON when nothing in it is treated specially by the tree code: what ``PreHashNode`` and
/// ``PreHashBuilder/run(of:into:)`` would give, without building the tree.
///
/// A value is plain when none of its member names starts with `@` or `#`, ends in `List` or
/// `ignoreFields`, or is one the tree renames or keeps in order (`childEPCs`, `inputEPC`,
/// `quantity`, `source` …), and no array holds an array. Otherwise ``write(_:_:into:)``
/// returns false and the caller takes the tree path. Held equal to it by the direct pre-hash's
/// differential tests.
struct PlainRun {
    /// Appends the run value (``PreHashBuilder/runValue(_:into:)``) of a string value as the tree
    /// holds it (bare word expanded, namespace prefix replaced).
    let runValue: (String, inout PreHashBuilder.Output) throws -> Void
    /// Appends a member name as the tree holds it (namespace prefix replaced).
    let appendName: (String, inout PreHashBuilder.Output) -> Void

    /// Appends `name` and its value's run: `=value` for a scalar, the sorted runs of an object's
    /// members (an array member giving one run per element). False when the value is not plain,
    /// having appended part of the run: the caller drops what it wrote into.
    func write(_ name: String, _ json: OrderedJSON, into out: inout PreHashBuilder.Output) throws -> Bool {
        out.append(utf8Of: name)
        return try writeValue(json, into: &out)
    }

    /// The run of `json` after its name.
    private func writeValue(_ json: OrderedJSON, into out: inout PreHashBuilder.Output) throws -> Bool {
        switch json {
        case .string(let value): try runValue(value, &out)
        case .number(let literal): try PreHashBuilder.runValue(PythonValueText.cachedStr(numberLiteral: literal), into: &out)
        case .bool(let flag): try PreHashBuilder.runValue(flag ? "True" : "False", into: &out)
        case .null: try PreHashBuilder.runValue("None", into: &out)
        case .array: return false  // an array inside an array: its elements keep names of their own
        case .object(let members):
            var runs = SortedRuns(startingAt: out, count: members.count)
            for member in members where member.key != "comment" && member.key != "rdfs:comment" {  // the tree leaves these out
                guard Self.isPlain(member.key) else { return false }
                let written = try member.value.allMemberElements { item in
                    appendName(member.key, &out)
                    guard try writeValue(item, into: &out) else { return false }
                    runs.endRun(out)
                    return true
                }
                guard written else { return false }
            }
            runs.sort(&out)
        }
        return true
    }

    /// Member names the tree gives no special meaning.
    static func isPlain(_ key: String) -> Bool {
        if let first = key.utf8.first, first == UInt8(ascii: "@") || first == UInt8(ascii: "#") { return false }  // @xmlns, #text
        return !PreHashValue.endsWith(key, "List") && !PreHashValue.endsWith(key, "ignoreFields")
            && (key.utf8.contains(UInt8(ascii: ":")) || special.index(of: key) == nil)  // no special name has a prefix
    }

    private static let special = NameTable([
        "childEPCs", "inputEPC", "outputEPC", "inputQuantity", "outputQuantity", "childQuantity", "quantity",
        "bizTransaction", "source", "destination",
    ])
}
