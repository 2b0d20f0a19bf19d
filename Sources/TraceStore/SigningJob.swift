import AgriTrace
import Foundation

/// Events being signed in the background (on all cores), with their registry rows worked out,
/// while the caller does something else, such as storing the previous batch.
final class SigningJob: @unchecked Sendable {
    typealias Signed = (records: [(envelope: Envelope, event: EPCISEvent)], rows: [RecordRow])
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting.
    private var outcome: Result<Signed, Error> = .success(([], []))

    init(signer: Signer, events: [EPCISEvent]) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result {
                let records = try signer.sign(events)
                return (records, RecordRow.rows(records))
            }
            done.signal()
        }
    }

    /// Waits for the signatures and rows.
    func result() throws -> Signed {
        done.wait()
        return try outcome.get()
    }
}
