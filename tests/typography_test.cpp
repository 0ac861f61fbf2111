// The typography pass over the document model (engine/document/typography.h): each rule, what it
// leaves alone, runs keeping their formatting, list punctuation, idempotence and the profile.
#include <boost/test/unit_test.hpp>

#include <string>

#include "document/typography.h"

using namespace ppko;

namespace {

const std::string nb = "\u00A0", wj = "\u2060";

std::string ts(std::string_view in, const doc::LayoutProfile& p = {}) {
    std::string out;
    doc::typeset_text(in, p, out);
    return out;
}

doc::Paragraph item(int list, int level, std::string text) {
    doc::Paragraph p;
    p.role = doc::Role::list_item;
    p.list.list = list;
    p.list.level = level;
    p.runs.push_back({std::move(text)});
    return p;
}

std::string text_of(const doc::Block& b) {
    std::string s;
    for (const auto& r : std::get<doc::Paragraph>(b.value).runs) s += r.text;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(typography)

BOOST_AUTO_TEST_CASE(no_break_after_number_and_section_signs) {
    BOOST_TEST(ts("№5, № 6, №  7, №" + nb + "8") == "№" + nb + "5, №" + nb + "6, №" + nb + "7, №" + nb + "8");
    BOOST_TEST(ts("§ 2, №№ 1, 2") == "§" + nb + "2, №№" + nb + "1, 2");
    BOOST_TEST(ts("№ п/п") == "№" + nb + "п/п");
    BOOST_TEST(ts("№") == "№");        // a header cell with the sign alone
    BOOST_TEST(ts("№ \nдалее") == "№\nдалее");  // never a space at a line end
}

BOOST_AUTO_TEST_CASE(initials_stay_with_the_surname) {
    BOOST_TEST(ts("Т.И. Ковальская и Ковальская Т.И. подписали") ==
               "Т.И." + nb + "Ковальская и Ковальская" + nb + "Т.И. подписали");
    BOOST_TEST(ts("Т. И. Ковальская") == "Т." + nb + "И." + nb + "Ковальская");
    BOOST_TEST(ts("школа г. Демидова") == "школа г." + nb + "Демидова");
    // Not initials: a sentence that ends with an abbreviation, a lower-case word after a dot.
    BOOST_TEST(ts("в т.ч. педагогов; ст. 5") == "в т.ч. педагогов; ст. 5");
    BOOST_TEST(ts("Далее В работе") == "Далее В работе");
}

BOOST_AUTO_TEST_CASE(ranges_of_numbers_take_the_range_dash_and_never_break) {
    BOOST_TEST(ts("2020-2021") == "2020" + wj + "–" + wj + "2021");
    BOOST_TEST(ts("в 2014–2018 годы") == "в 2014" + wj + "–" + wj + "2018" + nb + "годы");
    BOOST_TEST(ts("7 - 8 классов") == "7" + wj + "–" + wj + "8" + nb + "классов");
    BOOST_TEST(ts("(индикаторы 3-4)") == "(индикаторы 3" + wj + "–" + wj + "4)");
    // Not ranges: dates, ISO dates, codes, phone numbers, a number and a word.
    BOOST_TEST(ts("01.09.2020 – 31.05.2021") == "01.09.2020" + nb + "– 31.05.2021");
    BOOST_TEST(ts("2018-03-01") == "2018-03-01");
    BOOST_TEST(ts("№ 43-о/д") == "№" + nb + "43-о/д");
    BOOST_TEST(ts("8-481-47-41") == "8-481-47-41");
    BOOST_TEST(ts("1-й этап") == "1-й этап");
    doc::LayoutProfile hyphen;
    hyphen.range_dash = "-";
    BOOST_TEST(ts("2020-2021", hyphen) == "2020" + wj + "\u2011" + wj + "2021");
}

BOOST_AUTO_TEST_CASE(ranges_of_months_as_the_profile_says) {
    BOOST_TEST(ts("март-август") == "март" + nb + "– август");
    BOOST_TEST(ts("Январь - февраль 2018 года") == "Январь" + nb + "– февраль 2018" + nb + "года");
    BOOST_TEST(ts("с марта—мая") == "с марта" + nb + "– мая");
    doc::LayoutProfile joined;
    joined.month_range_spaced = false;
    BOOST_TEST(ts("март - август", joined) == "март" + wj + "–" + wj + "август");
    BOOST_TEST(ts("школа-интернат, Верхне-Моховичская") == "школа-интернат, Верхне-Моховичская");
}

BOOST_AUTO_TEST_CASE(one_dash_between_words) {
    BOOST_TEST(ts("проект - это, проект — это, проект – это") ==
               "проект" + nb + "– это, проект" + nb + "– это, проект" + nb + "– это");
    doc::LayoutProfile em;
    em.dash = "—";
    BOOST_TEST(ts("проект - это", em) == "проект" + nb + "— это");
    BOOST_TEST(ts("– пункт перечня") == "– пункт перечня");  // a dash that opens the text stays
}

BOOST_AUTO_TEST_CASE(numbers_keep_their_words_and_units) {
    BOOST_TEST(ts("в 2018 году 25 % школ, 3 этапа") == "в 2018" + nb + "году 25" + nb + "% школ, 3" + nb + "этапа");
    BOOST_TEST(ts("пункт 2.2. Далее") == "пункт 2.2. Далее");
}

BOOST_AUTO_TEST_CASE(letter_yo_as_the_profile_says) {
    BOOST_TEST(ts("партнёрское ОТЧЁТ, Всё учтено, её") == "партнерское ОТЧЕТ, Всё учтено, ее");
    doc::LayoutProfile yo;
    yo.letter_yo = true;
    BOOST_TEST(ts("партнёрское", yo) == "партнёрское");
}

BOOST_AUTO_TEST_CASE(runs_keep_their_formatting) {
    doc::Document d;
    doc::Paragraph p;
    p.runs = {{"приказ №"}, {" 5", true}, {", Ковальская"}, {" Т.И.", false, true}};
    d.body.push_back({p});
    doc::typeset(d, {});
    const auto& runs = std::get<doc::Paragraph>(d.body[0].value).runs;
    BOOST_TEST_REQUIRE(runs.size() == 4u);
    BOOST_TEST(runs[0].text == "приказ №");
    BOOST_TEST(runs[1].text == nb + "5");
    BOOST_TEST(runs[1].bold);
    BOOST_TEST(runs[2].text == ", Ковальская");
    BOOST_TEST(runs[3].text == nb + "Т.И.");
    BOOST_TEST(runs[3].italic);
}

BOOST_AUTO_TEST_CASE(signatures_captions_and_cells_too) {
    doc::Document d;
    d.body.push_back({doc::Signature{{"Директор МБОУ «СШ № 1»"}, "Т.И. Ковальская"}});
    doc::Table t;
    t.caption = "Итоги 2019-2020";
    doc::Cell c;
    c.blocks.push_back({item(7, 0, "МБОУ «СШ № 2»;")});
    t.rows.push_back({{c}});
    d.body.push_back({t});
    doc::typeset(d, {});
    const auto& s = std::get<doc::Signature>(d.body[0].value);
    BOOST_TEST(s.position_lines[0] == "Директор МБОУ «СШ №" + nb + "1»");
    BOOST_TEST(s.name == "Т.И." + nb + "Ковальская");
    const auto& table = std::get<doc::Table>(d.body[1].value);
    BOOST_TEST(table.caption == "Итоги 2019" + wj + "–" + wj + "2020");
    // The list in the cell is a list of its own: it ends with «.».
    BOOST_TEST(text_of(table.rows[0].cells[0].blocks[0]) == "МБОУ «СШ №" + nb + "2».");
}

BOOST_AUTO_TEST_CASE(list_punctuation) {
    doc::Document d;
    // Lower-case items continue one sentence: «;» between, «.» at the end.
    d.body.push_back({item(0, 0, "проводит мониторинг.")});
    d.body.push_back({item(0, 0, "готовит отчёт")});
    d.body.push_back({item(0, 0, "ведёт сайт;")});
    // Sentences keep their punctuation; the last item of the list never ends with «;».
    d.body.push_back({item(1, 0, "Утвердить программу.")});
    d.body.push_back({item(1, 0, "Перечень:")});
    d.body.push_back({item(1, 1, "первый пункт")});
    d.body.push_back({item(1, 1, "второй пункт.")});
    d.body.push_back({item(1, 0, "Контроль оставляю за собой;")});
    // Headings with no punctuation stay as they are; «т.д.» keeps its dot.
    d.body.push_back({item(2, 0, "Подготовительный этап")});
    d.body.push_back({item(2, 1, "анализ, планирование и т.д.")});
    d.body.push_back({item(2, 1, "отчёт")});
    d.body.push_back({item(2, 0, "Практический этап")});
    doc::typeset(d, {});
    const char* expected[] = {"проводит мониторинг;", "готовит отчет;", "ведет сайт.",
                              "Утвердить программу.", "Перечень:", "первый пункт;", "второй пункт;",
                              "Контроль оставляю за собой.", "Подготовительный этап",
                              "анализ, планирование и т.д.;", "отчет;", "Практический этап"};
    for (std::size_t k = 0; k < std::size(expected); ++k) BOOST_TEST(text_of(d.body[k]) == expected[k], k);
}

BOOST_AUTO_TEST_CASE(idempotent_and_switchable) {
    const std::string samples[] = {"№5 и 2020-2021, март-август, Т.И. Ковальская, проект - это, 25 %, её",
                                   "01.09.2020 – 31.05.2021 и 7 - 8 классов", "№", "§ 1"};
    for (const auto& s : samples) {
        const std::string once = ts(s);
        BOOST_TEST(ts(once) == once, s);
    }
    doc::LayoutProfile off;
    off.typography = false;
    BOOST_TEST(ts("№5 2020-2021", off) == "№5 2020-2021");
}

BOOST_AUTO_TEST_SUITE_END()
