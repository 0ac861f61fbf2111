#include "workflow/pairing.h"

#include <algorithm>
#include <map>
#include <set>

#include "partners/partners.h"

namespace ppko::workflow {

const SchoolPairs* YearPairs::of(std::size_t school) const {
    const auto it = index.find(school);
    return it == index.end() ? nullptr : &schools[it->second];
}

YearPairs pair_schools(const Identifier& identifier, const domain::Partnership& decision) {
    const domain::Domain& domain = identifier.domain();
    YearPairs out;
    out.decision = &decision;
    std::string basis;
    if (decision.order) {
        basis = "приказ от " + domain::Date::parse((*decision.order)["date"].get<std::string>())->ru() + " № " + (*decision.order)["number"].get<std::string>();
    } else if (decision.record->contains("basis") && (*decision.record)["basis"].is_string()) {
        basis = (*decision.record)["basis"].get<std::string>();
    } else {
        basis = "решение от " + decision.date.ru();
    }
    std::map<std::size_t, std::size_t> slot;  // school → index in out.schools
    for (const auto& p : decision.pairs) {
        const std::size_t k = *domain.school_index(p.school);
        auto [it, added] = slot.try_emplace(k, out.schools.size());
        if (added) out.schools.push_back({k, {}});
        out.schools[it->second].partners.push_back({p.partner, true, {"утверждено: " + basis}});
    }
    auto indexed = [&]() -> YearPairs& {
        for (std::size_t i = 0; i < out.schools.size(); ++i) out.index.emplace(out.schools[i].school, i);
        return out;
    };
    if (!decision.match) return indexed();

    auto to_school = [&](std::size_t k) {
        const domain::School& s = domain.schools()[k];
        partners::School m;
        m.id = s.id;
        m.name = s.short_name;
        m.kind = s.kind;
        m.district = s.district;
        m.students = s.students;
        m.lat = s.lat;
        m.lon = s.lon;
        return m;
    };
    std::vector<partners::School> low, strong;
    for (const std::size_t k : identifier.participants(decision.year)) {
        if (!slot.count(k)) low.push_back(to_school(k));
    }
    if (low.empty()) return indexed();
    for (std::size_t k = 0; k < domain.schools().size(); ++k) {
        const auto& cats = identifier.categories(k, decision.year);
        if (std::find(cats.begin(), cats.end(), "strong") != cats.end()) strong.push_back(to_school(k));
    }
    // The fixed pairs hold places of the strong schools they name.
    std::vector<partners::FixedPair> held;
    for (const auto& p : decision.pairs) {
        if (std::any_of(strong.begin(), strong.end(), [&](const partners::School& s) { return s.id == p.partner; })) held.push_back({p.school, p.partner, basis});
    }
    partners::Options options;
    options.capacity = decision.capacity;
    const auto result = partners::match(low, strong, held, options);
    std::set<std::string> low_ids;
    for (const auto& s : low) low_ids.insert(s.id);
    std::map<std::string, std::vector<const partners::Pair*>> matched;
    for (const auto& p : result.pairs) {
        if (!p.fixed && low_ids.count(p.school)) matched[p.school].push_back(&p);
    }
    for (const auto& s : low) {
        auto it = matched.find(s.id);
        if (it == matched.end()) continue;
        SchoolPairs sp{*domain.school_index(s.id), {}};
        for (const auto* p : it->second) sp.partners.push_back({p->partner, false, p->reasons});
        out.schools.push_back(std::move(sp));
    }
    for (const auto& u : result.unmatched) {
        if (low_ids.count(u.school)) out.unmatched.emplace_back(*domain.school_index(u.school), u.reason);
    }
    return indexed();
}

}  // namespace ppko::workflow
