#include "sheets/errors.h"

#include <cstdio>

namespace ppko::sheets::detail {

std::string size_text(std::uint64_t bytes) {
    static constexpr const char* kUnits[] = {"Б", "КБ", "МБ", "ГБ", "ТБ"};
    double v = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (v >= 1024 && unit + 1 < std::size(kUnits)) {
        v /= 1024;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, unit == 0 || v >= 10 ? "%.0f" : "%.1f", v);
    std::string out = buf;
    if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);  // «2 МБ»
    if (const auto dot = out.find('.'); dot != std::string::npos) out[dot] = ',';
    return out + " " + kUnits[unit];
}

std::string count_text(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
        out += digits[i];
    }
    return out;
}

}  // namespace ppko::sheets::detail
