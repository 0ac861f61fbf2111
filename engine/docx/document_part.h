// word/document.xml (ECMA-376 Part 1 §17.2–17.6, transitional): the body — paragraphs with role
// styles, runs, lists, tables, signature blocks, page breaks, bookmarks — and the final section
// properties (A4 page, margins and header from the layout profile).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "docx/numbering_part.h"
#include "docx/page_geometry.h"
#include "document/layout_profile.h"
#include "document/model.h"
#include "document/table_layout.h"

namespace ppko::docx {

// Writes the main document part. Keeps its bookkeeping between calls (reuse one per writer).
//
// Paragraph formatting: every paragraph gets its role's style (styles_part.h). align,
// first_line_indent and indent_left_mm are written as direct formatting where they differ from
// what the style (or, for list paragraphs, the numbering level) sets — so the renderer must set
// them per role: the model's defaults (justify, indent) are the body's. keep_with_next and
// page_break_before are requests: true adds them, false keeps the style's (headings keep
// with the next paragraph unless the template says otherwise). In a table cell, a paragraph
// whose align equals its style's takes Cell::align instead, and Cell::bold makes its runs bold.
//
// Lists: every distinct ListRef::list value (>= 0) becomes one w:num, numbered 1, 2, … in order
// of first appearance; its kind and start come from its first paragraph. lists() returns them
// for numbering.xml.
//
// Tables: columns = max(widths.size(), widest row in grid columns); widths from doc::TableLayout
// (the template's proportions within the measured floors and ceilings of the columns) over the
// width available (text width, or the cell's inner width for nested tables). Header rows repeat
// on every page (tblHeader) and never split; a body row does not split across pages (cantSplit)
// unless its estimated height and the header rows' exceed the page's text height. Vertical merges: a merged_below cell continues the
// merge of the cell above it and gets that cell's column span (following merged_below cells of
// the same row that it then covers are absorbed); a merged_below cell with no merge above is
// written as an ordinary cell. Rows without cells and tables without rows are written as one
// empty cell spanning the row / not at all. PageBreak inside a cell is ignored.
//
// Page references (Run::page_ref): a PAGEREF field to the bookmark with the run's text as its
// cached result; Word and LibreOffice recompute it (settings: updateFields, see settings_part.h).
//
// Bookmarks: names are made Word-valid (ASCII letters, digits, '_'; a letter first; at most 40
// characters); a name already used in the document is not written again.
class DocumentPart {
public:
    struct HeaderRefs {
        std::string_view default_id;  // r:id of the default header; empty: no header
        std::string_view first_id;    // r:id of the title-page header; empty: none, no titlePg
    };

    // Replaces `out` with document.xml for `doc`.
    void write(const doc::Document& doc, const doc::LayoutProfile& profile, HeaderRefs headers,
               std::string& out);

    // The list instances of the last write(), in w:numId order.
    const std::vector<ListInstance>& lists() const { return lists_; }
    // Whether the last write() wrote fields to be updated (page references).
    bool has_fields() const { return has_fields_; }

private:
    enum class VMerge : unsigned char { none, restart, continue_ };
    struct Context {
        long width;                 // available width in twips (text width or cell interior)
        const doc::Cell* cell;      // enclosing cell, or nullptr
    };

    void block(const doc::Block& b, const Context& ctx);
    void paragraph(const doc::Paragraph& p, const Context& ctx);
    void signature(const doc::Signature& s, const Context& ctx);
    void page_break();
    void table(const doc::Table& t, const Context& ctx);
    void cell(const doc::Cell& c, long width, int grid_span, VMerge vmerge);
    void empty_cell_paragraph(const doc::Cell* c);
    void run_text(std::string_view text);
    int num_id(const doc::ListRef& l);
    bool bookmark_name(std::string_view raw);  // sets name_; false when not to be written
    void word_bookmark_name(std::string_view raw);  // sets name_ to the Word-valid form of raw

    std::string* out_ = nullptr;
    const doc::LayoutProfile* profile_ = nullptr;
    PageGeometry geometry_{doc::LayoutProfile{}};
    long first_line_ = 0;
    long stamp_left_ = 0;
    int next_bookmark_ = 0;
    bool has_fields_ = false;
    std::vector<ListInstance> lists_;
    std::unordered_map<int, int> num_ids_;  // ListRef::list → w:numId
    std::unordered_set<std::string> bookmarks_;
    std::string name_;
    doc::TableLayout layout_;
};

}  // namespace ppko::docx
