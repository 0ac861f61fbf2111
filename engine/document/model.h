// The document model: what templates produce and what the DOCX, XLSX and text writers consume.
// It is deliberately small and semantic (paragraph roles, lists, tables, stamps, signatures);
// all page geometry and fonts live in the layout profile (engine/document/layout_profile.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace ppko::doc {

enum class Align : std::uint8_t { left, center, right, justify };

// A run of text with one formatting. `text` is UTF-8 and may contain '\n' (a line break inside
// the paragraph) and '\t' (a tab); writers turn them into w:br / w:tab. It never contains other
// control characters: the renderer replaces them before they reach the model.
struct Run {
    std::string text;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    // Non-empty: the run is the number of the page where the paragraph with this bookmark
    // (Paragraph::bookmark) is; `text` is that number as computed by doc::paginate. DOCX writes a
    // PAGEREF field (Word and LibreOffice recompute it), other writers the text.
    std::string page_ref{};
};

// What a paragraph is for. Writers map roles to named styles (DOCX) so that a methodologist
// who edits the document finds «Заголовок 1», «Приложение» etc. in Word's style list.
enum class Role : std::uint8_t {
    body,       // running text: justified, first-line indent
    plain,      // no first-line indent, left aligned (authority heading lines, table text)
    doc_type,   // «ПРИКАЗ», «ПОЛОЖЕНИЕ»: centred, bold, spaced
    title,      // the title of the document («Об организации …»)
    heading1,
    heading2,
    stamp,      // the appendix stamp: top right block
    signature,  // the signature block: position lines on the left, name at the right margin
    list_item,  // a paragraph that belongs to a List (see ListRef)
    cell,       // text inside a table cell (12 pt per the profile)
    // Requisites of GOST R 7.0.97-2016 (templates/common.tpl makes them; the profile places them):
    heading,      // the authority's name on the blank (heading_align, heading_bold)
    date_number,  // «от 01.03.2018 № 43-о/д» (date_number_align)
    place,        // place of issue, «г. Демидов» (place_align)
    approval,     // «УТВЕРЖДАЮ …» / «УТВЕРЖДЕНО приказом …», top right (approval_indent_mm)
    agreement,    // «СОГЛАСОВАНО …», one per party, below the signature (agreement_indent_mm)
    toc,          // a line of the contents: entry, dot leader to the right margin, page number
};

// Membership of a paragraph in a numbered or bulleted list. Every distinct `list` value is one
// list instance in the document (numbering restarts per instance); `level` is 0-based.
struct ListRef {
    enum class Kind : std::uint8_t { numbered, bulleted };
    Kind kind = Kind::numbered;
    int list = -1;  // -1: not in a list
    int level = 0;
    int start = 1;  // first number of level 0 (only read from the first item of a list)
};

struct Paragraph {
    Role role = Role::body;
    Align align = Align::justify;
    bool first_line_indent = true;   // the profile's indent (1.25 cm) when true
    int indent_left_mm = 0;          // extra left indent, in millimetres
    bool keep_with_next = false;
    bool page_break_before = false;
    ListRef list;
    std::string bookmark;            // optional anchor name (for contents), ASCII
    std::vector<Run> runs;
};

struct Block;

struct Cell {
    std::vector<Block> blocks;   // at least one paragraph after normalisation
    int col_span = 1;
    // Vertical merge: a cell with row_span > 1 starts a merge; in each row below that it covers
    // the model holds ONE placeholder cell with `merged_below = true` and the starting cell's
    // col_span (writers need them for w:vMerge continuation and for XLSX ranges). The template
    // renderer inserts these placeholders itself.
    int row_span = 1;
    bool merged_below = false;
    Align align = Align::left;
    bool bold = false;
};

struct Row {
    std::vector<Cell> cells;
    bool header = false;  // header rows are repeated on every page and in XLSX frozen
};

// A native chart drawn from a table's own cells (XLSX only; the DOCX and text writers ignore
// it). Columns are 0-based grid columns of the table (a cell spanning columns counts each);
// the data are the rows below the table's leading header rows, and a series' name is the header
// cell above its column. Columns outside the table are skipped by the writer.
struct Chart {
    enum class Kind : std::uint8_t { column, line };
    Kind kind = Kind::column;
    std::string title;                // may be empty: no title
    int categories_column = 0;        // the category labels (e.g. the year)
    std::vector<int> value_columns;   // one series per column, in this order
};

struct Table {
    // Relative column widths (any positive numbers); writers scale them to the text width.
    std::vector<double> widths;
    std::vector<Row> rows;
    bool borders = true;
    std::string sheet_name;  // name of the XLSX sheet when the table is exported; may be empty
    std::string caption;     // title shown above the table in XLSX (first row), may be empty
    std::vector<Chart> charts;  // XLSX draws each to the right of the table; DOCX ignores them
};

struct PageBreak {};

// The signature block: «Начальник Отдела …» on the left (several lines), «Т.И. Ковальская»
// flush with the right margin on the last line.
struct Signature {
    std::vector<std::string> position_lines;
    std::string name;
};

struct Block {
    std::variant<Paragraph, Table, PageBreak, Signature> value;
};

struct Document {
    std::string title;     // for docProps/core.xml and the XLSX workbook properties
    std::vector<Block> body;
};

}  // namespace ppko::doc
