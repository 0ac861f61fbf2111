// Serialises a WorkbookLayout (sheet_layout.h) as a SpreadsheetML package (ECMA-376 Part 1 §18,
// DrawingML charts §21.2), part by part into a caller-owned buffer through docx::ZipWriter. The
// XML is the same, byte for byte, as libxlsxwriter 1.1.4 writes for the same workbook (the tests
// compare both), so readers see what they saw before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "document/layout_profile.h"
#include "docx/zip_writer.h"
#include "xlsx/sheet_layout.h"

namespace ppko::xlsx {

extern const std::string_view kThemeXml;  // xl/theme/theme1.xml

// Keeps its buffers (and the ZIP writer's memo of constant parts) between workbooks.
// Not thread-safe; use one per thread.
class PackageWriter {
public:
    // Replaces `out` with the bytes of the .xlsx file for `layout`.
    void write(const WorkbookLayout& layout, const doc::LayoutProfile& profile, std::string& out);

private:
    struct Placed {  // a cell of the final grid, merges' covered cells included
        std::uint32_t row, col;
        std::uint32_t cell;  // index into the sheet's cells, or kCovered
        std::uint8_t format;
    };
    void place_cells(const SheetLayout& sheet);
    void sheet_xml(const WorkbookLayout& layout, const doc::LayoutProfile& profile,
                   std::size_t index, bool drawing);
    void chart_xml(const SheetLayout& sheet, const ChartLayout& chart,
                   const doc::LayoutProfile& profile);
    void drawing_xml(const SheetLayout& sheet);
    void validations_xml(const SheetLayout& sheet);  // appends <dataValidations> to xml_
    void styles_xml(const WorkbookLayout& layout, const doc::LayoutProfile& profile);
    void workbook_parts(const WorkbookLayout& layout);
    std::uint32_t shared_string(std::string_view s);
    // prefix + n + suffix ("xl/charts/chart", 2, ".xml"), in name_ (valid until the next call).
    const std::string& numbered(std::string_view prefix, std::size_t n, std::string_view suffix);

    struct Xf {  // font, fill and border of a cell format, as indices into styles.xml
        int font = 0, fill = 0, border = 0;
    };
    struct Name {  // a defined name: the print area or the print titles of a sheet
        bool titles;
        std::size_t sheet;
        std::string prefix;  // the sheet as a formula names it, without the '!'
    };

    docx::ZipWriter zip_{docx::ZipWriter::default_level, docx::ZipWriter::small_part_size};
    std::string xml_, name_, scratch_;
    std::vector<Placed> placed_;  // the sheet being written
    // Shared strings in order of first use, back to back in sst_; sst_hash_ is an open-addressing
    // table of sst_items_ indices + 1 (0: empty slot).
    std::string sst_;
    std::vector<std::uint32_t> sst_hash_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sst_items_;  // offset, size into sst_
    std::uint32_t sst_count_ = 0;  // string cells written, repeats included
    // Cell formats (xf) are numbered in order of first use in the sheets' XML (libxlsxwriter's order).
    std::vector<std::int16_t> xf_of_format_;  // layout format → xf index (-1: unused)
    std::vector<std::uint8_t> xf_formats_;    // xf index - 1 → layout format
    std::vector<Xf> xf_scratch_;
    std::vector<Name> names_;
    std::vector<std::string> sheets_xml_, charts_xml_;
    std::string wb_xml_, app_xml_;
};

}  // namespace ppko::xlsx
