#include "text/russian.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <vector>

#include "text/utf8.h"

namespace ppko::text {
namespace {

constexpr std::string_view kNbsp = "\u00A0";
constexpr char32_t kNbspCp = 0x00A0;
constexpr char32_t kNumeroCp = 0x2116;  // №
constexpr std::string_view kNumero = "\u2116";

constexpr std::array<std::string_view, 12> kNominative = {
    "январь", "февраль", "март",     "апрель",  "май",    "июнь",
    "июль",   "август",  "сентябрь", "октябрь", "ноябрь", "декабрь"};
constexpr std::array<std::string_view, 12> kGenitive = {
    "января", "февраля", "марта",    "апреля",  "мая",    "июня",
    "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
constexpr std::array<std::string_view, 12> kPrepositional = {
    "январе", "феврале", "марте",    "апреле",  "мае",    "июне",
    "июле",   "августе", "сентябре", "октябре", "ноябре", "декабре"};

bool valid_month(int m) { return m >= 1 && m <= 12; }

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// The decimal value of s[pos, pos+len) when it is all ASCII digits, else -1.
int digits(std::string_view s, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

void append_padded(std::string& out, int v, int width) {
    std::string d = std::to_string(v < 0 ? -v : v);
    if (v < 0) out += '-';
    for (int i = static_cast<int>(d.size()); i < width; ++i) out += '0';
    out += d;
}

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == kNbspCp || c == 0x2009 ||
           c == 0x202F;
}

bool is_letter(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x400 && c <= 0x52F);
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

char32_t to_upper(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x44F) ||
        (c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;  // ё, ђ, є, і …
    return c;
}

std::vector<char32_t> decode_all(std::string_view s) {
    std::vector<char32_t> cps;
    cps.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) cps.push_back(decode(s, i));
    return cps;
}

std::string_view trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e) {
        std::size_t i = b;
        if (!is_space(decode(s, i))) break;
        b = i;
    }
    while (e > b) {
        // Step back to the start of the last code point.
        std::size_t start = e - 1;
        while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        std::size_t i = start;
        if (!is_space(decode(s, i))) break;
        e = start;
    }
    return s.substr(b, e - b);
}

// ---- names ----

struct NamePiece {
    bool initial = false;
    std::string text;  // a word as written, or an initial formatted as "И." / "А.-М."
};

// "И" or "А-М": single letters joined by hyphens.
bool is_initial_segment(const std::vector<char32_t>& seg) {
    if (seg.empty()) return false;
    bool want_letter = true;
    for (char32_t c : seg) {
        if (want_letter) {
            if (!is_letter(c)) return false;
            want_letter = false;
        } else {
            if (c != '-') return false;
            want_letter = true;
        }
    }
    return !want_letter;
}

// The initials of a given name or patronymic: "Анна-Мария" → "А.-М."; "" when it has no letter.
std::string initials_of_word(const std::vector<char32_t>& word) {
    std::string out;
    bool take = true;
    for (char32_t c : word) {
        if (c == '-') {
            if (!out.empty()) {
                out += '-';
                take = true;
            }
        } else if (take && is_letter(c)) {
            append_utf8(out, to_upper(c));
            out += '.';
            take = false;
        }
    }
    if (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

void add_segment(std::vector<NamePiece>& pieces, std::vector<char32_t>& seg) {
    if (seg.empty()) return;
    if (seg.front() == '-' && !pieces.empty() && pieces.back().initial) {
        // The second half of a hyphenated initial, "А.-М.": "-М" after "А."
        seg.erase(seg.begin());
        if (is_initial_segment(seg)) {
            pieces.back().text += '-';
            pieces.back().text += initials_of_word(seg);
            seg.clear();
            return;
        }
        seg.insert(seg.begin(), U'-');
    }
    NamePiece p;
    p.initial = is_initial_segment(seg);
    if (p.initial) {
        p.text = initials_of_word(seg);
    } else {
        for (char32_t c : seg) append_utf8(p.text, c);
    }
    pieces.push_back(std::move(p));
    seg.clear();
}

std::vector<NamePiece> split_name(std::string_view name) {
    std::vector<NamePiece> pieces;
    std::vector<char32_t> seg;
    for (char32_t c : decode_all(name)) {
        if (is_space(c) || c == '.') {
            // A dot ends an initial ("И.") or a word ("Ковальская." at the end of a sentence).
            add_segment(pieces, seg);
        } else {
            seg.push_back(c);
        }
    }
    add_segment(pieces, seg);
    return pieces;
}

struct ParsedName {
    std::string surname;
    std::string initials;  // "Т.И."
};

ParsedName parse_name(std::string_view name) {
    ParsedName r;
    const std::vector<NamePiece> pieces = split_name(name);
    if (pieces.empty()) return r;
    if (!pieces.front().initial) {
        // Surname first: the next two pieces are the given name and the patronymic.
        r.surname = pieces.front().text;
        for (std::size_t i = 1; i < pieces.size() && i <= 2; ++i) {
            if (pieces[i].initial) {
                r.initials += pieces[i].text;
            } else {
                r.initials += initials_of_word(decode_all(pieces[i].text));
            }
        }
        return r;
    }
    // Initials first: the leading initials, then the surname (all remaining words).
    std::size_t i = 0;
    for (; i < pieces.size() && pieces[i].initial; ++i) r.initials += pieces[i].text;
    for (; i < pieces.size(); ++i) {
        if (!r.surname.empty()) r.surname += ' ';
        r.surname += pieces[i].text;
    }
    return r;
}

std::string join_name(const std::string& first, const std::string& second) {
    if (first.empty()) return second;
    if (second.empty()) return first;
    return first + ' ' + second;
}

// ---- quotes ----

bool opens_quote_after(char32_t prev) {
    return is_space(prev) || prev == '(' || prev == '[' || prev == '{' || prev == U'„' ||
           prev == U'«';
}

// ---- typographic ----

bool is_unit_start(char32_t c) {
    return is_letter(c) || c == '%' || c == U'‰' || c == U'°' || c == U'₽' || c == U'€';
}

bool is_one_letter_word(char32_t c) {
    return std::u32string_view(U"вксиаоуВКСИАОУ").find(c) != std::u32string_view::npos;
}

}  // namespace

// ---- dates ----

std::int64_t days_from_date(Date d) {
    const auto m = static_cast<unsigned>(d.month), day = static_cast<unsigned>(d.day);
    const std::int64_t y = std::int64_t{d.year} - (m <= 2);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date date_from_days(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
    return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

bool is_valid(Date d) {
    return d.year >= 1 && d.year <= 9999 && valid_month(d.month) && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

std::optional<Date> parse_date(std::string_view s) {
    if (s.size() != 10) return std::nullopt;
    Date d;
    if (s[2] == '.' && s[5] == '.') {
        d.day = digits(s, 0, 2);
        d.month = digits(s, 3, 2);
        d.year = digits(s, 6, 4);
    } else if (s[4] == '-' && s[7] == '-') {
        d.year = digits(s, 0, 4);
        d.month = digits(s, 5, 2);
        d.day = digits(s, 8, 2);
    } else {
        return std::nullopt;
    }
    if (!is_valid(d)) return std::nullopt;
    return d;
}

std::optional<int> parse_academic_year(std::string_view s) {
    if (s.size() != 9 || s[4] != '-') return std::nullopt;
    const int first = digits(s, 0, 4), second = digits(s, 5, 4);
    if (first < 0 || second != first + 1) return std::nullopt;
    return first;
}

std::optional<YearMonth> parse_year_month(std::string_view s) {
    if (s.size() != 7) return std::nullopt;
    YearMonth ym;
    if (s[4] == '-') {
        ym.year = digits(s, 0, 4);
        ym.month = digits(s, 5, 2);
    } else if (s[2] == '.') {
        ym.month = digits(s, 0, 2);
        ym.year = digits(s, 3, 4);
    } else {
        return std::nullopt;
    }
    if (ym.year < 1 || !valid_month(ym.month)) return std::nullopt;
    return ym;
}

std::string format_date_short(Date d) {
    std::string out;
    append_padded(out, d.day, 2);
    out += '.';
    append_padded(out, d.month, 2);
    out += '.';
    append_padded(out, d.year, 4);
    return out;
}

std::string format_date_long(Date d) {
    std::string out = std::to_string(d.day);
    out += ' ';
    out += month_genitive(d.month);
    out += ' ';
    out += std::to_string(d.year);
    out += " года";
    return out;
}

std::string_view month_nominative(int month) {
    return valid_month(month) ? kNominative[month - 1] : std::string_view{};
}
std::string_view month_genitive(int month) {
    return valid_month(month) ? kGenitive[month - 1] : std::string_view{};
}
std::string_view month_prepositional(int month) {
    return valid_month(month) ? kPrepositional[month - 1] : std::string_view{};
}

std::string month_range(int from_month, int to_month) {
    if (!valid_month(from_month) || !valid_month(to_month)) return {};
    std::string out(month_nominative(from_month));
    if (to_month != from_month) {
        out += '-';
        out += month_nominative(to_month);
    }
    return out;
}

std::string month_range(YearMonth from, YearMonth to) {
    if (!valid_month(from.month) || !valid_month(to.month)) return {};
    std::string out;
    if (from.year == to.year) {
        out = month_range(from.month, to.month);
    } else {
        out += month_nominative(from.month);
        out += ' ';
        out += std::to_string(from.year);
        out += " года – ";
        out += month_nominative(to.month);
    }
    out += ' ';
    out += std::to_string(to.year);
    out += " года";
    return out;
}

// ---- names ----

std::string initials_before(std::string_view name) {
    ParsedName n = parse_name(name);
    return join_name(n.initials, n.surname);
}

std::string initials_after(std::string_view name) {
    ParsedName n = parse_name(name);
    return join_name(n.surname, n.initials);
}

// ---- numbers ----

std::string_view plural_form(long long n, std::string_view one, std::string_view few,
                             std::string_view many) {
    const unsigned long long u =
        n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
    const unsigned long long m100 = u % 100;
    const unsigned long long m10 = u % 10;
    if (m100 >= 11 && m100 <= 14) return many;
    if (m10 == 1) return one;
    if (m10 >= 2 && m10 <= 4) return few;
    return many;
}

std::optional<long long> exact_integer(double x) {
    constexpr double limit = 9007199254740992.0;  // 2^53
    if (!(x > -limit && x < limit) || x != std::trunc(x)) return std::nullopt;
    return static_cast<long long>(x);
}

std::string format_decimal(double x) {
    if (const auto n = exact_integer(x); n && *n > -1'000'000'000'000'000 && *n < 1'000'000'000'000'000)
        return std::to_string(*n);
    char buf[64];
    const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
    std::string s(buf, end);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::string number_sign(std::string_view number) {
    std::string_view v = trim(number);
    if (v.substr(0, kNumero.size()) == kNumero) v = trim(v.substr(kNumero.size()));
    if (v.empty()) return {};
    std::string out;
    out.reserve(v.size() + kNumero.size() + kNbsp.size());
    out += kNumero;
    out += kNbsp;
    out += v;
    return out;
}

std::string place_of_issue(std::string_view city) {
    const std::string_view v = trim(city);
    if (v.empty()) return {};
    // Abbreviations and words that already name the kind of settlement.
    static constexpr std::string_view kKinds[] = {"г.", "пос.", "п.", "пгт", "рп", "р.п.", "с.", "д.", "ст-ца", "х.",
                                                  "город", "посёлок", "поселок", "село", "деревня", "станица"};
    for (std::string_view k : kKinds) {
        if (v.substr(0, k.size()) != k) continue;
        if (v.size() == k.size() || k.back() == '.' || v[k.size()] == ' ' || v.substr(k.size(), kNbsp.size()) == kNbsp) {
            return std::string(v);
        }
    }
    std::string out = "г.";
    out += kNbsp;
    out += v;
    return out;
}

// ---- quotes ----

std::string quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    out += "«";
    char32_t prev = ' ';  // the start of the text opens like a space does
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const char32_t c = decode(s, i);
        if (c == U'«') {
            out += "„";
        } else if (c == U'»') {
            out += "“";
        } else if (c == '"') {
            out += opens_quote_after(prev) ? "„" : "“";
        } else {
            out.append(s.data() + at, i - at);
        }
        prev = c;
    }
    out += "»";
    return out;
}

// ---- typographic ----

std::string typographic(std::string_view s) {
    const std::vector<char32_t> in = decode_all(s);
    std::vector<char32_t> out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        if (in[i] != ' ') {
            out.push_back(in[i++]);
            continue;
        }
        std::size_t j = i;
        while (j < in.size() && in[j] == ' ') ++j;
        const bool has_prev = !out.empty();
        const bool has_next = j < in.size();
        const char32_t prev = has_prev ? out.back() : 0;
        const char32_t before_prev = out.size() >= 2 ? out[out.size() - 2] : ' ';
        const char32_t next = has_next ? in[j] : 0;
        bool glue = false;
        if (has_prev && has_next && !is_space(next)) {
            if (is_digit(prev) && is_unit_start(next)) glue = true;  // «5 школ», «25 %»
            if (is_one_letter_word(prev) && !is_letter(before_prev) && !is_digit(before_prev) &&
                before_prev != '-' && before_prev != '.')
                glue = true;  // «в школе», «и ОО»
            if (prev == kNumeroCp) glue = true;  // «№ 43»
            if ((next == U'–' || next == U'—') && !is_space(prev) &&
                (j + 1 == in.size() || in[j + 1] == ' '))
                glue = true;  // «2018 года – май»
        }
        if (glue) {
            out.push_back(kNbspCp);
        } else {
            out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(i),
                       in.begin() + static_cast<std::ptrdiff_t>(j));
        }
        i = j;
    }
    std::string r;
    r.reserve(s.size() + 8);
    for (char32_t c : out) append_utf8(r, c);
    return r;
}

}  // namespace ppko::text
