#include "sheets/table.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "sheets/errors.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::sheets {
namespace {

using detail::q;

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x00A0 ||
           c == 0x2007 || c == 0x2009 || c == 0x202F;
}

bool is_dash(char32_t c) { return c == '-' || c == 0x2013 || c == 0x2014; }

// Trimmed, every whitespace run one ' '.
std::string collapse_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending = false;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const char32_t c = text::decode(s, i);
        if (is_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out.append(s.substr(at, i - at));
    }
    return out;
}

bool filled(const Cell& c) { return c.kind != CellKind::empty && !(c.kind == CellKind::text && is_blank(c.text)); }

// Text that can be a title: a text cell that is neither blank nor a number.
bool title_like(const Cell& c) {
    return c.kind == CellKind::text && !is_blank(c.text) && !parse_number_ru(c.text);
}

double round15(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return std::strtod(buf, nullptr);
}

// The first word of `key` (normalised) is `word`: «итого», «итого:», «итого по району».
bool starts_with_word(std::string_view key, std::string_view word) {
    if (key.substr(0, word.size()) != word) return false;
    if (key.size() == word.size()) return true;
    std::size_t i = word.size();
    const char32_t next = text::decode(key, i);
    const bool letter = (next >= 'a' && next <= 'z') || (next >= 0x0430 && next <= 0x044F) || next == 0x0451 ||
                        (next >= '0' && next <= '9');
    return !letter;
}

// The sheet's rows with something in them: [begin, end) ranges of sheet.cells.
struct RowSpan {
    std::uint32_t row;
    std::size_t begin, end;
};

std::vector<RowSpan> content_rows(const Sheet& sheet) {
    std::vector<RowSpan> rows;
    for (std::size_t i = 0; i < sheet.cells.size();) {
        std::size_t j = i;
        bool any = false;
        while (j < sheet.cells.size() && sheet.cells[j].row == sheet.cells[i].row) any = filled(sheet.cells[j++]) || any;
        if (any) rows.push_back({sheet.cells[i].row, i, j});
        i = j;
    }
    return rows;
}

std::uint64_t key_of(std::uint32_t row, std::uint32_t col) { return std::uint64_t{row} << 32 | col; }

// Merged ranges looked up by column: in a valid sheet the merges crossing one row do not
// overlap, so only the nearest one starting at or left of a column can cover it. A sheet with
// overlapping merges (which Excel refuses to open) gets one of them; lookups stay O(log n)
// whatever the file holds.
class MergesByColumn {
public:
    void add(const Range* m) { by_col_.push_back(m); }
    void sort() {
        std::sort(by_col_.begin(), by_col_.end(), [](auto* a, auto* b) { return a->first.col < b->first.col; });
    }
    const Range* at(std::uint32_t row, std::uint32_t col) const {
        auto it = std::upper_bound(by_col_.begin(), by_col_.end(), col,
                                   [](std::uint32_t c, const Range* m) { return c < m->first.col; });
        if (it == by_col_.begin()) return nullptr;
        --it;
        return (*it)->contains(row, col) ? *it : nullptr;
    }

private:
    std::vector<const Range*> by_col_;
};

class Finder {
public:
    Finder(const Workbook& book, const Sheet& sheet, const TableOptions& options)
        : book_(book), sheet_(sheet), options_(options), rows_(content_rows(sheet)) {}

    Table run() {
        if (rows_.empty())
            detail::fail(ErrorId::sheet_empty, book_.file, sheet_.name, "лист " + q(sheet_.name) + " пуст");
        const std::size_t window = std::clamp<std::size_t>(options_.search_rows, 1, rows_.size());
        index_merges(rows_[window - 1].row);
        std::size_t h = find_by_titles(window);
        if (h == kNone) h = find_by_shape(window);
        if (h == kNone) no_header(window);

        imply_merges(h);
        Table t;
        t.book = &book_;
        t.sheet = &sheet_;
        t.header_first = rows_[h].row;
        t.header_last = header_end(h);
        t.columns = columns(t.header_first, t.header_last);
        if (t.columns.empty()) no_header(window);
        data_rows(t);
        if (t.rows.empty())
            detail::fail(ErrorId::sheet_empty, book_.file, sheet_.name,
                         "под заголовком таблицы (" + rows_text(t.header_first, t.header_last) +
                             ") нет ни одной строки с данными");
        return t;
    }

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    static std::string rows_text(std::uint32_t first, std::uint32_t last) {
        return first == last ? "строка " + std::to_string(first + 1)
                             : "строки " + std::to_string(first + 1) + "–" + std::to_string(last + 1);
    }

    [[noreturn]] void no_header(std::size_t window) const {
        std::string msg = "не найдена строка заголовка таблицы: среди первых " + std::to_string(window) +
                          " строк с данными нет строки, где подписаны хотя бы два столбца";
        if (!options_.expected_titles.empty()) {
            msg = "не найдена строка заголовка таблицы: ни в одной из первых " + std::to_string(window) +
                  " строк с данными нет ни одного из заголовков ";
            for (std::size_t i = 0; i < options_.expected_titles.size() && i < 5; ++i)
                msg += (i ? ", " : "") + q(options_.expected_titles[i]);
            if (options_.expected_titles.size() > 5) msg += " …";
        }
        detail::fail(ErrorId::sheet_no_header, book_.file, sheet_.name, msg);
    }

    // Merges that start within the header window, by their top-left cell.
    void index_merges(std::uint32_t last_window_row) {
        for (const Range& m : sheet_.merges)
            if (m.first.row <= last_window_row + options_.max_header_rows) {
                anchored_[key_of(m.first.row, m.first.col)] = &m;
                header_merges_.push_back(&m);
            }
    }

    std::uint32_t merge_width(const Cell& c) const {
        const auto it = anchored_.find(key_of(c.row, c.col));
        return it == anchored_.end() ? 1 : it->second->last.col - it->second->first.col + 1;
    }

    // A sheet saved without its merges (CSV, or a sheet rebuilt by a program) shows a merged
    // header cell as a cell followed by empty ones, with the sub-titles in the row below. When
    // the header row has no merges of its own and the next row holds only text, each header
    // cell followed by empty cells with text under them is taken as merged over them.
    void imply_merges(std::size_t h) {
        const std::uint32_t row = rows_[h].row;
        for (const Range* m : header_merges_)
            if (m->first.row == row) return;
        if (h + 1 >= rows_.size() || rows_[h + 1].row != row + 1) return;
        const RowSpan& below = rows_[h + 1];
        for (std::size_t i = below.begin; i < below.end; ++i)
            if (filled(sheet_.cells[i]) && !title_like(sheet_.cells[i])) return;
        std::vector<std::uint32_t> header_cols, below_cols;
        for (std::size_t i = rows_[h].begin; i < rows_[h].end; ++i)
            if (filled(sheet_.cells[i])) header_cols.push_back(sheet_.cells[i].col);
        for (std::size_t i = below.begin; i < below.end; ++i)
            if (filled(sheet_.cells[i])) below_cols.push_back(sheet_.cells[i].col);
        for (std::size_t k = 0; k < header_cols.size(); ++k) {
            const std::uint32_t from = header_cols[k];
            const std::uint32_t limit = k + 1 < header_cols.size() ? header_cols[k + 1] - 1 : below_cols.back();
            std::uint32_t to = from;
            for (const std::uint32_t c : below_cols)
                if (c > from && c <= limit) to = c;
            if (to > from) implied_.push_back(Range{{row, from}, {row, to}});
        }
        for (const Range& m : implied_) {
            anchored_[key_of(m.first.row, m.first.col)] = &m;
            header_merges_.push_back(&m);
        }
    }

    // The row matching the most expected titles in its own cells and the next row's (a two-row
    // header); ties go to the row with more of its own, then to the first.
    std::size_t find_by_titles(std::size_t window) const {
        if (options_.expected_titles.empty()) return kNone;
        std::set<std::string> expected;
        for (const auto& t : options_.expected_titles) expected.insert(normalize_title(t));
        auto matches = [&](std::size_t r) {
            std::set<std::string> found;
            for (std::size_t i = rows_[r].begin; i < rows_[r].end; ++i)
                if (auto key = normalize_title(sheet_.cells[i].text); expected.count(key)) found.insert(std::move(key));
            return found;
        };
        std::size_t best = kNone, best_total = 0, best_own = 0;
        for (std::size_t r = 0; r < window; ++r) {
            auto found = matches(r);
            const std::size_t own = found.size();
            if (r + 1 < rows_.size() && rows_[r + 1].row == rows_[r].row + 1) found.merge(matches(r + 1));
            if (found.size() > best_total || (found.size() == best_total && own > best_own)) {
                best = r;
                best_total = found.size();
                best_own = own;
            }
        }
        return best_total == 0 ? kNone : best;
    }

    std::size_t find_by_shape(std::size_t window) const {
        std::size_t widest = 0;
        for (std::size_t r = 0; r < rows_.size() && r < window + 100; ++r) {
            std::size_t n = 0;
            for (std::size_t i = rows_[r].begin; i < rows_[r].end; ++i) n += filled(sheet_.cells[i]);
            widest = std::max(widest, n);
        }
        for (std::size_t r = 0; r < window; ++r) {
            std::size_t texts = 0, span = 0;
            for (std::size_t i = rows_[r].begin; i < rows_[r].end; ++i)
                if (title_like(sheet_.cells[i])) {
                    ++texts;
                    span += merge_width(sheet_.cells[i]);
                }
            if (texts >= 2 && span * 2 >= widest) return r;
        }
        return kNone;
    }

    std::uint32_t header_end(std::size_t h) const {
        const std::uint32_t first = rows_[h].row;
        std::uint32_t last = first;
        MergesByColumn wide;
        for (const Range* m : header_merges_) {
            if (m->first.row != first) continue;
            last = std::max(last, m->last.row);
            if (m->last.col > m->first.col) wide.add(m);
        }
        wide.sort();
        // A merged cell over several columns with text under it: a second header row.
        if (h + 1 < rows_.size() && rows_[h + 1].row == first + 1)
            for (std::size_t i = rows_[h + 1].begin; i < rows_[h + 1].end; ++i)
                if (title_like(sheet_.cells[i]) && wide.at(first, sheet_.cells[i].col)) {
                    last = std::max(last, first + 1);
                    break;
                }
        return std::min(last, first + std::max<std::uint32_t>(options_.max_header_rows, 1) - 1);
    }

    std::vector<Column> columns(std::uint32_t first, std::uint32_t last) const {
        // The columns: those with a filled header cell, and those under a header merge that has
        // text (intervals joined, so a file of many wide merges costs no more than its columns).
        std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
        for (const RowSpan& r : rows_) {
            if (r.row < first) continue;
            if (r.row > last) break;
            for (std::size_t i = r.begin; i < r.end; ++i)
                if (filled(sheet_.cells[i])) spans.emplace_back(sheet_.cells[i].col, sheet_.cells[i].col);
        }
        std::vector<MergesByColumn> covering(last - first + 1);
        for (const Range* m : header_merges_) {
            if (m->first.row > last || m->last.row < first) continue;
            for (std::uint32_t r = std::max(first, m->first.row); r <= std::min(last, m->last.row); ++r)
                covering[r - first].add(m);
            if (const Cell* c = sheet_.find(m->first.row, m->first.col); c && filled(*c))
                spans.emplace_back(m->first.col, m->last.col);
        }
        for (auto& c : covering) c.sort();
        std::sort(spans.begin(), spans.end());

        std::vector<Column> out;
        std::uint32_t next = 0;  // the first column not yet looked at
        for (const auto& [from, to] : spans)
            for (std::uint32_t col = std::max(from, next); col <= to; ++col) {
                next = col + 1;
                std::string title, previous;
                for (std::uint32_t r = first; r <= last; ++r) {
                    const Range* m = covering[r - first].at(r, col);
                    const Cell* cell = m ? sheet_.find(m->first.row, m->first.col) : sheet_.find(r, col);
                    std::string part = cell && cell->kind != CellKind::empty ? collapse_spaces(cell->text) : std::string();
                    if (part.empty() || part == previous) continue;
                    title += (title.empty() ? "" : " / ") + part;
                    previous = std::move(part);
                }
                if (title.empty()) continue;
                Column c;
                c.col = col;
                c.key = normalize_title(title);
                c.title = std::move(title);
                out.push_back(std::move(c));
            }
        return out;
    }

    void data_rows(Table& t) const {
        const std::uint32_t max_col = t.columns.back().col;
        std::vector<int> column_of(max_col + 1, -1);
        for (std::size_t j = 0; j < t.columns.size(); ++j) column_of[t.columns[j].col] = static_cast<int>(j);

        // Merges spanning rows below the header, by their first row; `active` holds, by first
        // column, those that started at or above the current row and have not ended.
        std::vector<const Range*> vertical;
        for (const Range& m : sheet_.merges)
            if (m.first.row > t.header_last && m.last.row > m.first.row && m.first.col <= max_col) vertical.push_back(&m);
        std::sort(vertical.begin(), vertical.end(), [](auto* a, auto* b) { return a->first.row < b->first.row; });
        std::map<std::uint32_t, const Range*> active;
        std::size_t next_merge = 0;

        std::uint32_t previous = t.header_last;
        bool gap = false;
        for (const RowSpan& r : rows_) {
            if (r.row <= t.header_last) continue;
            gap = gap || r.row != previous + 1;
            previous = r.row;
            for (; next_merge < vertical.size() && vertical[next_merge]->first.row <= r.row; ++next_merge)
                active[vertical[next_merge]->first.col] = vertical[next_merge];
            TableRow row;
            row.row = r.row;
            row.cells.assign(t.columns.size(), nullptr);
            std::size_t count = 0;
            for (std::size_t i = r.begin; i < r.end; ++i) {
                const Cell& c = sheet_.cells[i];
                if (c.col > max_col || column_of[c.col] < 0 || (!filled(c) && !c.formula)) continue;
                row.cells[static_cast<std::size_t>(column_of[c.col])] = &c;
                ++count;
            }
            if (!active.empty())
                for (std::size_t j = 0; j < row.cells.size(); ++j) {
                    const std::uint32_t col = t.columns[j].col;
                    for (auto it = active.upper_bound(col); !row.cells[j] && it != active.begin();) {
                        const auto candidate = std::prev(it);
                        const Range* m = candidate->second;
                        if (m->last.row < r.row) {  // ended above this row: forget it, look again
                            active.erase(candidate);
                            it = active.upper_bound(col);
                            continue;
                        }
                        if (m->contains(r.row, col)) row.cells[j] = sheet_.find(m->first.row, m->first.col);
                        break;
                    }
                }
            if (count == 0) {
                gap = true;
                continue;
            }
            const Cell* first = *std::find_if(row.cells.begin(), row.cells.end(), [](const Cell* c) { return c != nullptr; });
            if (first && title_like(*first)) {
                const std::string key = normalize_title(first->text);
                for (const auto& word : options_.totals_words)
                    if (starts_with_word(key, normalize_title(word))) {
                        t.totals_row = r.row;
                        return;
                    }
                if (gap && count == 1 && !t.rows.empty()) return;  // a note below the table
            }
            gap = false;
            t.rows.push_back(std::move(row));
        }
    }

    const Workbook& book_;
    const Sheet& sheet_;
    const TableOptions& options_;
    std::vector<RowSpan> rows_;
    std::map<std::uint64_t, const Range*> anchored_;
    std::vector<const Range*> header_merges_;
    std::vector<Range> implied_;  // filled once by imply_merges, then pointed to
};

}  // namespace

// ---- Text as numbers and dates -------------------------------------------------------------------

bool is_blank(std::string_view s) {
    int dashes = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = text::decode(s, i);
        if (is_space(c)) continue;
        if (is_dash(c) && ++dashes == 1) continue;
        return false;
    }
    return true;
}

std::string normalize_title(std::string_view s) {
    std::string out = text::change_case(collapse_spaces(s), false);
    for (std::size_t at; (at = out.find("ё")) != std::string::npos;) out.replace(at, 2, "е");
    return out;
}

std::optional<double> parse_number_ru(std::string_view s) {
    std::string t = collapse_spaces(s);
    std::string_view v = t;
    std::string clean;
    if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
        if (v[0] == '-') clean += '-';
        v.remove_prefix(1);
    } else if (v.substr(0, 3) == "\u2212") {
        clean += '-';
        v.remove_prefix(3);
    }
    if (!v.empty() && v.back() == '%') {
        v.remove_suffix(1);
        if (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    }
    // Integer part: digits, or groups of three after a first group of one to three, split by
    // single spaces.
    std::size_t i = 0, group = 0;
    bool spaced = false;
    while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == ' ')) {
        if (v[i] == ' ') {
            if (group == 0 || (spaced && group != 3) || (!spaced && group > 3)) return std::nullopt;
            spaced = true;
            group = 0;
        } else {
            clean += v[i];
            ++group;
        }
        ++i;
    }
    if (spaced && group != 3) return std::nullopt;
    const bool int_digits = clean.size() > (clean[0] == '-' ? 1u : 0u);
    if (i < v.size() && (v[i] == ',' || v[i] == '.')) {
        clean += '.';
        ++i;
        const std::size_t start = i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) clean += v[i++];
        if (i == start) return std::nullopt;
    } else if (!int_digits) {
        return std::nullopt;
    }
    if (i != v.size()) return std::nullopt;
    double out = 0;
    const auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), out);
    if (ec != std::errc() || end != clean.data() + clean.size()) return std::nullopt;
    return out;
}

std::optional<text::Date> parse_date_ru(std::string_view s) {
    std::string t = collapse_spaces(s);
    std::string_view v = t;
    // « г.», «г.», «г» after the year.
    for (std::string_view suffix : {"г.", "г"})
        if (v.size() >= suffix.size() && v.substr(v.size() - suffix.size()) == suffix) {
            v.remove_suffix(suffix.size());
            if (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            break;
        }
    // A time after the date: «0:00», «00:00:00».
    if (const auto space = v.find(' '); space != std::string_view::npos) {
        const std::string_view time = v.substr(space + 1);
        if (time.find_first_not_of("0123456789:") != std::string_view::npos || time.find(':') == std::string_view::npos)
            return std::nullopt;
        v = v.substr(0, space);
    }
    auto number = [](std::string_view p, std::size_t min, std::size_t max) -> std::optional<int> {
        if (p.size() < min || p.size() > max || p.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
        int n = 0;
        for (char c : p) n = n * 10 + (c - '0');
        return n;
    };
    const char sep = v.find('.') != std::string_view::npos ? '.' : '-';
    const auto a = v.find(sep);
    const auto b = a == std::string_view::npos ? a : v.find(sep, a + 1);
    if (b == std::string_view::npos || v.find(sep, b + 1) != std::string_view::npos) return std::nullopt;
    const auto p1 = v.substr(0, a), p2 = v.substr(a + 1, b - a - 1), p3 = v.substr(b + 1);
    std::optional<int> d, m, y;
    if (sep == '.') d = number(p1, 1, 2), m = number(p2, 1, 2), y = number(p3, 4, 4);
    else y = number(p1, 4, 4), m = number(p2, 2, 2), d = number(p3, 2, 2);
    if (!d || !m || !y) return std::nullopt;
    return text::Date{*y, *m, *d};
}

// ---- Table ----------------------------------------------------------------------------------------

const Column* Table::find(std::string_view title) const {
    const std::string key = normalize_title(title);
    for (const Column& c : columns)
        if (c.key == key) return &c;
    return nullptr;
}

std::string Table::where(const TableRow& row, std::size_t column) const {
    return sheet->where(row.row, columns[column].col);
}

std::string Table::text(const TableRow& row, std::size_t column) const {
    const Cell* c = row.cells[column];
    return c ? collapse_spaces(c->text) : std::string();
}

namespace {

void add(Diagnostics& diags, const Table& t, const TableRow& row, std::size_t column, ErrorId id, std::string message) {
    const Cell* c = row.cells[column];
    diags.add(id, t.book->file, {}, c ? t.sheet->where(*c) : t.where(row, column),
              "столбец " + q(t.columns[column].title) + ": " + std::move(message));
}

const std::string kNoValue =
    "в ячейке формула без вычисленного значения (файл сохранён программой, которая не пересчитывает формулы); "
    "откройте его в Excel или LibreOffice и сохраните заново";

}  // namespace

std::optional<double> Table::number(const TableRow& row, std::size_t column, Diagnostics& diags) const {
    const Cell* c = row.cells[column];
    if (!c) return std::nullopt;
    auto bad = [&](std::string message) -> std::optional<double> {
        add(diags, *this, row, column, ErrorId::sheet_bad_number, std::move(message));
        return std::nullopt;
    };
    switch (c->kind) {
        case CellKind::number: return c->percent ? round15(c->number * 100) : c->number;
        case CellKind::text:
            if (is_blank(c->text)) return std::nullopt;
            if (auto v = parse_number_ru(c->text)) return v;
            return bad("ожидалось число, а записано " + q(text::utf8_prefix(collapse_spaces(c->text), 60)));
        case CellKind::date: return bad("ожидалось число, а записана дата " + q(c->text));
        case CellKind::boolean: return bad("ожидалось число, а записано логическое значение " + q(c->text));
        case CellKind::error: return bad("ожидалось число, а в ячейке ошибка Excel " + q(c->text));
        case CellKind::empty: return c->formula ? bad(kNoValue) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<text::Date> Table::date(const TableRow& row, std::size_t column, Diagnostics& diags) const {
    const Cell* c = row.cells[column];
    if (!c) return std::nullopt;
    auto bad = [&](std::string message) -> std::optional<text::Date> {
        add(diags, *this, row, column, ErrorId::sheet_bad_date, std::move(message));
        return std::nullopt;
    };
    auto checked = [&](text::Date d, const std::string& shown) -> std::optional<text::Date> {
        if (!text::is_valid(d)) return bad("даты " + q(shown) + " не существует в календаре");
        return d;
    };
    auto serial = [&](double v, const std::string& shown) -> std::optional<text::Date> {
        const auto dt = v >= 3654 && text::exact_integer(v) ? serial_to_date(v, sheet->date1904)
                                                                                          : std::nullopt;
        if (!dt) return bad("ожидалась дата, а записано число " + q(shown));
        return checked(dt->date, text::format_date_short(dt->date));
    };
    switch (c->kind) {
        case CellKind::date: return checked(c->date, c->text);
        case CellKind::number: return serial(c->number, c->text);
        case CellKind::text: {
            if (is_blank(c->text)) return std::nullopt;
            const std::string shown = collapse_spaces(c->text);
            if (const auto d = parse_date_ru(shown)) return checked(*d, shown);
            if (shown.find_first_not_of("0123456789") == std::string::npos && shown.size() <= 7)
                return serial(std::strtod(shown.c_str(), nullptr), shown);
            return bad("ожидалась дата в виде ДД.ММ.ГГГГ, а записано " + q(text::utf8_prefix(shown, 60)));
        }
        case CellKind::boolean: return bad("ожидалась дата, а записано логическое значение " + q(c->text));
        case CellKind::error: return bad("ожидалась дата, а в ячейке ошибка Excel " + q(c->text));
        case CellKind::empty: return c->formula ? bad(kNoValue) : std::nullopt;
    }
    return std::nullopt;
}

Table read_table(const Workbook& book, const Sheet& sheet, const TableOptions& options) {
    return Finder(book, sheet, options).run();
}

}  // namespace ppko::sheets
