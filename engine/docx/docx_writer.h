// The DOCX writer: a doc::Document and a layout profile → the bytes of a WordprocessingML package
// (ECMA-376 transitional, 5th edition). One module per package part (content_types, relationships,
// doc_props, document_part, styles_part, numbering_part, settings_part, font_table_part,
// header_part), zipped by zip_writer; this file ties them together.
#pragma once

#include <string>

#include "docx/document_part.h"
#include "docx/zip_writer.h"
#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::docx {

// Writes WordprocessingML (ECMA-376 transitional) packages. Keeps scratch buffers between calls:
// reuse one writer for many documents. Not thread-safe; use one per thread.
//
// The package holds [Content_Types].xml, _rels/.rels, docProps/core.xml, docProps/app.xml,
// word/document.xml, word/_rels/document.xml.rels, word/styles.xml, word/settings.xml,
// word/fontTable.xml; word/numbering.xml when the document has lists; word/header1.xml (page
// number) when profile.page_numbers, and word/header2.xml (empty, title page) when numbers start
// on page 2. Output is a pure function of (doc, profile): no timestamps anywhere.
//
//   DocxWriter writer;
//   std::string bytes;
//   writer.write(document, profile, bytes);
//   // … store `bytes` as the .docx file
//
// Throws ppko::Error(ErrorId::internal) only when the package would exceed ZIP limits (4 GiB).
class DocxWriter {
public:
    // Replaces the content of `out` with the bytes of a .docx file for `doc`.
    void write(const doc::Document& doc, const doc::LayoutProfile& profile, std::string& out);

private:
    ZipWriter zip_{ZipWriter::default_level, ZipWriter::small_part_size};
    DocumentPart document_part_;
    std::string content_types_, package_rels_, core_, app_, document_, document_rels_, styles_,
        settings_, fonts_, numbering_, header_, first_header_;
};

}  // namespace ppko::docx
