#include "sheets/workbook.h"

#include <algorithm>
#include <cmath>

#include "sheets/errors.h"

namespace ppko::sheets {
namespace {

constexpr std::uint32_t kMaxRows = 1'048'576, kMaxColumns = 16'384;

// Excel quotes a sheet name in a reference unless it is letters, digits, '_' and '.', not
// starting with a digit (non-ASCII letters count as letters).
bool needs_quotes(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return true;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        const bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok) return true;
    }
    return false;
}

}  // namespace

std::string column_name(std::uint32_t col) {
    std::string s;
    for (std::uint64_t n = std::uint64_t{col} + 1; n > 0; n = (n - 1) / 26)
        s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
    return s;
}

std::string cell_name(std::uint32_t row, std::uint32_t col) {
    return column_name(col) + std::to_string(std::uint64_t{row} + 1);
}

std::optional<CellRef> parse_cell_name(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '$') ++i;
    std::uint64_t col = 0;
    const std::size_t letters = i;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        col = col * 26 + static_cast<std::uint64_t>(c - 'A' + 1);
        if (col > kMaxColumns) return std::nullopt;
    }
    if (i == letters) return std::nullopt;
    if (i < s.size() && s[i] == '$') ++i;
    std::uint64_t row = 0;
    const std::size_t digits = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        row = row * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (row > kMaxRows) return std::nullopt;
    }
    if (i == digits || i != s.size() || row == 0) return std::nullopt;
    return CellRef{static_cast<std::uint32_t>(row - 1), static_cast<std::uint32_t>(col - 1)};
}

std::string Range::name() const { return cell_name(first.row, first.col) + ":" + cell_name(last.row, last.col); }

const Cell* Sheet::find(std::uint32_t row, std::uint32_t col) const {
    const auto it = std::lower_bound(cells.begin(), cells.end(), std::pair{row, col}, [](const Cell& c, auto key) {
        return std::pair{c.row, c.col} < key;
    });
    return it != cells.end() && it->row == row && it->col == col ? &*it : nullptr;
}

const Range* Sheet::merge_at(std::uint32_t row, std::uint32_t col) const {
    for (const Range& r : merges)
        if (r.contains(row, col)) return &r;
    return nullptr;
}

std::string Sheet::where(std::uint32_t row, std::uint32_t col) const {
    std::string out;
    if (needs_quotes(name)) {
        out += '\'';
        for (const char c : name) {
            out += c;
            if (c == '\'') out += '\'';
        }
        out += '\'';
    } else {
        out = name;
    }
    return out + "!" + cell_name(row, col);
}

const Sheet* Workbook::find(std::string_view name) const {
    for (const Sheet& s : sheets)
        if (s.name == name) return &s;
    return nullptr;
}

const Sheet& Workbook::sheet(std::string_view name) const {
    if (const Sheet* s = find(name)) return *s;
    std::string names;
    for (const Sheet& s : sheets) names += (names.empty() ? "" : ", ") + s.name;
    detail::fail(ErrorId::sheet_not_found, file, {}, "в книге нет листа " + detail::q(name) + "; есть: " + names);
}

std::optional<DateTime> serial_to_date(double serial, bool date1904) {
    if (!(serial >= 0) || serial > 2958466.0 - (date1904 ? 1462 : 0)) return std::nullopt;
    auto day = static_cast<std::int64_t>(std::floor(serial));
    auto seconds = static_cast<std::int64_t>(std::llround((serial - static_cast<double>(day)) * 86400.0));
    if (seconds >= 86400) {
        ++day;
        seconds -= 86400;
    }
    DateTime dt;
    dt.seconds = static_cast<std::int32_t>(seconds);
    if (date1904) {
        dt.date = text::date_from_days(text::days_from_date({1904, 1, 1}) + day);
    } else {
        if (day < 1) return std::nullopt;  // Excel's «00.01.1900»
        if (day == 60) {
            dt.date = {1900, 2, 29};  // Lotus 1-2-3's leap-year bug, kept by Excel
        } else {
            dt.date = text::date_from_days(text::days_from_date({1899, 12, day < 60 ? 31 : 30}) + day);
        }
    }
    if (dt.date.year > 9999) return std::nullopt;
    return dt;
}

}  // namespace ppko::sheets
