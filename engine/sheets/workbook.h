// The in-memory spreadsheet every reader fills (XLSX: xlsx_reader.h, CSV: csv_reader.h): a
// workbook is its sheets in order; a sheet is a sparse grid of cells, each with its A1 reference,
// its value kind and the text as a user sees it, plus the merged ranges. Domain-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/russian.h"

namespace ppko::sheets {

enum class CellKind : std::uint8_t { empty, text, number, boolean, date, error };

// Rows and columns are 0-based in the model; names are Excel's ("C7" is row 6, column 2).
std::string column_name(std::uint32_t col);                  // 0 → "A", 26 → "AA"
std::string cell_name(std::uint32_t row, std::uint32_t col);  // (6, 2) → "C7"

struct CellRef {
    std::uint32_t row = 0, col = 0;
    bool operator==(const CellRef&) const = default;
};
// "C7", "$C$7", "c7" → {6, 2}; nullopt for anything else, or beyond XFD1048576.
std::optional<CellRef> parse_cell_name(std::string_view s);

struct Cell {
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    CellKind kind = CellKind::empty;
    // The number is shown as a percentage: `number` 0.16 is seen as «16%».
    bool percent = false;
    // The cell holds a formula; kind and value are its result as cached in the file. A formula
    // without a cached result (files written by some libraries) is kept as an empty cell with
    // this flag, so that a caller can say why the value is missing.
    bool formula = false;
    // number: the value; boolean: 1 or 0; date: the serial as stored (days since the workbook's
    // epoch, the fraction is the time of day; 0 for an ISO date stored as text, t="d").
    double number = 0;
    // date: the calendar day and the time of day in seconds. The day may be Excel's phantom
    // 29.02.1900 (serial 60 of the 1900 system), which text::is_valid() rejects, and is
    // {0, 0, 0} for a time of day alone (a serial below 1 formatted as a time).
    text::Date date;
    std::int32_t seconds = 0;
    // What a user sees in Excel or LibreOffice with Russian settings: text as written; numbers
    // with a decimal comma («16,5»), percentages «16%», a format's fixed decimals and digit
    // grouping (with U+00A0); dates «22.12.2020» (with « 10:30» when there is a time); booleans
    // «ИСТИНА»/«ЛОЖЬ»; errors as stored («#N/A»).
    std::string text;

    std::string name() const { return cell_name(row, col); }
};

// A merged range, inclusive at both ends.
struct Range {
    CellRef first, last;
    bool contains(std::uint32_t row, std::uint32_t col) const {
        return row >= first.row && row <= last.row && col >= first.col && col <= last.col;
    }
    std::string name() const;  // "A1:D1"
};

struct Sheet {
    std::string name;
    bool hidden = false;
    // The workbook counts days from 1904-01-01 (old Mac Excel) instead of 1900-01-00; needed to
    // read a serial in a cell that is not formatted as a date (sheets::serial_to_date).
    bool date1904 = false;
    // The cells that hold something (and formula cells without a cached value), sorted by row,
    // then column; no two at the same place.
    std::vector<Cell> cells;
    std::vector<Range> merges;

    // The cell at (row, col), or nullptr when it is empty.
    const Cell* find(std::uint32_t row, std::uint32_t col) const;
    // The merged range covering (row, col), or nullptr.
    const Range* merge_at(std::uint32_t row, std::uint32_t col) const;
    // The place as messages name it: "Лист1!C7"; the sheet's name is quoted as in an Excel
    // formula when it needs to be: "'Итоги 2021'!C7".
    std::string where(std::uint32_t row, std::uint32_t col) const;
    std::string where(const Cell& c) const { return where(c.row, c.col); }
};

struct Workbook {
    std::string file;  // as the user named it; every message starts with it
    std::vector<Sheet> sheets;

    // The sheet called `name` (exactly), or nullptr.
    const Sheet* find(std::string_view name) const;
    // The same, or ppko::Error sheet.not_found listing the sheets there are:
    //   «results.xlsx: в книге нет листа «Итоги»; есть: Результаты, Школы».
    const Sheet& sheet(std::string_view name) const;
};

// The calendar day of an Excel serial. The 1900 system counts 1 = 1900-01-01 and keeps Lotus
// 1-2-3's leap-year bug (60 = the phantom 29.02.1900, so 61 = 1900-03-01); the 1904 system counts
// 0 = 1904-01-01. The fraction is the time of day (rounded to the second). nullopt outside
// 1900-01-01 (1904-01-01) .. 9999-12-31.
struct DateTime {
    text::Date date;
    std::int32_t seconds = 0;
};
std::optional<DateTime> serial_to_date(double serial, bool date1904);

}  // namespace ppko::sheets
