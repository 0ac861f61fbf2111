#include "sheets/number_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ppko::sheets {
namespace {

using Kind = NumberFormat::Kind;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The first section of a format code (sections are separated by ';' outside quotes, escapes
// and brackets).
std::string_view first_section(std::string_view code) {
    bool quoted = false;
    int bracket = 0;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (quoted) {
            if (c == '"') quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;
        } else if (c == '[') {
            ++bracket;
        } else if (c == ']') {
            if (bracket > 0) --bracket;
        } else if (c == ';' && bracket == 0) {
            return code.substr(0, i);
        }
    }
    return code;
}

NumberFormat classify_code(std::string_view code) {
    const std::string_view s = first_section(code);
    bool date = false, time = false, month = false, percent = false, text = false;
    bool point = false, grouping = false, digits_seen = false;
    int decimals = 0;
    bool general = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            const auto close = s.find('"', i + 1);
            if (close == std::string_view::npos) break;
            i = close;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            ++i;
            continue;
        }
        if (c == '[') {
            const auto close = s.find(']', i + 1);
            if (close == std::string_view::npos) break;
            const std::string_view inside = s.substr(i + 1, close - i - 1);
            // [h], [hh], [m], [mm], [s], [ss]: elapsed time; anything else is a colour, a
            // condition or a locale ([$-419]).
            if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) time = true;
            i = close;
            continue;
        }
        const char l = lower(c);
        if (l == 'g' && s.size() - i >= 7) {
            std::string word;
            for (char w : s.substr(i, 7)) word += lower(w);
            if (word == "general") {
                general = true;
                i += 6;
                continue;
            }
        }
        if (l == 'e' && i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) {  // 0.00E+00
            ++i;
            continue;
        }
        switch (l) {
            case 'd': case 'y': case 'e': date = true; break;
            case 'h': case 's': time = true; break;
            case 'm': month = true; break;
            case '%': percent = true; break;
            case '@': text = true; break;
            case '.': if (!point && digits_seen) point = true; break;
            case ',': if (!point && digits_seen) grouping = true; break;
            case '0': case '#': case '?':
                digits_seen = true;
                if (point) ++decimals;
                break;
            default: break;
        }
    }
    // 'm' is a month unless it sits in a time («hh:mm», «mm:ss»).
    if (month && !time) date = true;
    NumberFormat f;
    if (date || time) {
        f.kind = date && time ? Kind::datetime : date ? Kind::date : Kind::time;
        return f;
    }
    if (general && !digits_seen) return f;
    if (text) {
        f.kind = Kind::text;
        return f;
    }
    if (!digits_seen) return f;
    f.kind = percent ? Kind::percent : Kind::number;
    f.decimals = static_cast<std::int8_t>(std::min(decimals, 30));
    f.grouping = grouping && !percent;
    return f;
}

NumberFormat builtin(std::uint32_t id) {
    NumberFormat f;
    auto number = [&](Kind k, int decimals, bool grouping) {
        f.kind = k;
        f.decimals = static_cast<std::int8_t>(decimals);
        f.grouping = grouping;
    };
    switch (id) {
        case 1: number(Kind::number, 0, false); break;
        case 2: number(Kind::number, 2, false); break;
        case 3: case 37: case 38: number(Kind::number, 0, true); break;
        case 4: case 39: case 40: number(Kind::number, 2, true); break;
        case 9: number(Kind::percent, 0, false); break;
        case 10: number(Kind::percent, 2, false); break;
        case 49: f.kind = Kind::text; break;
        case 22: f.kind = Kind::datetime; break;
        default:
            if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) f.kind = Kind::date;
            else if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) f.kind = Kind::time;
            break;
    }
    return f;
}

void use_decimal_comma(std::string& s) {
    for (char& c : s)
        if (c == '.') c = ',';
}

// Digits of the integer part grouped by three with U+00A0.
std::string group_thousands(const std::string& s) {
    const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
    std::size_t end = s.find_first_of(".,", start);
    if (end == std::string::npos) end = s.size();
    std::string out = s.substr(0, start);
    for (std::size_t i = start; i < end; ++i) {
        if (i > start && (end - i) % 3 == 0) out += "\u00A0";
        out += s[i];
    }
    out += s.substr(end);
    return out;
}

// Rounded half away from zero, as Excel shows it (printf rounds half to even: 1234.5 → 1234),
// after rounding to the 15 significant digits Excel keeps (so 1.005 shows as 1.01).
std::string fixed(double v, int decimals) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    v = std::strtod(buf, nullptr);
    if (const double scale = std::pow(10.0, decimals); std::fabs(v) * scale < 1e15) v = std::round(v * scale) / scale;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no «-0»
    return s;
}

// Up to 15 significant digits, as %.15g writes them (to_chars: the same digits, without
// printf's locale and parsing of the format); integers, the common case, directly.
std::string general(double v) {
    if (std::isnan(v) || std::isinf(v)) return "#NUM!";
    char buf[64];
    if (std::fabs(v) < 1e15 && v == std::trunc(v)) {
        const auto end = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v)).ptr;
        return std::string(buf, end);
    }
    const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15).ptr;
    return std::string(buf, end);
}

}  // namespace

NumberFormat classify_format(std::uint32_t id, std::string_view code) {
    return code.empty() ? builtin(id) : classify_code(code);
}

std::string format_number(double value, const NumberFormat& format) {
    std::string s;
    switch (format.kind) {
        case Kind::number:
            s = fixed(value, format.decimals);
            if (format.grouping) s = group_thousands(s);
            break;
        case Kind::percent:
            s = fixed(value * 100, format.decimals) + "%";
            break;
        default:
            s = general(value);
            break;
    }
    use_decimal_comma(s);
    return s;
}

std::string format_date_time(const DateTime& dt, NumberFormat::Kind kind) {
    char buf[64];
    std::string out;
    if (kind != Kind::time) {
        std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", dt.date.day, dt.date.month, dt.date.year);
        out = buf;
    }
    if (kind != Kind::date) {
        const int h = dt.seconds / 3600, m = dt.seconds / 60 % 60, sec = dt.seconds % 60;
        if (sec != 0) std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, m, sec);
        else std::snprintf(buf, sizeof buf, "%02d:%02d", h, m);
        if (!out.empty()) out += ' ';
        out += buf;
    }
    return out;
}

}  // namespace ppko::sheets
