import Testing
@testable import AgriTrace

@Suite("Command-line length limit")
struct CommandLineLimitTests {
    @Test("a command line of the most arguments the tools read passes; one more is arguments.tooMany, naming both counts and the advice")
    func boundary() throws {
        let most = Array(repeating: "--lot", count: CommandLineLimit.maximumArguments)
        try CommandLineLimit.check(most)
        let error = #expect(throws: TraceError.self) { try CommandLineLimit.check(most + ["x"], advice: "split it") }
        #expect(error?.code == "arguments.tooMany")
        #expect(error?.message.hasPrefix("the command line holds 10001 arguments, over the 10000 this tool reads") == true)
        #expect(error?.message.hasSuffix("; split it") == true)
    }
}
