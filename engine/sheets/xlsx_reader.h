// Reads an XLSX (or XLSM) workbook into the model of workbook.h: the package's relationships
// lead to the workbook (sheet names, order, date system), the shared strings, the cell formats
// and each worksheet (ECMA-376 Part 1 §18, transitional and strict). Only cell values are read:
// cached results of formulas, not formulas; no styles beyond number formats.
#pragma once

#include <string>
#include <string_view>

#include "sheets/limits.h"
#include "sheets/workbook.h"

namespace ppko::sheets {

// Reads `bytes`, the content of the file `file` (named so in messages). Sheets in the order of
// workbook.xml (hidden ones included, marked; chart and dialog sheets left out).
//
// Cells: shared strings (rich text runs joined, phonetic runs left out) and inline strings, with
// the _xHHHH_ escapes decoded; numbers; booleans; errors; formulas' cached values; t="d" ISO
// dates; a number whose format shows a date (number_format.h) becomes a date in the workbook's
// system (1900 with its leap-year bug, or 1904). Empty strings and cells without a value are not
// kept (except formula cells, see Cell::formula).
//
// Throws ppko::Error with: sheet.corrupt (not a ZIP archive, a part missing or not well-formed,
// a value that does not parse, a cell written twice), sheet.format (a Word document, an
// OpenDocument or .xlsb file: what it is and what to do), sheet.encrypted, sheet.too_large and
// sheet.unsafe (limits.h, xml_reader.h), sheet.empty (no worksheet at all). Messages name the
// sheet and cell where there is one.
Workbook read_xlsx(std::string_view bytes, std::string file, const Limits& limits = {});

// Decodes the _xHHHH_ escapes of SpreadsheetML strings (ECMA-376 Part 1 §22.9.2.19) in place:
// "a_x000D_b" → "a\rb", "_x005F_x0041_" → "_x0041_". Invalid code points become U+FFFD.
void decode_xstring(std::string& s);

}  // namespace ppko::sheets
