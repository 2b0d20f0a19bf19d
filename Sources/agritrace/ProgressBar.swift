import Foundation

/// A progress bar on standard error, redrawn in place, when standard error is a terminal: a log
/// file or a script's pipe gets no bars.
struct ProgressBar {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var isOpen = false

    /// Draws `done` of `total`.
    mutating func show(_ done: Int, _ total: Int) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data(Self.line(done, total).utf8))
        isOpen = true
    }

    /// Ends the bar's line (once), so that what is printed next starts on a line of its own.
    mutating func finish() {
        if isOpen { FileHandle.standardError.write(Data("\n".utf8)) }
        isOpen = false
    }

    static func line(_ done: Int, _ total: Int) -> String {
        let width = 30, filled = total == 0 ? width : done * width / total
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
    }
}
