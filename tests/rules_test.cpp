// Expressions over facts (three-valued), rule functions, and decision tables: cells, hit
// policies, unknown inputs, and the static checks with their messages.
#include <boost/test/unit_test.hpp>

#include <optional>

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

// "true", "false", the value as JSON, "unknown(path)" or "error: " and the message.
std::string eval(const std::string& text, const Json& facts) {
    static const expr::FunctionTable no_filters;
    const auto e = expr::Expr::parse(text, "t", {1, 1}, no_filters, functions());
    const JsonScope scope(facts);  // outlives v, which may refer into it
    std::optional<expr::Value> result;
    try {
        result = e.evaluate(scope, expr::Mode::facts);
    } catch (const Error& err) {
        return "error: " + err.diagnostics().format();
    }
    const expr::Value& v = *result;
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

BOOST_AUTO_TEST_CASE(an_unknown_value_names_the_path_that_is_missing) {
    const Json f = Json::parse(R"({"facts": {}, "x": null, "r": [{"y": 1}], "n": 0})");
    BOOST_TEST(eval("facts.a.b.c", f) == "unknown(facts.a.b.c)");
    BOOST_TEST(eval("(facts.a).b == 1", f) == "unknown(facts.a.b)");
    BOOST_TEST(eval("x.y", f) == "unknown(x.y)");
    BOOST_TEST(eval("nothing[0].y", f) == "unknown(nothing[0].y)");
    BOOST_TEST(eval("r[k].y", f) == "unknown(r[…].y)");
    BOOST_TEST(eval("r[n].y", f) == "1");
    // The path of a value derived from an unknown one continues the unknown one's path.
    BOOST_TEST(eval("max([n, facts.z]).w", f) == "unknown(facts.z.w)");
    BOOST_TEST(eval("-facts.z + 1", f) == "unknown(facts.z)");
    BOOST_TEST(eval("[n..facts.hi]", f) == "unknown(facts.hi)");
}

BOOST_AUTO_TEST_CASE(the_access_log_keeps_each_leaf_read_once) {
    static const expr::FunctionTable no_filters;
    const Json f = Json::parse(R"({"facts": {"a": {"value": 3, "date": "2019-10-01"}, "big": {"k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5}},
                                   "n": 3, "list": [1, 2]})");
    const auto e = expr::Expr::parse(
        "facts.a.value > 2 and n in [1, 2, 3] and n < 5 and exists(facts.big) and count(list) == 2 and facts.b.x and facts.a",
        "t", {1, 1}, no_filters, functions());
    expr::AccessLog log;
    log.push_back({"earlier", Json(1), false});  // what the caller logged before stays
    const JsonScope scope(f);
    const expr::Value v = e.evaluate(scope, expr::Mode::facts, &log);
    BOOST_TEST(v.is_missing());
    BOOST_TEST(v.missing_path() == "facts.b.x");
    std::string seen;
    for (const auto& a : log) seen += a.path + "=" + (a.missing ? std::string("?") : a.value.dump()) + "; ";
    BOOST_TEST(seen == R"(earlier=1; facts.a.value=3; n=3; facts.big={}; list=[1,2]; facts.b.x=?; )");
    // Without a log the value is the same.
    const expr::Value w = e.evaluate(scope, expr::Mode::facts);
    BOOST_TEST((w.is_missing() && w.missing_path() == "facts.b.x"));
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

BOOST_AUTO_TEST_CASE(in_a_literal_list_or_range_keeps_the_order_of_unknowns_and_errors) {
    const Json f = Json::parse(R"({"n": 3, "s": "x", "list": [1, 3], "facts": {}})");
    BOOST_TEST(eval("n in [1..5] and not (n in [4..5]) and n not in [4..5]", f) == "true");
    BOOST_TEST(eval("n in [1, 2, 3] and n not in [] and n in list and not (n in [\"3\"])", f) == "true");
    BOOST_TEST(eval("facts.a in [1..5]", f) == "unknown(facts.a)");
    BOOST_TEST(eval("n in [1..facts.hi]", f) == "unknown(facts.hi)");
    BOOST_TEST(eval("facts.a in [facts.lo..facts.hi]", f) == "unknown(facts.a)");
    BOOST_TEST(eval("n in [1, facts.b, 3]", f) == "unknown(facts.b)");
    BOOST_TEST(eval("facts.a in [1, facts.b]", f) == "unknown(facts.a)");
    // The bounds are checked before an unknown left side is returned; the left side after.
    BOOST_TEST(eval("facts.a in [\"a\"..\"b\"]", f) == "error: t:1:12: границы диапазона должны быть числами [expr.type]\n");
    BOOST_TEST(eval("s in [1..2]", f) == "error: t:1:3: в диапазоне можно искать только число, а здесь текст «x» [expr.type]\n");
}

BOOST_AUTO_TEST_CASE(lists_built_for_functions_are_reused_without_changing_results) {
    const Json f = Json::parse(R"({"a": 31, "b": 12, "c": 45, "r": {"x": 2}})");
    BOOST_TEST(eval("max([a, b]) + max([a, b, c]) * 100 + count_at_least([a, b, c], 30) * 10000", f) == "24531");
    BOOST_TEST(eval("max([count([a, b, c]), min([r.x, 7])])", f) == "3");
    BOOST_TEST(eval("[a, b] ~ \"\"", f) == "error: t:1:8: нельзя вывести как текст: это список из 2 элем. [expr.type]\n");
    BOOST_TEST(eval("[a, [b, c], r.x]", f) == "[31,[12,45],2]");  // a list that is the result stays whole
    BOOST_TEST(eval("count([1, 2]) + count([3, 4, 5]) + count([])", f) == "5");
}

BOOST_AUTO_TEST_CASE(integer_arithmetic_is_checked_not_wrapped) {
    const Json f = Json::object();
    BOOST_TEST(eval("9223372036854775807 + 1", f) ==
               "error: t:1:21: результат «+» не помещается в целое число (от -9223372036854775808 до 9223372036854775807) [expr.overflow]\n");
    BOOST_TEST(eval("(-9223372036854775807 - 1) - 1", f).find("[expr.overflow]") != std::string::npos);
    BOOST_TEST(eval("3037000500 * 3037000500", f).find("[expr.overflow]") != std::string::npos);
    BOOST_TEST(eval("-(-9223372036854775807 - 1)", f) == "error: t:1:1: −(-9223372036854775808) не помещается в целое число [expr.overflow]\n");
    BOOST_TEST(eval("(-9223372036854775807 - 1) % -1", f) == "0");  // SIGFPE on x86 if computed
    BOOST_TEST(eval("-7 % 3", f) == "-1");
    BOOST_TEST(eval("9223372036854775806 + 1", f) == "9223372036854775807");
    BOOST_TEST(eval("7 % 0", f) == "error: t:1:3: деление на ноль [expr.bad_argument]\n");
}

BOOST_AUTO_TEST_CASE(dates_stay_within_the_calendar) {
    const Json f = Json::object();
    BOOST_TEST(eval("date_add_days(\"2019-05-31\", 9223372036854775807)", f) ==
               "error: t:1:1: функция «date_add_days»: date_add_days: дата вышла бы за пределы 0001-01-01 … 9999-12-31 [expr.overflow]\n");
    BOOST_TEST(eval("date_add_days(\"2019-05-31\", -9223372036854775807)", f).find("[expr.overflow]") != std::string::npos);
    BOOST_TEST(eval("date_add_days(\"9999-12-30\", 1)", f) == "\"9999-12-31\"");
    BOOST_TEST(eval("date_add_days(\"0001-01-02\", -1)", f) == "\"0001-01-01\"");
}

BOOST_AUTO_TEST_CASE(deep_expressions_are_refused_with_the_position) {
    const Json f = Json::object();
    // Parsing refuses them: eval() reports evaluation errors only, so parse errors come here.
    auto eval = [](const std::string& text, const Json& facts) {
        try {
            return ::eval(text, facts);
        } catch (const Error& e) {
            return "error: " + e.diagnostics().format();
        }
    };
    BOOST_TEST(eval(std::string(10000, '(') + "1" + std::string(10000, ')'), f) ==
               "error: t:1:65: выражение вложено слишком глубоко (больше 64 уровней скобок, списков и not) [limit.nesting]\n");
    std::string chain = "1";
    for (int i = 0; i < 20000; ++i) chain += "+1";
    BOOST_TEST(eval(chain, f) ==
               "error: t:1:512: выражение слишком сложное: больше 256 операций друг в друге (например, a + b + … подряд) [limit.nesting]\n");
    std::string nots;
    for (int i = 0; i < 10000; ++i) nots += "not ";
    BOOST_TEST(eval(nots + "true", f).find("[limit.nesting]") != std::string::npos);
    BOOST_TEST(eval(std::string(10000, '-') + "1", f).find("[limit.nesting]") != std::string::npos);
    BOOST_TEST(eval(std::string(60, '(') + "1" + std::string(60, ')'), f) == "1");
}

BOOST_AUTO_TEST_CASE(a_build_meter_stops_values_that_double) {
    const Json f = Json::parse(R"({"x": "abcdefgh"})");
    const expr::BuildMeter meter(100);
    BOOST_TEST(eval("x ~ x", f) == "\"abcdefghabcdefgh\"");
    BOOST_TEST(eval("x ~ x ~ x ~ x ~ x ~ x ~ x ~ x ~ x", f) ==
               "error: t:1:15: выражения документа построили больше 0 МБ текста и списков (~ и […]); вероятно, значение удваивается в цикле [limit.size]\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(decision_tables)

BOOST_AUTO_TEST_CASE(unique_table_picks_the_one_rule_and_explains_every_cell) {
    const auto t = table(kGrades);
    BOOST_TEST(t.check().empty());
    const auto d = t.evaluate(JsonScope(Json::parse(R"({"exam": {"score": 79}})")));
    BOOST_REQUIRE(d.hits.size() == 1);
    BOOST_TEST(d.hits[0]->id == "pass");
    BOOST_TEST(d.outputs().dump() == R"([{"grade":"3-4"}])");
    BOOST_TEST((d.rules[0].cells[0] == rules::Truth::no && d.rules[2].cells[0] == rules::Truth::no));
}

BOOST_AUTO_TEST_CASE(an_unknown_input_leaves_rules_undecided) {
    const auto t = table(kGrades);
    const auto d = t.evaluate(JsonScope(Json::parse(R"({"exam": {}})")));
    BOOST_TEST(d.hits.empty());
    BOOST_TEST(d.inputs[0].is_missing());
    for (const auto& r : d.rules) BOOST_TEST((r.outcome == rules::Truth::unknown));
}

BOOST_AUTO_TEST_CASE(what_each_input_read_is_recorded_only_on_request) {
    const auto t = table(kGrades);
    const JsonScope facts(Json::parse(R"({"exam": {"score": 79, "date": "2020-05-30"}})"));
    BOOST_TEST(t.evaluate(facts).input_reads.empty());
    const auto d = t.evaluate(facts, rules::Reads::record);
    BOOST_REQUIRE(d.input_reads.size() == 1u);
    BOOST_REQUIRE(d.input_reads[0].size() == 1u);
    BOOST_TEST(d.input_reads[0][0].path == "exam.score");
    BOOST_TEST(d.input_reads[0][0].value.dump() == "79");
    BOOST_TEST(d.hits.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_table_with_many_inputs_explains_every_cell) {
    // Nine inputs: more than a rule's cells keep inline.
    std::string inputs, cells;
    for (int i = 1; i <= 9; ++i) {
        inputs += std::string(i > 1 ? ", " : "") + R"({"id": "x)" + std::to_string(i) + R"(", "expr": "x)" + std::to_string(i) + "\"}";
    }
    const auto t = table(R"({"id": "t", "version": 1, "title": "t", "hit_policy": "collect", "inputs": [)" + inputs +
                         R"(], "outputs": [{"id": "o"}], "rules": [
        {"id": "a", "when": {"x1": "< 5", "x9": ">= 9"}, "then": {"o": "a"}},
        {"id": "b", "when": {"x2": "2", "x8": "!= 8"}, "then": {"o": "b"}}]})");
    const Json x = Json::parse(R"({"x1": 1, "x2": 2, "x3": 3, "x4": 4, "x5": 5, "x6": 6, "x7": 7, "x8": 8, "x9": 9})");
    const auto d = t.evaluate(JsonScope(x));
    auto word = [](const rules::RuleOutcome& r) {
        std::string out;
        for (const auto c : r.cells) out += c == rules::Truth::yes ? 'y' : c == rules::Truth::no ? 'n' : '?';
        return out;
    };
    BOOST_REQUIRE(d.rules.size() == 2u);
    BOOST_TEST(word(d.rules[0]) == "yyyyyyyyy");
    BOOST_TEST(word(d.rules[1]) == "yyyyyyyny");
    BOOST_TEST(d.outputs().dump() == R"([{"o":"a"}])");
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

BOOST_AUTO_TEST_CASE(the_gap_search_prunes_and_is_bounded) {
    // Twelve inputs with three thresholds each: 9^12 combinations for a plain enumeration; the
    // search that drops covered branches needs a few thousand steps.
    auto make = [](int n, bool thresholds) {
        std::string inputs, rules;
        for (int i = 0; i < n; ++i) {
            const std::string x = "x" + std::to_string(i);
            inputs += std::string(i ? ", " : "") + R"({"id": ")" + x + R"(", "expr": ")" + x + R"(", "domain": [0, 100]})";
            rules += R"({"id": "low)" + std::to_string(i) + R"(", "when": {")" + x + R"(": "< 10"}, "then": {"o": "low"}}, )";
            if (thresholds) {
                for (int t : {20, 30}) {
                    rules += R"({"id": "t)" + std::to_string(t) + "_" + std::to_string(i) + R"(", "when": {")" + x + R"(": ">= )" +
                             std::to_string(t) + R"("}, "then": {"o": "t"}}, )";
                }
            }
        }
        std::string all;
        for (int i = 0; i < n; ++i) all += std::string(i ? ", " : "") + "\"x" + std::to_string(i) + "\": \">= 10\"";
        rules += R"({"id": "high", "when": {)" + all + R"(}, "then": {"o": "high"}})";
        return table(R"({"id": "t", "version": 1, "title": "t", "hit_policy": "first", "complete": true, "inputs": [)" + inputs +
                     R"(], "outputs": [{"id": "o"}], "rules": [)" + rules + "]}");
    };
    BOOST_TEST(make(12, true).check().empty());
    BOOST_TEST(make(8, false).check().empty());
    BOOST_TEST(make(16, false).check().format() ==
               "t.json: $.rules: таблицу не удаётся проверить на пробелы: сочетаний значений входов слишком много (больше 5000000 шагов "
               "проверки); уменьшите число входов с областью значений или укажите \"complete\": false [limit.size]\n");
}

BOOST_AUTO_TEST_CASE(values_of_the_wrong_type_are_reported_not_thrown) {
    BOOST_TEST(load_error(R"({"id": "t", "version": 1, "title": "t", "hit_policy": "unique", "inputs": "x", "outputs": [], "rules": []})") ==
               "t.json:1:75: $.inputs: ожидалось: список [ … ], а записано: текст «x» [data.wrong_type]\n"
               "t.json:1:75: $.inputs: у таблицы нет входов [data.missing_field]\n"
               "t.json:1:104: $.rules: у таблицы нет правил [data.missing_field]\n");
    BOOST_TEST(load_error(R"({"id": "t", "version": 1, "title": "t", "hit_policy": "unique", "complete": 1,
        "inputs": [{"id": "x", "expr": "x"}], "outputs": [{"id": "o", "values": [1]}],
        "rules": [{"id": "r", "when": [], "then": {"o": "a"}, "priority": "high"}]})") ==
               "t.json:1:77: $.complete: ожидалось: true или false, а записано: число 1 [data.wrong_type]\n"
               "t.json:2:82: $.outputs[0].values[0]: ожидалось: объект { … }, а записано: число 1 [data.wrong_type]\n"
               "t.json:3:75: $.rules[0].priority: ожидалось: число, а записано: текст «high» [data.wrong_type]\n"
               "t.json:3:39: $.rules[0].when: ожидалось: объект { … }, а записано: список из 0 элем. [data.wrong_type]\n"
               "t.json:3:57: $.rules[0].then.o: значение не из списка выхода «o» [data.bad_value]\n");
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
