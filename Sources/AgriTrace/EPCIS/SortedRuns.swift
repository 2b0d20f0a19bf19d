import Foundation

/// Runs of the pre-hash that the algorithm puts in byte order (the elements of a list, the
/// children of a member, the tail after the ordered fields), written one after another at the
/// end of the output and put in order there, instead of into a buffer of their own each (which
/// cost an allocation, a copy and a generic comparison per run).
///
/// A writer notes where the runs start, calls ``endRun(_:)`` after writing each, and ``sort(_:)``
/// after the last; in between it may remove only bytes it wrote itself.
struct SortedRuns {
    private let start: Int
    private var ends: [Int] = []

    /// Runs, about `count` of them, that will be written from the end of `out` on.
    init(startingAt out: PreHashBuilder.Output, count: Int) {
        start = out.count
        ends.reserveCapacity(count)
    }

    /// Notes the end of the run just written.
    mutating func endRun(_ out: PreHashBuilder.Output) {
        ends.append(out.count)
    }

    /// Where the runs end now, for ``rollBack(_:to:)``.
    var mark: Int { ends.count }

    /// Removes what was written since `mark` (from `out` and from the runs).
    mutating func rollBack(_ out: inout PreHashBuilder.Output, to mark: Int) {
        out.removeSubrange((ends[..<mark].last ?? start)...)
        ends.removeSubrange(mark...)
    }

    /// Puts the runs in byte order in place, each before any it is less than (a run before a
    /// longer one it begins), as `Array.lexicographicallyPrecedes` orders them.
    func sort(_ out: inout PreHashBuilder.Output) {
        guard ends.count > 1 else { return }
        let sorted = out.withUnsafeBufferPointer { bytes -> [Range<Int>]? in
            // Often the runs come in order already (members sorted by name, lots by code): then nothing moves.
            var previous = start..<ends[0], inOrder = true
            for end in ends.dropFirst() {
                let run = previous.upperBound..<end
                if Self.precedes(run, previous, in: bytes) {
                    inOrder = false
                    break
                }
                previous = run
            }
            if inOrder { return nil }
            var runs: [Range<Int>] = []
            runs.reserveCapacity(ends.count)
            var lower = start
            for end in ends {
                runs.append(lower..<end)
                lower = end
            }
            runs.sort { Self.precedes($0, $1, in: bytes) }
            return runs
        }
        guard let sorted else { return }
        out.withUnsafeMutableBytes { out in
            let written = UnsafeRawBufferPointer(rebasing: out[start...])
            // The runs as written, copied aside (on the stack when small), then back in order.
            withUnsafeTemporaryAllocation(byteCount: written.count, alignment: 1) { copy in
                copy.copyMemory(from: written)
                var position = start
                for run in sorted {
                    let source = UnsafeRawBufferPointer(rebasing: copy[(run.lowerBound - start)..<(run.upperBound - start)])
                    UnsafeMutableRawBufferPointer(rebasing: out[position..<(position + run.count)]).copyMemory(from: source)
                    position += run.count
                }
            }
        }
    }

    /// Whether the bytes of run `a` come before those of run `b` (``CodePointOrder/compare(_:_:)``).
    private static func precedes(_ a: Range<Int>, _ b: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        CodePointOrder.compare(UnsafeBufferPointer(rebasing: bytes[a]), UnsafeBufferPointer(rebasing: bytes[b])) < 0
    }
}
