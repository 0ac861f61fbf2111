// Workflow definitions (validation messages), the advance engine (scenarios from
// tests/data/scenarios/*.json, iterated by name), versions, idempotence and the graph output.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "data/json_source.h"
#include "workflow/municipality.h"
#include "workflow/summary.h"
#include "workflow/timeline.h"

using namespace ppko;
using data::Json;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string load_error(const std::string& json) {
    const auto fns = expr::make_rule_functions();
    try {
        workflow::load_workflow(data::parse_json(json, "w.json"), fns);
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

// A one-school workspace in memory from a scenario file.
data::Workspace workspace_for(const Json& sc) {
    data::Workspace ws;
    ws.name = "scenario";
    ws.workflow = sc.value("workflow", std::string());
    ws.identification = sc.value("identification", std::string());
    Json school = {{"id", "s1"}, {"name", "Школа"}, {"short_name", "Школа"}, {"kind", sc["school"]["kind"]}, {"locality", "urban"}};
    ws.data["schools"] = {{"schools", Json::array({school})}};
    Json ind = Json::array();
    const Json indicators = sc.value("indicators", Json::object());
    // Keyed by the list's year: the record describes the year before (README, «Показатели»).
    for (const auto& [year, rec] : indicators.items()) {
        Json r = rec;
        r["school"] = "s1";
        r["period"] = domain::AcademicYear::parse(year)->prev()->name();
        if (!r.contains("results")) r["results"] = nullptr;
        if (!r.contains("context")) r["context"] = nullptr;
        ind.push_back(r);
    }
    ws.data["indicators"] = {{"indicators", ind}};
    Json facts = Json::array();
    for (auto f : sc.value("facts", Json::array())) {
        f["school"] = "s1";
        facts.push_back(f);
    }
    ws.data["facts"] = {{"facts", facts}};
    return ws;
}

const char* kTwoStages = R"json({
  "id": "w", "version": 1, "title": "t", "start": "a",
  "stages": [{"id": "a", "title": "A", "from": "09-01", "to": "12-31"},
             {"id": "b", "title": "B", "from": "01-01", "to": "08-31"},
             {"id": "done", "title": "Готово", "final": true}],
  "transitions": [{"id": "go", "from": "a", "to": "b", "guard": "exists(facts.x)"}],
  "year_end": [{"id": "end", "guard": "exists(facts.y)", "to": "done", "status": "completed"},
               {"id": "next", "guard": "true", "to": "a", "status": "active"}]
})json";

std::string with(std::string s, const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_definitions)

BOOST_AUTO_TEST_CASE(shipped_workflows_and_tables_load_and_pass_static_checks) {
    io::Resources res;
    workflow::Registry reg(res);
    BOOST_TEST(reg.workflow("ppko").version == 2);
    BOOST_TEST(reg.workflow("sasovo-cycle").stages.size() == 5u);
    BOOST_TEST(reg.table("identification").check().empty());
    BOOST_TEST(load_error(kTwoStages) == "no error");
}

BOOST_AUTO_TEST_CASE(bad_definitions_are_reported_with_positions) {
    BOOST_TEST(load_error(with(kTwoStages, "\"to\": \"b\", \"guard\"", "\"to\": \"c\", \"guard\"")) ==
               "w.json:6:51: $.transitions[0].to: этапа «c» нет; этапы: a, b, done [workflow.unknown_stage]\n");
    BOOST_TEST(load_error(with(kTwoStages, "exists(facts.x)", "exists(facts.x"))  ==
               "w.json:6:80: $.transitions[0].guard: ожидалось «,» или «)» в списке аргументов, а выражение закончилось [expr.syntax]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"from\": \"a\", \"to\": \"b\"", "\"from\": \"b\", \"to\": \"a\"")) ==
               "w.json:4:14: $.stages[1]: в этап «b» нельзя попасть: к нему не ведёт ни один переход от начального этапа «a» [workflow.unreachable]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"guard\": \"true\"", "\"guard\": \"exists(facts.z)\"")) ==
               "w.json:7:15: $.year_end: последний исход года должен срабатывать всегда (\"guard\": \"true\"), иначе программа может остаться без решения [workflow.dead_end]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"version\": 1, ", "")) ==
               "w.json:1:1: $.version: нужна версия описания — целое число от 1 (\"version\": 1) [data.missing_field]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"from\": \"a\", \"to\": \"b\"", "\"from\": \"done\", \"to\": \"b\"")) ==
               "w.json:6:40: $.transitions[0].from: этап «done» конечный: из него не бывает переходов [workflow.invalid]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"to\": \"12-31\"", "\"to\": \"12-32\"")) ==
               "w.json:3:63: $.stages[0].to: ожидался день учебного года в виде ММ-ДД, например «09-01», а записано «12-32» [data.bad_date]\n");
}

BOOST_AUTO_TEST_CASE(empty_days_and_values_of_the_wrong_type_are_reported_not_thrown) {
    // "from": "" once reached std::stoi (internal error, exit 70).
    BOOST_TEST(load_error(with(kTwoStages, "\"from\": \"09-01\"", "\"from\": \"\"")) ==
               "w.json:3:48: $.stages[0].from: ожидался день учебного года в виде ММ-ДД, например «09-01», а записано «» [data.bad_date]\n");
    BOOST_TEST(load_error(with(kTwoStages, "\"final\": true", "\"final\": \"yes\"")) ==
               "w.json:5:57: $.stages[2].final: ожидалось: true или false, а записано: текст «yes» [data.wrong_type]\n"
               "w.json:5:14: $.stages[2].from: не заполнено обязательное поле «from» [data.missing_field]\n"
               "w.json:5:14: $.stages[2].to: не заполнено обязательное поле «to» [data.missing_field]\n");
    BOOST_TEST(load_error(R"({"id": "w", "version": 1, "title": "t", "start": "a", "stages": "x", "transitions": {}, "year_end": 5})") ==
               "w.json:1:65: $.stages: ожидалось: список [ … ], а записано: текст «x» [data.wrong_type]\n"
               "w.json:1:65: $.stages: у рабочего процесса нет этапов [data.missing_field]\n"
               "w.json:1:50: $.start: этапа «a» нет; этапы:  [workflow.unknown_stage]\n"
               "w.json:1:85: $.transitions: ожидалось: список [ … ], а записано: объект { … } [data.wrong_type]\n"
               "w.json:1:101: $.year_end: ожидалось: список [ … ], а записано: число 5 [data.wrong_type]\n"
               "w.json:1:101: $.year_end: не описано, что происходит с программой в конце учебного года (year_end) [data.missing_field]\n");
}

BOOST_AUTO_TEST_CASE(graph_is_mermaid_or_dot) {
    const auto fns = expr::make_rule_functions();
    const auto w = workflow::load_workflow(data::parse_json(kTwoStages, "w.json"), fns);
    BOOST_TEST(workflow::graph(w, "mermaid") ==
               "stateDiagram-v2\n    a : A\n    b : B\n    done : Готово\n    [*] --> a\n    a --> b : exists(facts.x)\n"
               "    year_end --> done : exists(facts.y)\n    year_end --> a : true\n    done --> [*]\n");
    BOOST_TEST(workflow::graph(w, "dot").find("\"a\" -> \"b\" [label=\"exists(facts.x)\"];") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(advancing)

BOOST_AUTO_TEST_CASE(scenarios) {
    int count = 0;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(PPKO_TEST_DATA "/scenarios")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        BOOST_TEST_CONTEXT("scenario " << path.filename().string()) {
            const Json sc = data::parse_json(read(path), path.string()).value;
            data::Workspace ws = workspace_for(sc);
            if (ws.workflow.empty()) ws.workflow = "ppko";
            const workflow::Municipality m(ws);
            const Json& expect = sc["expect"];
            if (sc.contains("date")) {
                const auto date = *domain::Date::parse(sc["date"].get<std::string>());
                const auto plan = m.advancer()->advance({}, date);
                std::vector<std::string> events;
                for (const auto& e : plan.events) {
                    const std::string kind = workflow::kind_name(e.kind);
                    events.push_back(kind + " " + e.date.iso() + (e.kind == workflow::EventKind::created ? "" : " " + e.from_stage + "→" + e.to_stage));
                }
                BOOST_TEST(events == expect["events"].get<std::vector<std::string>>(), boost::test_tools::per_element());
                BOOST_REQUIRE(plan.programs.size() == 1u);
                const auto row = workflow::to_store(plan.programs[0]);
                BOOST_TEST(row.stage == expect["stage"].get<std::string>());
                BOOST_TEST(row.status == expect["status"].get<std::string>());
                if (expect.contains("year")) BOOST_TEST(row.academic_year == expect["year"].get<std::string>());
                if (expect.contains("dynamics")) {
                    const auto d = m.advancer()->dynamics(plan.programs[0], date);
                    BOOST_TEST(d.value == expect["dynamics"].get<std::string>());
                }
                // Idempotent: advancing the result again to the same date changes nothing.
                BOOST_TEST(m.advancer()->advance(plan.programs, date).events.empty());
                // The log folded up to the date gives the same programs.
                BOOST_TEST((workflow::state_as_of(plan.events, date) == plan.programs));
            } else {
                for (const auto& [year, want] : expect.items()) {
                    const auto id = m.identifier()->identify(0, *domain::AcademicYear::parse(year));
                    BOOST_TEST(id.categories == want["categories"].get<std::vector<std::string>>(), boost::test_tools::per_element());
                    std::vector<std::string> matched, unknown;
                    for (const auto& r : id.decision.rules) {
                        if (r.outcome == rules::Truth::yes) matched.push_back(r.rule->id);
                        if (r.outcome == rules::Truth::unknown) unknown.push_back(r.rule->id);
                    }
                    BOOST_TEST(matched == want["matched"].get<std::vector<std::string>>(), boost::test_tools::per_element());
                    BOOST_TEST(unknown == want["unknown"].get<std::vector<std::string>>(), boost::test_tools::per_element());
                }
            }
            ++count;
        }
    }
    BOOST_TEST(count >= 7);
}

BOOST_AUTO_TEST_CASE(a_running_program_keeps_its_workflow_version) {
    // Version 3 of ppko beside the shipped version 2: a program started under version 2 stays on it.
    const fs::path dir = fs::temp_directory_path() / "ppko-version-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    io::Resources res;
    std::string v2 = std::string(res.find("workflows/ppko.json")->text);
    v2 = with(v2, "\"version\": 2", "\"version\": 3");
    std::ofstream(dir / "ppko.json") << v2;
    std::ofstream(dir / "ppko-v2.json") << res.find("workflows/ppko.json")->text;
    res.add_override_dir(dir, "workflows/");
    workflow::Registry reg(res);
    BOOST_TEST(reg.workflow("ppko").version == 3);
    const Json sc = data::parse_json(read(PPKO_TEST_DATA "/scenarios/ppko-completes.json"), "s").value;
    data::Workspace ws = workspace_for(sc);
    ws.resources.add_override_dir(dir, "workflows/");
    const workflow::Municipality m(ws);
    BOOST_TEST(m.workflow()->version == 3);
    store::ProgramState p;
    p.school = "s1";
    p.workflow = "ppko";
    p.workflow_version = 2;
    p.stage = "preparatory";
    p.status = "active";
    p.started_on = "2019-09-01";
    p.academic_year = "2019-2020";
    p.data_json = R"({"stage_entered": "2019-09-01"})";
    const auto plan = m.advancer()->advance({workflow::from_store(p, "state")}, *domain::Date::parse("2019-11-01"));
    BOOST_REQUIRE(!plan.events.empty());
    BOOST_TEST(plan.events[0].version == 2);
    BOOST_TEST(plan.programs[0].version == 2);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
