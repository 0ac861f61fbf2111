// The programs and their events as of a date, from what the state store holds: the snapshot a
// document is rendered from. A date before the last advance is answered by folding the log up to
// it; a later one by advancing the snapshot's programs in memory up to it (nothing is written).
// Either way the answer depends only on the workspace and the date, so a document dated before a
// later `advance` keeps its bytes.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"
#include "workflow/advance.h"
#include "workflow/program.h"

namespace ppko::workflow {

struct Snapshot {
    std::vector<Event> events;                     // the whole log, in order
    std::vector<Program> programs;                 // as the store holds them (as of advanced_through)
    std::optional<domain::Date> advanced_through;  // none: the store was never advanced

    // Reads the store once. Throws what the store throws, and store.damaged for rows this
    // program cannot read; `origin` names the store in messages.
    static Snapshot read(store::Store& store, const std::string& origin);
};

struct Timeline {
    domain::Date date;
    std::vector<Program> programs;  // as of the end of `date`, by school id
    std::vector<Event> events;      // dated on or before `date`, in log order
    const Program* program(std::string_view school) const;
    // The events of one school, in log order (indexed on first use; not for several threads
    // before the first call returns).
    const std::vector<const Event*>& events_of(std::string_view school) const;

private:
    mutable std::unordered_map<std::string, std::vector<const Event*>> by_school_;
    mutable bool indexed_ = false;
};

// `describe` fills each event's note when it is computed here (events from the store keep theirs).
Timeline as_of(const Snapshot& snapshot, const Advancer& advancer, domain::Date date,
               const std::function<void(Event&)>& describe = {});

}  // namespace ppko::workflow
