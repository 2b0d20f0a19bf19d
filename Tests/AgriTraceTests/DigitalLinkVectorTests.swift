import Foundation
import Testing
@testable import AgriTrace
import TestSupport

/// GS1's own Digital Link test cases (../shared/vectors/gs1-digital-link), every one that runs
/// with the engine's default settings.
@Suite("GS1 Digital Link conformance vectors")
struct DigitalLinkVectorTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var line_in_dl_c: Int
        var kind: String
        var nonDefaultSettings: [String: String]
        var shouldSucceed: Bool?
        var input: String?
        var expectedUnbracketedAIs: String?
        var stem: String?
        var inputBracketedAIs: String?
        var expectedURI: String?
        var expectedPathComponent: String?
        var expectedQueryComponent: String?
        var testDescription: String { "\(kind) line \(line_in_dl_c): \(input ?? inputBracketedAIs ?? "")" }
        enum CodingKeys: String, CodingKey {
            case line_in_dl_c = "line_in_dl.c", kind, nonDefaultSettings, shouldSucceed, input, expectedUnbracketedAIs, stem
            case inputBracketedAIs, expectedURI, expectedPathComponent, expectedQueryComponent
        }
    }

    static let cases: [Case] = {
        struct File: Decodable { var cases: [Case] }
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/gs1-digital-link/cases.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases.filter(\.nonDefaultSettings.isEmpty)
    }()

    @Test("the compiled-in syntax dictionary is GS1's file exactly, and knows the AIs labels carry")
    func syntaxDictionaryCompiledIn() throws {
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("ThirdParty/gs1-syntax-dictionary/gs1-syntax-dictionary.txt"), encoding: .utf8)
        #expect(GS1SyntaxDictionary.text + "\n" == file, "run scripts/embed-syntax-dictionary.py")
        for ai in ["00", "01", "10", "17", "21", "414", "417", "422", "7007"] { #expect(GS1SyntaxDictionary.shared.entries[ai] != nil, "AI \(ai)") }
        // The verifier's modules read no resource bundle: a binary copied alone has none beside it
        // (reading a label stopped the program with "could not load resource bundle").
        for module in ["AgriTrace", "TraceCrypto", "agritrace-verify"] {
            let folder = repositoryRoot.appendingPathComponent("Sources/\(module)")
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            #expect(!files.isEmpty)
            for file in files where file.pathExtension == "swift" {
                #expect(try !String(contentsOf: file, encoding: .utf8).contains("Bundle" + ".module"), "\(file.lastPathComponent)")
            }
        }
    }

    @Test("all default-settings vectors are present")
    func present() { #expect(Self.cases.count == 151) }

    @Test("each vector behaves as GS1's engine does", arguments: cases)
    func vector(_ vector: Case) throws {
        switch vector.kind {
        case "parseDLuri":
            let parsed = try? GS1DigitalLinkURI(parsing: vector.input ?? "")
            #expect((parsed != nil) == vector.shouldSucceed, "\(vector.input ?? "")")
            if let parsed, vector.shouldSucceed == true { #expect(parsed.elementString() == vector.expectedUnbracketedAIs) }
        case "generateDLuri":
            let uri = try? GS1DigitalLinkURI.generate(bracketed: vector.inputBracketedAIs ?? "", stem: vector.stem)
            #expect((uri != nil) == vector.shouldSucceed)
            if vector.shouldSucceed == true { #expect(uri == vector.expectedURI) }
        case "URIescape":
            #expect(GS1DigitalLinkURI.escape(vector.input ?? "", query: false) == vector.expectedPathComponent)
            #expect(GS1DigitalLinkURI.escape(vector.input ?? "", query: true) == vector.expectedQueryComponent)
        case "URIunescape":
            #expect(GS1DigitalLinkURI.unescape(vector.input ?? "", query: false) == vector.expectedPathComponent)
            #expect(GS1DigitalLinkURI.unescape(vector.input ?? "", query: true) == vector.expectedQueryComponent)
        default:
            Issue.record("unknown kind \(vector.kind)")
        }
    }
}
