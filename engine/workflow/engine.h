// Advancing school programs: given a workspace (schools, indicators, dated facts), the workflow
// registry and the current state, computes — deterministically, with time only from `date` —
// which programs open, which transitions fire and what each academic year ends with. The result
// is a list of events and changed program states that the caller writes in one transaction
// (or only prints, for --dry-run). Also answers status, explain and summary questions.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/workspace.h"
#include "rules/decision_table.h"
#include "store/store.h"
#include "workflow/workflow.h"

namespace ppko::workflow {

struct Plan {
    std::vector<store::ProgramState> programs;  // changed programs, final state
    std::vector<store::Event> events;           // in order
};

struct Identification {
    std::vector<std::string> categories;
    std::vector<std::string> reasons;
    rules::Decision decision;
    bool has_data = false;  // an indicator record exists for the school and year
};

// The workspace and the registry must outlive the Engine and stay unchanged while it lives: the
// Engine keeps pointers into them and caches what it derives from them (each school's categories
// per year, each year's participants), filled on first use by the const member functions — so one
// Engine is not to be used from several threads at once.
class Engine {
public:
    // Throws ppko::Error when the workspace names an unknown workflow or table.
    Engine(const data::Workspace& ws, const Registry& registry);

    // Years with indicator data, ascending.
    const std::vector<std::string>& years() const { return years_; }
    const Workflow& workflow() const { return *workflow_; }

    Identification identify(const std::string& school, const std::string& year) const;
    // Schools the workflow applies to in `year` (the official list), in schools.json order.
    std::vector<std::string> participants(const std::string& year) const;

    // Everything that happens up to and including `date` (ISO), starting from `current`.
    Plan advance(const std::vector<store::ProgramState>& current, const std::string& date) const;

    // Human-readable explanation (Russian) of a school's categories and program state.
    std::string explain(const std::string& school, const store::ProgramState* program, const std::string& date) const;

    struct TaskStatus {
        std::vector<std::string> overdue;  // «Итоговый мониторинг программы (до 30.06.2020)»
        std::string next_deadline;         // «15.10.2019 — Разработка …», or ""
    };
    TaskStatus tasks(const store::ProgramState& p, const std::string& as_of) const;

    // The table of seed 002 from the event log: per year, participants, programs continuing on
    // trust, programs completed at the end of the year, and |C ∪ D| / |participants of the first
    // year| in percent.
    struct YearRow {
        std::string year;
        std::vector<std::string> participants, on_trust, completed;
        int percent = -1;  // -1 for the first year
    };
    std::vector<YearRow> summary(const std::vector<store::Event>& events, const std::string& through_year) const;

    // What documents about a school in a year are filled from (README.md, «Документы по школам»):
    // school, year, categories and reasons, problems (measures past their thresholds), baseline
    // (every measure with its value), the workflow's stages with real dates and their tasks, and
    // the program's state when there is one.
    // The one exception to the class comment: once partnership(year) has been called, several
    // threads may call school_context(…, year, …) at once (it only reads the workspace, the
    // registry and the partnership; its own cache of stages is locked).
    data::Json school_context(const std::string& school, const std::string& year, const store::ProgramState* program) const;

    // Partner pairs for `year` (partners.json: fixed pairs kept, the rest matched by
    // engine/partners): {"year", "order", "plan_deadline", "pairs": [{"school": {…},
    // "partner": {…}, "fixed", "reasons": […]}], "unmatched": [{"school": {…}, "reason"}]}, or
    // null when the workspace has no partners.json for that year.
    const data::Json& partnership(const std::string& year) const;
    // The pair of `school` in partnership(year), or nullptr.
    const data::Json* pair_of(const std::string& school, const std::string& year) const;

    std::string school_name(const std::string& id) const;
    bool has_school(const std::string& id) const;

private:
    struct Fact {
        std::string date, name;
        data::Json entry;  // as guards see facts.<name>: the value (an object, or {"value": v}) with "date"
    };
    struct ProgramRoots;  // the names a program's guards see (engine.cpp)
    data::Json facts_window(const std::string& school, const std::string& from, const std::string& to) const;
    ProgramRoots program_roots(const store::ProgramState& p, const std::string& from, const std::string& to) const;
    // identify(school, year).categories, evaluated once per school and year.
    const std::vector<std::string>& categories(const std::string& school, const std::string& year) const;
    // The school's record (the last one with that id, as identify has always used), or nullptr.
    const data::Json* school_json(const std::string& id) const;

    const data::Json* school_record(const std::string& id) const;
    // The non-final stages of `w` with their tasks and dates in `year`, as school_context gives them.
    const data::Json& stages_of(const Workflow& w, const std::string& year) const;
    mutable std::mutex stages_mutex_;  // guards stages_
    mutable std::map<std::pair<const Workflow*, std::string>, data::Json> stages_;
    data::Json compute_partnership(const std::string& year) const;
    mutable std::map<std::string, data::Json, std::less<>> partnerships_;  // node-stable: pair_index_ points in
    mutable std::map<std::string, std::unordered_map<std::string, const data::Json*>> pair_index_;

    const data::Workspace& ws_;
    const Registry& registry_;
    const Workflow* workflow_ = nullptr;
    const rules::DecisionTable* table_ = nullptr;
    std::vector<std::string> years_;
    std::vector<std::pair<std::string, const data::Json*>> schools_;
    std::map<std::pair<std::string, std::string>, const data::Json*> indicators_;
    std::map<std::string, std::vector<Fact>> facts_;
    struct SchoolIndex {
        std::size_t first = 0, last = 0;  // positions in schools_ of the first and last entry with the id
    };
    std::unordered_map<std::string, SchoolIndex> school_index_;
    // Caches (see the class comment): categories by [school position × year position in years_],
    // other years (no indicator data) and unknown schools by key; participants by year.
    mutable std::vector<std::optional<std::vector<std::string>>> categories_;
    mutable std::map<std::pair<std::string, std::string>, std::vector<std::string>> other_categories_;
    mutable std::map<std::string, std::vector<std::string>, std::less<>> participants_;
};

}  // namespace ppko::workflow
