// Expressions over facts (three-valued), rule functions, and decision tables: cells, hit
// policies, unknown inputs, and the static checks with their messages.
#include <boost/test/unit_test.hpp>

#include "data/json_source.h"
#include "rules/decision_table.h"

using namespace ppko;
using data::Json;

namespace {

class JsonScope final : public expr::Scope {
public:
    explicit JsonScope(Json j) : j_(std::move(j)) {}
    const Json* find(std::string_view name) const override {
        auto it = j_.find(name);
        return it == j_.end() ? nullptr : &*it;
    }
    void names(std::vector<std::string>& out) const override {
        for (const auto& [k, v] : j_.items()) out.push_back(k);
    }

private:
    Json j_;
};

const expr::FunctionTable& functions() {
    static const expr::FunctionTable f = expr::make_rule_functions();
    return f;
}

// "true", "false" or "unknown(path)".
std::string eval(const std::string& text, const Json& facts) {
    static const expr::FunctionTable no_filters;
    const auto e = expr::Expr::parse(text, "t", {1, 1}, no_filters, functions());
    const expr::Value v = e.evaluate(JsonScope(facts), expr::Mode::facts);
    if (v.is_missing()) return "unknown(" + v.missing_path() + ")";
    return v->is_boolean() ? (v->get<bool>() ? "true" : "false") : v->dump();
}

rules::DecisionTable table(const std::string& json) {
    return rules::DecisionTable::load(data::parse_json(json, "t.json"), functions());
}

std::string load_error(const std::string& json) {
    try {
        table(json);
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

const char* kGrades = R"json({
  "id": "grades", "version": 1, "title": "t", "hit_policy": "unique",
  "inputs": [{"id": "score", "expr": "exam.score", "domain": [0, 100]}],
  "outputs": [{"id": "grade"}],
  "rules": [
    {"id": "fail", "when": {"score": "< 40"}, "then": {"grade": "2"}},
    {"id": "pass", "when": {"score": "[40..80)"}, "then": {"grade": "3-4"}},
    {"id": "best", "when": {"score": ">= 80"}, "then": {"grade": "5"}}
  ]
})json";

}  // namespace

BOOST_AUTO_TEST_SUITE(facts_expressions)

BOOST_AUTO_TEST_CASE(missing_facts_are_unknown_not_false) {
    const Json f = Json::parse(R"({"facts": {"approved": {"date": "2019-10-01"}}, "n": 3})");
    BOOST_TEST(eval("facts.monitoring.dynamics == \"positive\"", f) == "unknown(facts.monitoring.dynamics)");
    BOOST_TEST(eval("not facts.monitoring", f) == "unknown(facts.monitoring)");
    BOOST_TEST(eval("facts.monitoring > 3", f) == "unknown(facts.monitoring)");
    BOOST_TEST(eval("exists(facts.monitoring)", f) == "false");
    BOOST_TEST(eval("exists(facts.approved)", f) == "true");
}

BOOST_AUTO_TEST_CASE(and_or_follow_kleene_logic) {
    const Json f = Json::parse(R"({"n": 3})");
    BOOST_TEST(eval("n > 5 and missing_fact", f) == "false");         // false and unknown
    BOOST_TEST(eval("n > 1 and missing_fact", f) == "unknown(missing_fact)");
    BOOST_TEST(eval("n > 1 or missing_fact", f) == "true");           // true or unknown
    BOOST_TEST(eval("n > 5 or missing_fact", f) == "unknown(missing_fact)");
    BOOST_TEST(eval("count([n, missing_fact])", f) == "unknown(missing_fact)");  // a list with an unknown element
}

BOOST_AUTO_TEST_CASE(rule_functions) {
    const Json f = Json::parse(R"({"r": [31, 12, 45, 30], "years": [true, false, true, true]})");
    BOOST_TEST(eval("count_at_least(r, 30)", f) == "3");
    BOOST_TEST(eval("max(r) == 45 and min(r) == 12 and sum(r) == 118", f) == "true");
    BOOST_TEST(eval("avg([1, 2])", f) == "1.5");
    BOOST_TEST(eval("years_in_row(years)", f) == "2");
    BOOST_TEST(eval("date_add_days(\"2020-02-28\", 2)", f) == "\"2020-03-01\"");
    BOOST_TEST(eval("days_between(\"2019-09-01\", \"2020-08-31\")", f) == "365");
    BOOST_TEST(eval("15 in [10..20] and not (25 in [10..20])", f) == "true");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(decision_tables)

BOOST_AUTO_TEST_CASE(unique_table_picks_the_one_rule_and_explains_every_cell) {
    const auto t = table(kGrades);
    BOOST_TEST(t.check().empty());
    const auto d = t.evaluate(JsonScope(Json::parse(R"({"exam": {"score": 79}})")));
    BOOST_REQUIRE(d.hits.size() == 1);
    BOOST_TEST(d.hits[0]->id == "pass");
    BOOST_TEST(d.outputs.dump() == R"([{"grade":"3-4"}])");
    BOOST_TEST((d.rules[0].cells[0] == rules::Truth::no && d.rules[2].cells[0] == rules::Truth::no));
}

BOOST_AUTO_TEST_CASE(an_unknown_input_leaves_rules_undecided) {
    const auto t = table(kGrades);
    const auto d = t.evaluate(JsonScope(Json::parse(R"({"exam": {}})")));
    BOOST_TEST(d.hits.empty());
    BOOST_TEST(d.inputs[0].is_missing());
    for (const auto& r : d.rules) BOOST_TEST((r.outcome == rules::Truth::unknown));
}

BOOST_AUTO_TEST_CASE(hit_policies_first_collect_priority) {
    const std::string base = R"(, "inputs": [{"id": "x", "expr": "x"}], "outputs": [{"id": "o"}],
        "rules": [{"id": "a", "when": {"x": ">= 1"}, "then": {"o": "a"}, "priority": 1},
                  {"id": "b", "when": {"x": ">= 2"}, "then": {"o": "b"}, "priority": 5},
                  {"id": "c", "when": {"x": "-"}, "then": {"o": "c"}, "priority": 3}]})";
    const Json x = Json::parse(R"({"x": 2})");
    auto hits = [&](const char* policy) {
        const auto t = table(std::string(R"({"id": "t", "version": 1, "title": "t", "hit_policy": ")") + policy + "\"" + base);
        std::string out;
        for (const auto* r : t.evaluate(JsonScope(x)).hits) out += r->id;
        return out;
    };
    BOOST_TEST(hits("first") == "a");
    BOOST_TEST(hits("collect") == "abc");
    BOOST_TEST(hits("priority") == "b");
}

BOOST_AUTO_TEST_CASE(overlaps_under_unique_are_reported_with_an_example) {
    std::string j = kGrades;
    j.replace(j.find("[40..80)"), 8, "[40..80]");
    const auto d = table(j).check();
    BOOST_TEST(d.format() ==
               "t.json:8:5: $.rules[2]: правила «pass» и «best» срабатывают одновременно (например, при score = 80); "
               "при политике unique каждому набору входов должно соответствовать одно правило [rules.overlap]\n");
}

BOOST_AUTO_TEST_CASE(gaps_in_ranges_are_reported_with_a_point) {
    std::string j = kGrades;
    j.replace(j.find("[40..80)"), 8, "(40..80)");  // 40 itself: «< 40» excludes it, «(40..80)» too
    BOOST_TEST(table(j).check().format() == "t.json: $.rules: ни одно правило не срабатывает при score = 40 [rules.gap]\n");
    j = kGrades;
    j.replace(j.find("[40..80)"), 8, "[45..80)");
    BOOST_TEST(table(j).check().format() == "t.json: $.rules: ни одно правило не срабатывает при score = 40 [rules.gap]\n"
                                             "t.json: $.rules: ни одно правило не срабатывает при score = 42,5 [rules.gap]\n");
}

BOOST_AUTO_TEST_CASE(bad_tables_name_the_place) {
    std::string j = kGrades;
    j.replace(j.find("\"score\": \"< 40\""), 15, "\"scor\": \"< 40\"");
    BOOST_TEST(load_error(j) == "t.json:6:29: $.rules[0].when.scor: входа «scor» в таблице нет; возможно, имелось в виду «score»; входы: score [data.unknown_key]\n");
    j = kGrades;
    j.replace(j.find("< 40"), 4, "< (40");
    BOOST_TEST(load_error(j) == "t.json:6:44: $.rules[0].when.score: ожидалось «)», а выражение закончилось [expr.syntax]\n");
    j = kGrades;
    j.replace(j.find("unique"), 6, "uniq");
    BOOST_TEST(load_error(j) == "t.json:2:61: $.hit_policy: политика «uniq» неизвестна; допустимые: unique, first, collect, priority [data.bad_value]\n");
}

BOOST_AUTO_TEST_SUITE_END()
