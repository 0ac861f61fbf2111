#include "text/russian.h"
#include "text/utf8.h"

#include <boost/test/unit_test.hpp>

#include <climits>
#include <limits>
#include <string>

using namespace ppko::text;

namespace {

// Readable spelling of U+00A0 in expectations.
const std::string NB = "\u00A0";

std::string show(const std::optional<Date>& d) {
    return d ? format_date_short(*d) : std::string("nullopt");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_russian)

// ---- dates ----

BOOST_AUTO_TEST_CASE(parse_date_accepts_both_shapes) {
    auto a = parse_date("01.03.2018");
    BOOST_REQUIRE(a);
    BOOST_TEST(a->year == 2018);
    BOOST_TEST(a->month == 3);
    BOOST_TEST(a->day == 1);
    auto b = parse_date("2018-03-01");
    BOOST_REQUIRE(b);
    BOOST_TEST(b->year == 2018);
    BOOST_TEST(b->month == 3);
    BOOST_TEST(b->day == 1);
    BOOST_TEST(show(parse_date("31.12.9999")) == "31.12.9999");
    BOOST_TEST(show(parse_date("0001-01-01")) == "01.01.0001");
}

BOOST_AUTO_TEST_CASE(parse_date_rejects_wrong_shapes) {
    for (const char* s : {"", "1.03.2018", "01.3.2018", "01.03.18", "01-03-2018", "2018.03.01",
                          "2018-3-01", "2018-03-1", " 01.03.2018", "01.03.2018 ", "01.03.2018г",
                          "0a.03.2018", "2018-03-0x", "01/03/2018", "２018-03-01", "+1.03.2018"}) {
        BOOST_TEST(!parse_date(s), "accepted «" << s << "»");
    }
}

BOOST_AUTO_TEST_CASE(parse_date_rejects_dates_that_do_not_exist) {
    BOOST_TEST(!parse_date("31.02.2018"));
    BOOST_TEST(!parse_date("29.02.2019"));
    BOOST_TEST(!parse_date("29.02.1900"));  // divisible by 100, not by 400
    BOOST_TEST(!parse_date("31.04.2018"));
    BOOST_TEST(!parse_date("00.01.2018"));
    BOOST_TEST(!parse_date("01.00.2018"));
    BOOST_TEST(!parse_date("01.13.2018"));
    BOOST_TEST(!parse_date("32.01.2018"));
    BOOST_TEST(!parse_date("01.01.0000"));
    BOOST_TEST(show(parse_date("29.02.2020")) == "29.02.2020");
    BOOST_TEST(show(parse_date("2000-02-29")) == "29.02.2000");  // divisible by 400
    BOOST_TEST(show(parse_date("2024-02-29")) == "29.02.2024");
    BOOST_TEST(show(parse_date("31.01.2018")) == "31.01.2018");
}

BOOST_AUTO_TEST_CASE(is_valid_checks_every_field) {
    BOOST_TEST(is_valid({2018, 3, 1}));
    BOOST_TEST(!is_valid({}));
    BOOST_TEST(!is_valid({2018, 2, 29}));
    BOOST_TEST(is_valid({2016, 2, 29}));
    BOOST_TEST(!is_valid({2100, 2, 29}));
    BOOST_TEST(!is_valid({2018, 6, 31}));
    BOOST_TEST(!is_valid({-5, 1, 1}));
    BOOST_TEST(!is_valid({10000, 1, 1}));
}

BOOST_AUTO_TEST_CASE(day_numbers) {
    BOOST_TEST(days_from_date({1970, 1, 1}) == 0);
    BOOST_TEST(days_from_date({1969, 12, 31}) == -1);
    BOOST_TEST(days_from_date({2000, 3, 1}) == 11017);
    BOOST_TEST(days_from_date({1899, 12, 30}) == -25569);  // Excel's day 0
    BOOST_TEST(days_from_date({1, 1, 1}) == -719162);
    for (std::int64_t n = days_from_date({1899, 1, 1}); n <= days_from_date({2101, 1, 1}); n += 7) {
        const Date d = date_from_days(n);
        BOOST_TEST_REQUIRE(is_valid(d));
        BOOST_TEST_REQUIRE(days_from_date(d) == n);
    }
    const Date leap = date_from_days(days_from_date({2020, 2, 28}) + 1);
    BOOST_TEST(format_date_short(leap) == "29.02.2020");
}

BOOST_AUTO_TEST_CASE(parse_year_month_accepts_both_shapes) {
    auto a = parse_year_month("2018-03");
    BOOST_REQUIRE(a);
    BOOST_TEST(a->year == 2018);
    BOOST_TEST(a->month == 3);
    auto b = parse_year_month("12.2020");
    BOOST_REQUIRE(b);
    BOOST_TEST(b->year == 2020);
    BOOST_TEST(b->month == 12);
    for (const char* s : {"", "2018-3", "3.2018", "2018-13", "00.2018", "2018/03", "2018-03-01",
                          "0000-01", "18-03", "2018-0a", "03-2018", "2018.03"}) {
        BOOST_TEST(!parse_year_month(s), "accepted «" << s << "»");
    }
}

BOOST_AUTO_TEST_CASE(formats_dates) {
    BOOST_TEST(format_date_short({2018, 3, 1}) == "01.03.2018");
    BOOST_TEST(format_date_short({2020, 12, 25}) == "25.12.2020");
    BOOST_TEST(format_date_short({5, 1, 9}) == "09.01.0005");
    BOOST_TEST(format_date_long({2018, 3, 1}) == "1 марта 2018 года");
    BOOST_TEST(format_date_long({2020, 8, 25}) == "25 августа 2020 года");
    BOOST_TEST(format_date_long({2020, 12, 22}) == "22 декабря 2020 года");
    BOOST_TEST(format_date_long({2019, 5, 9}) == "9 мая 2019 года");
}

// ---- months ----

BOOST_AUTO_TEST_CASE(month_names_in_three_cases) {
    BOOST_TEST(month_nominative(1) == "январь");
    BOOST_TEST(month_nominative(5) == "май");
    BOOST_TEST(month_nominative(12) == "декабрь");
    BOOST_TEST(month_genitive(3) == "марта");
    BOOST_TEST(month_genitive(5) == "мая");
    BOOST_TEST(month_genitive(8) == "августа");
    BOOST_TEST(month_prepositional(3) == "марте");
    BOOST_TEST(month_prepositional(5) == "мае");
    BOOST_TEST(month_prepositional(11) == "ноябре");
    for (int bad : {0, 13, -1, INT_MIN}) {
        BOOST_TEST(month_nominative(bad).empty());
        BOOST_TEST(month_genitive(bad).empty());
        BOOST_TEST(month_prepositional(bad).empty());
    }
}

BOOST_AUTO_TEST_CASE(month_ranges_without_years) {
    BOOST_TEST(month_range(3, 11) == "март-ноябрь");
    BOOST_TEST(month_range(3, 3) == "март");
    BOOST_TEST(month_range(1, 2) == "январь-февраль");
    BOOST_TEST(month_range(9, 5) == "сентябрь-май");
    BOOST_TEST(month_range(0, 5).empty());
    BOOST_TEST(month_range(5, 13).empty());
}

BOOST_AUTO_TEST_CASE(month_ranges_with_years) {
    BOOST_TEST(month_range(YearMonth{2018, 1}, YearMonth{2018, 2}) == "январь-февраль 2018 года");
    BOOST_TEST(month_range(YearMonth{2018, 3}, YearMonth{2018, 3}) == "март 2018 года");
    BOOST_TEST(month_range(YearMonth{2018, 9}, YearMonth{2019, 5}) ==
               "сентябрь 2018 года – май 2019 года");
    BOOST_TEST(month_range(YearMonth{2020, 12}, YearMonth{2021, 1}) ==
               "декабрь 2020 года – январь 2021 года");
    BOOST_TEST(month_range(YearMonth{2018, 0}, YearMonth{2018, 2}).empty());
    // The typographic pass keeps the dash off the start of a line.
    BOOST_TEST(typographic(month_range(YearMonth{2018, 9}, YearMonth{2019, 5})) ==
               "сентябрь 2018" + NB + "года" + NB + "– май 2019" + NB + "года");
}

// ---- names ----

BOOST_AUTO_TEST_CASE(initials_from_full_names) {
    BOOST_TEST(initials_before("Ковальская Татьяна Ивановна") == "Т.И. Ковальская");
    BOOST_TEST(initials_after("Борисенкова Юлия Николаевна") == "Борисенкова Ю.Н.");
    BOOST_TEST(initials_before("  Ковальская \t Татьяна   Ивановна ") == "Т.И. Ковальская");
    BOOST_TEST(initials_after("Ковальская" + NB + "Татьяна" + NB + "Ивановна") ==
               "Ковальская Т.И.");
    BOOST_TEST(initials_after("ковальская татьяна ивановна") == "ковальская Т.И.");
    BOOST_TEST(initials_after("Ёлкин Ёжик Эдуардович") == "Ёлкин Ё.Э.");
    BOOST_TEST(initials_after("ёлкин ёжик эдуардович") == "ёлкин Ё.Э.");
}

BOOST_AUTO_TEST_CASE(initials_from_abbreviated_names) {
    BOOST_TEST(initials_before("Ковальская Т.И.") == "Т.И. Ковальская");
    BOOST_TEST(initials_before("Ковальская Т. И.") == "Т.И. Ковальская");
    BOOST_TEST(initials_after("Т.И. Ковальская") == "Ковальская Т.И.");
    BOOST_TEST(initials_after("Т. И. Ковальская") == "Ковальская Т.И.");
    BOOST_TEST(initials_after("Т.И.Ковальская") == "Ковальская Т.И.");
    BOOST_TEST(initials_before("Т.И. Ковальская") == "Т.И. Ковальская");
    BOOST_TEST(initials_after("Борисенкова Ю.Н.") == "Борисенкова Ю.Н.");
    BOOST_TEST(initials_after("Борисенкова Ю.Н") == "Борисенкова Ю.Н.");
    BOOST_TEST(initials_after("Борисенкова Ю Н") == "Борисенкова Ю.Н.");
    BOOST_TEST(initials_after("Борисенкова ю.н.") == "Борисенкова Ю.Н.");
    BOOST_TEST(initials_after("Борисенкова Юлия Н.") == "Борисенкова Ю.Н.");
}

BOOST_AUTO_TEST_CASE(initials_edge_cases) {
    BOOST_TEST(initials_before("Ковальская Татьяна") == "Т. Ковальская");
    BOOST_TEST(initials_after("Ковальская Татьяна") == "Ковальская Т.");
    BOOST_TEST(initials_before("Ковальская") == "Ковальская");
    BOOST_TEST(initials_after("  Ковальская  ") == "Ковальская");
    BOOST_TEST(initials_before("").empty());
    BOOST_TEST(initials_after(" \t ").empty());
    BOOST_TEST(initials_after("Петров-Водкин Кузьма Сергеевич") == "Петров-Водкин К.С.");
    BOOST_TEST(initials_before("Салтыкова Анна-Мария Петровна") == "А.-М.П. Салтыкова");
    BOOST_TEST(initials_after("А.-М.П. Салтыкова") == "Салтыкова А.-М.П.");
    BOOST_TEST(initials_after("Мамедов Ахмед Рустам оглы") == "Мамедов А.Р.");
    BOOST_TEST(initials_before("Smith John Paul") == "J.P. Smith");
    BOOST_TEST(initials_after("J. P. Smith") == "Smith J.P.");
    BOOST_TEST(initials_after("Т.И.") == "Т.И.");
}

// ---- plurals ----

BOOST_AUTO_TEST_CASE(plural_agreement) {
    auto f = [](long long n) { return std::string(plural_form(n, "школа", "школы", "школ")); };
    for (long long n : {1LL, 21LL, 31LL, 101LL, 1001LL, 121LL}) BOOST_TEST(f(n) == "школа", n);
    for (long long n : {2LL, 3LL, 4LL, 22LL, 23LL, 24LL, 102LL, 1004LL})
        BOOST_TEST(f(n) == "школы", n);
    for (long long n : {0LL, 5LL, 9LL, 10LL, 11LL, 12LL, 13LL, 14LL, 15LL, 19LL, 20LL, 25LL, 100LL,
                        111LL, 112LL, 113LL, 114LL, 211LL, 1000LL})
        BOOST_TEST(f(n) == "школ", n);
    BOOST_TEST(f(-1) == "школа");
    BOOST_TEST(f(-3) == "школы");
    BOOST_TEST(f(-12) == "школ");
    BOOST_TEST(f(LLONG_MIN) == "школ");  // …808: many; |n| does not overflow
    BOOST_TEST(f(LLONG_MAX) == "школ");  // …807
}

// ---- number sign ----

BOOST_AUTO_TEST_CASE(number_sign_adds_or_normalises) {
    BOOST_TEST(number_sign("43-о/д") == "№" + NB + "43-о/д");
    BOOST_TEST(number_sign("№ 43-о/д") == "№" + NB + "43-о/д");
    BOOST_TEST(number_sign("№43-о/д") == "№" + NB + "43-о/д");
    BOOST_TEST(number_sign("№" + NB + "43-о/д") == "№" + NB + "43-о/д");
    BOOST_TEST(number_sign("  №   117 ") == "№" + NB + "117");
    BOOST_TEST(number_sign("03-877") == "№" + NB + "03-877");
    BOOST_TEST(number_sign("").empty());
    BOOST_TEST(number_sign("  ").empty());
    BOOST_TEST(number_sign("№").empty());
}

// ---- quotes ----

BOOST_AUTO_TEST_CASE(quote_with_nested_quotes) {
    BOOST_TEST(quote("текст") == "«текст»");
    BOOST_TEST(quote("") == "«»");
    BOOST_TEST(quote("МБОУ «СШ № 1»") == "«МБОУ „СШ № 1“»");
    BOOST_TEST(quote("МБОУ \"СШ № 1\"") == "«МБОУ „СШ № 1“»");
    BOOST_TEST(quote("\"Точка роста\" и \"IT-куб\"") == "«„Точка роста“ и „IT-куб“»");
    BOOST_TEST(quote("(\"а\")") == "«(„а“)»");
    BOOST_TEST(quote("«Педагог» - новый шаг") == "«„Педагог“ - новый шаг»");
    BOOST_TEST(quote("уже „лапки“") == "«уже „лапки“»");
    BOOST_TEST(quote("it's") == "«it's»");
}

// ---- typographic ----

BOOST_AUTO_TEST_CASE(typographic_glues_numbers_and_units) {
    BOOST_TEST(typographic("5 школ") == "5" + NB + "школ");
    BOOST_TEST(typographic("от 01.03.2018 года") == "от 01.03.2018" + NB + "года");
    BOOST_TEST(typographic("25 % и 3   раза") == "25" + NB + "% и" + NB + "3" + NB + "раза");
    BOOST_TEST(typographic("1 2 3") == "1 2 3");
    BOOST_TEST(typographic("2018 - 2019") == "2018 - 2019");
    BOOST_TEST(typographic("приказ № 43-о/д") == "приказ №" + NB + "43-о/д");
}

BOOST_AUTO_TEST_CASE(typographic_glues_one_letter_words) {
    BOOST_TEST(typographic("в школе") == "в" + NB + "школе");
    BOOST_TEST(typographic("В школе и в центре") ==
               "В" + NB + "школе и" + NB + "в" + NB + "центре");
    BOOST_TEST(typographic("к о с у а") == "к" + NB + "о" + NB + "с" + NB + "у" + NB + "а");
    BOOST_TEST(typographic("(с учётом)") == "(с" + NB + "учётом)");
    BOOST_TEST(typographic("класс 5а учится") == "класс 5а учится");  // not a preposition
    BOOST_TEST(typographic("т.е. и т.п.") == "т.е. и" + NB + "т.п.");
    BOOST_TEST(typographic("б в") == "б в");  // б is not in the list
    BOOST_TEST(typographic("в") == "в");
    BOOST_TEST(typographic("в ") == "в ");              // nothing follows
    BOOST_TEST(typographic("в\nшколе") == "в\nшколе");  // only spaces change
    BOOST_TEST(typographic("I a b") == "I a b");        // Latin letters differ
}

BOOST_AUTO_TEST_CASE(typographic_dash_and_idempotence) {
    BOOST_TEST(typographic("слово – слово") == "слово" + NB + "– слово");
    BOOST_TEST(typographic("слово — слово") == "слово" + NB + "— слово");
    BOOST_TEST(typographic("1941–1945") == "1941–1945");
    BOOST_TEST(typographic("").empty());
    const std::string once = typographic("В 2018 году в 3 школах – по плану, № 5 и к 1 мая");
    BOOST_TEST(once == "В" + NB + "2018" + NB + "году в" + NB + "3" + NB + "школах" + NB +
                           "– по плану, №" + NB + "5" + NB + "и" + NB + "к" + NB + "1" + NB +
                           "мая");
    BOOST_TEST(typographic(once) == once);
    BOOST_TEST(typographic("bad \xff byte") == "bad \xEF\xBF\xBD byte");
}

BOOST_AUTO_TEST_CASE(utf8_prefix_counts_characters_not_bytes) {
    using ppko::text::utf8_prefix;
    BOOST_TEST(utf8_prefix("Школа № 5", 5) == "Школа");
    BOOST_TEST(utf8_prefix("Школа", 50) == "Школа");
    BOOST_TEST(utf8_prefix("a\xF0\x9F\x98\x80" "b", 2) == "a\xF0\x9F\x98\x80");  // an emoji is one character
    BOOST_TEST(utf8_prefix("abc", 0).empty());
}

// ---- numbers ----

BOOST_AUTO_TEST_CASE(format_decimal_writes_a_decimal_comma_and_whole_numbers_in_full) {
    BOOST_TEST(format_decimal(5) == "5");
    BOOST_TEST(format_decimal(-30) == "-30");
    BOOST_TEST(format_decimal(2.5) == "2,5");
    BOOST_TEST(format_decimal(0.1) == "0,1");
    BOOST_TEST(format_decimal(123456789012345.0) == "123456789012345");
    // Beyond 10^15 and beyond every integer type: the shortest digits, no undefined cast.
    BOOST_TEST(format_decimal(1e85) == "1e+85");
    BOOST_TEST(format_decimal(-1.5e300) == "-1,5e+300");
}

BOOST_AUTO_TEST_CASE(exact_integer_only_for_whole_doubles_that_fit) {
    BOOST_TEST(exact_integer(44197.0).value_or(-1) == 44197);
    BOOST_TEST(exact_integer(-3.0).value_or(0) == -3);
    BOOST_TEST(!exact_integer(2.5));
    BOOST_TEST(!exact_integer(1e85));
    BOOST_TEST(!exact_integer(-1e19));
    BOOST_TEST(!exact_integer(std::numeric_limits<double>::infinity()));
    BOOST_TEST(!exact_integer(std::numeric_limits<double>::quiet_NaN()));
}

BOOST_AUTO_TEST_SUITE_END()
