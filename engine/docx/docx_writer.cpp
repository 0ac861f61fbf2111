#include "docx/docx_writer.h"

#include <vector>

#include "docx/content_types.h"
#include "docx/doc_props.h"
#include "docx/font_table_part.h"
#include "docx/header_part.h"
#include "docx/numbering_part.h"
#include "docx/relationships.h"
#include "docx/settings_part.h"
#include "docx/styles_part.h"

namespace ppko::docx {
namespace {

// Fixed relationship ids of word/_rels/document.xml.rels; absent parts leave gaps, which is
// allowed (ids need only be unique).
constexpr std::string_view kStylesId = "rId1";
constexpr std::string_view kSettingsId = "rId2";
constexpr std::string_view kFontTableId = "rId3";
constexpr std::string_view kHeaderId = "rId4";
constexpr std::string_view kFirstHeaderId = "rId5";
constexpr std::string_view kNumberingId = "rId6";

constexpr Relationship kPackageRels[] = {
    {"rId1", rel_type::office_document, "word/document.xml"},
    {"rId2", rel_type::core_properties, "docProps/core.xml"},
    {"rId3", rel_type::extended_properties, "docProps/app.xml"},
};

}  // namespace

void DocxWriter::write(const doc::Document& doc, const doc::LayoutProfile& profile,
                       std::string& out) {
    const bool header = profile.page_numbers;
    const bool first_header = header && !profile.page_number_on_first_page;

    document_part_.write(doc, profile,
                         {header ? kHeaderId : std::string_view{},
                          first_header ? kFirstHeaderId : std::string_view{}},
                         document_);
    const bool numbering = !document_part_.lists().empty();
    if (numbering) write_numbering(profile, document_part_.lists(), numbering_);
    write_styles(profile, styles_);
    write_settings(profile, document_part_.has_fields(), settings_);
    write_font_table(profile, fonts_);
    if (header) write_page_number_header(header_);
    if (first_header) write_empty_header(first_header_);
    write_core_properties(doc, core_);
    write_app_properties(app_);
    write_relationships(kPackageRels, package_rels_);

    Relationship rels[6];
    std::size_t n_rels = 0;
    rels[n_rels++] = {kStylesId, rel_type::styles, "styles.xml"};
    rels[n_rels++] = {kSettingsId, rel_type::settings, "settings.xml"};
    rels[n_rels++] = {kFontTableId, rel_type::font_table, "fontTable.xml"};
    if (header) rels[n_rels++] = {kHeaderId, rel_type::header, "header1.xml"};
    if (first_header) rels[n_rels++] = {kFirstHeaderId, rel_type::header, "header2.xml"};
    if (numbering) rels[n_rels++] = {kNumberingId, rel_type::numbering, "numbering.xml"};
    write_relationships(std::span(rels, n_rels), document_rels_);

    PartType types[10];
    std::size_t n_types = 0;
    types[n_types++] = {"/docProps/core.xml", content_type::core_properties};
    types[n_types++] = {"/docProps/app.xml", content_type::extended_properties};
    types[n_types++] = {"/word/document.xml", content_type::document};
    types[n_types++] = {"/word/styles.xml", content_type::styles};
    types[n_types++] = {"/word/settings.xml", content_type::settings};
    types[n_types++] = {"/word/fontTable.xml", content_type::font_table};
    if (numbering) types[n_types++] = {"/word/numbering.xml", content_type::numbering};
    if (header) types[n_types++] = {"/word/header1.xml", content_type::header};
    if (first_header) types[n_types++] = {"/word/header2.xml", content_type::header};
    write_content_types(std::span(types, n_types), content_types_);

    zip_.begin(out);
    zip_.add_reusing("[Content_Types].xml", content_types_);
    zip_.add_reusing("_rels/.rels", package_rels_);
    zip_.add("docProps/core.xml", core_);
    zip_.add_reusing("docProps/app.xml", app_);
    zip_.add("word/document.xml", document_);
    zip_.add_reusing("word/_rels/document.xml.rels", document_rels_);
    zip_.add_reusing("word/styles.xml", styles_);
    zip_.add_reusing("word/settings.xml", settings_);
    zip_.add_reusing("word/fontTable.xml", fonts_);
    if (numbering) zip_.add_reusing("word/numbering.xml", numbering_);
    if (header) zip_.add_reusing("word/header1.xml", header_);
    if (first_header) zip_.add_reusing("word/header2.xml", first_header_);
    zip_.finish();
}

}  // namespace ppko::docx
