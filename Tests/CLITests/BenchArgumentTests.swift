import Foundation
import Testing
import TestSupport

@Suite("agritrace-bench arguments")
struct BenchArgumentTests {
    func bench(_ args: [String]) throws -> (status: Int32, output: String) {
        try run([CLI.bin.appendingPathComponent("agritrace-bench").path] + args)
    }

    @Test("a missing or broken file, or a count that is not a whole number of at least 1, ends the benchmark with exit 2 and a message, not a crash")
    func badArguments() throws {
        let dir = try temporaryDirectory()
        let notPEM = dir.appendingPathComponent("anchor.pem")
        try Data("not a certificate".utf8).write(to: notPEM)
        let missing = dir.appendingPathComponent("missing.pem").path
        for (args, says) in [(["--verify-only", CLI.honey, missing], "missing.pem"), (["--verify-only", CLI.honey, notPEM.path], "certificate.malformed"),
                             (["--exchange-only", CLI.honey, missing], "missing.pem"), (["--records", "0"], "--records"),
                             (["--registry-only", "-3"], "--registry-only")] {
            let result = try bench(args)
            #expect(result.status == 2 && result.output.contains(says) && !result.output.contains("Fatal error"), "\(args): \(result.output)")
        }
        let verified = try bench(["--verify-only", CLI.honey, CLI.root])
        #expect(verified.status == 0 && verified.output.hasPrefix("trusted "), "\(verified.output)")
    }

    @Test("a program that exits while another thread still uses OpenSSL (as a verifier's freeing and table building may) ends with its own exit code, not a crash, whether or not it called keepUntilExit")
    func exitWhileOpenSSLIsBusy() throws {
        // Without OpenSSLLifetime.keepUntilExit(), about half of the first kind of run ended in a
        // segmentation fault; without inBackground's wait at exit, about two thirds of the second.
        for _ in 0..<12 {
            for embedder in [false, true] {
                let result = try bench(["--exit-while-busy", CLI.root] + (embedder ? ["--as-embedder"] : []))
                #expect(result.status == 0 && !result.output.contains("crashed"), "embedder \(embedder): \(result.output)")
            }
        }
    }
}
