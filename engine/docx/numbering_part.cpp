#include "docx/numbering_part.h"

#include "docx/xml_writer.h"

namespace ppko::docx {
namespace {

void abstract_num(const doc::LayoutProfile& p, int id, bool numbered, std::string& out) {
    const long first_line = xml::twips_from_mm(p.first_line_indent_mm);
    out += "<w:abstractNum w:abstractNumId=\"";
    xml::append_int(out, id);
    out += "\">";
    // nsid: a fixed, distinct id per definition (Word uses it to tell definitions apart).
    out += numbered ? "<w:nsid w:val=\"50504B31\"/>" : "<w:nsid w:val=\"50504B32\"/>";
    out += "<w:multiLevelType w:val=\"multilevel\"/>";
    for (int level = 0; level <= max_list_level; ++level) {
        out += "<w:lvl w:ilvl=\"";
        xml::append_int(out, level);
        out += "\"><w:start w:val=\"1\"/>";
        if (numbered) {
            out += "<w:numFmt w:val=\"decimal\"/><w:suff w:val=\"space\"/><w:lvlText w:val=\"";
            for (int k = 1; k <= level + 1; ++k) {
                out += '%';
                xml::append_int(out, k);
                out += '.';
            }
            out += "\"/>";
        } else {
            out += "<w:numFmt w:val=\"bullet\"/><w:suff w:val=\"space\"/>"
                   "<w:lvlText w:val=\"\xE2\x80\x93\"/>";  // U+2013 EN DASH
        }
        out += "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"";
        xml::append_int(out, list_level_left(p, level));
        out += "\" w:firstLine=\"";
        xml::append_int(out, first_line);
        out += "\"/></w:pPr></w:lvl>";
    }
    out += "</w:abstractNum>";
}

}  // namespace

long list_level_left(const doc::LayoutProfile& profile, int level) {
    return xml::twips_from_mm(profile.list_indent_mm * level);
}

void write_numbering(const doc::LayoutProfile& p, std::span<const ListInstance> lists,
                     std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">";
    abstract_num(p, numbered_abstract_id, true, out);
    abstract_num(p, bulleted_abstract_id, false, out);
    for (const ListInstance& l : lists) {
        out += "<w:num w:numId=\"";
        xml::append_int(out, l.num_id);
        out += "\">";
        xml::append_val(out, "w:abstractNumId",
                        l.kind == doc::ListRef::Kind::numbered ? numbered_abstract_id
                                                               : bulleted_abstract_id);
        for (int level = 0; level <= max_list_level; ++level) {
            out += "<w:lvlOverride w:ilvl=\"";
            xml::append_int(out, level);
            out += "\">";
            xml::append_val(out, "w:startOverride", level == 0 ? l.start : 1);
            out += "</w:lvlOverride>";
        }
        out += "</w:num>";
    }
    out += "</w:numbering>";
}

}  // namespace ppko::docx
