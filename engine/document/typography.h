// Typography of Russian official text as one pass over the document model: run on every document
// after its templates and before any writer (DOCX, XLSX, text, PDF), so no template has to
// remember it. The profile's keys that steer it and the rules: README.md («Типографика»).
#pragma once

#include <string>
#include <vector>

#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::doc {

inline constexpr std::string_view kNbsp = "\u00A0";         // NO-BREAK SPACE
inline constexpr std::string_view kWordJoiner = "\u2060";   // WORD JOINER: no line break here
inline constexpr std::string_view kNoBreakHyphen = "\u2011";  // NON-BREAKING HYPHEN

// Rewrites the text of every paragraph (in cells too), table caption and signature in place:
//  - U+00A0 after «№» and «§» (inserted where the sign touches what follows; «№№» is one sign);
//  - U+00A0 between initials and the surname («Т.И. Ковальская», «Ковальская Т.И.») and after
//    «г.» before a capitalised name;
//  - a range of two numbers («2020-2021», «7 - 8», «2020–2021») becomes «2020–2021» with the
//    profile's range_dash (a hyphen becomes U+2011), U+2060 on both sides of the dash so that the
//    range never breaks there; dates are not ranges of numbers («01.09.2020 – 31.05.2021»);
//  - a range of months («март-август», «март – август») takes range_dash, spaced as
//    month_range_spaced says (U+00A0 before the dash), or joined by U+2060;
//  - a dash between words (« - », « – », « — ») becomes the profile's dash with U+00A0 before;
//  - U+00A0 between a number and the word or «%» after it («7–8 классов», «25 %»);
//  - «ё» becomes «е» unless letter_yo (but «всё» stays: «все» is another word);
//  - list punctuation: in a run of sibling list items that all start in lower case, every item
//    but the last ends with «;»; the last item of a list ends with «.», not «;» or «,».
// Formatting of runs is kept; text moves between runs only where a replacement spans them.
// Idempotent: a second pass changes nothing. Does nothing when profile.typography is false.
void typeset(Document& d, const LayoutProfile& profile);

// The same for one piece of text (tests, table captions); `out` is replaced.
void typeset_text(std::string_view in, const LayoutProfile& profile, std::string& out);

}  // namespace ppko::doc
