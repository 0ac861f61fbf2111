// Russian official writing (the conventions of GOST R 7.0.97-2016 documents that users check):
// dates, month names and ranges, initials, plural agreement, «№», «ёлочки», non-breaking spaces.
// Pure functions on UTF-8 strings; nothing here does I/O or throws on bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ppko::text {

struct Date {
    int year = 0, month = 0, day = 0;
};
struct YearMonth {
    int year = 0, month = 0;
};

// "01.03.2018" or "2018-03-01": exactly these two shapes, two-digit day and month, four-digit
// year. nullopt when the shape is wrong or the date does not exist (31.02.2018, 29.02.2019;
// proleptic Gregorian leap rules, years 1..9999).
std::optional<Date> parse_date(std::string_view s);
// "2018-03" or "03.2018"; nullopt on any other shape or a month outside 1..12.
std::optional<YearMonth> parse_year_month(std::string_view s);
// The first calendar year of an academic year written "2019-2020" (two consecutive four-digit
// years), or nullopt.
std::optional<int> parse_academic_year(std::string_view s);
bool is_valid(Date d);

// Day numbers of the proleptic Gregorian calendar (H. Hinnant's days_from_civil and
// civil_from_days): days since 1970-01-01, negative before it, and back. Fields are not checked;
// date_from_days(days_from_date(d)) == d for every valid d.
std::int64_t days_from_date(Date d);
Date date_from_days(std::int64_t days);

// Both formatters expect a valid date (is_valid); an invalid one is printed field by field as
// given, without checks (e.g. format_date_short({2018, 2, 31}) == "31.02.2018").
std::string format_date_short(Date d);  // "01.03.2018"
std::string format_date_long(Date d);   // "1 марта 2018 года" (ordinary spaces; see typographic)

// Month names, lower case; "" for a month outside 1..12.
std::string_view month_nominative(int month);     // 1 → "январь"
std::string_view month_genitive(int month);       // 3 → "марта"
std::string_view month_prepositional(int month);  // 3 → "марте"

// Month ranges as roadmaps and program stages write them (seed 001):
//   month_range(3, 11) == "март-ноябрь"   (hyphen, no spaces: a compound of two bare names)
//   month_range(3, 3)  == "март"
//   month_range(9, 5)  == "сентябрь-май"  (a range across the new year, as in an academic year)
//   month_range({2018, 1}, {2018, 2}) == "январь-февраль 2018 года"
//   month_range({2018, 3}, {2018, 3}) == "март 2018 года"
//   month_range({2018, 9}, {2019, 5}) == "сентябрь 2018 года – май 2019 года"
// Across years each end carries its own year and the ends are joined by an en dash with spaces
// («–», as between words; a hyphen would join only bare names), the form the seed uses for
// «март – август 2018 года». The spaces are ordinary; typographic() makes the one before the
// dash non-breaking. A month outside 1..12 gives "".
std::string month_range(int from_month, int to_month);
std::string month_range(YearMonth from, YearMonth to);

// Initials from a person's name. Accepted input: "Фамилия Имя Отчество", "Фамилия И.О.",
// "Фамилия И. О.", "И.О. Фамилия", "И. О. Фамилия", "И.О.Фамилия", "Фамилия Имя" (no
// patronymic); surrounding and repeated spaces are ignored. Output has no space between
// initials; initials are upper-cased (Cyrillic and Latin), the surname is kept as written, a
// hyphenated given name keeps its hyphen ("Анна-Мария" → "А.-М."). Words after the
// patronymic (as in «… Рустам оглы») are dropped. A single word is returned trimmed; blank
// input gives "".
//   initials_before("Ковальская Татьяна Ивановна") == "Т.И. Ковальская"  (signatures)
//   initials_after("Ю. Н. Борисенкова") == "Борисенкова Ю.Н."             (tables)
std::string initials_before(std::string_view name);
std::string initials_after(std::string_view name);

// The form agreeing with n: one for 1, 21, 101 …; few for 2–4, 22–24 …; many for 0, 5–20,
// 25–30, 111–114 …; a negative n agrees as |n|.
//   plural_form(21, "школа", "школы", "школ") == "школа"
std::string_view plural_form(long long n, std::string_view one, std::string_view few,
                             std::string_view many);

// A number as a Russian text shows it: format_decimal(5) == "5", format_decimal(2.5) == "2,5",
// format_decimal(1e85) == "1e+85" (the shortest digits that read back to the same double, with
// a decimal comma). Integers below 10^15 are written in full, without exponent.
std::string format_decimal(double x);

// x as a whole number when it is one and |x| < 2^53 (every such double is exact); otherwise
// nullopt — also for NaN, infinities and 1e85, whose cast to an integer type would be undefined.
std::optional<long long> exact_integer(double x);

// A document number with the number sign: "43-о/д" → "№ 43-о/д" with U+00A0 after «№». A value
// that already starts with «№» (followed by any spaces, or none) is normalised the same way;
// surrounding spaces are trimmed; blank input gives "".
std::string number_sign(std::string_view number);

// The place of issue as GOST R 7.0.97 writes it: place_of_issue("Демидов") == "г. Демидов" with
// U+00A0 after «г.». A name that already starts with the kind of settlement («г.», «пос.», «п.»,
// «пгт», «рп», «р.п.», «с.», «д.», «ст-ца», «х.», «город», «посёлок», «село», «деревня»,
// «станица») is kept as written (trimmed); blank input gives "".
std::string place_of_issue(std::string_view city);

// Wraps text in «ёлочки»: quote("текст") == "«текст»". Quotes inside become „лапки“: «…» pairs
// and straight "…" pairs (a '"' at the start, after a space or an opening bracket/quote opens,
// any other closes): quote("МБОУ «СШ № 1»") == "«МБОУ „СШ № 1“»".
std::string quote(std::string_view s);

// Typographic clean-up for the `typo` template filter; idempotent. Replaces by one U+00A0
// (no-break space) the run of ordinary spaces
//   - between a number and the word or unit after it («5 школ», «2018 года», «25 %»);
//   - after a one-letter preposition or conjunction: в, к, с, и, а, о, у (either case);
//   - after «№»;
//   - before a dash «–» or «—» that stands between spaces.
// Everything else (including other whitespace) is copied unchanged, except that invalid UTF-8
// bytes become U+FFFD.
std::string typographic(std::string_view s);

}  // namespace ppko::text
