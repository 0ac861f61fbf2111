#include "sheets/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "sheets/errors.h"
#include "sheets/number_format.h"
#include "sheets/xml_reader.h"
#include "sheets/zip_archive.h"
#include "text/utf8.h"

namespace ppko::sheets {
namespace {

using detail::fail;
using detail::q;

// ---- Package paths and relationships (ECMA-376 Part 2 §9.3) ---------------------------------

std::string folder_of(std::string_view part) {
    const auto slash = part.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// The relationships part of `part`: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels".
std::string rels_of(std::string_view part) {
    const auto slash = part.rfind('/');
    const std::size_t name = slash == std::string_view::npos ? 0 : slash + 1;
    return std::string(part.substr(0, name)) + "_rels/" + std::string(part.substr(name)) + ".rels";
}

// A target relative to `folder` (or absolute, from the package root), with "." and ".."
// resolved; only a key into the archive, never a path on disk.
std::string resolve(std::string_view folder, std::string_view target) {
    std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                              : std::string(folder) + std::string(target);
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= joined.size()) {
        auto end = joined.find('/', start);
        if (end == std::string::npos) end = joined.size();
        const std::string seg = joined.substr(start, end - start);
        if (seg == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!seg.empty() && seg != ".") {
            parts.push_back(seg);
        }
        start = end + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct Relationship {
    std::string id, type, target;  // target resolved to a part name; empty for external ones
};

class RelsHandler final : public XmlHandler {
public:
    explicit RelsHandler(std::string folder) : folder_(std::move(folder)) {}
    void start(std::string_view name, const XmlAttributes& a) override {
        if (name != "Relationship") return;
        Relationship r{std::string(a.get("Id")), std::string(a.get("Type")), {}};
        if (a.get("TargetMode") != "External") r.target = resolve(folder_, a.get("Target"));
        rels.push_back(std::move(r));
    }
    void end(std::string_view) override {}
    std::vector<Relationship> rels;

private:
    std::string folder_;
};

std::vector<Relationship> read_rels(ZipArchive& zip, std::string_view part, const Limits& limits) {
    const std::string rels = rels_of(part);
    if (!zip.contains(rels)) return {};
    RelsHandler h(folder_of(part));
    auto in = zip.open(rels);
    parse_xml(*in, h, XmlSource{zip.file(), rels, {}}, limits);
    return std::move(h.rels);
}

const Relationship* find_type(const std::vector<Relationship>& rels, std::string_view suffix) {
    for (const auto& r : rels)
        if (ends_with(r.type, suffix) && !r.target.empty()) return &r;
    return nullptr;
}

// ---- Values ---------------------------------------------------------------------------------

std::optional<double> parse_double(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

template <class T>
std::optional<T> parse_uint(std::string_view s) {
    T v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Accumulates the text of an element; false when it would pass limits.max_text_bytes.
bool append_text(std::string& to, std::string_view chunk, const Limits& limits) {
    if (to.size() + chunk.size() > limits.max_text_bytes) return false;
    to.append(chunk);
    return true;
}

[[noreturn]] void text_too_long(const std::string& file, std::string where, const Limits& limits) {
    fail(ErrorId::sheet_too_large, file, std::move(where),
         "текст длиннее " + detail::size_text(limits.max_text_bytes) + "; такой файл не читается");
}

// ---- workbook.xml -----------------------------------------------------------------------------

struct SheetEntry {
    std::string name, rel_id;
    bool hidden = false;
};

class WorkbookHandler final : public XmlHandler {
public:
    void start(std::string_view name, const XmlAttributes& a) override {
        if (name == "workbookPr") {
            const auto v = a.get("date1904");
            date1904 = v == "1" || v == "true";
        } else if (name == "sheet") {
            const auto state = a.get("state", "visible");
            sheets.push_back(SheetEntry{std::string(a.get("name")), std::string(a.get("id")), state != "visible"});
        }
    }
    void end(std::string_view) override {}
    bool date1904 = false;
    std::vector<SheetEntry> sheets;
};

// ---- sharedStrings.xml ------------------------------------------------------------------------

class SharedStrings final : public XmlHandler {
public:
    SharedStrings(const std::string& file, const Limits& limits) : file_(file), limits_(limits) {}

    void start(std::string_view name, const XmlAttributes&) override {
        if (name == "si") {
            in_si_ = true;
            current_.clear();
        } else if (name == "rPh") {
            ++phonetic_;
        } else if (name == "t" && in_si_ && phonetic_ == 0) {
            in_t_ = true;
        }
    }
    void end(std::string_view name) override {
        if (name == "t") {
            in_t_ = false;
        } else if (name == "rPh") {
            --phonetic_;
        } else if (name == "si") {
            in_si_ = false;
            if (spans_.size() >= limits_.max_cells)
                fail(ErrorId::sheet_too_large, file_, {},
                     "в таблице общих строк книги больше " + detail::count_text(limits_.max_cells) +
                         " строк; такой файл не читается");
            decode_xstring(current_);
            spans_.emplace_back(static_cast<std::uint32_t>(all_.size()), static_cast<std::uint32_t>(current_.size()));
            if (all_.size() + current_.size() > limits_.max_part_bytes)
                fail(ErrorId::sheet_too_large, file_, {}, "общие строки книги занимают слишком много места");
            all_ += current_;
        }
    }
    void text(std::string_view chunk) override {
        if (in_t_ && !append_text(current_, chunk, limits_)) text_too_long(file_, {}, limits_);
    }

    std::size_t size() const { return spans_.size(); }
    std::string_view operator[](std::size_t i) const {
        return std::string_view(all_).substr(spans_[i].first, spans_[i].second);
    }

private:
    const std::string& file_;
    const Limits& limits_;
    std::string all_, current_;  // every string back to back; the one being read
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans_;
    bool in_si_ = false, in_t_ = false;
    int phonetic_ = 0;
};

// ---- styles.xml: the number format of each cell format ---------------------------------------

class StylesHandler final : public XmlHandler {
public:
    void start(std::string_view name, const XmlAttributes& a) override {
        if (name == "numFmt") {
            if (auto id = parse_uint<std::uint32_t>(a.get("numFmtId"))) codes_[*id] = std::string(a.get("formatCode"));
        } else if (name == "cellXfs") {
            in_cell_xfs_ = true;
        } else if (name == "xf" && in_cell_xfs_) {
            xf_ids_.push_back(parse_uint<std::uint32_t>(a.get("numFmtId")).value_or(0));
        }
    }
    void end(std::string_view name) override {
        if (name == "cellXfs") in_cell_xfs_ = false;
    }
    std::vector<NumberFormat> formats() const {
        std::vector<NumberFormat> out;
        out.reserve(xf_ids_.size());
        for (const auto id : xf_ids_) {
            const auto it = codes_.find(id);
            out.push_back(classify_format(id, it == codes_.end() ? std::string_view() : std::string_view(it->second)));
        }
        return out;
    }

private:
    std::map<std::uint32_t, std::string> codes_;
    std::vector<std::uint32_t> xf_ids_;
    bool in_cell_xfs_ = false;
};

// ---- A worksheet ------------------------------------------------------------------------------

class SheetHandler final : public XmlHandler {
public:
    SheetHandler(Sheet& sheet, const SharedStrings& strings, const std::vector<NumberFormat>& formats,
                 const std::string& file, const Limits& limits, std::size_t& cells_in_workbook)
        : sheet_(sheet), strings_(strings), formats_(formats), file_(file), limits_(limits),
          cells_in_workbook_(cells_in_workbook) {}

    void start(std::string_view name, const XmlAttributes& a) override {
        if (name == "c" && in_data_) {
            start_cell(a);
        } else if (in_cell_) {
            if (name == "v") {
                target_ = &value_;
            } else if (name == "f") {
                formula_ = true;
            } else if (name == "is") {
                in_inline_ = true;
            } else if (name == "rPh") {
                ++phonetic_;
            } else if (name == "t" && in_inline_ && phonetic_ == 0) {
                target_ = &inline_;
            }
        } else if (name == "row" && in_data_) {
            start_row(a);
        } else if (name == "sheetData") {
            in_data_ = true;
        } else if (name == "mergeCell") {
            add_merge(a.get("ref"));
        }
    }

    void end(std::string_view name) override {
        if (in_cell_) {
            if (name == "c") {
                end_cell();
            } else if (name == "v" || name == "t") {
                target_ = nullptr;
            } else if (name == "is") {
                in_inline_ = false;
            } else if (name == "rPh") {
                --phonetic_;
            }
        } else if (name == "sheetData") {
            in_data_ = false;
        }
    }

    void text(std::string_view chunk) override {
        if (target_ && !append_text(*target_, chunk, limits_)) text_too_long(file_, sheet_.where(row_, col_), limits_);
    }

    void finish() {
        if (!ordered_)
            std::stable_sort(sheet_.cells.begin(), sheet_.cells.end(),
                             [](const Cell& x, const Cell& y) { return std::pair{x.row, x.col} < std::pair{y.row, y.col}; });
        for (std::size_t i = 1; i < sheet_.cells.size(); ++i)
            if (sheet_.cells[i].row == sheet_.cells[i - 1].row && sheet_.cells[i].col == sheet_.cells[i - 1].col)
                fail(ErrorId::sheet_corrupt, file_, sheet_.where(sheet_.cells[i]),
                     "файл повреждён: ячейка записана на листе дважды");
    }

private:
    void start_row(const XmlAttributes& a) {
        const auto r = a.get("r");
        if (r.empty()) {
            ++next_row_;
        } else {
            const auto n = parse_uint<std::uint64_t>(r);
            if (!n || *n == 0) fail(ErrorId::sheet_corrupt, file_, sheet_.name, "файл повреждён: неверный номер строки " + q(r));
            check_row(*n);
            next_row_ = static_cast<std::uint32_t>(*n - 1);
        }
        row_ = next_row_;
        next_col_ = 0;
    }

    void check_row(std::uint64_t one_based) const {
        if (one_based > limits_.max_rows)
            fail(ErrorId::sheet_too_large, file_, sheet_.name,
                 "на листе есть строка " + detail::count_text(one_based) + ", а читается не больше " +
                     detail::count_text(limits_.max_rows) + " строк; такой файл не читается");
    }

    void start_cell(const XmlAttributes& a) {
        in_cell_ = true;
        formula_ = in_inline_ = false;
        phonetic_ = 0;
        value_.clear();
        inline_.clear();
        const auto r = a.get("r");
        if (r.empty()) {
            row_ = next_row_;
            col_ = next_col_;
        } else if (const auto ref = parse_cell_name(r)) {
            row_ = ref->row;
            col_ = ref->col;
        } else {
            fail(ErrorId::sheet_corrupt, file_, sheet_.name, "файл повреждён: неверная ссылка на ячейку " + q(r));
        }
        check_row(std::uint64_t{row_} + 1);
        if (col_ >= limits_.max_columns)
            fail(ErrorId::sheet_too_large, file_, sheet_.where(row_, col_),
                 "на листе больше " + detail::count_text(limits_.max_columns) + " столбцов; такой файл не читается");
        next_col_ = col_ + 1;
        const auto t = a.get("t", "n");
        type_ = t == "n" || t.empty() ? 'n' : t == "s" ? 's' : t == "inlineStr" ? 'i' : t == "str" ? 'f'
              : t == "b" ? 'b' : t == "e" ? 'e' : t == "d" ? 'd' : '?';
        if (type_ == '?')
            fail(ErrorId::sheet_corrupt, file_, sheet_.where(row_, col_), "файл повреждён: неизвестный тип ячейки " + q(t));
        style_ = 0;
        if (const auto s = a.get("s"); !s.empty()) {
            const auto v = parse_uint<std::uint32_t>(s);
            if (!v) fail(ErrorId::sheet_corrupt, file_, sheet_.where(row_, col_), "файл повреждён: неверный номер формата " + q(s));
            style_ = *v;
        }
    }

    [[noreturn]] void bad_value(std::string_view what) const {
        fail(ErrorId::sheet_corrupt, file_, sheet_.where(row_, col_),
             "файл повреждён: значение " + q(text::utf8_prefix(value_, 40)) + " в ячейке — не " + std::string(what));
    }

    void end_cell() {
        in_cell_ = false;
        target_ = nullptr;
        Cell c;
        c.row = row_;
        c.col = col_;
        c.formula = formula_;
        switch (type_) {
            case 's': {
                if (value_.empty()) break;
                const auto i = parse_uint<std::size_t>(value_);
                if (!i || *i >= strings_.size()) bad_value("номер общей строки");
                c.kind = CellKind::text;
                c.text = strings_[*i];
                break;
            }
            case 'i':
                decode_xstring(inline_);
                c.kind = CellKind::text;
                c.text = std::move(inline_);
                break;
            case 'f':
                decode_xstring(value_);
                c.kind = CellKind::text;
                c.text = std::move(value_);
                break;
            case 'b':
                if (value_.empty()) break;
                if (value_ != "0" && value_ != "1" && value_ != "true" && value_ != "false") bad_value("логическое значение");
                c.kind = CellKind::boolean;
                c.number = value_ == "1" || value_ == "true" ? 1 : 0;
                c.text = c.number != 0 ? "ИСТИНА" : "ЛОЖЬ";
                break;
            case 'e':
                if (value_.empty()) break;
                c.kind = CellKind::error;
                c.text = std::move(value_);
                break;
            case 'd':
                if (value_.empty()) break;
                iso_date(c);
                break;
            default:
                if (value_.empty()) break;
                number(c);
                break;
        }
        if (c.kind == CellKind::text && c.text.empty()) c.kind = CellKind::empty;
        if (c.kind == CellKind::empty && !c.formula) return;
        if (++cells_in_workbook_ > limits_.max_cells)
            fail(ErrorId::sheet_too_large, file_, sheet_.where(row_, col_),
                 "в книге больше " + detail::count_text(limits_.max_cells) + " заполненных ячеек; такой файл не читается");
        if (!sheet_.cells.empty()) {
            const Cell& last = sheet_.cells.back();
            if (std::pair{last.row, last.col} >= std::pair{c.row, c.col}) ordered_ = false;
        }
        sheet_.cells.push_back(std::move(c));
    }

    void number(Cell& c) {
        const auto v = parse_double(value_);
        if (!v) bad_value("число");
        c.number = *v;
        const NumberFormat f = style_ < formats_.size() ? formats_[style_] : NumberFormat{};
        if (f.shows_date()) {
            if (const auto dt = serial_to_date(*v, sheet_.date1904); dt || (f.kind == NumberFormat::Kind::time && *v >= 0 && *v < 1)) {
                c.kind = CellKind::date;
                DateTime t = dt.value_or(DateTime{{}, static_cast<std::int32_t>(std::llround(*v * 86400.0)) % 86400});
                c.date = t.date;
                c.seconds = t.seconds;
                c.text = format_date_time(t, f.kind);
                return;
            }
        }
        c.kind = CellKind::number;
        c.percent = f.kind == NumberFormat::Kind::percent;
        c.text = format_number(*v, f);
    }

    // t="d": an ISO 8601 date, time or both ("2020-12-22", "2020-12-22T10:30:00", "10:30:00").
    void iso_date(Cell& c) {
        std::string_view s = value_;
        DateTime dt;
        NumberFormat::Kind kind = NumberFormat::Kind::date;
        const auto t = s.find('T');
        if (s.size() >= 10 && s[4] == '-') {
            const auto d = text::parse_date(s.substr(0, 10));
            if (!d) bad_value("дата");
            dt.date = *d;
            s = t == std::string_view::npos ? std::string_view() : s.substr(t + 1);
            if (!s.empty()) kind = NumberFormat::Kind::datetime;
        } else {
            kind = NumberFormat::Kind::time;
        }
        if (!s.empty()) {
            if (s.size() < 5 || s[2] != ':') bad_value("время");
            const auto h = parse_uint<int>(s.substr(0, 2)), m = parse_uint<int>(s.substr(3, 2));
            int sec = 0;
            if (s.size() >= 8 && s[5] == ':') sec = parse_uint<int>(s.substr(6, 2)).value_or(0);
            if (!h || !m || *h > 23 || *m > 59 || sec > 59) bad_value("время");
            dt.seconds = *h * 3600 + *m * 60 + sec;
        }
        c.kind = CellKind::date;
        c.date = dt.date;
        c.seconds = dt.seconds;
        c.text = format_date_time(dt, kind);
    }

    void add_merge(std::string_view ref) {
        const auto colon = ref.find(':');
        if (colon == std::string_view::npos) return;  // a single cell: nothing merged
        const auto a = parse_cell_name(ref.substr(0, colon)), b = parse_cell_name(ref.substr(colon + 1));
        if (!a || !b) fail(ErrorId::sheet_corrupt, file_, sheet_.name, "файл повреждён: неверный диапазон объединения " + q(ref));
        if (sheet_.merges.size() >= limits_.max_cells)
            fail(ErrorId::sheet_too_large, file_, sheet_.name, "на листе слишком много объединённых ячеек");
        Range r{{std::min(a->row, b->row), std::min(a->col, b->col)}, {std::max(a->row, b->row), std::max(a->col, b->col)}};
        sheet_.merges.push_back(r);
    }

    Sheet& sheet_;
    const SharedStrings& strings_;
    const std::vector<NumberFormat>& formats_;
    const std::string& file_;
    const Limits& limits_;
    std::size_t& cells_in_workbook_;

    bool in_data_ = false, in_cell_ = false, in_inline_ = false, formula_ = false;
    bool ordered_ = true;
    int phonetic_ = 0;
    std::uint32_t next_row_ = static_cast<std::uint32_t>(-1), next_col_ = 0, row_ = 0, col_ = 0, style_ = 0;
    char type_ = 'n';
    std::string value_, inline_;
    std::string* target_ = nullptr;
};

// ---- What the package is, when it is not a workbook --------------------------------------------

[[noreturn]] void not_a_workbook(ZipArchive& zip) {
    const std::string& file = zip.file();
    auto format = [&](std::string what) { fail(ErrorId::sheet_format, file, {}, std::move(what)); };
    if (zip.contains("mimetype")) {
        if (zip.read("mimetype").find("opendocument.spreadsheet") != std::string::npos)
            format("это таблица OpenDocument (.ods), а читаются книги Excel (.xlsx) и CSV; сохраните её в LibreOffice "
                   "как «Книга Excel 2007-365 (.xlsx)»");
        format("это документ OpenDocument, а не книга Excel (.xlsx)");
    }
    if (zip.contains("word/document.xml")) format("это документ Word (.docx), а не книга Excel (.xlsx)");
    if (zip.contains("ppt/presentation.xml")) format("это презентация PowerPoint (.pptx), а не книга Excel (.xlsx)");
    if (zip.contains("xl/workbook.bin"))
        format("это двоичная книга Excel (.xlsb), а читаются .xlsx и CSV; сохраните её в Excel как «Книга Excel (.xlsx)»");
    fail(ErrorId::sheet_format, file, {}, "это архив ZIP, но не книга Excel (.xlsx): в нём нет части xl/workbook.xml");
}

}  // namespace

void decode_xstring(std::string& s) {
    if (s.find("_x") == std::string::npos) return;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
            char32_t cp = 0;
            bool hex = true;
            for (std::size_t k = 2; k < 6; ++k) {
                const int d = hex_digit(s[i + k]);
                if (d < 0) hex = false;
                cp = cp * 16 + static_cast<char32_t>(d < 0 ? 0 : d);
            }
            if (hex) {
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = text::kReplacement;
                text::append_utf8(out, cp);
                i += 7;
                continue;
            }
        }
        out += s[i++];
    }
    s = std::move(out);
}

Workbook read_xlsx(std::string_view bytes, std::string file, const Limits& limits) {
    ZipArchive zip(bytes, file, limits);
    Workbook book;
    book.file = file;

    std::string workbook_part = "xl/workbook.xml";
    const auto package_rels = read_rels(zip, "", limits);
    if (const auto* main = find_type(package_rels, "/officeDocument")) workbook_part = main->target;
    if (ends_with(workbook_part, ".bin") || !zip.contains(workbook_part)) not_a_workbook(zip);

    WorkbookHandler wb;
    {
        auto in = zip.open(workbook_part);
        parse_xml(*in, wb, XmlSource{file, workbook_part, {}}, limits);
    }
    const auto rels = read_rels(zip, workbook_part, limits);

    SharedStrings strings(file, limits);
    if (const auto* r = find_type(rels, "/sharedStrings"); r && zip.contains(r->target)) {
        auto in = zip.open(r->target);
        parse_xml(*in, strings, XmlSource{file, r->target, {}}, limits);
    }
    std::vector<NumberFormat> formats;
    if (const auto* r = find_type(rels, "/styles"); r && zip.contains(r->target)) {
        StylesHandler styles;
        auto in = zip.open(r->target);
        parse_xml(*in, styles, XmlSource{file, r->target, {}}, limits);
        formats = styles.formats();
    }

    std::size_t cells = 0;
    for (const SheetEntry& entry : wb.sheets) {
        const auto it = std::find_if(rels.begin(), rels.end(), [&](const Relationship& r) { return r.id == entry.rel_id; });
        if (it == rels.end() || it->target.empty())
            fail(ErrorId::sheet_corrupt, file, {}, "файл повреждён: для листа " + q(entry.name) + " нет части с его ячейками");
        if (!ends_with(it->type, "/worksheet")) continue;  // chart, dialog and macro sheets
        if (!zip.contains(it->target))
            fail(ErrorId::sheet_corrupt, file, {}, "файл повреждён: в архиве нет части " + q(it->target) + " листа " + q(entry.name));
        Sheet& sheet = book.sheets.emplace_back();
        sheet.name = entry.name;
        sheet.hidden = entry.hidden;
        sheet.date1904 = wb.date1904;
        SheetHandler h(sheet, strings, formats, file, limits, cells);
        auto in = zip.open(it->target);
        parse_xml(*in, h, XmlSource{file, it->target, sheet.name}, limits);
        h.finish();
    }
    if (book.sheets.empty()) fail(ErrorId::sheet_empty, file, {}, "в книге нет ни одного листа с ячейками");
    return book;
}

}  // namespace ppko::sheets
