#include "sheets/read.h"

#include <algorithm>
#include <system_error>

#include "io/atomic_file.h"
#include "sheets/csv_reader.h"
#include "sheets/errors.h"
#include "sheets/xlsx_reader.h"

namespace ppko::sheets {
namespace {

using detail::fail;

// `ascii` as UTF-16LE occurs in `bytes` (names in an OLE compound file's directory).
bool has_utf16_name(std::string_view bytes, std::string_view ascii) {
    std::string wide;
    for (const char c : ascii) {
        wide += c;
        wide += '\0';
    }
    return bytes.find(wide) != std::string_view::npos;
}

std::string lower_extension(const std::string& file) {
    std::string ext = std::filesystem::path(file).extension().string();
    for (char& c : ext)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return ext;
}

bool starts_with_markup(std::string_view bytes, std::string_view what) {
    std::size_t i = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    std::string head(bytes.substr(i, what.size()));
    for (char& c : head)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return head == what;
}

}  // namespace

Workbook read_workbook_bytes(std::string_view bytes, std::string file, const Limits& limits) {
    if (bytes.size() > limits.max_file_bytes)
        fail(ErrorId::sheet_too_large, file, {},
             "файл занимает " + detail::size_text(bytes.size()) + ", больше предела " +
                 detail::size_text(limits.max_file_bytes) + "; такой файл не читается");
    if (bytes.substr(0, 4) == "PK\x03\x04" || bytes.substr(0, 4) == std::string_view("PK\x05\x06", 4))
        return read_xlsx(bytes, std::move(file), limits);
    if (bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        if (has_utf16_name(bytes, "EncryptedPackage"))
            fail(ErrorId::sheet_encrypted, file, {},
                 "книга защищена паролем (зашифрована) и не читается; откройте её в Excel, снимите пароль "
                 "(Файл → Сведения → Защитить книгу → Зашифровать с использованием пароля, пустой пароль) и "
                 "сохраните");
        if (has_utf16_name(bytes, "Workbook") || has_utf16_name(bytes, "Book"))
            fail(ErrorId::sheet_format, file, {},
                 "это книга Excel 97–2003 (.xls), а читаются .xlsx и CSV; откройте её в Excel или LibreOffice и "
                 "сохраните как «Книга Excel (.xlsx)»");
        fail(ErrorId::sheet_format, file, {}, "это файл Microsoft Office старого формата, а не книга Excel (.xlsx)");
    }
    if (starts_with_markup(bytes, "<html") || starts_with_markup(bytes, "<!doctype html") ||
        starts_with_markup(bytes, "<table"))
        fail(ErrorId::sheet_format, file, {},
             "это страница HTML (так некоторые системы выгружают «Excel»), а не книга Excel; откройте её в Excel "
             "или LibreOffice и сохраните как «Книга Excel (.xlsx)»");
    if (starts_with_markup(bytes, "<?xml") && bytes.substr(0, 4096).find("urn:schemas-microsoft-com:office:spreadsheet") != std::string_view::npos)
        fail(ErrorId::sheet_format, file, {},
             "это «Таблица XML 2003», а не книга Excel (.xlsx); откройте её в Excel или LibreOffice и сохраните как "
             "«Книга Excel (.xlsx)»");
    const std::string ext = lower_extension(file);
    if (ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".ods")
        fail(ErrorId::sheet_corrupt, file, {},
             "файл повреждён: это не архив ZIP, каким должна быть книга " + ext + " (файл обрезан или записан не "
             "полностью?)");
    return read_csv(bytes, std::move(file), limits);
}

Workbook read_workbook(const std::filesystem::path& path, const Limits& limits) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > limits.max_file_bytes)
        fail(ErrorId::sheet_too_large, path.string(), {},
             "файл занимает " + detail::size_text(size) + ", больше предела " + detail::size_text(limits.max_file_bytes) +
                 "; такой файл не читается");
    const std::string bytes = io::read_file(path);
    return read_workbook_bytes(bytes, path.string(), limits);
}

}  // namespace ppko::sheets
