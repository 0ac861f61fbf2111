// Number formats of SpreadsheetML cells (ECMA-376 Part 1 §18.8.30 built-in ids, §18.8.31 format
// codes): which ones show dates, times and percentages, and the text a number shows under them
// with Russian settings (decimal comma, U+00A0 between thousands, dates as 22.12.2020).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sheets/workbook.h"

namespace ppko::sheets {

struct NumberFormat {
    enum class Kind : std::uint8_t { general, number, percent, date, time, datetime, text };
    Kind kind = Kind::general;
    std::int8_t decimals = -1;  // number and percent: digits after the comma; -1 for general
    bool grouping = false;      // number: thousands separated («1 045»)

    bool shows_date() const { return kind == Kind::date || kind == Kind::time || kind == Kind::datetime; }
};

// The kind of a format by its id and code (`code` empty for a built-in id the workbook does not
// redefine). Dates: built-in ids 14–17 (date), 18–21 and 45–47 (time), 22 (date and time), the
// East Asian date ids 27–36 and 50–58; a code whose first section has d, y or e (day, year, era
// year) outside quotes, escapes and [brackets], or m with neither h nor s, is a date; h, s or an
// elapsed [h]/[mm]/[ss] make it a time (both: date and time). Otherwise '%' makes a percentage,
// '@' text, "General" general; the rest are numbers with the decimals of their first section.
// Letters compare case-insensitively (LibreOffice writes «DD.MM.YYYY»).
//   classify_format(14, "")                     → date
//   classify_format(164, "dd/mm/yyyy\\ hh:mm")  → datetime
//   classify_format(165, "0.0%")                → percent, 1 decimal
//   classify_format(166, "#,##0.00\"р.\"")      → number, 2 decimals, grouping
NumberFormat classify_format(std::uint32_t id, std::string_view code);

// The text a number shows: general — up to 15 significant digits, no trailing zeros («16,5»,
// «1045», «0,3» for 0.1 + 0.2); number — fixed decimals, grouping with U+00A0; percent —
// value × 100 with the decimals and «%»; a date kind is not handled here (see format_date_time).
std::string format_number(double value, const NumberFormat& format);

// «22.12.2020», «22.12.2020 10:30», «10:30» (seconds only when not zero: «10:30:15»).
std::string format_date_time(const DateTime& dt, NumberFormat::Kind kind);

}  // namespace ppko::sheets
