// The document model (document/model.h) — the very tree the DOCX and XLSX writers consume — as
// escaped HTML for the documents page's preview, so what is previewed is what is downloaded:
// paragraphs by role (requisites, headings, signature), numbered and bulleted lists with Word's
// numbers, tables with their spans, page breaks, and the templates' visible blanks marked.
#pragma once

#include "document/model.h"
#include "web/html.h"

namespace ppko::web {

// Writes <article class="doc-page"> with the model's body; `label` names it for assistive
// technology. Headings of the document become <h3>/<h4> (the page's own sections are <h2>).
// Styling is by class only (ppko.css: .doc-*), as the Content-Security-Policy forbids inline style.
void document_preview(Html& h, const doc::Document& d, std::string_view label);

}  // namespace ppko::web
