// The table on a sheet as offices lay it out: title rows above, a header row (or two: a merged
// cell over its sub-columns), data rows, perhaps a totals row («Итого», «Всего») and notes below.
// Finds the columns with their titles and the data rows, and reads cell text as numbers and
// dates the way Russian exports write them. Domain-free: which column is which data field is the
// caller's business (by Column::key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "sheets/workbook.h"
#include "text/russian.h"

namespace ppko::sheets {

struct TableOptions {
    // Column titles the caller knows, in any spelling normalize_title() equates. When given, the
    // header is the row among the first `search_rows` rows with content whose cells (its own or
    // the row's below; the text as shown, so a year 2021 matches "2021") match the most of them;
    // with none matching, the heuristic below decides. Titles are matched cell by cell, so give
    // the texts of single cells («Участников», not «ОГЭ / Участников»).
    std::vector<std::string> expected_titles;
    std::uint32_t search_rows = 30;
    std::uint32_t max_header_rows = 3;
    // A data row whose first filled cell starts with one of these words ends the table.
    std::vector<std::string> totals_words = {"итого", "всего"};
};

struct Column {
    std::uint32_t col = 0;  // the sheet's column (0-based)
    // The header text: the texts of the header rows above each other (a merged cell counts for
    // every column under it; repeats dropped) joined with " / ", whitespace collapsed:
    // «ОГЭ / Математика». Never empty: columns without a title are not part of the table.
    std::string title;
    std::string key;  // normalize_title(title), for matching
};

struct TableRow {
    std::uint32_t row = 0;  // the sheet's row (0-based)
    // One per column of the table: the cell, the top-left cell of a merge that spans rows and
    // covers this place, or nullptr when there is nothing.
    std::vector<const Cell*> cells;
};

// A table borrows from its workbook, which must outlive it.
struct Table {
    const Workbook* book = nullptr;
    const Sheet* sheet = nullptr;
    std::uint32_t header_first = 0, header_last = 0;  // sheet rows of the header
    std::vector<Column> columns;
    std::vector<TableRow> rows;
    std::optional<std::uint32_t> totals_row;  // the sheet row of «Итого» that ended the table

    // The column whose key equals normalize_title(title), or nullptr (the first when several do).
    const Column* find(std::string_view title) const;

    // The values of a row's cell in column `column` (an index into `columns`). Each returns
    // nullopt for an empty cell (is_blank text too) and, for a cell that is not what was asked
    // for, adds a diagnostic naming file, sheet!cell and column, and returns nullopt.
    //   number: a number cell (a percentage as shown: 0.16 formatted «16%» → 16), or text per
    //           parse_number_ru; a date, boolean, Excel error, or a formula without a cached
    //           value is sheet.bad_number.
    //   date:   a date cell, text per parse_date_ru, or an Excel serial (a number, or digits as
    //           text) from 3654 (1910-01-01) up, read in the workbook's date system; otherwise
    //           sheet.bad_date (also for a day the calendar lacks: «31.02.2020», 29.02.1900).
    //   text:   the text as shown, trimmed ("" when empty).
    std::optional<double> number(const TableRow& row, std::size_t column, Diagnostics& diags) const;
    std::optional<text::Date> date(const TableRow& row, std::size_t column, Diagnostics& diags) const;
    std::string text(const TableRow& row, std::size_t column) const;
    // "Лист1!C7" for the row's cell in `column`.
    std::string where(const TableRow& row, std::size_t column) const;
};

// Finds the table on `sheet` (one of book.sheets). The header: with expected titles, see
// TableOptions; otherwise the first row among the first `search_rows` rows with content that
// has at least two text cells (not numbers) and whose text cells, counting merged cells for
// every column they span, cover at least half of the widest row nearby. Title rows above it
// are skipped. It extends to the rows below it that a merged cell of its own spans downwards,
// and to the next row when it has a merged cell over several columns and that row has text
// under it (at most `max_header_rows` rows in all). A header row without merges (CSV, or a
// sheet saved without them) followed by a row of text only: each header cell followed by empty
// cells with text under them counts as merged over them («ОГЭ;;» over «Участников;Доля»).
//
// Data rows: every row below the header with something in the table's columns, up to (not
// including) a totals row, or up to a row after an empty row whose only filled cell is text
// (a note: «Исполнитель: …»). Empty rows are skipped.
//
// Throws ppko::Error: sheet.empty (nothing on the sheet; a header with no data rows below),
// sheet.no_header (no row qualifies).
Table read_table(const Workbook& book, const Sheet& sheet, const TableOptions& options = {});

// Russian spellings of numbers: «16» «-5» «−5» «16,5» «16.5» «1 045» (a space, U+00A0, U+202F
// or U+2009 between groups of three digits) «1 045,5» «16%» «16 %» (→ 16); surrounding
// whitespace is ignored. nullopt for anything else («1.045,5», «1e5», «abc»).
std::optional<double> parse_number_ru(std::string_view s);

// «22.12.2020», «1.9.2020», «2020-12-22», with an optional « г.» or a time after the date
// («22.12.2020 0:00:00», which exports of dates often have). The shape only: the date may not
// exist (check text::is_valid). nullopt for any other shape.
std::optional<text::Date> parse_date_ru(std::string_view s);

// Nothing but whitespace, or a lone dash («-», «–», «—»), which exports write for «no data».
bool is_blank(std::string_view s);

// For matching titles: whitespace runs (with U+00A0 and line breaks) become one space, trimmed,
// lower case, «ё» → «е».
std::string normalize_title(std::string_view s);

}  // namespace ppko::sheets
