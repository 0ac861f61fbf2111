#include "xlsx/xlsx_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "diag/diagnostic.h"

namespace ppko::xlsx {

void XlsxWriter::write(const doc::Document& doc, const doc::LayoutProfile& profile,
                       std::string& out, std::string_view file) {
    builder_.build(doc, profile, file, layout_);
    package_.write(layout_, profile, out);
}

void write_xlsx(const doc::Document& doc, const doc::LayoutProfile& profile,
                const std::string& path) {
    thread_local XlsxWriter writer;
    thread_local std::string bytes;
    writer.write(doc, profile, bytes, path);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    bool ok = f != nullptr;
    int err = errno;
    if (ok) {
        ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
        err = errno;
        ok = (std::fclose(f) == 0) && ok;
        if (!ok && err == 0) err = errno;
    }
    if (!ok)
        throw Error(ErrorId::io_write, path, {}, "",
                    std::string("не удаётся записать файл XLSX: ") + std::strerror(err));
}

}  // namespace ppko::xlsx
