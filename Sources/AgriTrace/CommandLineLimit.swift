/// How long a command line the command-line tools read.
///
/// Swift Argument Parser's time grows with the square of a command line's length: each value of
/// a repeated option merges the places of all earlier ones again. On this project's machines
/// 1,000 `--sscc` options parse in 0.15 s, 8,000 in 6 s, and the 60,000 a shell passes would take
/// minutes with nothing on the screen. A command line past ``maximumArguments`` is refused at
/// once as unusable input (exit 2), naming its length, rather than left to look hung.
public enum CommandLineLimit {
    /// 10,000 arguments (5,000 repeated options with their values): parsed in about 2.5 s.
    public static let maximumArguments = 10_000

    /// Throws `arguments.tooMany` when `arguments` (the program's name left out) are more than
    /// ``maximumArguments``; `advice` ends its message (what the user can do instead).
    public static func check(_ arguments: some Collection<String>, advice: String? = nil) throws(TraceError) {
        guard arguments.count > maximumArguments else { return }
        throw TraceError("arguments.tooMany", "the command line holds \(arguments.count) arguments, over the \(maximumArguments) this tool reads "
            + "(reading them takes time growing with the square of their number)" + (advice.map { "; " + $0 } ?? ""))
    }
}
