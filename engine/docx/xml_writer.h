// Building XML text for the package parts: escaping that turns any byte string into legal XML 1.0
// character data (W3C XML 1.0 §2.2 Char, §2.4), numbers, and the OOXML unit conversions.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

namespace ppko::docx::xml {

inline constexpr std::string_view declaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

// Appends `text` escaped for element content and for double-quoted attribute values:
//  - & < > " become entity references;
//  - characters XML 1.0 forbids are dropped: C0 controls other than \t \n \r, U+FFFE, U+FFFF;
//  - every byte that is not part of well-formed UTF-8 (stray continuation bytes, truncated or
//    overlong sequences, encoded surrogates, code points above U+10FFFF) becomes U+FFFD.
// \t \n \r are kept; callers that give them a meaning (w:tab, w:br) split the text first.
void append_escaped(std::string& out, std::string_view text);

void append_int(std::string& out, long long value);

// `<w:NAME w:val="VALUE"/>`
void append_val(std::string& out, std::string_view name, long long value);
void append_val(std::string& out, std::string_view name, std::string_view value);

// Units of WordprocessingML (ECMA-376 Part 1 §17.18): twentieths of a point ("twips", dxa) for
// lengths, half-points for font sizes.
inline long twips_from_mm(double mm) { return std::lround(mm * 1440.0 / 25.4); }
inline long twips_from_pt(double pt) { return std::lround(pt * 20.0); }
inline long half_points(double pt) { return std::lround(pt * 2.0); }

}  // namespace ppko::docx::xml
