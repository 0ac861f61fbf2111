// The front door of engine/sheets: a spreadsheet file, whatever the user hands over, to the
// model of workbook.h, or a message that says what the file is and what to do with it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "sheets/limits.h"
#include "sheets/workbook.h"

namespace ppko::sheets {

// Decides by content, not by name: a ZIP archive is read as XLSX (xlsx_reader.h); an OLE
// compound file (D0 CF 11 E0) is a password-protected workbook (sheet.encrypted) or an Excel
// 97–2003 .xls (sheet.format), each with what to do; an HTML page or an XML Spreadsheet 2003
// saved as «.xls» is sheet.format; other bytes are CSV (csv_reader.h) unless the name ends in
// .xlsx, .xlsm, .xls or .ods (then sheet.corrupt: the file is damaged). `file` names the file
// in messages.
Workbook read_workbook_bytes(std::string_view bytes, std::string file, const Limits& limits = {});

// Reads the file (at most limits.max_file_bytes, else sheet.too_large; io.read when it cannot
// be read) and then as read_workbook_bytes, with the path as given in messages.
Workbook read_workbook(const std::filesystem::path& path, const Limits& limits = {});

}  // namespace ppko::sheets
