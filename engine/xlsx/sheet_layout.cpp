#include "xlsx/sheet_layout.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include "diag/diagnostic.h"
#include "text/utf8.h"
#include "document/text_metrics.h"

namespace ppko::xlsx {
namespace {

constexpr double kCellPaddingMm = 1.5;        // what a cell's text leaves of its column
constexpr std::size_t kMaxCellUnits = 32767;  // Excel: characters per cell (UTF-16 units)
constexpr double kPxPerMm = 96.0 / 25.4;      // Excel column widths are pixels at 96 dpi
using doc::kMmPerPt;
using doc::wrapped_lines;
constexpr double kMaxRowHeightPt = 409;  // Excel's limit
constexpr std::uint32_t kChartStepRows = 16;  // a 288 px chart, 14.4 default rows, and a gap

// ---- cell text ----

void append_blocks_text(std::string& out, const std::vector<doc::Block>& blocks);

// A block's text: a paragraph's runs concatenated; a nested table's rows as lines with cells
// separated by tabs; a signature's lines.
void append_block_text(std::string& out, const doc::Block& block) {
    if (const auto* p = std::get_if<doc::Paragraph>(&block.value)) {
        for (const auto& r : p->runs) out += r.text;
    } else if (const auto* t = std::get_if<doc::Table>(&block.value)) {
        for (std::size_t r = 0; r < t->rows.size(); ++r) {
            if (r > 0) out += '\n';
            bool first = true;
            for (const auto& cell : t->rows[r].cells) {
                if (cell.merged_below) continue;
                if (!first) out += '\t';
                first = false;
                append_blocks_text(out, cell.blocks);
            }
        }
    } else if (const auto* s = std::get_if<doc::Signature>(&block.value)) {
        for (const auto& line : s->position_lines) {
            out += line;
            out += '\n';
        }
        out += s->name;
    }
}

// The blocks' texts joined with '\n' (a page break counts as an empty block).
void append_blocks_text(std::string& out, const std::vector<doc::Block>& blocks) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (i > 0) out += '\n';
        append_block_text(out, blocks[i]);
    }
}

// True when the cell's runs with text are all bold (and there is at least one).
bool all_runs_bold(const std::vector<doc::Block>& blocks) {
    bool any = false;
    for (const auto& b : blocks) {
        const auto* p = std::get_if<doc::Paragraph>(&b.value);
        if (!p) continue;
        for (const auto& r : p->runs) {
            if (r.text.empty()) continue;
            if (!r.bold) return false;
            any = true;
        }
    }
    return any;
}

std::size_t utf16_units(char32_t c) { return c >= 0x10000 ? 2 : 1; }

// Cuts `s` so it holds at most `max_units` UTF-16 units, the last being «…» when cut.
void cut_to_units(std::string& s, std::size_t max_units) {
    if (s.size() <= max_units) return;  // a UTF-16 unit takes at least one byte
    std::size_t units = 0;
    std::size_t keep = 0;  // byte length of the prefix with at most max_units - 1 units
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode(s, i);
        units += utf16_units(c);
        if (units <= max_units - 1) keep = i;
        if (units > max_units) {
            s.resize(keep);
            s += "…";
            return;
        }
    }
}

// An integer Excel shows the same as the text: optional '-', no leading zeros, ≤ 15 digits
// (exact in a double).
bool integer_value(std::string_view s, double& value) {
    std::size_t i = 0;
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) i = 1;
    const std::size_t n = s.size() - i;
    if (n == 0 || n > 15) return false;
    if (s[i] == '0' && (n > 1 || negative)) return false;
    long long v = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    value = static_cast<double>(negative ? -v : v);
    return true;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// SpreadsheetML reads "_xHHHH_" in a string as an escaped character; text that contains such
// a sequence literally gets its '_' escaped as "_x005F_" so Excel shows it unchanged.
void escape_underscores(std::string& out, std::string_view s) {
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i + 6 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
            is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) &&
            s[i + 6] == '_') {
            out += "_x005F_";
        } else {
            out += s[i];
        }
    }
}

double row_height_pt(int lines, double font_pt) {
    return std::min(kMaxRowHeightPt, lines * font_pt * 1.2 + 3.0);
}

// The model cell that covers grid position (r, c) of `table`, as (row, column); follows
// vertical-merge placeholders up to the cell that starts the merge. False when none does.
bool covering_cell(const doc::Table& table, std::size_t r, std::size_t c, std::size_t& out_r,
                   std::size_t& out_c) {
    for (std::size_t rr = r + 1; rr-- > 0;) {
        std::size_t c0 = 0;
        const doc::Cell* found = nullptr;
        for (const doc::Cell& cell : table.rows[rr].cells) {
            const std::size_t cs = static_cast<std::size_t>(std::max(1, cell.col_span));
            if (c >= c0 && c < c0 + cs) {
                found = &cell;
                break;
            }
            c0 += cs;
        }
        if (!found) return false;
        if (!found->merged_below) {
            out_r = rr;
            out_c = c0;
            return true;
        }
    }
    return false;
}

}  // namespace

void LayoutBuilder::fail(const std::string& message) const {
    throw Error(ErrorId::io_write, file_, {}, "", message);
}

std::uint8_t LayoutBuilder::format(bool bold, doc::Align align, bool header, bool borders) {
    CellFormat f;
    if (header) {
        bold = true;
        align = doc::Align::center;
    }
    f.bold = bold;
    f.align = align == doc::Align::center  ? CellFormat::Align::center
              : align == doc::Align::right ? CellFormat::Align::right
                                           : CellFormat::Align::left;  // justify too
    f.fill = header;
    f.border = borders;
    auto& formats = out_->formats;
    const auto it = std::find(formats.begin(), formats.end(), f);
    if (it != formats.end()) return static_cast<std::uint8_t>(it - formats.begin());
    formats.push_back(f);
    return static_cast<std::uint8_t>(formats.size() - 1);
}

std::uint8_t LayoutBuilder::caption_format() {
    return format(true, doc::Align::center, false, false);
}

// Cleans, cuts and escapes `raw` (the result stays in clean_) and records the cell.
CellLayout::Kind LayoutBuilder::add_text(SheetLayout& sheet, std::uint32_t row, std::uint32_t col,
                                         std::string_view raw, std::uint8_t fmt) {
    clean_.clear();
    text::append_sanitized(clean_, raw);
    cut_to_units(clean_, kMaxCellUnits);
    CellLayout cell;
    cell.row = row;
    cell.col = col;
    cell.format = fmt;
    if (integer_value(clean_, cell.number)) {
        cell.kind = CellLayout::Kind::number;
    } else {
        escape_underscores(escaped_, clean_);
        // The escaped form counts against the same limit (Excel reads it back unescaped, but
        // the limit applies to the stored string).
        for (std::size_t n; escaped_.size() > kMaxCellUnits &&
                            (n = text::count_code_points(escaped_)) > kMaxCellUnits;) {
            const std::size_t excess = n - kMaxCellUnits;
            cut_to_units(clean_, excess + 2 < kMaxCellUnits ? kMaxCellUnits - excess : 2);
            escape_underscores(escaped_, clean_);
        }
        cell.kind = escaped_.empty() ? CellLayout::Kind::blank : CellLayout::Kind::text;
        cell.text_begin = static_cast<std::uint32_t>(sheet.text.size());
        cell.text_size = static_cast<std::uint32_t>(escaped_.size());
        sheet.text += escaped_;
    }
    sheet.cells.push_back(cell);
    return cell.kind;
}

std::uint8_t unlocked_format(WorkbookLayout& layout, std::uint8_t format) {
    CellFormat f = layout.formats[format];
    f.unlocked = true;
    auto it = std::find(layout.formats.begin(), layout.formats.end(), f);
    if (it == layout.formats.end()) it = layout.formats.insert(layout.formats.end(), f);
    return static_cast<std::uint8_t>(it - layout.formats.begin());
}

void LayoutBuilder::build(const doc::Document& doc, const doc::LayoutProfile& profile,
                          std::string_view file, WorkbookLayout& out) {
    profile_ = &profile;
    out_ = &out;
    file_.assign(file);
    sheet_names_ = SheetNames{};
    out.title.clear();
    text::append_sanitized(out.title, doc.title);
    out.formats.clear();
    out.sheet_count = 0;
    auto next_sheet = [&]() -> SheetLayout& {
        if (out.sheet_count == out.sheets.size()) out.sheets.emplace_back();
        SheetLayout& s = out.sheets[out.sheet_count++];
        s.table = false;
        s.landscape = false;
        s.column_px.clear();
        s.heights.clear();
        s.merges.clear();
        s.cells.clear();
        s.text.clear();
        s.rows = s.cols = 0;
        s.header_first = s.header_count = 0;
        s.print_rows = 0;
        s.page_numbers = false;
        s.charts.clear();
        s.protect = false;
        s.validations.clear();
        return s;
    };
    int number = 0;
    Head head;
    for (const auto& block : doc.body) {
        if (const auto* t = std::get_if<doc::Table>(&block.value)) {
            ++number;
            table(*t, number, head, next_sheet());
            head.heading = nullptr;
        } else if (const auto* p = std::get_if<doc::Paragraph>(&block.value)) {
            switch (p->role) {
                case doc::Role::stamp:
                case doc::Role::approval: head.stamps.push_back(p); break;
                case doc::Role::doc_type:
                case doc::Role::title: head.titles.push_back(p); break;
                case doc::Role::heading1:
                case doc::Role::heading2: head.heading = p; break;
                default: break;
            }
        } else if (std::holds_alternative<doc::PageBreak>(block.value)) {
            head = Head{};
        }
    }
    if (number == 0) next_sheet().name = "Лист1";
}

// The title rows above a table (see Head), from row 0; returns how many. A stamp goes in one
// cell merged over the rightmost columns that make 80 mm, right of 40 % of the width, as on
// paper; a title is merged over all the columns, bold and centred. Heights from the text.
std::uint32_t LayoutBuilder::head_rows(const Head& head, std::size_t ncols, double text_mm, SheetLayout& sheet) {
    const double font = profile_->table_font_size_pt;
    std::uint32_t row = 0;
    auto paragraph_text = [&](const doc::Paragraph& p) {
        raw_.clear();
        for (const auto& r : p.runs) raw_ += r.text;
    };
    auto put = [&](std::size_t c0, std::uint8_t f, bool bold) {
        const auto r = row++;
        if (c0 + 1 < ncols) sheet.merges.push_back({r, static_cast<std::uint32_t>(c0), r, static_cast<std::uint32_t>(ncols - 1), f});
        add_text(sheet, r, static_cast<std::uint32_t>(c0), raw_, f);
        double width = 0;
        for (std::size_t c = c0; c < ncols; ++c) width += column_mm_[c];
        sheet.heights.push_back({r, row_height_pt(wrapped_lines(clean_, width - kCellPaddingMm, font, bold), font)});
    };
    if (!head.stamps.empty()) {
        // The rightmost columns that make 80 mm — but never starting left of 40 % of the
        // table: a wide column there would put the stamp at the left, where it is not on paper.
        std::size_t c0 = ncols;
        double width = 0, total = 0;
        for (std::size_t c = 0; c < ncols; ++c) total += column_mm_[c];
        while (c0 > 0 && width < std::min(80.0, text_mm)) width += column_mm_[--c0];
        if (c0 + 1 < ncols && total - width < 0.4 * total) width -= column_mm_[c0++];
        for (const doc::Paragraph* p : head.stamps) {
            paragraph_text(*p);
            put(c0, format(false, doc::Align::left, false, false), false);
        }
    }
    for (const doc::Paragraph* p : head.titles) {
        paragraph_text(*p);
        put(0, caption_format(), true);
    }
    return row;
}

void LayoutBuilder::table(const doc::Table& table, int number, const Head& head, SheetLayout& sheet) {
    const doc::LayoutProfile& profile = *profile_;
    sheet.name = sheet_names_.next(table.sheet_name, number);
    sheet.table = true;

    // Grid size: the widths given, or the widest row.
    std::size_t ncols = table.widths.size();
    for (const auto& row : table.rows) {
        std::size_t w = 0;
        for (const auto& cell : row.cells)
            w += static_cast<std::size_t>(std::max(1, cell.col_span));
        ncols = std::max(ncols, w);
    }
    const std::size_t nrows = table.rows.size();
    if (ncols > kMaxColumns || nrows + head.stamps.size() + head.titles.size() + 1 > kMaxRows)
        fail("таблица «" + sheet.name + "» не помещается на лист Excel (больше " +
             "1 048 576 строк или 16 384 столбцов)");
    sheet.cols = static_cast<std::uint32_t>(ncols);

    const double text_mm = layout_columns(table, ncols, sheet);
    const double font = profile.table_font_size_pt;

    // Title rows, then the caption (the table's own, or the heading before it).
    std::size_t offset = head_rows(head, ncols, text_mm, sheet);
    if (!table.caption.empty() || head.heading) {
        const std::uint8_t f = caption_format();
        const auto r = static_cast<std::uint32_t>(offset++);
        if (ncols > 1) sheet.merges.push_back({r, 0, r, static_cast<std::uint32_t>(ncols - 1), f});
        if (!table.caption.empty()) {
            add_text(sheet, r, 0, table.caption, f);
        } else {
            raw_.clear();
            for (const auto& run : head.heading->runs) raw_ += run.text;
            add_text(sheet, r, 0, raw_, f);
        }
        const int lines = wrapped_lines(clean_, text_mm - kCellPaddingMm, font, true);
        sheet.heights.push_back({r, row_height_pt(lines, font)});
    }
    sheet.rows = static_cast<std::uint32_t>(offset + nrows);
    sheet.print_rows = sheet.rows;
    sheet.page_numbers = true;

    std::size_t headers = 0;  // leading header rows
    while (headers < nrows && table.rows[headers].header) ++headers;
    // Per column, data-row cells written as numbers / as text (for the charts' caches).
    numbers_.assign(table.charts.empty() ? 0 : ncols, 0);
    texts_.assign(numbers_.size(), 0);

    // claimed: grid positions written or covered by a merge.
    claimed_.assign(nrows * ncols, 0);
    auto claimed = [&](std::size_t r, std::size_t c) -> char& { return claimed_[r * ncols + c]; };

    for (std::size_t r = 0; r < nrows; ++r) {
        const doc::Row& row = table.rows[r];
        const auto xr = static_cast<std::uint32_t>(offset + r);
        int max_lines = 1;  // estimated for the cells that span this row only
        std::size_t c = 0;
        for (const doc::Cell& cell : row.cells) {
            const std::size_t cs = static_cast<std::size_t>(std::max(1, cell.col_span));
            const std::size_t rs = static_cast<std::size_t>(std::max(1, cell.row_span));
            const std::size_t c0 = c;
            c += cs;
            if (c0 >= ncols || cell.merged_below || claimed(r, c0)) continue;
            std::size_t c1 = std::min(ncols, c0 + cs) - 1;
            std::size_t r1 = std::min(nrows, r + rs) - 1;

            raw_.clear();
            append_blocks_text(raw_, cell.blocks);
            const bool bold = cell.bold || all_runs_bold(cell.blocks);
            const std::uint8_t f = format(bold, cell.align, row.header, table.borders);

            if (c1 > c0 || r1 > r) {
                bool free = true;
                for (std::size_t rr = r; rr <= r1 && free; ++rr)
                    for (std::size_t cc = c0; cc <= c1 && free; ++cc) free = !claimed(rr, cc);
                if (free) {
                    sheet.merges.push_back({xr, static_cast<std::uint32_t>(c0),
                                            static_cast<std::uint32_t>(offset + r1),
                                            static_cast<std::uint32_t>(c1), f});
                    for (std::size_t rr = r; rr <= r1; ++rr)
                        for (std::size_t cc = c0; cc <= c1; ++cc) claimed(rr, cc) = 1;
                } else {
                    c1 = c0;
                    r1 = r;
                }
            }
            claimed(r, c0) = 1;
            const CellLayout::Kind k = add_text(sheet, xr, static_cast<std::uint32_t>(c0), raw_, f);
            if (r >= headers && !numbers_.empty()) {
                if (k == CellLayout::Kind::number) ++numbers_[c0];
                if (k == CellLayout::Kind::text) ++texts_[c0];
            }

            if (r1 == r) {
                double width = 0;
                for (std::size_t cc = c0; cc <= c1; ++cc) width += column_mm_[cc];
                max_lines =
                    std::max(max_lines, wrapped_lines(clean_, width - kCellPaddingMm, font, bold || row.header));
            }
        }
        if (max_lines > 1) sheet.heights.push_back({xr, row_height_pt(max_lines, font)});
    }

    // Bordered blanks where the model left holes, so every grid cell has its frame.
    if (table.borders) {
        for (std::size_t r = 0; r < nrows; ++r)
            for (std::size_t cc = 0; cc < ncols; ++cc)
                if (!claimed(r, cc)) {
                    CellLayout blank;
                    blank.row = static_cast<std::uint32_t>(offset + r);
                    blank.col = static_cast<std::uint32_t>(cc);
                    blank.format = format(false, doc::Align::left, table.rows[r].header, true);
                    sheet.cells.push_back(blank);
                }
    }

    // Leading header rows: frozen on screen, repeated on paper.
    sheet.header_first = static_cast<std::uint32_t>(offset);
    sheet.header_count = static_cast<std::uint32_t>(headers);

    charts(table, offset, headers, sheet);
}

// Table::charts, each below the table (one empty row between; the next one below it), as wide as
// the table and 288 px high, inside the print area, which grows to hold them: what is not in the
// print area is never printed. Rows below the table have the default 20 px.
void LayoutBuilder::charts(const doc::Table& table, std::size_t offset, std::size_t headers,
                           SheetLayout& sheet) {
    const std::size_t nrows = table.rows.size();
    const std::size_t ncols = sheet.cols;
    if (table.charts.empty() || headers >= nrows || ncols == 0) return;
    const auto first = static_cast<std::uint32_t>(offset + headers);
    const auto last = static_cast<std::uint32_t>(offset + nrows - 1);
    const std::size_t data_rows = nrows - headers;
    auto in_grid = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < ncols; };
    std::uint32_t table_px = 0;
    for (std::uint32_t px : sheet.column_px) table_px += px;
    const std::uint32_t width = std::max<std::uint32_t>(240, table_px / 15 * 15);
    auto anchor = static_cast<std::uint32_t>(offset + nrows + 1);
    for (const doc::Chart& c : table.charts) {
        if (std::none_of(c.value_columns.begin(), c.value_columns.end(), in_grid)) continue;
        ChartLayout& chart = sheet.charts.emplace_back();
        chart.line = c.kind == doc::Chart::Kind::line;
        chart.first_row = first;
        chart.last_row = last;
        chart.anchor_row = anchor;
        chart.anchor_col = 0;
        chart.width_px = width;
        for (int v : c.value_columns) {
            if (!in_grid(v)) continue;
            SeriesLayout& s = chart.series.emplace_back();
            s.column = static_cast<std::uint32_t>(v);
            s.values_cached = numbers_[s.column] == data_rows;
            if (in_grid(c.categories_column)) {
                const auto cat = static_cast<std::size_t>(c.categories_column);
                s.categories_column = c.categories_column;
                s.categories_cached = numbers_[cat] == data_rows || texts_[cat] == data_rows;
            }
            std::size_t hr = 0, hc = 0;
            if (headers > 0 && covering_cell(table, headers - 1, s.column, hr, hc)) {
                s.named = true;
                s.name_row = static_cast<std::uint32_t>(offset + hr);
                s.name_col = static_cast<std::uint32_t>(hc);
            }
        }
        text::append_sanitized(chart.title, c.title);
        // A title starting with '=' would read as a formula.
        if (!chart.title.empty() && chart.title.front() == '=') chart.title.insert(0, "\u200B");
        anchor += kChartStepRows;
        sheet.print_rows = anchor - 1;  // the chart ends in row anchor − 2 (288 px = 14.4 rows)
    }
}

// Sets column widths (doc::TableLayout: measured floors and ceilings around the template's
// proportions) and the orientation: portrait when every column fits its longest word there,
// else landscape. Fills column_mm_; returns the text width used (mm).
double LayoutBuilder::layout_columns(const doc::Table& table, std::size_t ncols, SheetLayout& sheet) {
    const doc::LayoutProfile& profile = *profile_;
    const double margins = profile.margin_left_mm + profile.margin_right_mm;
    double text_mm = profile.page_width_mm - margins;
    column_mm_.assign(ncols, 0);
    if (ncols == 0) return text_mm;
    columns_.fit(table, profile, text_mm, kCellPaddingMm);
    if (!columns_.fits()) {
        sheet.landscape = true;
        text_mm = profile.page_height_mm - margins;
        columns_.fit(table, profile, text_mm, kCellPaddingMm);
    }
    const auto& mm = columns_.widths_mm();
    for (std::size_t c = 0; c < ncols; ++c) {
        column_mm_[c] = c < mm.size() ? mm[c] : 0;
        sheet.column_px.push_back(static_cast<std::uint32_t>(std::lround(column_mm_[c] * kPxPerMm)));
    }
    return text_mm;
}

}  // namespace ppko::xlsx
