// Fuzz target: spreadsheets in (engine/sheets). Input: a file's bytes, read as the import will
// read them — a ZIP archive as XLSX, anything else as CSV (read_workbook_bytes) — then the table
// layer on every sheet with every value of every row read as a number, a date and text. Limits
// are lowered so that each input stays fast (a zip bomb is still a zip bomb at 1 MB).
//
// Seeds (corpus/xlsx_reader/, make_seeds.sh): the fixtures of tests/data/sheets/, and
// results_openpyxl_stored.xlsx, the openpyxl fixture re-zipped without compression so that
// mutations reach the XML handlers (a part's CRC-32 is checked only once it has been parsed).
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
