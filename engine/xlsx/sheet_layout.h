// The XLSX writer's decisions as plain data: which sheets, cells, formats, merges, widths, heights,
// frozen/repeated rows and charts a document model becomes (the rules are in xlsx_writer.h).
// Emitters (xlsx_package.cpp, and the libxlsxwriter oracle of the tests) only serialise this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "document/layout_profile.h"
#include "document/model.h"
#include "document/table_layout.h"
#include "xlsx/sheet_name.h"

namespace ppko::xlsx {

inline constexpr std::uint32_t kMaxRows = 1048576;   // Excel's rows per sheet
inline constexpr std::uint32_t kMaxColumns = 16384;  // Excel's columns per sheet

// A cell format. Every format also has the profile's font at table_font_size_pt, wrapped text,
// top vertical alignment; `fill` is the light grey solid header fill, `border` thin borders on
// all four sides; `unlocked` cells stay editable on a protected sheet (SheetLayout::protect).
struct CellFormat {
    enum class Align : std::uint8_t { left, center, right };
    bool bold = false;
    Align align = Align::left;
    bool fill = false;
    bool border = false;
    bool unlocked = false;
    bool operator==(const CellFormat&) const = default;
};

// One cell written. Positions are 0-based sheet coordinates.
struct CellLayout {
    enum class Kind : std::uint8_t { blank, number, text };
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    Kind kind = Kind::blank;
    std::uint8_t format = 0;       // index into WorkbookLayout::formats
    double number = 0;             // Kind::number
    std::uint32_t text_begin = 0;  // Kind::text: the string, in SheetLayout::text
    std::uint32_t text_size = 0;
};

// A merged range; every cell of it carries `format` (the first one is also in `cells`).
struct MergeLayout {
    std::uint32_t first_row = 0, first_col = 0, last_row = 0, last_col = 0;
    std::uint8_t format = 0;
};

struct RowHeight {
    std::uint32_t row = 0;
    double points = 0;
};

// A series: values in `column` over the chart's data rows; categories likewise from
// `categories_column` when it is ≥ 0; the name is the formula to cell (name_row, name_col) when
// `named`. A range without a cache is written as a bare formula (see xlsx_writer.h).
struct SeriesLayout {
    std::uint32_t column = 0;
    bool values_cached = true;
    int categories_column = -1;
    bool categories_cached = true;
    bool named = false;
    std::uint32_t name_row = 0, name_col = 0;
};

struct ChartLayout {
    bool line = false;  // else clustered columns
    std::string title;  // sanitized; empty: no title
    std::uint32_t anchor_row = 0, anchor_col = 0;
    // Size in pixels; the width a multiple of 15 and the height of 9 (480 × k / 32, 288 × k / 32:
    // scales a double holds exactly, so libxlsxwriter's anchor is ours to the pixel).
    std::uint32_t width_px = 480, height_px = 288;
    std::uint32_t first_row = 0, last_row = 0;  // data rows, sheet coordinates
    std::vector<SeriesLayout> series;
};

// Data validation of the cells of one column, rows first_row…last_row (ECMA-376 §18.3.1.32):
// a list (formula1: "\"a,b\"" or a range such as 'Инструкция'!$A$5:$A$9), a whole or decimal
// number or a date (serial) between formula1 and formula2, or ≥ formula1 when formula2 is empty.
// Blank cells are allowed; `error` (may be empty) is the message Excel shows for a wrong value;
// `warning`: the user may keep a value outside the rule (errorStyle="warning").
struct ValidationLayout {
    enum class Type : std::uint8_t { list, whole, decimal, date };
    Type type = Type::list;
    std::uint32_t first_row = 0, last_row = 0, col = 0;
    std::string formula1, formula2;
    std::string error;
    bool warning = false;
};

struct SheetLayout {
    std::string name;
    // False for the empty «Лист1» of a document without tables: no page setup, nothing else.
    bool table = false;
    bool landscape = false;
    std::vector<std::uint32_t> column_px;  // width of each grid column, pixels at 96 dpi
    std::vector<RowHeight> heights;        // rows with an explicit height, ascending
    std::vector<MergeLayout> merges;       // in the order decided
    std::vector<CellLayout> cells;         // in the order written (shared strings follow it)
    std::string text;                      // the cells' strings, back to back
    std::uint32_t rows = 0, cols = 0;      // grid extent incl. the title and caption rows
    std::uint32_t header_first = 0, header_count = 0;  // frozen and repeated rows
    // The print area, A1 to (print_rows - 1, cols - 1): the title rows, the table and the charts
    // below it; 0: none (the empty «Лист1»).
    std::uint32_t print_rows = 0;
    bool page_numbers = false;  // «&C&P» in the footer of every page
    std::vector<ChartLayout> charts;
    // Form sheets (not set by LayoutBuilder): sheet protection without a password (only
    // CellFormat::unlocked cells can be edited) and data validations, in the order written.
    bool protect = false;
    std::vector<ValidationLayout> validations;

    std::string_view cell_text(const CellLayout& c) const {
        return std::string_view(text).substr(c.text_begin, c.text_size);
    }
};

struct WorkbookLayout {
    std::string title;                // sanitized Document::title
    std::vector<CellFormat> formats;  // in order of first use by the layout
    std::vector<SheetLayout> sheets;  // only the first `sheet_count` are in use (buffers reused)
    std::size_t sheet_count = 0;
};

// The index in layout.formats of `format` made editable on a protected sheet (added when new).
std::uint8_t unlocked_format(WorkbookLayout& layout, std::uint8_t format);

// Turns a document model into a WorkbookLayout. Keeps scratch buffers between calls.
// Throws ppko::Error(ErrorId::io_write, file, …) when a table exceeds Excel's 1,048,576 rows or
// 16,384 columns (`file` only names the output in the message).
class LayoutBuilder {
public:
    void build(const doc::Document& doc, const doc::LayoutProfile& profile, std::string_view file,
               WorkbookLayout& out);

private:
    // What a sheet shows above its table: the document's stamps and approvals, its kind and
    // title (those of the part of the document the table is in, since the last page break), and
    // a caption (Table::caption, else the heading just before the table).
    struct Head {
        std::vector<const doc::Paragraph*> stamps, titles;
        const doc::Paragraph* heading = nullptr;
    };
    void table(const doc::Table& t, int number, const Head& head, SheetLayout& sheet);
    std::uint32_t head_rows(const Head& head, std::size_t ncols, double text_mm, SheetLayout& sheet);
    void charts(const doc::Table& t, std::size_t offset, std::size_t headers, SheetLayout& sheet);
    double layout_columns(const doc::Table& t, std::size_t ncols, SheetLayout& sheet);
    std::uint8_t format(bool bold, doc::Align align, bool header, bool borders);
    std::uint8_t caption_format();
    CellLayout::Kind add_text(SheetLayout& sheet, std::uint32_t row, std::uint32_t col,
                              std::string_view raw, std::uint8_t format);
    [[noreturn]] void fail(const std::string& message) const;

    const doc::LayoutProfile* profile_ = nullptr;
    WorkbookLayout* out_ = nullptr;
    std::string file_;
    SheetNames sheet_names_;
    std::string raw_, clean_, escaped_;
    std::vector<char> claimed_;
    std::vector<std::size_t> numbers_, texts_;
    std::vector<double> column_mm_;
    doc::TableLayout columns_;
};

}  // namespace ppko::xlsx
