#include "docx/xml_writer.h"

#include <array>
#include <charconv>
#include <cstdint>

namespace ppko::docx::xml {
namespace {

// What to do with an ASCII byte.
enum : std::uint8_t { keep = 0, escape = 1, drop = 2 };

constexpr std::array<std::uint8_t, 128> make_ascii_table() {
    std::array<std::uint8_t, 128> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = drop;
    t['\t'] = keep;
    t['\n'] = keep;
    t['\r'] = keep;
    t['&'] = escape;
    t['<'] = escape;
    t['>'] = escape;
    t['"'] = escape;
    return t;
}
constexpr auto kAscii = make_ascii_table();

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence starting at s[i] (lead byte >= 0x80), or 0 when the
// bytes there are not well-formed (Unicode 15, Table 3-7).
std::size_t sequence_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const std::size_t left = s.size() - i;
    const unsigned char c = b(0);
    if (c >= 0xC2 && c <= 0xDF) return left >= 2 && is_cont(b(1)) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !is_cont(b(1)) || !is_cont(b(2))) return 0;
        if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
        if (c == 0xED && b(1) > 0x9F) return 0;  // surrogates
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !is_cont(b(1)) || !is_cont(b(2)) || !is_cont(b(3))) return 0;
        if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
        if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
    std::size_t run = 0;  // start of the pending span of bytes copied as they are
    std::size_t i = 0;
    const auto flush = [&](std::size_t end) {
        if (end > run) out.append(text.data() + run, end - run);
    };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            const std::uint8_t action = kAscii[c];
            if (action == keep) {
                ++i;
                continue;
            }
            flush(i);
            if (action == escape) {
                switch (c) {
                    case '&': out += "&amp;"; break;
                    case '<': out += "&lt;"; break;
                    case '>': out += "&gt;"; break;
                    default: out += "&quot;"; break;
                }
            }
            run = ++i;
            continue;
        }
        const std::size_t n = sequence_length(text, i);
        if (n == 0) {
            flush(i);
            out += kReplacement;
            run = ++i;
            continue;
        }
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
        if (n == 3 && c == 0xEF && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
            static_cast<unsigned char>(text[i + 2]) >= 0xBE) {
            flush(i);
            i += 3;
            run = i;
            continue;
        }
        i += n;
    }
    flush(i);
}

void append_int(std::string& out, long long value) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

void append_val(std::string& out, std::string_view name, long long value) {
    out += '<';
    out += name;
    out += " w:val=\"";
    append_int(out, value);
    out += "\"/>";
}

void append_val(std::string& out, std::string_view name, std::string_view value) {
    out += '<';
    out += name;
    out += " w:val=\"";
    append_escaped(out, value);
    out += "\"/>";
}

}  // namespace ppko::docx::xml
