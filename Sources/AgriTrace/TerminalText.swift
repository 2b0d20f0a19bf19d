import Foundation

/// Text from a bundle, a certificate, a spreadsheet or any other file, made safe to print to a
/// terminal. Left as it is, a hostile bundle could hide the verdict with an escape sequence
/// (`ESC[8m` conceals what follows), forge a line of its own with a line break, or reorder what
/// the reader sees with Unicode's bidirectional controls.
public enum TerminalText {
    /// `text` with every character a terminal acts on or that changes how the text around it
    /// reads written as a visible `\u{…}` escape: C0 and C1 controls, DEL, bidirectional marks and
    /// controls, line and paragraph separators; line feeds too, unless `keepingLineBreaks`.
    /// Text without them (nearly all) is returned as it is.
    public static func safe(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks) }) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingLineBreaks) {
                escaped.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 (ESC, CR, tab …), DEL, C1 (0x9B alone starts a control sequence)
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidirectional marks, embeddings, overrides, isolates
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: false
        }
    }
}
