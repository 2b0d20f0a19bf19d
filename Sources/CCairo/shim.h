#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>

// Label text goes through Pango (pangocairo): it shapes Thai and falls back, glyph by glyph, to
// an installed font that has the script, where cairo's own text calls use one font and print
// boxes for the rest. Only the few calls the labels make are declared here, as Pango's headers
// give them: including <pango/pangocairo.h> pulls in GLib's headers, whose pkg-config flags
// (-pthread) the package manager refuses with a warning on every build.
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct _PangoContext PangoContext;
#define PANGO_SCALE 1024

PangoContext *pango_cairo_create_context(cairo_t *cr);
void pango_cairo_context_set_font_options(PangoContext *context, const cairo_font_options_t *options);
void pango_context_set_round_glyph_positions(PangoContext *context, int round_positions);
PangoLayout *pango_layout_new(PangoContext *context);
void pango_cairo_show_layout(cairo_t *cr, PangoLayout *layout);
void pango_layout_set_text(PangoLayout *layout, const char *text, int length);
void pango_layout_set_font_description(PangoLayout *layout, const PangoFontDescription *desc);
void pango_layout_get_size(PangoLayout *layout, int *width, int *height);
int pango_layout_get_baseline(PangoLayout *layout);
PangoFontDescription *pango_font_description_from_string(const char *str);
void pango_font_description_set_absolute_size(PangoFontDescription *desc, double size);
void pango_font_description_free(PangoFontDescription *desc);
void g_object_unref(void *object);
