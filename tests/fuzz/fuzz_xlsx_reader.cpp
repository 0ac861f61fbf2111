// libFuzzer target for engine/sheets: any bytes through read_workbook_bytes (a ZIP archive is
// read as XLSX, anything else as CSV) and the table layer on every sheet, with every value read.
// A ppko::Error is the expected way to refuse input; anything else (a crash, a sanitizer report,
// another exception, a timeout) is a finding. Limits are lowered so that each input stays fast.
//
//   a build of ppko_sheets (and ppko_io, ppko_text, ppko_diag) with clang and
//   -fsanitize=fuzzer-no-link,address,undefined, then this file linked with -fsanitize=fuzzer:
//   ./fuzz_xlsx_reader tests/fuzz/corpus/xlsx_reader
//
// Seeds (corpus/xlsx_reader/): copies of fixtures from tests/data/sheets/, and
// results_openpyxl_stored.xlsx, the openpyxl fixture re-zipped without compression (python3
// zipfile, ZIP_STORED, docProps and theme left out) so that mutations reach the XML handlers (a
// part's CRC-32 is checked only once it has been parsed).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "diag/diagnostic.h"
#include "sheets/read.h"
#include "sheets/table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ppko;
    sheets::Limits limits;
    limits.max_file_bytes = 1u << 20;
    limits.max_part_bytes = 4u << 20;
    limits.max_total_bytes = 16u << 20;
    limits.ratio_floor_bytes = 1u << 20;
    limits.max_cells = 100'000;
    limits.max_text_bytes = 64u << 10;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        const sheets::Workbook book = sheets::read_workbook_bytes(bytes, "fuzz", limits);
        for (const sheets::Sheet& sheet : book.sheets) {
            try {
                const sheets::Table t = sheets::read_table(book, sheet);
                Diagnostics diags;
                for (const auto& row : t.rows)
                    for (std::size_t c = 0; c < t.columns.size(); ++c) {
                        (void)t.number(row, c, diags);
                        (void)t.date(row, c, diags);
                        (void)t.text(row, c);
                    }
            } catch (const Error&) {
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
