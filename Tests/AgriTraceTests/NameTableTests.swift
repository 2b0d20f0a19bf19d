import Foundation
import Testing
@testable import AgriTrace

@Suite("Name tables")
struct NameTableTests {
    @Test("each name is found at its place, by its exact bytes; a prefix, an extension, another case or spelling is not")
    func exactNamesOnly() {
        let names = ["type", "uom", "time", "value", "exception", "sDev", "agt:inputs", "@context"]
        let table = NameTable(names)
        for (place, name) in names.enumerated() { #expect(table.index(of: name) == place, "\(name)") }
        for other in ["", "t", "typ", "types", "Type", "TYPE", "uom ", " uom", "valu", "valuE", "sdev", "agt:input", "agt:inputz", "context",
                      "ty\u{301}pe", "\u{212A}", String(repeating: "x", count: 40)] {
            #expect(table.index(of: other) == nil, "\(other)")
        }
        #expect(NameTable([]).index(of: "type") == nil)
    }

    @Test("names are compared by code point: a name canonically equal to another, but spelled otherwise, is not it")
    func codePoints() {
        let table = NameTable(["\u{C5}", "A\u{30A}"])  // Å precomposed and decomposed: one String to Swift's ==
        #expect(table.index(of: "\u{C5}") == 0 && table.index(of: "A\u{30A}") == 1 && table.index(of: "\u{212B}") == nil)
    }
}
