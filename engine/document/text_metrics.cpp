#include "document/text_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "text/utf8.h"

namespace ppko::doc {
namespace {

#include "document/font_metrics.inc"

// Advances in ems by code point: a dense table up to the end of Cyrillic (what nearly all text
// is), the few others (dashes, quotes, «№», U+2060) looked up; the rest get a fallback (wide for
// CJK and emoji, which Times New Roman does not have).
constexpr char32_t kDenseEnd = 0x460;
struct Dense {
    std::array<float, kDenseEnd> regular{}, bold{};
};
constexpr Dense kDense = [] {
    Dense t;
    for (char32_t c = 0; c < kDenseEnd; ++c) t.regular[c] = t.bold[c] = 0.5f;
    for (const GlyphAdvance& g : kAdvances) {
        if (g.code >= kDenseEnd) continue;
        t.regular[g.code] = static_cast<float>(g.regular) / kFontUnitsPerEm;
        t.bold[g.code] = static_cast<float>(g.bold) / kFontUnitsPerEm;
    }
    return t;
}();

double sparse_em(char32_t c, bool bold) {
    if (c == U'\u2060' || c == U'\u200B' || c == U'\u200D' || c == U'\uFEFF') return 0;
    for (const GlyphAdvance& g : kAdvances) {
        if (g.code == c) return static_cast<double>(bold ? g.bold : g.regular) / kFontUnitsPerEm;
    }
    return c >= 0x2E80 ? 1.0 : 0.5;
}

inline double em(char32_t c, bool bold) {
    if (c < kDenseEnd) return bold ? kDense.bold[c] : kDense.regular[c];
    return sparse_em(c, bold);
}

// text::decode with the one- and two-byte cases inline.
inline char32_t next_char(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
        const char32_t cp = (static_cast<char32_t>(c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
        i += 2;
        return cp;
    }
    return text::decode(s, i);
}

bool breaks_after(char32_t c) { return c == '-' || c == U'–' || c == U'—'; }

// Walks `s` word by word: calls word(width_mm) for each unbreakable piece, space(width_mm) for the
// gap that follows it, newline() at each '\n'.
template <class Word, class Space, class Newline>
void words(std::string_view s, double font_pt, bool bold, Word&& word, Space&& space, Newline&& newline) {
    const double scale = font_pt * kMmPerPt;
    double w = 0;
    bool joined = false;  // the last character was U+2060: no break after a dash before it
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = next_char(s, i);
        if (c == '\n') {
            word(w);
            w = 0;
            newline();
        } else if (c == ' ' || c == '\t') {
            word(w);
            w = 0;
            space(em(' ', bold) * scale);
        } else {
            w += em(c, bold) * scale;
            if (breaks_after(c) && !joined && !(i < s.size() && s.substr(i, 3) == "\u2060")) {
                word(w);
                w = 0;
            }
        }
        joined = c == U'\u2060';
    }
    word(w);
}

}  // namespace

double text_width_mm(std::string_view s, double font_pt, bool bold) {
    double ems_sum = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = next_char(s, i);
        if (c != '\n') ems_sum += em(c, bold);
    }
    return ems_sum * font_pt * kMmPerPt;
}

TextExtent text_extent(std::string_view s, double font_pt, bool bold) {
    TextExtent e;
    double line = 0, pending = 0;
    words(
        s, font_pt, bold,
        [&](double w) {
            e.word_mm = std::max(e.word_mm, w);
            if (w > 0) {
                line += pending + w;
                pending = 0;
                e.line_mm = std::max(e.line_mm, line);
            }
        },
        [&](double sp) { pending += sp; },
        [&] {
            line = 0;
            pending = 0;
        });
    return e;
}

int wrapped_lines(std::string_view s, double width_mm, double font_pt, bool bold) {
    const double avail = std::max(width_mm, 1.0);
    int lines = 1;
    double x = 0, space = 0;
    words(
        s, font_pt, bold,
        [&](double w) {
            if (w <= 0) return;
            if (x > 0 && x + space + w <= avail) {
                x += space + w;
            } else {
                if (x > 0) ++lines;
                const double full = std::ceil(w / avail - 1e-9) - 1;  // lines a long word fills
                lines += static_cast<int>(std::max(0.0, full));
                x = w - std::max(0.0, full) * avail;
            }
            space = 0;
        },
        [&](double sp) {
            if (x > 0) space += sp;
        },
        [&] {
            ++lines;
            x = 0;
            space = 0;
        });
    return lines;
}

}  // namespace ppko::doc
