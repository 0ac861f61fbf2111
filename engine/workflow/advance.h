// Advancing school programs: given the domain, the identification and the programs as they stand,
// computes — deterministically, with time only from `date` — which programs open, which
// transitions fire and what each academic year ends with. The result is typed events and the
// changed programs; the caller describes them (view::describe_event) and writes them in one
// transaction, or only prints them (--dry-run), or keeps them in memory to render documents as of
// a date. Also evaluates, for explanations, what a program's conditions see on a date.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "expr/expr.h"
#include "rules/decision_table.h"
#include "workflow/identify.h"
#include "workflow/program.h"
#include "workflow/workflow.h"

namespace ppko::workflow {

struct Plan {
    std::vector<Program> programs;  // changed programs, final state, in school-id order
    std::vector<Event> events;      // in order
};

// The year's dynamics of a program as the year-end outcome sees it.
struct DynamicsResult {
    enum class Source { none, fact, rule, otherwise, unknown };
    Source source = Source::none;  // none: the workflow computes no dynamics
    std::string value;             // "positive" …; "" when unknown or none
    const DynamicsRule* rule = nullptr;  // Source::rule: the rule that held
    struct RuleCheck {
        const DynamicsRule* rule;
        rules::Truth truth;
        expr::AccessLog reads;
    };
    std::vector<RuleCheck> checks;  // every rule evaluated, in order (empty for Source::fact)
    std::string fact_date;          // Source::fact: the date of the fact that asserted it (ISO)
    const domain::IndicatorRecord* results = nullptr;  // the record the rules read
};

// A condition of the program's workflow with what it saw.
struct ConditionCheck {
    std::string id, title, guard, to;
    rules::Truth truth = rules::Truth::unknown;
    expr::AccessLog reads;
};

// What a program's conditions see on a date (for `ppko explain`).
struct ProgramView {
    domain::Date from, until;  // the window of facts
    std::vector<ConditionCheck> transitions;  // those leaving the current stage
    std::vector<ConditionCheck> year_end;     // every outcome, in order (the first that holds wins)
    DynamicsResult dynamics;
};

// Thread safety: const members may be called from several threads.
class Advancer {
public:
    // Everything must outlive the Advancer. `registry` gives older workflow versions for programs
    // that started on them.
    Advancer(const domain::Domain& domain, const Identifier& identifier, const Registry& registry);

    // Everything that happens up to and including `date`, starting from `current`. A year's
    // outcome is decided on its last day (31 August), so a date of 31 August closes the year.
    // Throws ppko::Error [workflow.no_progress] when transitions cycle without new facts.
    Plan advance(const std::vector<Program>& current, domain::Date date) const;

    // The conditions of `p` evaluated on `date` (within its academic year).
    ProgramView view(const Program& p, domain::Date date) const;
    // The dynamics of `p`'s academic year as known on `until`.
    DynamicsResult dynamics(const Program& p, domain::Date until) const;

    // Overdue tasks of the current stage and the nearest deadline, as of `as_of`.
    struct Task {
        const workflow::Task* task;
        domain::Date due;
    };
    struct Tasks {
        std::vector<Task> overdue;
        std::optional<Task> next;
    };
    Tasks tasks(const Program& p, domain::Date as_of) const;

    // Every stage of `p`'s academic year with its period and tasks as of `as_of`: when each task
    // is due, the date of the fact that marks it done (the earliest in the year up to `as_of`), and
    // whether it is overdue (as tasks() says: of the current stage, due before `as_of`, not done).
    // What a school's page shows as its program's time line. Final stages (outcomes) have no period
    // and are left out.
    struct YearTask {
        const workflow::Task* task;
        std::optional<domain::Date> from, due;
        std::optional<domain::Date> done_on;
        bool overdue = false;
    };
    struct YearStage {
        const workflow::Stage* stage;
        std::optional<domain::Date> from, to;
        bool current = false;  // the program is active in it
        std::vector<YearTask> tasks;
    };
    std::vector<YearStage> year_plan(const Program& p, domain::Date as_of) const;

    const Workflow& workflow_of(const Program& p) const { return workflow_of(p.workflow, p.version); }
    const Workflow& workflow_of(const std::string& id, int version) const;
    const Identifier& identifier() const { return identifier_; }
    const domain::Domain& domain() const { return domain_; }

private:
    struct Roots;
    Roots roots(const Program& p, std::size_t school, domain::Date from, domain::Date until) const;
    // The earliest date in `p`'s year, up to `until`, of the fact that marks `t` done; none when
    // the task names no such fact or it was not recorded.
    std::optional<domain::Date> done_on(const workflow::Task& t, std::size_t school, const Program& p, domain::Date until) const;

    const domain::Domain& domain_;
    const Identifier& identifier_;
    const Registry& registry_;
};

}  // namespace ppko::workflow
