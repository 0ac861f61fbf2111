#include "docx/relationships.h"

#include "docx/xml_writer.h"

namespace ppko::docx {

void write_relationships(std::span<const Relationship> rels, std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    for (const Relationship& r : rels) {
        out += "<Relationship Id=\"";
        xml::append_escaped(out, r.id);
        out += "\" Type=\"";
        out += r.type;
        out += "\" Target=\"";
        xml::append_escaped(out, r.target);
        out += "\"/>";
    }
    out += "</Relationships>";
}

}  // namespace ppko::docx
