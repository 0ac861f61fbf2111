// The table of seed 002 from the event log, per program category: for each academic year the
// schools on the list, the programs continuing «на доверии» (running although the school left the
// list), the programs completed at the end of the year, and figures that say what they measure:
// the seed's own percentage (continuing or completed, to the first year's list), the share of
// the year's programs that completed, and completions by the year programs opened (cohorts).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "workflow/identify.h"
#include "workflow/program.h"

namespace ppko::workflow {

struct YearRow {
    domain::AcademicYear year;
    std::vector<std::size_t> listed;     // schools on the year's list in this category (school indices)
    std::vector<std::size_t> on_trust;   // programs running in the year whose school is not listed
    std::vector<std::size_t> completed;  // programs completed at the end of the year
    std::size_t running = 0;             // programs of the category that ran in the year
    // |on_trust ∪ completed| ÷ |listed in the first year| (seed 002's arithmetic); none for the
    // first year. Above 100 % when later cohorts outgrow the first: it is not a share.
    std::optional<int> first_list_percent;
    // completed ÷ running: the share of the year's programs that completed; none without programs.
    std::optional<int> completed_percent;
};

struct Cohort {
    domain::AcademicYear opened;          // the year its programs opened
    std::size_t programs = 0;             // opened that year
    std::size_t completed = 0;            // of them, completed by the summary's date
};

struct CategorySummary {
    std::string category;  // "" for a workflow without categories
    std::vector<YearRow> rows;
    std::vector<Cohort> cohorts;
};

// `events` in log order; only those dated on or before `as_of` count; rows for the identified
// years up to `as_of`'s academic year. One summary per category of the workflow (one for a
// workflow that names none).
std::vector<CategorySummary> summarize(const Identifier& identifier, const std::vector<Event>& events, domain::Date as_of);

}  // namespace ppko::workflow
