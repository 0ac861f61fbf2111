// word/settings.xml (ECMA-376 Part 1 §17.15): minimal, schema-valid settings — 100 % zoom,
// default tab stop = the profile's first-line indent, Word 2013+ compatibility mode (15),
// Russian decimal and list separators.
#pragma once

#include <string>

#include "document/layout_profile.h"

namespace ppko::docx {

// Replaces `out` with settings.xml for `profile`. With `update_fields` (the document has page
// references), Word updates every field when it opens the document — it asks first — so the
// contents' page numbers are those of Word's own layout; LibreOffice computes them anyway.
void write_settings(const doc::LayoutProfile& profile, bool update_fields, std::string& out);

}  // namespace ppko::docx
