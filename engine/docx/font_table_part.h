// word/fontTable.xml (ECMA-376 Part 1 §17.8): the profile's font, with its PANOSE and family
// when it is one of the common Windows fonts, so Word substitutes sensibly where it is missing.
#pragma once

#include <string>

#include "document/layout_profile.h"

namespace ppko::docx {

// Replaces `out` with fontTable.xml listing profile.font.
void write_font_table(const doc::LayoutProfile& profile, std::string& out);

}  // namespace ppko::docx
