// The typed domain: dates and academic years at their edges, and the loaded domain's answers "as
// of a date" (indicators by when they became known, the partnership in force, the year's council).
#include <boost/test/unit_test.hpp>

#include "data/workspace.h"
#include "domain/calendar.h"
#include "domain/model.h"

using namespace ppko;
using domain::AcademicYear;
using domain::Date;
using data::Json;

namespace {

Date d(const char* s) { return *Date::parse(s); }

}  // namespace

BOOST_AUTO_TEST_SUITE(calendar)

BOOST_AUTO_TEST_CASE(dates_parse_format_and_count) {
    BOOST_TEST(d("22.12.2020").iso() == "2020-12-22");
    BOOST_TEST(d("2020-12-22").ru() == "22.12.2020");
    BOOST_TEST(!Date::parse("31.02.2021"));
    BOOST_TEST(!Date::parse("2021-13-01"));
    BOOST_TEST(d("2020-02-28").plus_days(1)->iso() == "2020-02-29");
    BOOST_TEST(d("2021-02-28").plus_days(1)->iso() == "2021-03-01");
    BOOST_TEST(Date::days_between(d("2020-09-01"), d("2021-08-31")) == 364);
    BOOST_TEST(!d("9999-12-31").plus_days(1));
    BOOST_TEST(!d("0001-01-01").plus_days(-1));
    BOOST_TEST((d("2020-09-01") < d("2020-09-02")));
}

BOOST_AUTO_TEST_CASE(academic_years_run_from_september_to_august) {
    const auto y = *AcademicYear::parse("2020-2021");
    BOOST_TEST(y.start().iso() == "2020-09-01");
    BOOST_TEST(y.end().iso() == "2021-08-31");
    BOOST_TEST(AcademicYear::of(d("2021-08-31")).name() == "2020-2021");
    BOOST_TEST(AcademicYear::of(d("2021-09-01")).name() == "2021-2022");
    BOOST_TEST(y.next()->name() == "2021-2022");
    BOOST_TEST(y.prev()->name() == "2019-2020");
    BOOST_TEST(y.day("10-15")->iso() == "2020-10-15");
    BOOST_TEST(y.day("05-01")->iso() == "2021-05-01");
    BOOST_TEST(!AcademicYear::parse("2020-2022"));
    BOOST_TEST(!AcademicYear::parse("abc"));
    BOOST_TEST(!AcademicYear::parse("2020-2021 "));
    // The last year has no next one: nothing wraps around.
    BOOST_TEST(!AcademicYear::parse("9998-9999")->next());
    BOOST_TEST(!AcademicYear::parse("9999-10000"));
    // 29 February exists only in leap years.
    BOOST_TEST(!AcademicYear::parse("2020-2021")->day("02-29"));
    BOOST_TEST(AcademicYear::parse("2019-2020")->day("02-29")->iso() == "2020-02-29");
    BOOST_TEST(!y.day("2-29"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(domain_as_of)

// A workspace in memory: two schools, a record known in July, two partnership decisions of one
// year, two councils.
data::Workspace workspace() {
    data::Workspace ws;
    ws.name = "t";
    auto school = [](const char* id) {
        return Json{{"id", id}, {"name", id}, {"short_name", id}, {"kind", "СОШ"}, {"locality", "urban"}};
    };
    ws.data["schools"] = {{"schools", Json::array({school("a"), school("b")})}};
    ws.data["indicators"] = {{"indicators", Json::array({Json{{"school", "a"}, {"period", "2019-2020"}, {"known_on", "2020-07-15"},
                                                               {"results", Json::object()}, {"context", Json::object()}},
                                                          Json{{"school", "b"}, {"period", "2019-2020"}, {"results", nullptr}, {"context", nullptr}}})}};
    ws.data["partners"] = {{"partnerships", Json::array({Json{{"year", "2020-2021"}, {"date", "30.12.2020"}, {"pairs", Json::array()}},
                                                          Json{{"year", "2020-2021"}, {"date", "01.03.2021"}, {"pairs", Json::array()}}})}};
    ws.data["councils"] = {{"councils", Json::array({Json{{"date", "22.12.2020"}, {"title", "t"}, {"subject", "s"}},
                                                      Json{{"id", "spring"}, {"date", "20.04.2021"}, {"title", "t"}, {"subject", "s"}}})}};
    return ws;
}

BOOST_AUTO_TEST_CASE(answers_depend_on_the_date) {
    const data::Workspace ws = workspace();
    const auto dom = domain::Domain::load(ws, {});
    const auto p = *AcademicYear::parse("2019-2020");
    BOOST_TEST(!dom.indicators(0, p, d("2020-07-14")));
    BOOST_TEST(dom.indicators(0, p, d("2020-07-15")));
    // Without known_on a record is known from the last day of its period.
    BOOST_TEST(dom.indicators(1, p)->known_on.iso() == "2020-08-31");
    BOOST_TEST(dom.list_years().size() == 1u);
    BOOST_TEST(dom.list_years().front().name() == "2020-2021");

    const auto y = *AcademicYear::parse("2020-2021");
    BOOST_TEST(!dom.partnership(y, d("2020-12-29")));
    BOOST_TEST(dom.partnership(y, d("2020-12-30"))->date.iso() == "2020-12-30");
    BOOST_TEST(dom.partnership(y, d("2021-06-01"))->date.iso() == "2021-03-01");

    BOOST_TEST(dom.council("2020-12-22"));  // a council without an id is named by its date
    BOOST_TEST(!dom.latest_council(y, d("2020-12-21")));
    BOOST_TEST(dom.latest_council(y, d("2021-01-01"))->id == "2020-12-22");
    BOOST_TEST(dom.latest_council(y, y.end())->id == "spring");
}

BOOST_AUTO_TEST_SUITE_END()
