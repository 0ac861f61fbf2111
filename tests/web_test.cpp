// engine/web without a server: the HTML builder escapes every text and attribute value and keeps
// elements balanced; Russian number, date and count formats; the embedded style sheet.
#include "web/assets.h"
#include "web/format.h"
#include "web/html.h"
#include "web/svg_chart.h"
#include "web/vocabulary.h"
#include "data/workspace.h"
#include "io/atomic_file.h"
#include "test_helpers.h"
#include "workflow/municipality.h"

#include <boost/test/unit_test.hpp>

#include <climits>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

using namespace ppko::web;
namespace fs = std::filesystem;

namespace {
const std::string NB = "\u00A0";
}

BOOST_AUTO_TEST_SUITE(web)

BOOST_AUTO_TEST_CASE(text_and_attributes_are_escaped) {
    Html h;
    h.open("p", {{"title", "\"><script>x</script>"}, {"hidden", "hidden", false}})
        .text("<script>alert('1')</script> & \"кавычки\"")
        .close();
    BOOST_TEST(h.take() ==
               "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; "
               "&amp; &quot;кавычки&quot;</p>");
}

BOOST_AUTO_TEST_CASE(control_characters_and_bad_utf8_cannot_reach_the_page) {
    Html h;
    h.text(std::string("a\x01" "b\xff" "c", 5));
    BOOST_TEST(h.take() == "a\uFFFDb\uFFFDc");
}

BOOST_AUTO_TEST_CASE(elements_must_balance) {
    Html open_one;
    open_one.open("div");
    BOOST_CHECK_THROW(open_one.take(), std::logic_error);
    Html none;
    BOOST_CHECK_THROW(none.close(), std::logic_error);
    Html ok;
    ok.open("ul").open("li").element("a", {{"href", "/x?a=1&b=2"}}, "ссылка").close().close().empty("br");
    BOOST_TEST(ok.take() == "<ul><li><a href=\"/x?a=1&amp;b=2\">ссылка</a></li></ul><br>");
}

BOOST_AUTO_TEST_CASE(numbers_dates_and_counts_read_as_in_russian) {
    BOOST_TEST(group_digits(0) == "0");
    BOOST_TEST(group_digits(999) == "999");
    BOOST_TEST(group_digits(1045) == "1" + NB + "045");
    BOOST_TEST(group_digits(40000) == "40" + NB + "000");
    BOOST_TEST(group_digits(-1234567) == "-1" + NB + "234" + NB + "567");
    BOOST_TEST(group_digits(LLONG_MIN) == "-9" + NB + "223" + NB + "372" + NB + "036" + NB + "854" + NB + "775" + NB + "808");
    BOOST_TEST(short_date("2020-12-22") == "22.12.2020");
    BOOST_TEST(short_date("2019-02-29") == "2019-02-29");  // not a date: shown as stored
    BOOST_TEST(short_date("") == "");
    BOOST_TEST(date_time_utc(0) == "01.01.1970 00:00 UTC");
    BOOST_TEST(date_time_utc(1608646500) == "22.12.2020 14:15 UTC");
    BOOST_TEST(count(1, "школа", "школы", "школ") == "1" + NB + "школа");
    BOOST_TEST(count(22, "школа", "школы", "школ") == "22" + NB + "школы");
    BOOST_TEST(count(1045, "школа", "школы", "школ") == "1" + NB + "045" + NB + "школ");
    BOOST_TEST(count(111, "школа", "школы", "школ") == "111" + NB + "школ");
}

// The words come from the municipality's loaded methodology: its own workflows/ppko.json (a
// renamed stage) over the built-in one, and an older version's file for programs started under it.
BOOST_AUTO_TEST_CASE(workflow_words_come_from_the_municipality_s_methodology) {
    ppko::testing::TempDir dir;
    fs::copy(fs::path(PPKO_SOURCE_DIR) / "samples/smolensk", dir.path, fs::copy_options::recursive);
    const std::string builtin = ppko::io::read_file(fs::path(PPKO_SOURCE_DIR) / "workflows/ppko.json");
    auto with = [&](const std::string& from, const std::string& to, int version) {
        std::string text = builtin;
        const auto at = text.find(from);
        BOOST_TEST_REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        const auto v = text.find("\"version\": 2");
        BOOST_TEST_REQUIRE(v != std::string::npos);
        text.replace(v, 12, "\"version\": " + std::to_string(version));
        return text;
    };
    fs::create_directories(dir / "workflows");
    std::ofstream(dir / "workflows/ppko.json") << with("\"Подготовительный этап\"", "\"Этап подготовки\"", 2);
    std::ofstream(dir / "workflows/ppko-v1.json") << with("\"Подготовительный этап\"", "\"Подготовка (первая редакция)\"", 1);
    auto loaded = std::make_shared<ppko::server::LoadedMunicipality>();
    loaded->workspace = ppko::data::load_workspace(dir.path);
    loaded->model = std::make_unique<ppko::workflow::Municipality>(loaded->workspace);
    const Words words(loaded);
    BOOST_TEST(words.stage("ppko", 0, "preparatory") == "Этап подготовки");
    BOOST_TEST(words.stage("ppko", 2, "preparatory") == "Этап подготовки");
    BOOST_TEST(words.stage("ppko", 1, "preparatory") == "Подготовка (первая редакция)");
    BOOST_TEST(words.stage("ppko", 7, "preparatory") == "Этап подготовки");  // a version no file holds: the latest
    BOOST_TEST(words.stage("ppko", 0, "no_such_stage") == "no_such_stage");
    BOOST_TEST(words.stage("no_such_workflow", 0, "x") == "x");
    BOOST_TEST(words.fact("ppko", 2, "program_approved") == "программа утверждена приказом по школе");
    BOOST_TEST(words.workflow("ppko", 1) == "Программа повышения качества образования школы (ППКО), версия 1");
    BOOST_TEST_REQUIRE(!words.facts().empty());
    BOOST_TEST(words.facts().front().id == "program_approved");
    // Without the municipality's data: the built-in words, no facts to offer.
    const Words none;
    BOOST_TEST(none.stage("ppko", 0, "preparatory") == "Подготовительный этап");
    BOOST_TEST(none.stage("ppko", 1, "preparatory") == "Подготовительный этап");  // no such version built in: the latest
    BOOST_TEST(none.stage("no_such_workflow", 0, "x") == "x");
    BOOST_TEST(none.facts().empty());
}

BOOST_AUTO_TEST_CASE(the_style_sheet_is_embedded) {
    const Asset* css = find_asset("ppko.css");
    BOOST_TEST_REQUIRE(css != nullptr);
    BOOST_TEST(css->bytes.find("header.top") != std::string_view::npos);
    BOOST_TEST(find_asset("../etc/passwd") == nullptr);
}

BOOST_AUTO_TEST_CASE(chart_numbers_read_as_in_russian) {
    BOOST_TEST(number_text(1045) == "1" + NB + "045");
    BOOST_TEST(number_text(2.5) == "2,5");
    BOOST_TEST(number_text(1045.5) == "1" + NB + "045,5");
    BOOST_TEST(number_text(-0.5) == "-0,5");
    BOOST_TEST(number_text(0) == "0");
}

// Occurrences of `what` in `s`.
static std::size_t occurrences(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

BOOST_AUTO_TEST_CASE(a_chart_marks_values_and_writes_absences_in_words) {
    Chart c{"c1", "ВПР <b>", "Школа <script>alert(1)</script>", "%", 30.0, "порог 30 %", {}};
    c.points = {{"2018-2019", 26.5, ""}, {"2019-2020", std::nullopt, "не проводилась"}, {"2020-2021", 41.3, ""},
                {"2021-2022", std::nullopt, ""}};
    Html h;
    line_chart(h, c);
    const std::string svg = h.take();
    BOOST_TEST(occurrences(svg, "<circle class=\"mark\"") == 2u);  // one per value, none for the absence
    BOOST_TEST(occurrences(svg, "class=\"absent\"") == 1u);       // a period without a record draws nothing
    BOOST_TEST(svg.find(">не проводилась</text>") != std::string::npos);
    BOOST_TEST(svg.find("<script") == std::string::npos);
    BOOST_TEST(svg.find("Школа &lt;script&gt;alert(1)&lt;/script&gt;. 2018-2019: 26,5" + NB + "%; 2019-2020: не проводилась") !=
               std::string::npos);
    BOOST_TEST(svg.find("<title id=\"c1-title\">ВПР &lt;b&gt;</title>") != std::string::npos);
    // Every SVG element is closed with an end tag: a bare <line …> would swallow what follows.
    BOOST_TEST(occurrences(svg, "<line") == occurrences(svg, "</line>"));
    BOOST_TEST(occurrences(svg, "<circle") == occurrences(svg, "</circle>"));
    // The absent period's mark is not drawn on the axis as a zero: the only circles are the values'.
    BOOST_TEST(svg.find("cy=\"150.0\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_workflow_diagram_has_a_box_per_stage) {
    std::vector<DiagramStage> stages = {{"a", "Первый <этап>", "01.09 – 31.10"}, {"b", "Второй", ""}, {"c", "Третий", ""}};
    Html h;
    workflow_diagram(h, "wf", "Этапы", stages, {{0, 1, "когда готово"}, {2, 1, "назад"}});
    const std::string svg = h.take();
    BOOST_TEST(occurrences(svg, "<rect") == 3u);
    BOOST_TEST(occurrences(svg, "<g class=\"arrow\"") == 1u);  // only neighbours in order get an arrow
    BOOST_TEST(svg.find("Первый &lt;этап&gt;") != std::string::npos);
    BOOST_TEST(svg.find("когда готово") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
