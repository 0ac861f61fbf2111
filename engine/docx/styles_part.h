// word/styles.xml (ECMA-376 Part 1 §17.7): document defaults from the layout profile and one
// named paragraph style per doc::Role, so that a methodologist editing the document finds
// «ППКО: основной текст», «ППКО: гриф приложения» … in Word's style list.
#pragma once

#include <string>
#include <string_view>

#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::docx {

// What a role's paragraph style sets among the properties a doc::Paragraph can override; the
// document part writes direct formatting only where a paragraph differs from this.
struct RoleStyle {
    std::string_view id;    // ASCII w:styleId
    std::string_view name;  // Russian w:name
    doc::Align align;
    bool first_line_indent;  // the profile's first-line indent
    bool keep_next;
    bool stamp_indent;       // left indent = profile.stamp_indent_mm (the appendix stamp)
};

const RoleStyle& role_style(doc::Role role);

// The w:jc value of an alignment (transitional names: left, center, right, both).
std::string_view jc_value(doc::Align a);

// Style of the page-number paragraph in the header.
inline constexpr std::string_view page_number_style_id = "PpkoPageNumber";

// Replaces `out` with styles.xml for `profile`:
//  - docDefaults: profile font (ascii/hAnsi/eastAsia/cs), font_size_pt, lang ru-RU,
//    line = 240 × line_spacing (auto), after = space_after_pt;
//  - Normal (default), DefaultParagraphFont, TableNormal, and the role styles based on Normal:
//    body justified with first-line indent; plain left; doc_type, title centred bold;
//    heading1/2 centred bold keepNext (outline levels 1/2); stamp at stamp_indent_mm,
//    stamp_font_size_pt, single spacing; signature with a right tab at the text width,
//    keepLines, two lines before; list_item as body; cell table_font_size_pt,
//    table_line_spacing, no space after; the requisites: heading (heading_align, bold when
//    heading_bold), date_number (date_number_align, a line before), place (place_align),
//    approval at approval_indent_mm and agreement at agreement_indent_mm (requisite_font_size_pt,
//    single spacing, keepLines; a line after the approval, before each agreement).
void write_styles(const doc::LayoutProfile& profile, std::string& out);

}  // namespace ppko::docx
