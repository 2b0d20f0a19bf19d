import Foundation
import TraceCrypto

/// Builds the pre-hash string from a ``PreHashNode`` tree: the fields of ``PreHashOrder`` first,
/// with canonical values, then everything else (ILMD, sources, destinations, transactions,
/// extensions) as sorted `name=value` runs.
enum PreHashBuilder {
    /// The pre-hash is written into one byte buffer; only fields whose runs must be sorted are
    /// first written apart.
    typealias Output = [UInt8]

    /// An empty run with room for a typical one (a field with a Digital Link or two), so that
    /// writing it does not grow the buffer step by step.
    static func emptyRun() -> Output {
        var run = Output()
        run.reserveCapacity(256)
        return run
    }

    static func preHash(of event: PreHashNode) throws -> String {
        var out = Output()
        out.reserveCapacity(2048)
        out.append(utf8Of: "eventType=")
        out.append(utf8Of: event.name)
        var children = event.children
        try inOrder(&children, PreHashOrder.event, into: &out)
        let rest = children.filter { $0.isPair || !isIgnoredAtTop($0.name) }
        if !rest.isEmpty { try generic(rest, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isIgnoredAtTop(_ name: String) -> Bool {
        name == "recordTime" || name == "eventID" || name == "type" || name == "errorDeclaration"
    }

    /// The fields named by `order`, consuming the leaves it uses from `list`.
    private static func inOrder(_ list: inout [PreHashNode], _ order: [(String, PreHashOrder)], into out: inout Output) throws {
        let extensions = takeUserExtensions(&list)
        // Lists are short (a few dozen fields at most): scanning beats building a dictionary.
        var consumed = [Bool](repeating: false, count: list.count)
        var matches: [Int] = []
        for (name, subOrder) in order {
            matches.removeAll(keepingCapacity: true)
            for index in list.indices where !list[index].isPair && list[index].name == name {
                matches.append(index)
            }
            if matches.count == 1 {
                try field(&list[matches[0]], subOrder, into: &out)
            } else if matches.count > 1 {
                // Several fields of one name (epcs, quantity elements): their runs in code point order.
                try appendSorted(matches, into: &out) { index, run in try field(&list[index], subOrder, into: &run) }
            }
            for index in matches where list[index].children.isEmpty { consumed[index] = true }
        }
        if consumed.contains(true) {
            var kept: [PreHashNode] = []
            kept.reserveCapacity(list.count)
            for index in list.indices where !consumed[index] { kept.append(list[index]) }
            list = kept
        }
        if !extensions.isEmpty { try generic(extensions, into: &out) }
    }

    /// `name=value` and the ordered children of one field; nothing at all when both are empty.
    static func field(_ node: inout PreHashNode, _ order: PreHashOrder, into out: inout Output) throws {
        let start = out.count
        out.append(utf8Of: node.name)
        var wroteText = false
        let value = try fieldValue(node.text, isTime: isTimeName(node.name))
        if !value.isEmpty {
            out.append(UInt8(ascii: "="))
            out.append(utf8Of: value)
            wroteText = true
        }
        let nested = out.count
        if case .children(let subOrder) = order { try inOrder(&node.children, subOrder, into: &out) }
        if !wroteText, out.count == nested { out.removeSubrange(start...) }
    }

    /// The value an ordered field writes after `=` (nothing when empty): times as UTC
    /// milliseconds, everything else in canonical form.
    static func fieldValue(_ text: String, isTime: Bool) throws -> String {
        guard !text.isEmpty else { return "" }
        let text = PreHashValue.stripped(text)
        return isTime ? try PreHashValue.timestamp(text) : try PreHashValue.canonical(text)
    }

    /// Ordered fields whose value is a time: the name says `time` and not `offset`.
    static func isTimeName(_ name: String) -> Bool {
        PreHashValue.containsIgnoringCase(name, "time") && !PreHashValue.containsIgnoringCase(name, "offset")
    }

    /// Children in a namespace (`{https://…/}name`) of a nested field, which go after its ordered fields.
    private static func takeUserExtensions(_ list: inout [PreHashNode]) -> [PreHashNode] {
        guard list.count > 1, !list.contains(where: { !$0.isPair && (PreHashValue.contains($0.name, "eventTime") || PreHashValue.contains($0.name, "action")) }) else {
            return []
        }
        let isExtension = { (node: PreHashNode) in !node.isPair && PreHashValue.contains(node.name, "/}") && node.name.utf8.contains(UInt8(ascii: "{")) }
        guard list.contains(where: isExtension) else { return [] }
        let extensions = list.filter(isExtension)
        list.removeAll(where: isExtension)
        return extensions
    }

    /// `name=value` runs for any subtree, sorted unless they are a source, destination or transaction.
    static func generic(_ children: [PreHashNode], into out: inout Output) throws {
        let keepOrder = children.contains { !$0.isPair && PreHashNode.isUnsortedKey($0.name) }
        guard children.count > 1, !keepOrder else {
            for child in children { try run(of: child, into: &out) }
            return
        }
        try appendSorted(children, into: &out) { child, run in try self.run(of: child, into: &run) }
    }

    /// Each item's run, in code point (byte) order: written one after another, then put in order
    /// (``SortedRuns``). `write` appends its item's run to the buffer it is given, and may remove
    /// only what it appended.
    static func appendSorted<Item>(_ items: [Item], into out: inout Output,
                                           _ write: (Item, inout Output) throws -> Void) throws {
        if items.count == 1 { return try items.forEachInPlace { try write($0, &out) } }  // one run: nothing to sort
        var runs = SortedRuns(startingAt: out, count: items.count)
        try items.forEachInPlace { item in
            try write(item, &out)
            runs.endRun(out)
        }
        runs.sort(&out)
    }

    /// One child's run: a pair's two runs, or `name[=value]` and its own children's runs.
    static func run(of child: PreHashNode, into out: inout Output) throws {
        if child.isPair {
            try generic(child.children, into: &out)
            return
        }
        out.append(utf8Of: child.name)
        try runValue(child.text, into: &out)
        try generic(child.children, into: &out)
    }

    /// `=value` of a run, in canonical form; nothing for text that is empty once stripped.
    static func runValue(_ text: String, into out: inout Output) throws {
        let text = PreHashValue.stripped(text)
        if !text.isEmpty {
            out.append(UInt8(ascii: "="))
            try out.append(utf8Of: PreHashValue.canonical(text))
        }
    }
}
