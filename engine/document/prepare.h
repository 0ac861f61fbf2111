// What every document model gets after its templates and before any writer (DOCX, XLSX, text,
// PDF): the typography pass, then the page numbers of its page references.
#pragma once

#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::doc {

// Estimated page numbers for the page references of `d` (Run::page_ref → the page of the
// paragraph with that bookmark): a page-flow pass with the profile's page, fonts and spacing and
// the text metrics (text_metrics.h, table_layout.h) — paragraphs and table rows in order, page
// breaks, rows that do not split, header rows repeated. Word and LibreOffice recompute the
// numbers (the DOCX writer writes PAGEREF fields); these are the values stored with them and what
// the text and XLSX writers show. A reference to a bookmark that is not there reads «?».
void paginate(Document& d, const LayoutProfile& profile);

// typeset (typography.h), then paginate.
void prepare(Document& d, const LayoutProfile& profile);

}  // namespace ppko::doc
