import AgriTrace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks for a passphrase on the terminal (`/dev/tty`, so that it works with standard input or
/// output redirected), with echo off: what is typed is never shown. The terminal's settings come
/// back afterwards, also when the clerk presses Ctrl-C at the prompt.
enum PassphrasePrompt {
    /// The longest passphrase read; the rest of a longer line is refused, not cut off silently.
    static let maximumLength = 1024

    /// The line typed after `prompt`, without its newline; nil when the process has no terminal.
    static func ask(_ prompt: String) throws -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        var quiet = settings
        quiet.c_lflag &= ~tcflag_t(ECHO)
        Interrupted.saved = (fd, settings)
        let previous = (signal(SIGINT, Interrupted.restore), signal(SIGTERM, Interrupted.restore))
        defer {
            var saved = settings
            tcsetattr(fd, TCSAFLUSH, &saved)
            Interrupted.saved = nil
            signal(SIGINT, previous.0)
            signal(SIGTERM, previous.1)
            _ = write(fd, "\n", 1)
        }
        tcsetattr(fd, TCSAFLUSH, &quiet)
        _ = prompt.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        var line: [UInt8] = [], byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            guard line.count < maximumLength else {
                throw TraceError("argument.invalid", "the passphrase typed is longer than \(maximumLength) bytes")
            }
            line.append(byte)
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }

    /// The terminal's settings while echo is off, for a signal handler to put back.
    private enum Interrupted {
        nonisolated(unsafe) static var saved: (fd: Int32, settings: termios)?

        static let restore: @convention(c) (Int32) -> Void = { signal in
            if var terminal = Interrupted.saved { tcsetattr(terminal.fd, TCSANOW, &terminal.settings) }
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
    }
}
