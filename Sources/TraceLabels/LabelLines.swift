internal import CCairo
import AgriTrace
import Foundation

/// A label's lines of text, laid out by Pango on a cairo context: in DejaVu Sans, which has every
/// Vietnamese diacritic, and, glyph by glyph, in another installed font where a line's script
/// needs one — the Chinese name for a buyer in Kunming, the Thai name for one in Bangkok, which
/// cairo's own text calls printed as empty boxes. Pango also shapes Thai (vowels and tone marks
/// above and below their consonant).
final class LabelLines {
    private let cr: OpaquePointer
    private let layouts: [OpaquePointer]
    private let font: OpaquePointer

    init(_ lines: [String], in cr: OpaquePointer) throws {
        guard let font = pango_font_description_from_string("DejaVu Sans") else {
            throw LabelError("label.pdf", "Pango cannot describe the label font")
        }
        guard let context = pango_cairo_create_context(cr), let options = cairo_font_options_create() else {
            pango_font_description_free(font)
            throw LabelError("label.pdf", "Pango cannot lay out the label text")
        }
        // A PDF has no pixels: glyphs go where the font puts them, not rounded to whole points,
        // which at a label's 9 pt ran words together and pulled letters apart.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(context, 0)
        layouts = lines.compactMap { line in
            let layout = pango_layout_new(context)
            layout.map { pango_layout_set_text($0, Self.printable(line), -1) }
            return layout
        }
        g_object_unref(UnsafeMutableRawPointer(context))  // each layout holds its own reference
        (self.cr, self.font) = (cr, font)
        guard layouts.count == lines.count else { throw LabelError("label.pdf", "Pango cannot lay out the label text") }
    }

    /// The most characters a line prints; a longer one (a name from someone else's bundle may be
    /// anything) ends in "…" rather than shrinking every line of the label to fit it.
    static let maximumCharacters = 100

    /// `line` as it may be printed: what would break it into lines or reorder it (line breaks,
    /// controls, bidirectional overrides) shown as visible escapes, as on a terminal, and cut
    /// at ``maximumCharacters``.
    static func printable(_ line: String) -> String {
        let visible = TerminalText.safe(line)
        guard visible.utf8.count > maximumCharacters, visible.count > maximumCharacters else { return visible }
        return visible.prefix(maximumCharacters - 1) + "…"
    }

    deinit {
        layouts.forEach { g_object_unref(UnsafeMutableRawPointer($0)) }
        pango_font_description_free(font)
    }

    /// The width of the widest line at `size` (cairo units: the font's em size).
    func widest(atSize size: Double) -> Double {
        setSize(size)
        return layouts.map { layout -> Double in
            var width: Int32 = 0, height: Int32 = 0
            pango_layout_get_size(layout, &width, &height)
            return Double(width) / Double(PANGO_SCALE)
        }.max() ?? 0
    }

    /// Draws the lines at `size`, the first line's baseline at `firstBaseline`, each next one
    /// `lineHeight` lower.
    func draw(atSize size: Double, x: Double, firstBaseline: Double, lineHeight: Double) {
        setSize(size)
        for (number, layout) in layouts.enumerated() {
            // Pango draws a layout from its top: the baseline is that far below.
            let baseline = Double(pango_layout_get_baseline(layout)) / Double(PANGO_SCALE)
            cairo_move_to(cr, x, firstBaseline + Double(number) * lineHeight - baseline)
            pango_cairo_show_layout(cr, layout)
        }
    }

    private func setSize(_ size: Double) {
        pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
        for layout in layouts {
            pango_layout_set_font_description(layout, font)
        }
    }
}
