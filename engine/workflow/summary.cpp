#include "workflow/summary.h"

#include <algorithm>
#include <map>
#include <set>

namespace ppko::workflow {
namespace {

int percent(std::size_t part, std::size_t whole) { return static_cast<int>((100 * part + whole / 2) / whole); }

std::vector<std::size_t> sorted(const std::set<std::size_t>& s) { return {s.begin(), s.end()}; }

}  // namespace

std::vector<CategorySummary> summarize(const Identifier& identifier, const std::vector<Event>& events, domain::Date as_of) {
    const domain::Domain& domain = identifier.domain();
    const Workflow& wf = identifier.workflow();
    std::vector<std::string> categories = wf.categories;
    if (categories.empty()) categories.push_back("");
    const domain::AcademicYear through = domain::AcademicYear::of(as_of);

    // Each program's category comes from its opening event (a school may have several programs
    // in turn).
    std::vector<CategorySummary> out;
    for (const auto& category : categories) {
        CategorySummary summary;
        summary.category = category;
        std::map<std::string, std::string> category_of;  // school id → category of its current program
        std::map<int, std::set<std::size_t>> running, completed;  // by year.first()
        std::map<int, Cohort> cohorts;
        std::map<std::string, int> opened_in;  // school id → year its current program opened
        for (const auto& e : events) {
            if (e.date > as_of) continue;
            const auto school = domain.school_index(e.school);
            if (!school) continue;
            const domain::AcademicYear y = domain::AcademicYear::of(e.date);
            if (e.kind == EventKind::created) {
                category_of[e.school] = e.category;
                opened_in[e.school] = y.first();
            }
            if (category_of[e.school] != category) continue;
            switch (e.kind) {
                case EventKind::created:
                    running[y.first()].insert(*school);
                    cohorts[y.first()].opened = y;
                    ++cohorts[y.first()].programs;
                    break;
                case EventKind::continued:
                    if (const auto next = y.next()) running[next->first()].insert(*school);
                    break;
                case EventKind::completed:
                    completed[y.first()].insert(*school);
                    if (auto it = opened_in.find(e.school); it != opened_in.end()) ++cohorts[it->second].completed;
                    break;
                case EventKind::transition: break;
            }
        }
        std::set<std::size_t> first;
        for (const auto& year : domain.list_years()) {
            if (year > through) break;
            YearRow r;
            r.year = year;
            for (const std::size_t k : identifier.participants(year)) {
                const auto& cats = identifier.categories(k, year);
                if (category.empty() || std::find(cats.begin(), cats.end(), category) != cats.end()) r.listed.push_back(k);
            }
            const std::set<std::size_t> listed(r.listed.begin(), r.listed.end());
            std::set<std::size_t> trust;
            for (const std::size_t k : running[year.first()]) {
                if (!listed.count(k)) trust.insert(k);
            }
            r.on_trust = sorted(trust);
            r.completed = sorted(completed[year.first()]);
            r.running = running[year.first()].size();
            if (summary.rows.empty()) {
                first = listed;
            } else if (!first.empty()) {
                std::set<std::size_t> u = trust;
                u.insert(r.completed.begin(), r.completed.end());
                r.first_list_percent = percent(u.size(), first.size());
            }
            if (r.running > 0) r.completed_percent = percent(r.completed.size(), r.running);
            summary.rows.push_back(std::move(r));
        }
        for (auto& [first_year, c] : cohorts) summary.cohorts.push_back(c);
        out.push_back(std::move(summary));
    }
    return out;
}

}  // namespace ppko::workflow
