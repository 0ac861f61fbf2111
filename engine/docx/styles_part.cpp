#include "docx/styles_part.h"

#include <cstddef>

#include "docx/page_geometry.h"
#include "docx/xml_writer.h"

namespace ppko::docx {
namespace {

using doc::Align;
using doc::Role;

// Indexed by doc::Role.
constexpr RoleStyle kRoleStyles[] = {
    {"PpkoBody", "ППКО: основной текст", Align::justify, true, false, false},
    {"PpkoPlain", "ППКО: текст без отступа", Align::left, false, false, false},
    {"PpkoDocType", "ППКО: вид документа", Align::center, false, true, false},
    {"PpkoTitle", "ППКО: заголовок к тексту", Align::center, false, true, false},
    {"PpkoHeading1", "ППКО: заголовок 1", Align::center, false, true, false},
    {"PpkoHeading2", "ППКО: заголовок 2", Align::center, false, true, false},
    {"PpkoStamp", "ППКО: гриф приложения", Align::left, false, false, true},
    {"PpkoSignature", "ППКО: подпись", Align::left, false, false, false},
    {"PpkoListItem", "ППКО: элемент списка", Align::justify, true, false, false},
    {"PpkoCell", "ППКО: текст таблицы", Align::left, false, false, false},
    // Requisites: the alignment of the first three is the profile's (doc::requisite_align).
    {"PpkoHeading", "ППКО: наименование органа", Align::center, false, true, false},
    {"PpkoDateNumber", "ППКО: дата и номер", Align::center, false, true, false},
    {"PpkoPlace", "ППКО: место издания", Align::center, false, true, false},
    {"PpkoApproval", "ППКО: гриф утверждения", Align::left, false, false, false},
    {"PpkoAgreement", "ППКО: гриф согласования", Align::left, false, false, false},
    {"PpkoToc", "ППКО: оглавление", Align::left, false, false, false},
};
static_assert(std::size(kRoleStyles) == static_cast<std::size_t>(Role::toc) + 1);

}  // namespace

std::string_view jc_value(doc::Align a) {
    switch (a) {
        case Align::left: return "left";
        case Align::center: return "center";
        case Align::right: return "right";
        case Align::justify: return "both";
    }
    return "left";
}

namespace {

void spacing(std::string& out, long before, long after, long line) {
    out += "<w:spacing w:before=\"";
    xml::append_int(out, before);
    out += "\" w:after=\"";
    xml::append_int(out, after);
    out += "\" w:line=\"";
    xml::append_int(out, line);
    out += "\" w:lineRule=\"auto\"/>";
}

void size(std::string& out, double pt) {
    xml::append_val(out, "w:sz", xml::half_points(pt));
    xml::append_val(out, "w:szCs", xml::half_points(pt));
}

void style_head(std::string& out, const RoleStyle& s, std::string_view next) {
    out += "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"";
    out += s.id;
    out += "\"><w:name w:val=\"";
    out += s.name;
    out += "\"/><w:basedOn w:val=\"Normal\"/>";
    if (!next.empty()) {
        out += "<w:next w:val=\"";
        out += next;
        out += "\"/>";
    }
    out += "<w:qFormat/>";
}

}  // namespace

const RoleStyle& role_style(doc::Role role) {
    const auto i = static_cast<std::size_t>(role);
    return kRoleStyles[i < std::size(kRoleStyles) ? i : 0];
}

void write_styles(const doc::LayoutProfile& p, std::string& out) {
    const PageGeometry g(p);
    const long line = std::lround(240.0 * p.line_spacing);
    const long one_line = xml::twips_from_pt(p.font_size_pt);
    const long indent = xml::twips_from_mm(p.first_line_indent_mm);

    out.clear();
    out += xml::declaration;
    out += "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">";

    out += "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"";
    xml::append_escaped(out, p.font);
    out += "\" w:eastAsia=\"";
    xml::append_escaped(out, p.font);
    out += "\" w:hAnsi=\"";
    xml::append_escaped(out, p.font);
    out += "\" w:cs=\"";
    xml::append_escaped(out, p.font);
    out += "\"/>";
    size(out, p.font_size_pt);
    out += "<w:lang w:val=\"ru-RU\" w:eastAsia=\"ru-RU\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
           "<w:pPrDefault><w:pPr>";
    spacing(out, 0, xml::twips_from_pt(p.space_after_pt), line);
    out += "</w:pPr></w:pPrDefault></w:docDefaults>";

    out += "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
           "<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl/></w:pPr></w:style>"
           "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
           "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/>"
           "<w:unhideWhenUsed/></w:style>"
           "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
           "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
           "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
           "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
           "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
           "</w:tblCellMar></w:tblPr></w:style>";

    const std::string_view body_id = role_style(Role::body).id;
    for (std::size_t i = 0; i < std::size(kRoleStyles); ++i) {
        const auto role = static_cast<Role>(i);
        const RoleStyle& s = kRoleStyles[i];
        const bool heading = role == Role::doc_type || role == Role::title ||
                             role == Role::heading1 || role == Role::heading2;
        style_head(out, s, heading ? body_id : std::string_view{});
        out += "<w:pPr>";
        if (s.keep_next) out += "<w:keepNext/>";
        if (role == Role::approval || role == Role::agreement) out += "<w:keepLines/>";
        if (role == Role::toc) {
            out += "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"";
            xml::append_int(out, g.text_width);
            out += "\"/></w:tabs>";
        }
        if (role == Role::signature) {
            out += "<w:keepLines/><w:tabs><w:tab w:val=\"right\" w:pos=\"";
            xml::append_int(out, g.text_width);
            out += "\"/></w:tabs>";
        }
        switch (role) {
            case Role::doc_type:
            case Role::title:
                spacing(out, one_line, one_line, line);
                break;
            case Role::heading1: spacing(out, one_line, one_line / 2, line); break;
            case Role::heading2: spacing(out, one_line / 2, one_line / 2, line); break;
            case Role::signature: spacing(out, 2 * one_line, 0, line); break;
            case Role::stamp: spacing(out, 0, 0, 240); break;
            case Role::approval: spacing(out, 0, one_line, 240); break;
            case Role::agreement: spacing(out, one_line, 0, 240); break;
            case Role::cell: spacing(out, 0, 0, std::lround(240.0 * p.table_line_spacing)); break;
            default: break;
        }
        const double block_indent_mm = s.stamp_indent          ? p.stamp_indent_mm
                                       : role == Role::approval  ? p.approval_indent_mm
                                       : role == Role::agreement ? p.agreement_indent_mm
                                                                 : -1;
        if (block_indent_mm >= 0) {
            out += "<w:ind w:left=\"";
            xml::append_int(out, xml::twips_from_mm(block_indent_mm));
            out += "\" w:firstLine=\"0\"/>";
        } else if (s.first_line_indent) {
            out += "<w:ind w:firstLine=\"";
            xml::append_int(out, indent);
            out += "\"/>";
        }
        xml::append_val(out, "w:jc", jc_value(doc::requisite_align(p, role).value_or(s.align)));
        if (role == Role::heading1) xml::append_val(out, "w:outlineLvl", 0);
        if (role == Role::heading2) xml::append_val(out, "w:outlineLvl", 1);
        out += "</w:pPr>";
        switch (role) {
            case Role::doc_type:
                out += "<w:rPr><w:b/><w:bCs/><w:spacing w:val=\"40\"/></w:rPr>";
                break;
            case Role::title:
            case Role::heading1:
            case Role::heading2: out += "<w:rPr><w:b/><w:bCs/></w:rPr>"; break;
            case Role::stamp:
                out += "<w:rPr>";
                size(out, p.stamp_font_size_pt);
                out += "</w:rPr>";
                break;
            case Role::cell:
                out += "<w:rPr>";
                size(out, p.table_font_size_pt);
                out += "</w:rPr>";
                break;
            case Role::heading:
                if (p.heading_bold) out += "<w:rPr><w:b/><w:bCs/></w:rPr>";
                break;
            case Role::approval:
            case Role::agreement:
                out += "<w:rPr>";
                size(out, p.requisite_font_size_pt);
                out += "</w:rPr>";
                break;
            default: break;
        }
        out += "</w:style>";
    }

    out += "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"";
    out += page_number_style_id;
    out += "\"><w:name w:val=\"ППКО: номер страницы\"/><w:basedOn w:val=\"Normal\"/><w:pPr>";
    spacing(out, 0, 0, 240);
    out += "<w:jc w:val=\"center\"/></w:pPr></w:style>";

    out += "</w:styles>";
}

}  // namespace ppko::docx
