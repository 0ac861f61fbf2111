// The partner pairs of an academic year under one partnership decision: the pairs the decision
// fixed (a school may have several partners — a school, a university, a methodical centre), and,
// when the decision allows it, a partner matched (engine/partners) for every other participant
// among the year's strong schools with free places. Typed; reasons are for `ppko explain` only.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "domain/model.h"
#include "workflow/identify.h"

namespace ppko::workflow {

struct PartnerLink {
    std::string partner;               // school or organisation id
    bool fixed = false;                // given by the decision (not matched)
    std::vector<std::string> reasons;  // Russian, why this partner (explain only)
};

struct SchoolPairs {
    std::size_t school = 0;
    std::vector<PartnerLink> partners;  // in the decision's order, then the matched one
};

struct YearPairs {
    const domain::Partnership* decision = nullptr;
    std::vector<SchoolPairs> schools;                        // fixed schools in the decision's order, then participants matched
    std::vector<std::pair<std::size_t, std::string>> unmatched;  // participant, reason (Russian)
    const SchoolPairs* of(std::size_t school) const;
    std::unordered_map<std::size_t, std::size_t> index;  // school → position in `schools`
};

YearPairs pair_schools(const Identifier& identifier, const domain::Partnership& decision);

}  // namespace ppko::workflow
