#include "text/utf8.h"

namespace ppko::text {

char32_t decode(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        ++i;
        return kReplacement;
    }
    if (i + len > s.size()) {
        ++i;
        return kReplacement;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return kReplacement;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kReplacement;
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        decode(s, i);
        ++n;
    }
    return n;
}

bool is_valid_utf8(std::string_view s, std::size_t* bad_offset) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const bool ascii = static_cast<unsigned char>(s[i]) < 0x80;
        if (decode(s, i) == kReplacement && !ascii && i == at + 1) {
            // A genuine U+FFFD is three bytes long; a one-byte advance means an invalid byte.
            if (bad_offset) *bad_offset = at;
            return false;
        }
    }
    return true;
}

void append_sanitized(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b < 0x7F) {  // fast path: printable ASCII
            out += static_cast<char>(b);
            ++i;
            continue;
        }
        if (b == '\r') {
            out += '\n';
            ++i;
            if (i < s.size() && s[i] == '\n') ++i;
            continue;
        }
        const std::size_t at = i;
        char32_t cp = decode(s, i);
        if (cp == '\t' || cp == '\n') {
            out += static_cast<char>(cp);
        } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
            append_utf8(out, kReplacement);
        } else if (cp == kReplacement) {
            append_utf8(out, kReplacement);
        } else {
            out.append(s.data() + at, i - at);
        }
    }
}

}  // namespace ppko::text
