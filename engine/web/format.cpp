#include "web/format.h"

#include <cstdio>

#include "text/russian.h"

namespace ppko::web {

std::string group_digits(long long n) {
    const bool negative = n < 0;
    // Through unsigned so that the smallest long long has a magnitude too.
    unsigned long long m = negative ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
    const std::string digits = std::to_string(m);
    std::string out = negative ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00A0";
        out += digits[i];
    }
    return out;
}

std::string short_date(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-') return std::string(iso);
    const auto d = text::parse_date(iso);
    return d ? text::format_date_short(*d) : std::string(iso);
}

std::string date_time_utc(long long seconds) {
    const long long days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    const long long rest = seconds - days * 86400;
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(rest / 3600), static_cast<int>(rest % 3600 / 60));
    return text::format_date_short(text::date_from_days(days)) + " " + hm + " UTC";
}

std::string count(long long n, std::string_view one, std::string_view few, std::string_view many) {
    return group_digits(n) + "\u00A0" + std::string(text::plural_form(n, one, few, many));
}

}  // namespace ppko::web
