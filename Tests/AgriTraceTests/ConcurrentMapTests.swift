import Foundation
import Synchronization
import Testing
import AgriTrace

@Suite("Concurrent map")
struct ConcurrentMapTests {
    @Test("results come back in input order, each element transformed once", arguments: [0, 1, 2, 3, 10_000])
    func inOrder(count: Int) {
        let input = Array(0..<count)
        // Strings are reference-counted storage: each must be initialised in place, once.
        let output = input.concurrentMap { String(repeating: "x", count: $0 % 50) + "\($0)" }
        #expect(output == input.map { String(repeating: "x", count: $0 % 50) + "\($0)" })
    }

    @Test("called from a thread of its own, the work spreads over more than one thread when the machine has more than one core")
    func usesSeveralThreads() {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }
        // The work spreads only to workers of the global pool that are free: while other tests
        // keep every one busy (the tampered-bundles test keeps both of a two-core machine's for a
        // minute), a run takes place on the caller alone, as it may. So it runs again until one
        // spreads, for at most a minute and a half; a serial `concurrentMap` never does.
        let deadline = Date().addingTimeInterval(90)
        var most = 0
        repeat { most = max(most, Self.threadsTakingPart()) } while most < 2 && Date() < deadline
        #expect(most > 1)
    }

    /// How many threads take part in one `concurrentMap` of 64 short pieces of work, called from
    /// a thread of its own: called from the testing library's pool, `concurrentPerform` may run
    /// every iteration on the caller (the programs call it from their main thread).
    static func threadsTakingPart() -> Int {
        let threads = Mutex(Set<UInt>()), done = DispatchSemaphore(value: 0)
        Thread {
            _ = Array(0..<64).concurrentMap { index -> Int in
                threads.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) }
                usleep(2_000)  // long enough for the other workers to take elements meanwhile
                return index
            }
            done.signal()
        }.start()
        done.wait()
        return threads.withLock { $0.count }
    }

    @Test("a transform that throws: the error of the first failing element in order is thrown")
    func firstErrorInOrder() {
        struct Failed: Error, Equatable { let index: Int }
        #expect(throws: Failed(index: 3)) {
            try Array(0..<100).concurrentMap(throwing: { index in
                if index == 3 || index == 70 { throw Failed(index: index) }
                return index
            })
        }
        #expect((try? Array(0..<5).concurrentMap(throwing: { $0 + 1 })) == [1, 2, 3, 4, 5])
    }

    @Test("a slice maps with its own indices")
    func slice() {
        let input = Array(0..<100)[40..<60]
        #expect(input.concurrentMap { $0 * 2 } == Array(stride(from: 80, to: 120, by: 2)))
    }

    @Test("a range cuts into runs of the given length, the last one shorter, none empty")
    func runs() {
        #expect((0..<37).runs(of: 16) == [0..<16, 16..<32, 32..<37])
        #expect((5..<9).runs(of: 16) == [5..<9])
        #expect((3..<3).runs(of: 16).isEmpty)
        #expect((0..<3).runs(of: 0) == [0..<1, 1..<2, 2..<3])
    }
}
