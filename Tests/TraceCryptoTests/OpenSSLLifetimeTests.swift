import Foundation
import Testing
@testable import TraceCrypto

/// Work left running after its caller returns (a verifier's freeing of records, a signer's
/// table) goes through ``OpenSSLLifetime/inBackground(on:group:_:)``, which an exiting process
/// waits for; a CLI test exits in the middle of it (`agritrace-bench --exit-while-busy --as-embedder`).
@Suite("Work that uses OpenSSL after its caller returns")
struct OpenSSLLifetimeTests {
    /// Tells, as it is freed, whether `group` was still waited for then.
    final class Held: Sendable {
        let group: DispatchGroup, freedInside: DispatchSemaphore
        init(_ group: DispatchGroup, _ freedInside: DispatchSemaphore) {
            self.group = group
            self.freedInside = freedInside
        }
        deinit { if group.wait(timeout: .now()) == .timedOut { freedInside.signal() } }
    }

    @Test("background work runs, and what it holds is freed before its group is left (freeing is often the work)")
    func backgroundWorkFreesWhatItHoldsFirst() {
        for _ in 0..<50 {
            let group = DispatchGroup(), ran = DispatchSemaphore(value: 0), freedInside = DispatchSemaphore(value: 0)
            // The work holds the only reference once the call has returned (the queue starts then).
            let queue = DispatchQueue(label: "background", attributes: .initiallyInactive)
            OpenSSLLifetime.inBackground(on: queue, group: group) { [held = Held(group, freedInside)] in
                withExtendedLifetime(held) { _ = ran.signal() }
            }
            queue.activate()
            ran.wait()
            group.wait()
            #expect(freedInside.wait(timeout: .now()) == .success)
        }
        #expect(!OpenSSLLifetime.isExiting)
    }
}
