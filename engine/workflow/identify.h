// Identification: which categories a school falls into for an academic year, by the workspace's
// decision table over the indicators of the year before (the list for 2020-2021 is made from the
// results of 2019-2020), and which schools the workflow gives a program that year. Typed in,
// typed out: no template JSON, no prose (view/ turns a result into words).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "rules/decision_table.h"
#include "workflow/workflow.h"

namespace ppko::workflow {

struct Identification {
    std::vector<std::string> categories;  // category ids, in rule order, each once
    std::vector<std::string> reasons;     // the hit rules' reasons
    rules::Decision decision;
    const domain::IndicatorRecord* basis = nullptr;  // the record used; null when there is none
    // Inputs the table could not compute («нет данных»), by id, with the paths they missed.
    std::vector<std::pair<std::string, std::string>> unknown_inputs;
    // Rules the table could not decide for lack of data (neither «да» nor «нет»).
    std::vector<const rules::Rule*> unknown_rules() const;
};

// Thread safety: after construction every const member may be called from several threads;
// the per-year caches are filled under a lock, once.
class Identifier {
public:
    // `table` may be null (no identification: no categories); `workflow` decides participation.
    // The domain, table and workflow must outlive the Identifier.
    Identifier(const domain::Domain& domain, const rules::DecisionTable* table, const Workflow& workflow);

    const rules::DecisionTable* table() const { return table_; }
    const Workflow& workflow() const { return workflow_; }
    const domain::Domain& domain() const { return domain_; }

    // The period whose indicators decide `year`'s lists: the year before.
    static std::optional<domain::AcademicYear> basis_period(domain::AcademicYear year) { return year.prev(); }

    // The full decision, with every input and rule (for explanations). Evaluation problems in a
    // methodology expression are reported at the school's record in indicators.json, with the
    // expression's position on a second line.
    Identification identify(std::size_t school, domain::AcademicYear year, rules::Reads reads = rules::Reads::skip) const;

    // The categories of every school in `year` (cached), and of one school.
    const std::vector<std::string>& categories(std::size_t school, domain::AcademicYear year) const;
    const std::vector<std::string>& reasons(std::size_t school, domain::AcademicYear year) const;
    // Schools the workflow gives a program in `year`, in schools.json order (cached).
    const std::vector<std::size_t>& participants(domain::AcademicYear year) const;
    bool participates(std::size_t school, domain::AcademicYear year) const;
    // The identification could not decide what matters: a rule giving one of the workflow's
    // program categories (or, with none named, any rule) is unknown for lack of data, or no rule
    // held and some were unknown.
    bool undecided(const Identification& id) const;
    // The category a program opened for `school` in `year` gets: the first of the workflow's
    // categories the school has ("" when none).
    std::string program_category(std::size_t school, domain::AcademicYear year) const;

private:
    struct Year {
        std::vector<std::vector<std::string>> categories;  // by school
        std::vector<std::vector<std::string>> reasons;     // by school
        std::vector<std::size_t> participants;
        std::vector<char> listed;  // by school
    };
    const Year& year(domain::AcademicYear y) const;

    const domain::Domain& domain_;
    const rules::DecisionTable* table_;
    const Workflow& workflow_;
    mutable std::mutex mutex_;
    mutable std::map<int, std::unique_ptr<Year>> years_;
};

}  // namespace ppko::workflow
