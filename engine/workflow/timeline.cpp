#include "workflow/timeline.h"

#include <algorithm>

namespace ppko::workflow {

Snapshot Snapshot::read(store::Store& store, const std::string& origin) {
    Snapshot s;
    for (const auto& e : store.events()) s.events.push_back(from_store(e, origin));
    for (const auto& p : store.programs()) s.programs.push_back(from_store(p, origin));
    if (const auto through = store.meta("advanced_through")) {
        s.advanced_through = domain::Date::parse(*through);
        if (!s.advanced_through) throw Error(ErrorId::store_damaged, origin, {}, "", "файл состояния содержит неверную дату продвижения «" + *through + "»");
    }
    return s;
}

const Program* Timeline::program(std::string_view school) const {
    auto it = std::lower_bound(programs.begin(), programs.end(), school, [](const Program& p, std::string_view s) { return p.school < s; });
    return it != programs.end() && it->school == school ? &*it : nullptr;
}

const std::vector<const Event*>& Timeline::events_of(std::string_view school) const {
    if (!indexed_) {
        for (const auto& e : events) by_school_[e.school].push_back(&e);
        indexed_ = true;
    }
    static const std::vector<const Event*> none;
    const auto it = by_school_.find(std::string(school));
    return it == by_school_.end() ? none : it->second;
}

Timeline as_of(const Snapshot& snapshot, const Advancer& advancer, domain::Date date, const std::function<void(Event&)>& describe) {
    Timeline t;
    t.date = date;
    for (const auto& e : snapshot.events) {
        if (e.date <= date) t.events.push_back(e);
    }
    if (!snapshot.advanced_through || *snapshot.advanced_through < date) {
        // The store stops before the date: what happened since is computed, not read.
        const std::vector<Program> base = snapshot.advanced_through ? snapshot.programs : std::vector<Program>{};
        Plan plan = advancer.advance(base, date);
        for (auto& e : plan.events) {
            if (e.date > date) continue;
            if (describe) describe(e);
            t.events.push_back(std::move(e));
        }
    }
    t.programs = state_as_of(t.events, date);
    return t;
}

}  // namespace ppko::workflow
