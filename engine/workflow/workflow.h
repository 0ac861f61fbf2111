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
#include "domain/vocabulary.h"
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

using domain::FactField;
using domain::FactSpec;

// How the year-end outcome sees the indicators: the first rule whose condition holds gives the
// year's dynamics («positive», …); an asserted value of the override fact's field replaces it.
struct DynamicsRule {
    std::string value, title, when_text;
    expr::Expr when;
};
struct Dynamics {
    std::string title;
    std::string override_fact, override_field;  // "final_monitoring", "dynamics"; may be empty
    std::vector<DynamicsRule> rules;
    std::string otherwise;  // when no rule holds and every condition is known
};

struct Workflow {
    std::string id, title, file;
    int version = 0;
    std::string start;
    std::optional<expr::Expr> applies_to;  // which schools get a program in a year
    std::string applies_to_text;
    // Categories (of the identification table) that get a program, in priority order: a
    // program's category is the first of these the school has when the program opens. Without
    // applies_to, a school gets a program when it has any of them.
    std::vector<std::string> categories;
    std::vector<FactSpec> facts;  // empty: facts are not checked against a vocabulary
    std::optional<Dynamics> dynamics;
    const FactSpec* fact(std::string_view id) const;
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
    const Workflow* find(std::string_view id, int version = 0) const;      // null when there is none
    const rules::DecisionTable& table(std::string_view id) const;
    const expr::FunctionTable& functions() const { return functions_; }
    std::vector<const Workflow*> workflows() const;

private:
    expr::FunctionTable functions_;
    std::map<std::pair<std::string, int>, Workflow> workflows_;
    std::map<std::string, rules::DecisionTable, std::less<>> tables_;
};

// Mermaid ("mermaid") or Graphviz ("dot") text of a workflow.
std::string graph(const Workflow& w, std::string_view format);

}  // namespace ppko::workflow
