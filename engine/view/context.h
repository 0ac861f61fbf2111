// What templates see: the one place that turns the typed domain, as of a date, into template
// data (JSON). A DocumentView is built for one academic year, one date and (optionally) one
// council: the year's participants known on that date with their school contexts and programs
// as of that date, the partnership in force, the summary table up to that date, the council and
// the centre's events. Nothing later than the date reaches it. README.md («Что видят шаблоны»)
// lists the names.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "view/words.h"
#include "workflow/advance.h"
#include "workflow/identify.h"
#include "workflow/pairing.h"
#include "workflow/timeline.h"

namespace ppko::view {

struct DocumentView {
    domain::AcademicYear year;
    domain::Date date;
    // {"as_of", "academic_year", "year", "participants", "partnership", "summary", "council",
    //  "events"}; participants are the school contexts, in schools.json order.
    data::Json roots = data::Json::object();
    std::vector<std::size_t> schools;  // the participants (school indices), as in roots["participants"]
    std::vector<std::string> names;    // their short names
};

// Builds document views. Thread safety: build() is for one thread at a time; the views it
// returns are read-only data. The domain, identifier, advancer and snapshot must outlive it.
class Presenter {
public:
    // `identifier` and `advancer` are null for a workspace without a workflow; `snapshot` may be
    // empty (then programs are computed from the facts).
    Presenter(const domain::Domain& domain, const workflow::Identifier* identifier, const workflow::Advancer* advancer,
              const workflow::Snapshot& snapshot);

    const Words& words() const { return words_; }
    // {"id", "title", "abbr"} of a category (built once per id).
    const data::Json& category_json(const std::string& id) const;

    // The view of `year` as of `date`, with `council` (may be null) as the meeting documents
    // refer to. Computes on every core what is per school.
    DocumentView build(domain::AcademicYear year, domain::Date date, const domain::Council* council);

    // The programs and events as of `date` (cached per date).
    const workflow::Timeline& timeline(domain::Date date);
    // The pairs under a partnership decision (cached per decision).
    const workflow::YearPairs& pairs(const domain::Partnership& decision);

private:
    data::Json school_context(std::size_t school, domain::AcademicYear year, domain::Date date, const workflow::Timeline& t,
                              const workflow::YearPairs* pairs, const domain::Council* council) const;
    data::Json party(const std::string& id) const;
    data::Json partnership_json(const workflow::YearPairs& pairs) const;
    data::Json summary_json(const workflow::Timeline& t, domain::Date date) const;
    // The workflow's stages in `year`, and what is left of them on `date` (from it on).
    std::pair<data::Json, data::Json> stages_json(const workflow::Workflow& w, domain::AcademicYear year, domain::Date date) const;

    const domain::Domain& domain_;
    const workflow::Identifier* identifier_;
    const workflow::Advancer* advancer_;
    const workflow::Snapshot& snapshot_;
    Words words_;
    std::map<domain::Date, std::unique_ptr<workflow::Timeline>> timelines_;
    std::map<const domain::Partnership*, std::unique_ptr<workflow::YearPairs>> pairs_;
    std::map<std::string, data::Json, std::less<>> categories_;  // filled in the constructor: read by threads
};

}  // namespace ppko::view
