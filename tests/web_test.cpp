// engine/web without a server: the HTML builder escapes every text and attribute value and keeps
// elements balanced; Russian number, date and count formats; the embedded style sheet.
#include "web/assets.h"
#include "web/format.h"
#include "web/html.h"
#include "web/vocabulary.h"

#include <boost/test/unit_test.hpp>

#include <climits>
#include <stdexcept>
#include <string>

using namespace ppko::web;

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

BOOST_AUTO_TEST_CASE(workflow_words_come_from_the_built_in_definitions) {
    BOOST_TEST(stage_title("ppko", "preparatory") == "Подготовительный этап");
    BOOST_TEST(fact_title("ppko", "program_approved") == "программа утверждена приказом по школе");
    BOOST_TEST(stage_title("ppko", "no_such_stage") == "no_such_stage");
    BOOST_TEST(stage_title("no_such_workflow", "x") == "x");
}

BOOST_AUTO_TEST_CASE(the_style_sheet_is_embedded) {
    const Asset* css = find_asset("ppko.css");
    BOOST_TEST_REQUIRE(css != nullptr);
    BOOST_TEST(css->bytes.find("header.top") != std::string_view::npos);
    BOOST_TEST(find_asset("../etc/passwd") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
