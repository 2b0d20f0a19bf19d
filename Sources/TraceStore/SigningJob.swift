import AgriTrace
import Foundation

/// Events being signed in the background (on all cores) while the caller does something else,
/// such as storing the previous batch.
final class SigningJob: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting.
    private var outcome: Result<[(envelope: Envelope, event: EPCISEvent)], Error> = .success([])

    init(signer: Signer, events: [EPCISEvent]) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { try signer.sign(events) }
            done.signal()
        }
    }

    /// Waits for the signatures.
    func result() throws -> [(envelope: Envelope, event: EPCISEvent)] {
        done.wait()
        return try outcome.get()
    }
}
