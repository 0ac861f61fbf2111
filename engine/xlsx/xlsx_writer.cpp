#include "xlsx/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <variant>
#include <vector>

#include "diag/diagnostic.h"
#include "text/utf8.h"
#include "xlsx/sheet_name.h"
#include "xlsx/text_metrics.h"

namespace ppko::xlsx {
namespace {

constexpr std::time_t kCreated = 946684800;   // 2000-01-01T00:00:00Z
constexpr double kLongWordEm = 7.5;           // longer words wrap inside the word anyway
constexpr std::size_t kMaxCellUnits = 32767;  // Excel: characters per cell (UTF-16 units)
constexpr double kPxPerMm = 96.0 / 25.4;      // Excel column widths are pixels at 96 dpi
constexpr double kMmPerInch = 25.4;
constexpr double kMmPerPt = kMmPerInch / 72.0;
constexpr double kMaxRowHeightPt = 409;  // Excel's limit
constexpr lxw_color_t kHeaderFill = 0xF2F2F2;
constexpr std::uint8_t kPaperA4 = 9;
constexpr std::size_t kMaxColumns = 16384;

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
// (libxlsxwriter escapes control characters this way but not a literal "_xHHHH_".)
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

// ---- the writer ----

struct WorkbookDeleter {
    void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};

class Writer {
public:
    Writer(const doc::LayoutProfile& profile, const std::string& path)
        : profile_(profile), path_(path) {}

    void write(const doc::Document& doc) {
        std::filesystem::path dir = std::filesystem::path(path_).parent_path();
        tmpdir_ = dir.empty() ? std::string(".") : dir.string();
        lxw_workbook_options options{};
        options.tmpdir = tmpdir_.data();
        wb_.reset(workbook_new_opt(path_.c_str(), &options));
        if (!wb_) fail(ErrorId::io_write, "не удаётся создать книгу Excel (не хватает памяти)");

        title_.clear();
        text::append_sanitized(title_, doc.title);
        lxw_doc_properties props{};
        props.title = title_.empty() ? nullptr : title_.data();
        props.created = kCreated;
        check(workbook_set_properties(wb_.get(), &props));

        int number = 0;
        for (const auto& block : doc.body) {
            if (const auto* t = std::get_if<doc::Table>(&block.value)) write_table(*t, ++number);
        }
        if (number == 0 && !workbook_add_worksheet(wb_.get(), "Лист1"))
            fail(ErrorId::internal, "libxlsxwriter не создал лист");

        const lxw_error err = workbook_close(wb_.release());  // frees the workbook in any case
        if (err != LXW_NO_ERROR) {
            std::string message = "не удаётся записать файл XLSX: ";
            message += lxw_strerror(err);
            fail(ErrorId::io_write, message);
        }
    }

private:
    [[noreturn]] void fail(ErrorId id, const std::string& message) {
        throw Error(id, path_, {}, "", message);
    }

    void check(lxw_error err) {
        if (err != LXW_NO_ERROR)
            fail(ErrorId::internal, std::string("libxlsxwriter: ") + lxw_strerror(err));
    }

    lxw_format* new_format() {
        lxw_format* f = workbook_add_format(wb_.get());
        if (!f) fail(ErrorId::internal, "libxlsxwriter не создал формат");
        format_set_font_name(f, profile_.font.c_str());
        format_set_font_size(f, profile_.table_font_size_pt);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        return f;
    }

    // Formats are made on first use and shared by all sheets of the workbook.
    lxw_format* cell_format(bool bold, doc::Align align, bool header, bool borders) {
        if (header) {
            bold = true;
            align = doc::Align::center;
        }
        if (align == doc::Align::justify) align = doc::Align::left;
        const std::size_t key = (bold ? 1 : 0) | (header ? 2 : 0) | (borders ? 4 : 0) |
                                (static_cast<std::size_t>(align) << 3);
        lxw_format*& f = formats_[key];
        if (f) return f;
        f = new_format();
        if (bold) format_set_bold(f);
        switch (align) {
            case doc::Align::left: format_set_align(f, LXW_ALIGN_LEFT); break;
            case doc::Align::center: format_set_align(f, LXW_ALIGN_CENTER); break;
            case doc::Align::right: format_set_align(f, LXW_ALIGN_RIGHT); break;
            case doc::Align::justify: break;
        }
        if (header) {
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, kHeaderFill);
        }
        if (borders) format_set_border(f, LXW_BORDER_THIN);
        return f;
    }

    lxw_format* caption_format() {
        if (!caption_format_) {
            caption_format_ = new_format();
            format_set_bold(caption_format_);
            format_set_align(caption_format_, LXW_ALIGN_CENTER);
        }
        return caption_format_;
    }

    // Fills escaped_ with the cell text ready for libxlsxwriter, `value` with the number when the
    // text is an integer; returns whether it is.
    bool prepare_text(std::string_view raw, double& value) {
        clean_.clear();
        text::append_sanitized(clean_, raw);
        cut_to_units(clean_, kMaxCellUnits);
        if (integer_value(clean_, value)) return true;
        escape_underscores(escaped_, clean_);
        // libxlsxwriter counts the escaped form against the same limit.
        for (std::size_t n; (n = text::count_code_points(escaped_)) > kMaxCellUnits;) {
            const std::size_t excess = n - kMaxCellUnits;
            cut_to_units(clean_, excess + 2 < kMaxCellUnits ? kMaxCellUnits - excess : 2);
            escape_underscores(escaped_, clean_);
        }
        return false;
    }

    enum class Written : std::uint8_t { blank, number, text };

    Written write_text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::string_view raw,
                       lxw_format* format) {
        double value = 0;
        if (prepare_text(raw, value)) {
            check(worksheet_write_number(ws, row, col, value, format));
            return Written::number;
        }
        check(worksheet_write_string(ws, row, col, escaped_.c_str(), format));
        return escaped_.empty() ? Written::blank : Written::text;
    }

    void write_table(const doc::Table& table, int number) {
        const std::string name = sheet_names_.next(table.sheet_name, number);
        lxw_worksheet* ws = workbook_add_worksheet(wb_.get(), name.c_str());
        if (!ws) fail(ErrorId::internal, "libxlsxwriter отклонил имя листа «" + name + "»");

        // Grid size: the widths given, or the widest row.
        std::size_t ncols = table.widths.size();
        for (const auto& row : table.rows) {
            std::size_t w = 0;
            for (const auto& cell : row.cells)
                w += static_cast<std::size_t>(std::max(1, cell.col_span));
            ncols = std::max(ncols, w);
        }
        const std::size_t offset = table.caption.empty() ? 0 : 1;
        const std::size_t nrows = table.rows.size();
        if (ncols > kMaxColumns || offset + nrows > LXW_ROW_MAX)
            fail(ErrorId::io_write, "таблица «" + name + "» не помещается на лист Excel (больше " +
                                        "1 048 576 строк или 16 384 столбцов)");

        const double text_mm = layout_columns(ws, table, ncols);

        if (!table.caption.empty()) {
            const auto last = static_cast<lxw_col_t>(ncols == 0 ? 0 : ncols - 1);
            if (last > 0) check(worksheet_merge_range(ws, 0, 0, 0, last, "", caption_format()));
            write_text(ws, 0, 0, table.caption, caption_format());
            const int lines = wrapped_lines(clean_, text_mm, profile_.table_font_size_pt, true);
            check(worksheet_set_row(ws, 0, row_height_pt(lines, profile_.table_font_size_pt),
                                    nullptr));
        }

        std::size_t headers = 0;  // leading header rows
        while (headers < nrows && table.rows[headers].header) ++headers;
        // Per column, data-row cells written as numbers / as text (for the charts' caches).
        numbers_.assign(table.charts.empty() ? 0 : ncols, 0);
        texts_.assign(numbers_.size(), 0);

        // claimed: grid positions written or covered by a merge.
        claimed_.assign(nrows * ncols, 0);
        auto claimed = [&](std::size_t r, std::size_t c) -> char& {
            return claimed_[r * ncols + c];
        };

        for (std::size_t r = 0; r < nrows; ++r) {
            const doc::Row& row = table.rows[r];
            const auto xr = static_cast<lxw_row_t>(offset + r);
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
                lxw_format* format = cell_format(bold, cell.align, row.header, table.borders);

                if (c1 > c0 || r1 > r) {
                    bool free = true;
                    for (std::size_t rr = r; rr <= r1 && free; ++rr)
                        for (std::size_t cc = c0; cc <= c1 && free; ++cc) free = !claimed(rr, cc);
                    if (free) {
                        check(worksheet_merge_range(ws, xr, static_cast<lxw_col_t>(c0),
                                                    static_cast<lxw_row_t>(offset + r1),
                                                    static_cast<lxw_col_t>(c1), "", format));
                        for (std::size_t rr = r; rr <= r1; ++rr)
                            for (std::size_t cc = c0; cc <= c1; ++cc) claimed(rr, cc) = 1;
                    } else {
                        c1 = c0;
                        r1 = r;
                    }
                }
                claimed(r, c0) = 1;
                const Written w = write_text(ws, xr, static_cast<lxw_col_t>(c0), raw_, format);
                if (r >= headers && !numbers_.empty()) {
                    if (w == Written::number) ++numbers_[c0];
                    if (w == Written::text) ++texts_[c0];
                }

                if (r1 == r) {
                    double width = 0;
                    for (std::size_t cc = c0; cc <= c1; ++cc) width += column_mm_[cc];
                    max_lines = std::max(max_lines,
                                         wrapped_lines(clean_, width, profile_.table_font_size_pt,
                                                       bold || row.header));
                }
            }
            if (max_lines > 1)
                check(worksheet_set_row(
                    ws, xr, row_height_pt(max_lines, profile_.table_font_size_pt), nullptr));
        }

        // Bordered blanks where the model left holes, so every grid cell has its frame.
        if (table.borders) {
            for (std::size_t r = 0; r < nrows; ++r)
                for (std::size_t cc = 0; cc < ncols; ++cc)
                    if (!claimed(r, cc))
                        check(worksheet_write_blank(
                            ws, static_cast<lxw_row_t>(offset + r), static_cast<lxw_col_t>(cc),
                            cell_format(false, doc::Align::left, table.rows[r].header, true)));
        }

        // Leading header rows: frozen on screen, repeated on paper.
        if (headers > 0) {
            worksheet_freeze_panes(ws, static_cast<lxw_row_t>(offset + headers), 0);
            check(worksheet_repeat_rows(ws, static_cast<lxw_row_t>(offset),
                                        static_cast<lxw_row_t>(offset + headers - 1)));
        }
        if (ncols > 0 && offset + nrows > 0) {
            std::array<char, LXW_MAX_CELL_RANGE_LENGTH> range{};
            lxw_rowcol_to_range(range.data(), 0, 0, static_cast<lxw_row_t>(offset + nrows - 1),
                                static_cast<lxw_col_t>(ncols - 1));
            check(worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range.data()));
        }

        write_charts(ws, name, table, offset, headers, ncols);

        worksheet_set_paper(ws, kPaperA4);
        worksheet_fit_to_pages(ws, 1, 0);
        worksheet_set_margins(
            ws, profile_.margin_left_mm / kMmPerInch, profile_.margin_right_mm / kMmPerInch,
            profile_.margin_top_mm / kMmPerInch, profile_.margin_bottom_mm / kMmPerInch);
    }

    // The model cell that covers grid position (r, c) of `table`, as (row, column); follows
    // vertical-merge placeholders up to the cell that starts the merge. False when none does.
    static bool covering_cell(const doc::Table& table, std::size_t r, std::size_t c,
                              std::size_t& out_r, std::size_t& out_c) {
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

    // Table::charts, each to the right of the table (one empty column between), stacked 16
    // rows apart: a chart is 288 px high and rows are never lower than the default 20 px. The
    // data are the rows below the leading header rows; a table without such rows gets no chart,
    // nor does a chart none of whose value columns lies in the grid. Once a chart is drawn the
    // print area is set to the table, so the page stays fitted to the table's width.
    void write_charts(lxw_worksheet* ws, const std::string& sheet, const doc::Table& table,
                      std::size_t offset, std::size_t headers, std::size_t ncols) {
        const std::size_t nrows = table.rows.size();
        if (table.charts.empty() || headers >= nrows || ncols == 0) return;
        const auto first = static_cast<lxw_row_t>(offset + headers);
        const auto last = static_cast<lxw_row_t>(offset + nrows - 1);
        const std::size_t data_rows = nrows - headers;
        auto in_grid = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < ncols; };
        chart_font_name_ = profile_.font;
        lxw_chart_font font{};
        font.name = chart_font_name_.data();
        lxw_row_t anchor = static_cast<lxw_row_t>(offset);
        bool drawn = false;
        for (const doc::Chart& c : table.charts) {
            if (std::none_of(c.value_columns.begin(), c.value_columns.end(), in_grid)) continue;
            lxw_chart* chart = workbook_add_chart(
                wb_.get(), c.kind == doc::Chart::Kind::line ? LXW_CHART_LINE : LXW_CHART_COLUMN);
            if (!chart) fail(ErrorId::internal, "libxlsxwriter не создал диаграмму");
            for (int v : c.value_columns) {
                if (!in_grid(v)) continue;
                lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
                if (!series) fail(ErrorId::internal, "libxlsxwriter не создал ряд диаграммы");
                const auto col = static_cast<lxw_col_t>(v);
                chart_series_set_values(series, sheet.c_str(), first, col, last, col);
                // libxlsxwriter caches a text or blank cell as 0, which a reader that trusts the
                // cache would plot; such a range gets no cache (the schema allows it, and Excel
                // and LibreOffice read the cells).
                if (numbers_[col] != data_rows) series->values->ignore_cache = LXW_TRUE;
                if (in_grid(c.categories_column)) {
                    const auto cat = static_cast<lxw_col_t>(c.categories_column);
                    chart_series_set_categories(series, sheet.c_str(), first, cat, last, cat);
                    if (numbers_[cat] != data_rows && texts_[cat] != data_rows)
                        series->categories->ignore_cache = LXW_TRUE;
                }
                std::size_t hr = 0, hc = 0;
                if (headers > 0 && covering_cell(table, headers - 1, col, hr, hc))
                    chart_series_set_name_range(series, sheet.c_str(),
                                                static_cast<lxw_row_t>(offset + hr),
                                                static_cast<lxw_col_t>(hc));
            }
            chart_title_.clear();
            text::append_sanitized(chart_title_, c.title);
            if (!chart_title_.empty()) {
                // libxlsxwriter reads a name starting with '=' as a formula.
                if (chart_title_.front() == '=') chart_title_.insert(0, "\u200B");
                chart_title_set_name(chart, chart_title_.c_str());
                chart_title_set_name_font(chart, &font);
            }
            chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
            chart_legend_set_font(chart, &font);
            chart_axis_set_num_font(chart->x_axis, &font);
            chart_axis_set_num_font(chart->y_axis, &font);
            check(worksheet_insert_chart(ws, anchor, static_cast<lxw_col_t>(ncols + 1), chart));
            anchor += 16;
            drawn = true;
        }
        if (drawn)
            check(worksheet_print_area(ws, 0, 0, last, static_cast<lxw_col_t>(ncols - 1)));
    }

    // need_mm_[c]: the width column c needs for its longest word (cells spanning one column).
    void measure_words(const doc::Table& table, std::size_t ncols) {
        need_mm_.assign(ncols, 0);
        for (const auto& row : table.rows) {
            std::size_t c = 0;
            for (const auto& cell : row.cells) {
                const std::size_t c0 = c;
                c += static_cast<std::size_t>(std::max(1, cell.col_span));
                if (cell.col_span > 1 || cell.merged_below || c0 >= ncols) continue;
                raw_.clear();
                append_blocks_text(raw_, cell.blocks);
                const bool bold = row.header || cell.bold || all_runs_bold(cell.blocks);
                const double font = profile_.table_font_size_pt;
                const double mm = longest_word_mm(raw_, font, bold, kLongWordEm * font * kMmPerPt) +
                                  kCellPaddingMm;
                need_mm_[c0] = std::max(need_mm_[c0], mm);
            }
        }
    }

    // Sets column widths and orientation; fills column_mm_; returns the text width used (mm).
    double layout_columns(lxw_worksheet* ws, const doc::Table& table, std::size_t ncols) {
        column_mm_.assign(ncols, 0);
        if (ncols == 0) {
            worksheet_set_portrait(ws);
            return profile_.page_width_mm - profile_.margin_left_mm - profile_.margin_right_mm;
        }
        double sum = 0;
        double given = 0;
        std::size_t given_n = 0;
        for (std::size_t c = 0; c < ncols && c < table.widths.size(); ++c) {
            const double w = table.widths[c];
            if (std::isfinite(w) && w > 0) given += w, ++given_n;
        }
        const double fallback = given_n ? given / static_cast<double>(given_n) : 1.0;
        std::vector<double>& weight = weights_;
        weight.assign(ncols, fallback);
        for (std::size_t c = 0; c < ncols && c < table.widths.size(); ++c) {
            const double w = table.widths[c];
            if (std::isfinite(w) && w > 0) weight[c] = w;
        }
        for (double w : weight) sum += w;
        measure_words(table, ncols);

        // Portrait when every column is, in portrait, at least as wide as its longest word.
        const double margins = profile_.margin_left_mm + profile_.margin_right_mm;
        double text_mm = profile_.page_width_mm - margins;
        bool fits = true;
        for (std::size_t c = 0; c < ncols && fits; ++c) {
            fits = weight[c] / sum * text_mm >= need_mm_[c];
        }
        if (fits) {
            worksheet_set_portrait(ws);
        } else {
            worksheet_set_landscape(ws);
            text_mm = profile_.page_height_mm - margins;
        }
        for (std::size_t c = 0; c < ncols; ++c) {
            column_mm_[c] = weight[c] / sum * text_mm;
            const auto px = static_cast<std::uint32_t>(std::lround(column_mm_[c] * kPxPerMm));
            check(worksheet_set_column_pixels(ws, static_cast<lxw_col_t>(c),
                                              static_cast<lxw_col_t>(c), px, nullptr));
        }
        return text_mm;
    }

    const doc::LayoutProfile& profile_;
    const std::string& path_;
    std::unique_ptr<lxw_workbook, WorkbookDeleter> wb_;
    std::string tmpdir_;
    std::string title_;
    SheetNames sheet_names_;
    std::array<lxw_format*, 64> formats_{};
    lxw_format* caption_format_ = nullptr;
    // Scratch buffers reused for every cell and table.
    std::string raw_, clean_, escaped_, chart_title_, chart_font_name_;
    std::vector<char> claimed_;
    std::vector<std::size_t> numbers_, texts_;
    std::vector<double> column_mm_, weights_, need_mm_;
};

}  // namespace

void write_xlsx(const doc::Document& doc, const doc::LayoutProfile& profile,
                const std::string& path) {
    Writer(profile, path).write(doc);
}

}  // namespace ppko::xlsx
