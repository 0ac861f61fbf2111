// Bounds on what a spreadsheet file may make the readers do: a hostile or broken file (a zip
// bomb, a billion-laughs XML, a sheet claiming two million rows) is refused with sheet.too_large
// or sheet.unsafe before it can take the machine's memory or time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ppko::sheets {

struct Limits {
    std::uint64_t max_file_bytes = 256ull << 20;  // the file as stored
    std::uint32_t max_entries = 10'000;           // ZIP entries (a workbook has tens)
    std::uint64_t max_part_bytes = 256ull << 20;  // one part of the package, uncompressed
    std::uint64_t max_total_bytes = 512ull << 20; // all parts read, uncompressed
    // Uncompressed ÷ compressed of a part. Sheets of repeated empty styled cells reach ~100;
    // a zip bomb reaches ~1,000. Checked once a part has produced `ratio_floor_bytes`.
    std::uint32_t max_ratio = 250;
    std::uint64_t ratio_floor_bytes = 4ull << 20;
    std::uint32_t max_xml_depth = 64;             // nesting of XML elements
    std::uint32_t max_rows = 1'048'576;           // Excel's own limits
    std::uint32_t max_columns = 16'384;
    std::size_t max_cells = 2'000'000;            // non-empty cells in the whole workbook (~80 B each)
    std::size_t max_text_bytes = 1u << 20;        // one cell's text (Excel's limit is 32,767 characters)
};

}  // namespace ppko::sheets
