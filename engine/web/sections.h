// Parts of the region's pages that read the municipality service's loaded model: a school's
// indicators over the years (a table and server-drawn charts), a municipality's undecided schools
// of a year, and the workflow diagram of the methodology page.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/municipality_service.h"
#include "store/store.h"
#include "web/html.h"

namespace ppko::web {

// «Показатели по годам»: one row per measure of the identification table, one column per period
// with records; absence marks as their words; then one chart per measure that has any value.
// Writes nothing when the school has no indicator records.
void indicators_section(Html& h, const server::LoadedMunicipality& l, std::size_t school);

// The measure's title for a path of the identification's inputs ("results.vpr_fail" → «ВПР: …»),
// or the path itself.
std::string measure_title(const server::LoadedMunicipality& l, const std::string& path);

}  // namespace ppko::web

namespace ppko::web {

// What the municipality page adds from the service: school names, the identification's undecided
// schools of the chosen year, and each school's overdue and next tasks as of the page's date.
// `known` is false when the municipality has no data files on the server (or they do not load:
// then `problem` says why) — the page then shows the store's programs by code only.
struct MunicipalityView {
    bool known = false;
    std::string problem;
    std::string year, basis_year, date;  // the chosen academic year, its basis period, ISO date
    std::vector<std::string> years;      // the years the identification can answer
    std::map<std::string, std::string, std::less<>> names;  // school → short name
    struct Undecided {
        std::string school, name;
        std::vector<std::string> missing;  // measure titles
        bool no_basis = false;             // no record for the basis period at all
    };
    std::vector<Undecided> undecided;
    struct Tasks {
        std::vector<std::string> overdue;  // «activity (до 15.10.2017)»
        std::string next;                  // «15.10.2017 — activity»
    };
    std::map<std::string, Tasks, std::less<>> tasks;  // school → its program's tasks
    std::string partnership_date;                     // the partners' decision in force (ISO), "" when none
    std::map<std::string, std::vector<server::MunicipalityService::Partner>, std::less<>> partners;  // school → its partners
};
// `year` and `date` as the user chose them ("": the service's defaults); a wrong one throws
// data.bad_value naming the field.
MunicipalityView municipality_view(server::MunicipalityService& svc, const std::string& municipality, const std::string& year,
                                   const std::string& date);
// «Идентификация не решена»: the list, or a sentence saying there is none.
void undecided_section(Html& h, const MunicipalityView& v);

}  // namespace ppko::web

namespace ppko::web {

// One municipality on the region page, from the service's cached model (nothing when it has no
// data on the server): its schools, how many have each category in its default year (the
// identifier's cached answer), and the overdue tasks of its programs as of the store's date.
struct RegionRow {
    bool known = false;
    std::string problem;  // its data does not load: why
    std::string year;
    long long schools = 0, overdue_tasks = 0, overdue_schools = 0;
    std::map<std::string, long long, std::less<>> categories;  // short title → schools
};
// Kept per municipality until its data version or its store's state version changes (what the
// answer depends on: the default date is the store's advance date), so the region page computes
// a municipality's tasks once per change, not once per request.
RegionRow region_row(server::MunicipalityService& svc, store::Store& store, const std::string& municipality);

}  // namespace ppko::web

namespace ppko::web {

// «Рабочий процесс программы» of a methodology page: the workflow file's `text` (built in or the
// municipality's own) with `origin` (its version and who changed it, methodology page's words),
// drawn as an SVG diagram of its stages in order, then its transitions and its year-end outcomes
// in words, and the stages' tasks with their dates — titles only, no internal codes.
void workflow_section(Html& h, std::string_view text, const std::string& origin);

}  // namespace ppko::web
