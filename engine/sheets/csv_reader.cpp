#include "sheets/csv_reader.h"

#include <array>
#include <filesystem>

#include "sheets/errors.h"
#include "text/utf8.h"

namespace ppko::sheets {
namespace {

using detail::fail;

// Code points of Windows-1251 bytes 0x80..0xBF (0xC0..0xFF are А..я in order).
constexpr std::array<char16_t, 64> kCp1251High = {
    u'Ђ', u'Ѓ', u'‚', u'ѓ', u'„', u'…', u'†', u'‡', u'€', u'‰', u'Љ', u'‹', u'Њ', u'Ќ', u'Ћ', u'Џ',
    u'ђ', u'‘', u'’', u'“', u'”', u'•', u'–', u'—', 0xFFFD, u'™', u'љ', u'›', u'њ', u'ќ', u'ћ', u'џ',
    0x00A0, u'Ў', u'ў', u'Ј', u'¤', u'Ґ', u'¦', u'§', u'Ё', u'©', u'Є', u'«', u'¬', 0x00AD, u'®', u'Ї',
    u'°', u'±', u'І', u'і', u'ґ', u'µ', u'¶', u'·', u'ё', u'№', u'є', u'»', u'ј', u'Ѕ', u'ѕ', u'ї',
};

struct LineStart {
    int line = 1;
    std::size_t offset = 0;  // byte offset of the line in the text
};

Position position_of(std::string_view text, const LineStart& p, std::size_t offset) {
    return {p.line, static_cast<int>(text::count_code_points(text.substr(p.offset, offset - p.offset))) + 1};
}

// The line and column (in characters) of byte `offset` of `bytes`, counted from the start.
Position locate(std::string_view bytes, std::size_t offset) {
    LineStart p;
    for (std::size_t i = 0; i < offset; ++i)
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))) {
            ++p.line;
            p.offset = i + 1;
        }
    return position_of(bytes, p, offset);
}

std::string utf16_to_utf8(std::string_view s, bool little_endian, const std::string& file) {
    if (s.size() % 2 != 0)
        fail(ErrorId::sheet_encoding, file, {}, "файл в кодировке UTF-16 обрывается на половине символа");
    std::string out;
    out.reserve(s.size());
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
        return static_cast<char32_t>(little_endian ? a | b << 8 : b | a << 8);
    };
    for (std::size_t i = 0; i < s.size(); i += 2) {
        char32_t c = unit(i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < s.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = text::kReplacement;
        }
        text::append_utf8(out, c);
    }
    return out;
}

// The separator: the most frequent of ';', '\t', ',' outside quotes in the first lines.
char detect_separator(std::string_view s) {
    std::size_t semicolons = 0, tabs = 0, commas = 0;
    bool quoted = false;
    int lines = 0;
    for (std::size_t i = 0; i < s.size() && lines < 20; ++i) {
        const char c = s[i];
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == ';') ++semicolons;
        else if (c == '\t') ++tabs;
        else if (c == ',') ++commas;
        else if (c == '\n') ++lines;
    }
    if (semicolons == 0 && tabs == 0 && commas == 0) return ',';
    if (semicolons >= tabs && semicolons >= commas) return ';';
    return tabs >= commas ? '\t' : ',';
}

std::string sheet_name_of(const std::string& file) {
    std::string stem = std::filesystem::path(file).stem().string();
    return stem.empty() ? "Лист1" : stem;
}

}  // namespace

std::string cp1251_to_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() * 2);
    for (const char ch : s) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) out += ch;
        else if (b < 0xC0) text::append_utf8(out, kCp1251High[b - 0x80]);
        else text::append_utf8(out, static_cast<char32_t>(0x0410 + (b - 0xC0)));
    }
    return out;
}

Workbook read_csv(std::string_view bytes, std::string file, const Limits& limits, CsvFormat* format) {
    if (bytes.size() > limits.max_file_bytes)
        fail(ErrorId::sheet_too_large, file, {},
             "файл занимает " + detail::size_text(bytes.size()) + ", больше предела " +
                 detail::size_text(limits.max_file_bytes) + "; такой файл не читается");
    CsvFormat detected;
    std::string converted;
    std::string_view text = bytes;
    if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF") {
        detected.encoding = CsvEncoding::utf16;
        converted = utf16_to_utf8(text.substr(2), text[0] == '\xFF', file);
        text = converted;
    } else if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    } else if (!text::is_valid_utf8(text)) {
        if (const auto at = text.find('\x98'); at != std::string_view::npos) {
            const auto pos = locate(text, at);
            throw Error(ErrorId::sheet_encoding, file, pos, {},
                        "файл не в кодировке UTF-8, а в Windows-1251 байта 0x98 нет; сохраните файл как "
                        "«CSV UTF-8 (разделитель — запятая)»");
        }
        detected.encoding = CsvEncoding::cp1251;
        converted = cp1251_to_utf8(text);
        text = converted;
    }
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        throw Error(ErrorId::sheet_format, file, locate(text, nul), {},
                    "файл не похож на таблицу CSV: в нём двоичные данные (байт 0); читаются книги Excel (.xlsx) и CSV");
    detected.separator = detect_separator(text);
    if (format) *format = detected;

    Workbook book;
    book.file = file;
    Sheet& sheet = book.sheets.emplace_back();
    sheet.name = sheet_name_of(file);
    const char sep = detected.separator;
    LineStart pos;
    std::uint32_t row = 0, col = 0;
    std::string field;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto new_line = [&](std::size_t next) {
        ++pos.line;
        pos.offset = next;
    };
    auto too_large = [&](std::string what) {
        fail(ErrorId::sheet_too_large, file, sheet.where(row, col), std::move(what) + "; такой файл не читается");
    };
    auto store = [&] {
        if (col >= limits.max_columns)
            too_large("в строке больше " + detail::count_text(limits.max_columns) + " полей");
        if (!field.empty()) {
            if (sheet.cells.size() >= limits.max_cells)
                too_large("в файле больше " + detail::count_text(limits.max_cells) + " заполненных ячеек");
            Cell& c = sheet.cells.emplace_back();
            c.row = row;
            c.col = col;
            c.kind = CellKind::text;
            c.text = std::move(field);
            field.clear();
        }
    };
    auto append = [&](std::string_view piece) {
        if (field.size() + piece.size() > limits.max_text_bytes)
            too_large("поле длиннее " + detail::size_text(limits.max_text_bytes));
        field.append(piece);
    };
    while (i < n) {
        // One field, starting at text[i].
        if (text[i] == '"') {
            const std::size_t open = i;
            const LineStart open_pos = pos;
            ++i;
            for (;;) {
                const std::size_t q = text.find('"', i);
                if (q == std::string_view::npos)
                    throw Error(ErrorId::sheet_csv_syntax, file, position_of(text, open_pos, open), {},
                                "кавычка, открытая здесь, не закрыта до конца файла (кавычка внутри поля в кавычках "
                                "пишется дважды: \"\")");
                // Line breaks inside the quotes still count as lines for positions.
                for (std::size_t k = i; k < q; ++k)
                    if (text[k] == '\n' || (text[k] == '\r' && (k + 1 >= n || text[k + 1] != '\n'))) new_line(k + 1);
                append(text.substr(i, q - i));
                i = q + 1;
                if (i < n && text[i] == '"') {
                    append("\"");
                    ++i;
                    continue;
                }
                break;
            }
        }
        // The unquoted field, or what follows a closing quote, up to the separator or line end.
        const std::size_t end = text.find_first_of(sep == ',' ? std::string_view(",\r\n") : sep == ';' ? ";\r\n" : "\t\r\n", i);
        const std::size_t stop = end == std::string_view::npos ? n : end;
        append(text.substr(i, stop - i));
        i = stop;
        store();
        if (i >= n) break;
        if (text[i] == sep) {
            ++i;
            ++col;
            continue;
        }
        // A line end: CRLF, LF or CR.
        i += (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
        new_line(i);
        col = 0;
        if (++row >= limits.max_rows && i < n)
            too_large("в файле больше " + detail::count_text(limits.max_rows) + " строк");
    }
    if (sheet.cells.empty()) fail(ErrorId::sheet_empty, file, {}, "в файле нет ни одного заполненного поля");
    return book;
}

}  // namespace ppko::sheets
