// Text measurement for the layout decisions of the writers (column widths, row heights, when a
// table row may not split): advance widths of Times New Roman (Liberation Serif's, which are
// metric-compatible; font_metrics.inc is generated from the font) and line breaking as Word and
// LibreOffice break Russian text. Estimates that err towards more lines, never fewer.
#pragma once

#include <string_view>

namespace ppko::doc {

inline constexpr double kMmPerPt = 25.4 / 72.0;

// Width of `s` on one line (line breaks ignored), millimetres.
double text_width_mm(std::string_view s, double font_pt, bool bold);

// The two widths a table column needs for `s`: its longest unbreakable word (the column may not
// be narrower, or the word breaks) and its widest line when nothing wraps (wider is no use).
// Lines break at spaces, tabs and line breaks and after a hyphen, «–» or «—» — but not at U+00A0,
// U+2011 or next to U+2060 (the typography pass joins ranges and initials so).
struct TextExtent {
    double word_mm = 0;
    double line_mm = 0;
};
TextExtent text_extent(std::string_view s, double font_pt, bool bold);

// Lines `s` takes in a box `width_mm` wide: each '\n' starts a line; lines wrap where
// text_extent breaks them; a word wider than the box is broken inside it. At least 1.
int wrapped_lines(std::string_view s, double width_mm, double font_pt, bool bold);

}  // namespace ppko::doc
