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

std::string_view utf8_prefix(std::string_view s, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t k = 0; k < n && i < s.size(); ++k) decode(s, i);
    return s.substr(0, i);
}

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        decode(s, i);
        ++n;
    }
    return n;
}

std::string change_case(std::string_view s, bool upper) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = decode(s, i);
        if (upper) {
            if ((c >= U'a' && c <= U'z') || (c >= U'а' && c <= U'я')) c -= 32;
            else if (c == U'ё') c = U'Ё';
        } else {
            if ((c >= U'A' && c <= U'Z') || (c >= U'А' && c <= U'Я')) c += 32;
            else if (c == U'Ё') c = U'ё';
        }
        append_utf8(out, c);
    }
    return out;
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
    // Clean stretches (printable ASCII and well-formed multi-byte sequences other than C1
    // controls and U+FFFE/U+FFFF) are appended in one go; only the exceptions are handled one
    // by one. Texts from data are almost always entirely clean.
    std::size_t clean = 0;  // start of the pending clean stretch
    auto flush = [&](std::size_t end) {
        if (end > clean) out.append(s.data() + clean, end - clean);
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b < 0x7F) {
            ++i;
            continue;
        }
        if (b == '\t' || b == '\n') {
            ++i;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
            // Two-byte sequence (Cyrillic lives here); U+0080..U+009F are C1 controls.
            if (b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
                flush(i);
                append_utf8(out, kReplacement);
                i += 2;
                clean = i;
                continue;
            }
            i += 2;
            continue;
        }
        flush(i);
        if (b == '\r') {
            out += '\n';
            ++i;
            if (i < s.size() && s[i] == '\n') ++i;
            clean = i;
            continue;
        }
        const std::size_t at = i;
        const char32_t cp = decode(s, i);
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF || cp == kReplacement) {
            append_utf8(out, kReplacement);
        } else {
            out.append(s.data() + at, i - at);
        }
        clean = i;
    }
    flush(s.size());
}

}  // namespace ppko::text
