// Workflow definitions (workflows/<id>.json): the stages of a school's program with their
// periods in the academic year and tasks (the roadmap rows), guarded transitions between stages
// (cycles allowed), and the outcomes at the end of an academic year. Loading validates
// references, reachability, dead ends and guard syntax, with positions. Format: README.md
// («Рабочие процессы»).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "expr/expr.h"
#include "io/resources.h"
#include "rules/decision_table.h"

namespace ppko::workflow {

using data::Json;

struct Task {
    std::string id, activity, responsible;
    std::string from, to;  // "MM-DD" inside the academic year
    std::string done;      // the fact that marks the task done, "" when none
};

struct Stage {
    std::string id, title;
    std::string from, to;  // "MM-DD"; empty for final stages
    bool final = false;
    std::vector<Task> tasks;
    std::optional<expr::Expr> entry, exit;  // extra guards to enter / to leave
};

struct Transition {
    std::string id, from, to, title;
    expr::Expr guard;
    std::string guard_text;
    Json actions = Json::array();  // e.g. [{"due": "expert_conclusion"}] — recorded on the event
};

struct YearEnd {
    std::string id, to, status, title;
    expr::Expr guard;
    std::string guard_text;
};

struct Workflow {
    std::string id, title, file;
    int version = 0;
    std::string start;
    std::optional<expr::Expr> applies_to;  // which schools get a program in a year
    std::string applies_to_text;
    std::vector<Stage> stages;
    std::vector<Transition> transitions;
    std::vector<YearEnd> year_end;

    const Stage* stage(std::string_view stage_id) const;
};

// Parses and validates one definition; throws ppko::Error with every problem found.
Workflow load_workflow(const data::JsonDocument& doc, const expr::FunctionTable& functions);

// All workflow definitions and decision tables of a workspace (built-in workflows/ overlaid by
// the workspace's own workflows/), by id and version. A running program keeps the version it
// started with, so older versions stay loadable: a file may be workflows/<id>.json (current) or
// any other name under workflows/ with the same "id" and an older "version".
class Registry {
public:
    explicit Registry(const io::Resources& resources);

    const Workflow& workflow(std::string_view id, int version = 0) const;  // 0: the latest
    const rules::DecisionTable& table(std::string_view id) const;
    const expr::FunctionTable& functions() const { return functions_; }
    std::vector<const Workflow*> workflows() const;

private:
    expr::FunctionTable functions_;
    std::map<std::pair<std::string, int>, Workflow> workflows_;
    std::map<std::string, rules::DecisionTable, std::less<>> tables_;
};

// Academic years are "ГГГГ-ГГГГ" (two consecutive four-digit years), so that they compare as
// text in calendar order. Dates map to academic years up to kLastAcademicYear-…, so that the
// year after any of them ("9998-9999") still exists and nothing wraps around.
inline constexpr int kLastAcademicYear = 9997;
// "2019-2020" for an ISO date (1 September starts a year). The functions below throw ppko::Error
// (data.bad_date / data.bad_value) for a malformed date or year, or a year after the last one —
// never a wrapped or garbled year.
std::string academic_year_of(std::string_view iso_date);
std::string year_start(std::string_view academic_year);  // "2019-09-01"
std::string year_end(std::string_view academic_year);    // "2020-08-31"
std::string next_year(std::string_view academic_year);   // "2020-2021"
// The ISO date of "MM-DD" inside an academic year (September–December in its first calendar year).
std::string date_in_year(std::string_view academic_year, std::string_view month_day);

// Mermaid ("mermaid") or Graphviz ("dot") text of a workflow.
std::string graph(const Workflow& w, std::string_view format);

}  // namespace ppko::workflow
