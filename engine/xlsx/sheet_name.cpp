#include "xlsx/sheet_name.h"

#include <algorithm>

#include "text/utf8.h"

namespace ppko::xlsx {
namespace {

constexpr std::size_t kMaxUnits = 31;  // Excel's limit, in UTF-16 code units

std::size_t utf16_units(char32_t c) { return c >= 0x10000 ? 2 : 1; }

char32_t fold(char32_t c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x42F) ||
        (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;  // Ё, Ђ, Є, І …
    return c;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) text::append_utf8(out, c);
    return out;
}

std::string folded(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) text::append_utf8(out, fold(c));
    return out;
}

// Cuts `s` to at most `units` UTF-16 units, then trims trailing spaces and apostrophes.
void cut(std::u32string& s, std::size_t units) {
    std::size_t used = 0;
    std::size_t keep = 0;
    while (keep < s.size() && used + utf16_units(s[keep]) <= units) used += utf16_units(s[keep++]);
    s.resize(keep);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\'')) s.pop_back();
}

}  // namespace

std::string SheetNames::next(std::string_view wanted, int number) {
    std::u32string name;
    for (std::size_t i = 0; i < wanted.size();) {
        const std::size_t at = i;
        char32_t c = text::decode(wanted, i);
        if (c == text::kReplacement && i == at + 1) continue;  // an invalid byte
        if (std::u32string_view(U":\\/?*[]").find(c) != std::u32string_view::npos) {
            c = '_';
        } else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFFFE || c == 0xFFFF ||
                   c == 0x2028 || c == 0x2029) {
            c = ' ';
        }
        name += c;
    }
    const auto first = name.find_first_not_of(U" '");
    name.erase(0, first == std::u32string::npos ? name.size() : first);
    cut(name, kMaxUnits);
    if (name.empty()) {
        name = U"Таблица ";
        for (char c : std::to_string(number)) name += static_cast<char32_t>(c);
        cut(name, kMaxUnits);
    }

    auto taken = [this](const std::string& f) {
        return f == "history" || std::find(folded_.begin(), folded_.end(), f) != folded_.end();
    };
    std::u32string candidate = name;
    for (int k = 2; taken(folded(candidate)); ++k) {
        std::u32string suffix = U" (";
        for (char c : std::to_string(k)) suffix += static_cast<char32_t>(c);
        suffix += U')';
        candidate = name;
        cut(candidate, kMaxUnits - suffix.size());
        candidate += suffix;
    }
    folded_.push_back(folded(candidate));
    return encode(candidate);
}

}  // namespace ppko::xlsx
