#include "docx/content_types.h"

#include "docx/xml_writer.h"

namespace ppko::docx {

void write_content_types(std::span<const PartType> parts, std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">";
    out += "<Default Extension=\"rels\" ContentType=\"";
    out += content_type::relationships;
    out += "\"/><Default Extension=\"xml\" ContentType=\"";
    out += content_type::xml;
    out += "\"/>";
    for (const PartType& p : parts) {
        out += "<Override PartName=\"";
        xml::append_escaped(out, p.part_name);
        out += "\" ContentType=\"";
        out += p.content_type;
        out += "\"/>";
    }
    out += "</Types>";
}

}  // namespace ppko::docx
