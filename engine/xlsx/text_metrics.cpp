#include "xlsx/text_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "text/utf8.h"

namespace ppko::xlsx {
namespace {

constexpr double kMmPerPt = 25.4 / 72.0;
constexpr double kBoldFactor = 1.08;

constexpr bool is_one_of(char32_t c, std::u32string_view set) { return set.find(c) != set.npos; }

// Advance width in ems, from Times New Roman's metrics rounded up by character class.
constexpr double em_by_class(char32_t c) {
    if (c == ' ' || c == 0xA0) return 0.25;
    if (c >= '0' && c <= '9') return 0.5;
    if (is_one_of(c, U".,:;'!|")) return 0.28;
    if (is_one_of(c, U"-()/[]")) return 0.34;
    if (c >= 'a' && c <= 'z') return c == 'm' || c == 'w' ? 0.72 : 0.45;
    if (c >= 'A' && c <= 'Z') return c == 'M' || c == 'W' ? 0.9 : 0.68;
    if (c >= 0x430 && c <= 0x45F) {  // Cyrillic lower case
        return is_one_of(c, U"жмшщыю") ? 0.72 : 0.5;
    }
    if (c >= 0x400 && c <= 0x42F) {  // Cyrillic upper case
        return is_one_of(c, U"ЖМШЩЫЮ") ? 0.95 : 0.7;
    }
    if (c == U'№' || c == U'—' || c >= 0x2E80) return 1.0;  // № , em dash, CJK, emoji
    return 0.5;
}

// em_by_class for ASCII, Latin-1 and Cyrillic, looked up (this runs for every character of every
// cell, twice).
constexpr char32_t kTableEnd = 0x460;
constexpr auto kEmTable = [] {
    std::array<double, kTableEnd> t{};
    for (char32_t c = 0; c < kTableEnd; ++c) t[c] = em_by_class(c);
    return t;
}();

double em(char32_t c) { return c < kTableEnd ? kEmTable[c] : em_by_class(c); }

double scale_mm(double font_pt, bool bold) {
    return font_pt * kMmPerPt * (bold ? kBoldFactor : 1.0);
}

}  // namespace

double text_width_mm(std::string_view s, double font_pt, bool bold) {
    double ems = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode(s, i);
        if (c != '\n') ems += em(c);
    }
    return ems * scale_mm(font_pt, bold);
}

int wrapped_lines(std::string_view s, double column_mm, double font_pt, bool bold) {
    const double scale = scale_mm(font_pt, bold);
    const double avail = std::max(column_mm - kCellPaddingMm, 1.0);
    int lines = 1;
    double x = 0;      // used on the current line
    double space = 0;  // spaces after the last word placed on this line
    double word = 0;   // the word being read
    auto place = [&] {
        if (word <= 0) return;
        if (x > 0 && x + space + word <= avail) {
            x += space + word;
        } else {
            if (x > 0) ++lines;
            const double full = std::ceil(word / avail) - 1;  // lines a long word fills
            lines += static_cast<int>(std::max(0.0, full));
            x = word - std::max(0.0, full) * avail;
        }
        space = 0;
        word = 0;
    };
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode(s, i);
        if (c == '\n') {
            place();
            ++lines;
            x = 0;
            space = 0;
        } else if (c == ' ' || c == '\t') {
            place();
            if (x > 0) space += em(' ') * scale;
        } else {
            word += em(c) * scale;
            if (c == '-') place();
        }
    }
    place();
    return lines;
}

double longest_word_mm(std::string_view s, double font_pt, bool bold, double cap_mm) {
    const double scale = scale_mm(font_pt, bold);
    double best = 0;
    double word = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode(s, i);
        if (c == ' ' || c == '\t' || c == '\n') {
            word = 0;
            continue;
        }
        word += em(c) * scale;
        best = std::max(best, word);
        if (c == '-') word = 0;
    }
    return std::min(best, cap_mm);
}

}  // namespace ppko::xlsx
