#include "docx/settings_part.h"

#include "docx/xml_writer.h"

namespace ppko::docx {

void write_settings(const doc::LayoutProfile& p, bool update_fields, std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
           "<w:zoom w:percent=\"100\"/>";
    xml::append_val(out, "w:defaultTabStop", xml::twips_from_mm(p.first_line_indent_mm));
    out += "<w:characterSpacingControl w:val=\"doNotCompress\"/>";
    if (update_fields) out += "<w:updateFields w:val=\"true\"/>";
    out += "<w:compat><w:compatSetting w:name=\"compatibilityMode\""
           " w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
           "<w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/></w:settings>";
}

}  // namespace ppko::docx
