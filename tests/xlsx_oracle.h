// The test oracle of the XLSX writer: the same WorkbookLayout written through libxlsxwriter 1.1.4
// (the engine's former emitter), so xlsx_writer_test can compare both packages part by part.
#pragma once

#include <string>

#include "document/layout_profile.h"
#include "xlsx/sheet_layout.h"

namespace ppko::xlsx::oracle {

// Writes `layout` to `path` with libxlsxwriter (temporary files in the same folder). Throws
// std::runtime_error when libxlsxwriter reports an error.
void write_with_libxlsxwriter(const WorkbookLayout& layout, const doc::LayoutProfile& profile,
                              const std::string& path);

}  // namespace ppko::xlsx::oracle
