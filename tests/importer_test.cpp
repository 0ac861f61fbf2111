// engine/importer: school names normalised for matching, columns mapped by title, values merged
// into samples/smolensk's indicators.json (in memory: plan_import writes nothing), and the report.
#include <boost/test/unit_test.hpp>

#include "importer/archive.h"
#include "importer/form.h"
#include "importer/import.h"
#include "docx/zip_writer.h"
#include "sheets/read.h"
#include "test_helpers.h"
#include "workflow/municipality.h"

using namespace ppko;
using namespace ppko::importer;
using ppko::testing::error_of;

namespace {

struct Smolensk {
    data::Workspace ws = data::load_workspace(std::string(PPKO_SOURCE_DIR) + "/samples/smolensk");
    workflow::Municipality m{ws};
    Vocabulary voc() const { return {m.table(), &m.workflow()->facts}; }
    Plan plan(const std::string& csv, Options opts) const {
        const auto book = sheets::read_workbook_bytes(csv, "t.csv");
        return plan_import(ws, voc(), book, opts);
    }
};

Options indicators_2021() {
    Options o;
    o.kind = Kind::indicators;
    o.year = "2021-2022";
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(importer)

// `ppko form`'s workbook imports back with no mapping: its titles are the import's, the
// reference name column is skipped, rows left empty add nothing, and the prefilled schools
// form changes nothing.
BOOST_AUTO_TEST_CASE(an_unfilled_form_imports_back_unchanged) {
    const Smolensk s;
    for (const Kind kind : {Kind::indicators, Kind::facts, Kind::schools}) {
        FormOptions fo;
        fo.kind = kind;
        fo.year = kind == Kind::indicators ? "2021-2022" : "";
        const auto book = sheets::read_workbook_bytes(form_workbook(s.ws, s.voc(), fo), "form.xlsx");
        BOOST_TEST(book.sheets.size() == 2u);
        BOOST_TEST(book.sheets.at(1).name == "Инструкция");
        Options o;
        o.kind = kind;
        const auto plan = plan_import(s.ws, s.voc(), book, o);
        BOOST_TEST(!plan.changes_anything(), stem_of(kind));
        if (kind == Kind::schools) BOOST_TEST(plan.values_same > 40u);
    }
    FormOptions one;
    one.kind = Kind::facts;
    one.school = "nope";
    BOOST_TEST(error_of([&] { form_workbook(s.ws, s.voc(), one); }).find("--school «nope»: такой школы нет в schools.json") != std::string::npos);
}

// A form for a year already recorded shows the recorded values (a decimal with a comma), so the
// methodologist corrects in place; imported back untouched, every value matches.
BOOST_AUTO_TEST_CASE(an_indicators_form_for_a_recorded_year_is_prefilled) {
    const Smolensk s;
    FormOptions fo;
    fo.kind = Kind::indicators;
    fo.year = "2016-2017";
    const auto book = sheets::read_workbook_bytes(form_workbook(s.ws, s.voc(), fo), "form.xlsx");
    const auto& rows = book.sheets.at(0);
    bool seen = false;  // lyceum-1's 2016-2017 vpr_fail is 2.5 in the sample
    for (const auto& c : rows.cells) seen = seen || c.text == "2,5";
    BOOST_TEST(seen);
    Options o;
    o.kind = Kind::indicators;
    const auto plan = plan_import(s.ws, s.voc(), book, o);
    BOOST_TEST(!plan.changes_anything());
    BOOST_TEST(plan.values_same > 40u);
}

BOOST_AUTO_TEST_CASE(school_names_normalise) {
    BOOST_TEST(normalize_school_name("МБОУ «СШ №1»") == "муниципальное бюджетное общеобразовательное учреждение сш № 1");
    BOOST_TEST(normalize_school_name("муниципальное бюджетное общеобразовательное учреждение \"СШ  № 1\"") ==
               normalize_school_name("МБОУ СШ № 1"));
    BOOST_TEST(normalize_school_name("Лицей\u00A0№\u00A01 «Ёлка»") == "лицей № 1 елка");
}

BOOST_AUTO_TEST_CASE(new_values_are_added_and_reported) {
    const Smolensk s;
    const auto plan = s.plan(
        "Школа;ВПР: доля отметок «2», %;Доля обучающихся с ОВЗ\n"
        "МБОУ «СШ № 1»;27,5%;3\n"
        "Итого;;\n",
        indicators_2021());
    BOOST_TEST(plan.records_added == 1u);
    BOOST_TEST(plan.values_added == 2u);  // two measures (school and period are the key)
    // Said as a methodologist reads it: the school's name, the column titles, no field paths.
    BOOST_TEST(plan.added.front() == "МБОУ «СШ № 1» (sh-1), 2021-2022: ВПР: доля отметок «2» — 27,5; Доля обучающихся с ОВЗ — 3");
    BOOST_TEST(plan.text.find("\"vpr_fail\": 27.5") != std::string::npos);
    BOOST_TEST(report(plan, false).rfind("indicators.json: добавлено: 1 запись (2 значения)\n", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(a_differing_value_needs_replace) {
    const Smolensk s;
    // lyceum-1's 2016-2017 vpr_fail is 2.5 in the sample.
    const std::string csv = "Школа;Учебный год;ВПР: доля отметок «2»\nlyceum-1;2016-2017;3\n";
    BOOST_TEST(error_of([&] { s.plan(csv, indicators_2021()); }) ==
               "t.csv: t!C2: МБОУ «Лицей № 1» (lyceum-1), 2016-2017: ВПР: доля отметок «2» — записано 2,5, а в таблице 3; "
               "чтобы заменить записанные значения, повторите с --replace [import.conflict]");
    auto web = indicators_2021();
    web.replace_hint = "отметьте «Заменять»";  // the web page names its checkbox instead
    BOOST_TEST(error_of([&] { s.plan(csv, web); }).find("а в таблице 3; отметьте «Заменять» [import.conflict]") != std::string::npos);
    auto o = indicators_2021();
    o.replace = true;
    const auto plan = s.plan(csv, o);
    BOOST_TEST(plan.values_changed == 1u);
    BOOST_TEST(plan.changed.front() == "t!C2: МБОУ «Лицей № 1» (lyceum-1), 2016-2017: ВПР: доля отметок «2» — было 2,5, станет 3");
}

BOOST_AUTO_TEST_CASE(every_bad_cell_is_reported) {
    const Smolensk s;
    const std::string msg = error_of([&] {
        s.plan("Школа;ВПР: доля отметок «2»\nСШ № 99;140\nsh-1;abc\n", indicators_2021());
    });
    BOOST_TEST(msg.find("t.csv: t!A2: школа «СШ № 99» не найдена в schools.json") != std::string::npos, msg);
    BOOST_TEST(msg.find("t.csv: t!B2: столбец «ВПР: доля отметок «2»»: значение 140 вне допустимого: от 0 до 100") != std::string::npos, msg);
    BOOST_TEST(msg.find("t!B3") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(schools_by_their_titles) {
    const Smolensk s;
    Options o;
    o.kind = Kind::schools;
    const auto plan = s.plan("Код школы;Число обучающихся;Местность\nsh-1;493;городская\n", o);
    BOOST_TEST(plan.values_changed == 0u);
    // A new school by the name the table gives it; an allowed value by its title.
    const auto added = s.plan("Код школы;Полное наименование;Сокращённое наименование;Вид;Местность\n"
                              "sh-99;Школа № 99;МБОУ «СШ № 99»;СОШ;сельская\n", o);
    BOOST_TEST(added.added.front() == "МБОУ «СШ № 99» (sh-99): Полное наименование — Школа № 99; "
                                      "Сокращённое наименование — МБОУ «СШ № 99»; Вид — СОШ; Местность — сельская");
    BOOST_TEST(error_of([&] { s.plan("Код школы;Местность\nsh-1;горная\n", o); }).find(
                   "«Местность»: значение «горная» не из допустимых: «городская (urban)», «сельская (rural)»") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(archives_round_trip_and_refuse_names_outside) {
    const std::string smolensk = std::string(PPKO_SOURCE_DIR) + "/samples/smolensk";
    const auto bytes = make_archive(smolensk, "smolensk", std::nullopt);
    const auto u = read_archive(bytes, "a.zip");
    BOOST_TEST(u.workspace_name == "smolensk");
    BOOST_TEST(!u.state.has_value());
    BOOST_TEST(u.files.size() == 10u);
    std::string evil;
    docx::ZipWriter zip;
    zip.begin(evil);
    zip.add("ppko-archive.json", R"({"workspace": "x"})");
    zip.add("workspace/workspace.json", "{}");
    zip.add("workspace/sub/.hidden", "x");
    zip.finish();
    BOOST_TEST(error_of([&] { read_archive(evil, "e.zip"); }) ==
               "e.zip: в архиве файл «workspace/sub/.hidden» вне workspace/ и state/ или с недопустимым именем; "
               "такой архив не восстанавливается [archive.invalid]");
    BOOST_TEST(error_of([&] { read_archive("not a zip", "n.zip"); }).rfind("n.zip: файл не архив ppko archive или повреждён (", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
