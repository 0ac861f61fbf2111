// Rough text measurement for the XLSX writer, which must size rows and choose the page
// orientation itself: per-character widths of a Times-like font and greedy word wrapping.
// Estimates only, meant to err towards more lines rather than clipped text.
#pragma once

#include <string_view>

namespace ppko::xlsx {

// Horizontal padding a cell takes from its column, millimetres.
inline constexpr double kCellPaddingMm = 1.5;

// Width of `s` on one line (line breaks ignored), millimetres.
double text_width_mm(std::string_view s, double font_pt, bool bold);

// Lines `s` takes in a column `column_mm` wide: each '\n' starts a line; lines wrap at spaces and
// after hyphens; a word wider than the column is broken inside. At least 1.
int wrapped_lines(std::string_view s, double column_mm, double font_pt, bool bold);

// Width of the longest word of `s` (words end at spaces, tabs, line breaks and after hyphens),
// at most `cap_mm`, millimetres.
double longest_word_mm(std::string_view s, double font_pt, bool bold, double cap_mm);

}  // namespace ppko::xlsx
