// Header parts (ECMA-376 Part 1 §17.10): the page-number header (a centred PAGE field) and an
// empty header for the title page when GOST asks for numbers from page 2.
#pragma once

#include <string>

namespace ppko::docx {

// Replaces `out` with a w:hdr holding one centred paragraph with a PAGE field.
void write_page_number_header(std::string& out);
// Replaces `out` with a w:hdr holding one empty paragraph.
void write_empty_header(std::string& out);

}  // namespace ppko::docx
