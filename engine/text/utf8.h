// UTF-8 helpers used wherever positions are counted in characters (error columns) or text from
// data is made safe for a document (control characters, invalid bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ppko::text {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at s[i] and advances i past it. Invalid or truncated sequences
// (and overlong forms, surrogates, values above U+10FFFF) yield U+FFFD and advance one byte.
char32_t decode(std::string_view s, std::size_t& i);

void append_utf8(std::string& out, char32_t cp);

std::size_t count_code_points(std::string_view s);

// The first `n` characters of `s` (all of it when shorter), never cutting a character in two.
std::string_view utf8_prefix(std::string_view s, std::size_t n);

// Moves `i` past the character at s[i] and keeps a 1-based line:column (columns in characters)
// in step: the one rule every parser of the project (JSON, templates, expressions) counts by.
inline void step(std::string_view s, std::size_t& i, int& line, int& column) {
    if (s[i] == '\n') {
        ++line;
        column = 1;
        ++i;
        return;
    }
    decode(s, i);
    ++column;
}

// Upper or lower case of the Latin and Russian letters (а–я, ё); every other character is
// copied as it is (invalid bytes become U+FFFD).
//   change_case("Приказ № 5", true) == "ПРИКАЗ № 5"
std::string change_case(std::string_view s, bool upper);

// True when `s` is well-formed UTF-8; otherwise *bad_offset (if given) is the first bad byte.
bool is_valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr);

// Text from data as it may appear in a document run: "\r\n" and "\r" become "\n"; "\t" and "\n"
// stay; other C0/C1 control characters, U+FFFE/U+FFFF and invalid bytes become U+FFFD.
// Appends to `out`.
void append_sanitized(std::string& out, std::string_view s);

}  // namespace ppko::text
