#include "docx/font_table_part.h"

#include <string_view>

#include "docx/xml_writer.h"

namespace ppko::docx {
namespace {

struct KnownFont {
    std::string_view name;
    std::string_view panose;
    std::string_view family;
};

constexpr KnownFont kKnown[] = {
    {"Times New Roman", "02020603050405020304", "roman"},
    {"Arial", "020B0604020202020204", "swiss"},
    {"Calibri", "020F0502020204030204", "swiss"},
};

}  // namespace

void write_font_table(const doc::LayoutProfile& p, std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
           "<w:font w:name=\"";
    xml::append_escaped(out, p.font);
    out += "\">";
    const KnownFont* known = nullptr;
    for (const KnownFont& f : kKnown)
        if (f.name == p.font) known = &f;
    if (known != nullptr) {
        xml::append_val(out, "w:panose1", known->panose);
        out += "<w:charset w:val=\"CC\"/>";  // RUSSIAN_CHARSET
        xml::append_val(out, "w:family", known->family);
    } else {
        out += "<w:charset w:val=\"CC\"/><w:family w:val=\"auto\"/>";
    }
    out += "<w:pitch w:val=\"variable\"/></w:font></w:fonts>";
}

}  // namespace ppko::docx
