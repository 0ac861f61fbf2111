// CSV as offices export it: UTF-8 (with or without a BOM), Windows-1251 or UTF-16 with a BOM
// (Excel's «Текст Юникод»); comma, semicolon or tab between fields; quoted fields per RFC 4180
// (separators, doubled quotes and line breaks inside quotes); CRLF, LF or CR line ends.
#pragma once

#include <string>
#include <string_view>

#include "sheets/limits.h"
#include "sheets/workbook.h"

namespace ppko::sheets {

enum class CsvEncoding : std::uint8_t { utf8, cp1251, utf16 };

struct CsvFormat {
    CsvEncoding encoding = CsvEncoding::utf8;
    char separator = ',';
};

// Reads `bytes` (the file `file`, named so in messages) as one sheet named after the file
// without its extension («results.csv» → «results», as Excel names it). Every field is a text
// cell as written (CSV has no types; table.h reads numbers and dates out of the text); empty
// fields are not kept. Record N is row N (a quoted line break does not start a row).
//
// Encoding: a UTF-16 BOM → UTF-16; a UTF-8 BOM, or bytes that are valid UTF-8 → UTF-8;
// otherwise Windows-1251. Separator: whichever of ';', '\t', ',' occurs most often outside
// quotes in the first 20 lines (a tie goes to ';', then tab: Russian Excel writes ';' because
// ',' is its decimal comma); none of them → one column. A quote inside an unquoted field, or
// text after a closing quote, is kept as written (as Excel does).
//
// Throws ppko::Error (file:line:column, columns in characters): sheet.csv_syntax (a quote not
// closed by the end of the file), sheet.encoding (byte 0x98, which Windows-1251 leaves
// undefined; UTF-16 of odd length), sheet.format (NUL bytes: not a text file), sheet.too_large
// (limits.h), sheet.empty (no field at all). `format`, when given, receives what was detected.
Workbook read_csv(std::string_view bytes, std::string file, const Limits& limits = {},
                  CsvFormat* format = nullptr);

// Windows-1251 to UTF-8 (our own table; 0x98, undefined there, becomes U+FFFD).
std::string cp1251_to_utf8(std::string_view s);

}  // namespace ppko::sheets
