// The XLSX writer: every table of a document model as a worksheet, laid out for printing on A4
// (SpreadsheetML, ECMA-376 Part 1 §18). sheet_layout.h decides, xlsx_package.h writes the package.
#pragma once

#include <string>
#include <string_view>

#include "document/layout_profile.h"
#include "document/model.h"
#include "xlsx/sheet_layout.h"
#include "xlsx/xlsx_package.h"

namespace ppko::xlsx {

// Writes every doc::Table among the top-level blocks of `doc`, in order, as one worksheet
// (a document without tables gives a workbook with one empty sheet «Лист1», as Excel needs one).
// Tables nested in cells are not separate sheets; their text goes into the cell.
//
// Sheet: name from Table::sheet_name made valid and unique (see sheet_name.h; blank → «Таблица
// N»); a non-empty caption in row 1, merged across the table's columns, bold, centred, wrapped,
// the table below it. Cells: text of the cell's paragraphs (runs concatenated) joined with '\n';
// control characters become U+FFFD (text::append_sanitized); over 32,767 characters (Excel's
// limit) the text is cut and ends with «…»; an integer written without leading zeros and of at
// most 15 digits ("1", "-24") becomes a number. Formats: the profile's font at
// table_font_size_pt, wrapped, top-aligned, thin borders when Table::borders; header rows bold,
// centred, light grey fill; a cell is bold when Cell::bold or all its runs are bold;
// Align::justify is written as left. col_span/row_span become merged ranges (a span reaching
// past the table is cut; a merge overlapping an earlier one is dropped and its cell written
// alone). Leading header rows are frozen and repeated on every printed page.
//
// Page: A4 (paper 9), margins from the profile, fit to one page wide. Columns get widths from
// doc::TableLayout (Table::widths as proportions, each column between its longest word and its
// widest line, measured with Times New Roman's metrics) over the text width of portrait A4; when
// the longest words do not fit there, the sheet is landscape and fitted to the landscape width.
// Rows whose text needs more than one line (doc::wrapped_lines, 1.2 line spacing, capped at
// Excel's 409 pt) get an explicit height: neither application fits
// merged cells, and LibreOffice 7.4 does not fit the rows of an XLSX it opens; one-line rows keep
// the default height. The caption row always gets an estimated height.
//
// Charts: each Table::charts entry becomes a native column or line chart anchored one empty
// column to the right of the table (level with its first row; further charts 16 rows lower),
// fonts from the profile, legend at the bottom. Each value column is a series over the data rows
// (those below the leading header rows), named by a formula to the header cell above it in the
// last header row (the start of the merge covering it), with the categories column as
// categories; columns outside the grid are skipped, and a chart with no series left, or a table
// without data rows, gets none. Cells that are not numbers («—», blank) are gaps in Excel and
// LibreOffice; a range with such a cell is written without a data cache (a cache would hold 0
// for them). A sheet with a chart gets the table as its print area, so the printed page
// stays fitted to the table. A title starting with '=' is kept as text (preceded by U+200B).
//
// Package: the XML of every part is what libxlsxwriter 1.1.4 writes for the same workbook
// (tests/xlsx_oracle.cpp keeps it as the test oracle; xlsx_writer_test compares the parts).
// Deterministic: the workbook's created/modified time is fixed at 2000-01-01T00:00:00Z and
// docx::ZipWriter stamps every zip entry 1980-01-01 00:00, so the same input gives the same
// bytes (tests/xlsx_writer_test.cpp checks it).
//
// Keeps its buffers between workbooks: reuse one writer for many documents. Not thread-safe;
// use one per thread.
//
//   XlsxWriter writer;
//   std::string bytes;
//   writer.write(document, profile, bytes);  // … store `bytes` as the .xlsx file
//
// Throws ppko::Error(ErrorId::io_write, file, …) when a table exceeds Excel's 1,048,576 rows or
// 16,384 columns (`file` only names the output in that message), ErrorId::internal when the
// package would exceed ZIP limits (4 GiB).
class XlsxWriter {
public:
    // Replaces the content of `out` with the bytes of a .xlsx file for `doc`.
    void write(const doc::Document& doc, const doc::LayoutProfile& profile, std::string& out,
               std::string_view file = {});

private:
    LayoutBuilder builder_;
    WorkbookLayout layout_;
    PackageWriter package_;
};

// XlsxWriter::write (one writer per thread, reused), then the bytes to `path` (for an atomic
// replace, give XlsxWriter's bytes to io::OutputTransaction::write instead). Throws as write() does, and
// ppko::Error(ErrorId::io_write, path, …) when the file cannot be written (a partial file may
// remain).
void write_xlsx(const doc::Document& doc, const doc::LayoutProfile& profile,
                const std::string& path);

}  // namespace ppko::xlsx
