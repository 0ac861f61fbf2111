// Partner matching (партнёрское взаимодействие, seeds 002 and 004): pairs each low-results school
// with a strong school — pairs fixed in the data (an order) first, then a minimum-cost assignment
// under each strong school's capacity — and says in Russian why a pair was made or why none was.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ppko::partners {

struct School {            // what matching needs to know about a school
    std::string id, name, kind, district;
    int students = 0;      // 0 = unknown (so is any value below 1)
    std::optional<double> lat, lon;  // coordinates when the data has them (degrees, WGS 84)
};
struct FixedPair { std::string school, partner; std::string source; };  // kept as given
struct Options { int capacity = 3; };  // how many low-results schools one strong school may take
struct Reason { std::string text; };   // Russian, for `ppko explain`
struct Pair {
    std::string school, partner;
    bool fixed = false;
    double score = 0;                  // lower is better; 0 for a fixed pair naming an unknown school
    std::vector<std::string> reasons;  // «тот же вид (СШ)», «тот же район (Заднепровский)», «близкая численность (612 и 655)», «задано в данных: приказ …»
};
struct Unmatched { std::string school; std::string reason; };  // Russian, e.g. «нет успешной школы со свободным местом (все заняты: …)»
struct Result { std::vector<Pair> pairs; std::vector<Unmatched> unmatched; };

// The score of `partner` for `school`, lower is better; the sum of three terms:
//   kind       0 when both kinds are equal and non-empty, else 1000;
//   geography  when both schools have valid coordinates: the haversine distance in km (Earth
//              radius 6371 km), capped at 990; otherwise 0 for the same non-empty district and
//              10 for another or an unknown one;
//   size       |ln(students ratio)|, capped at 9; ln 2 when either number is unknown.
// So a school of the same kind always beats one of another kind (990 + 9 < 1000), and the same
// district always beats another one (9 < 10). With coordinates the two lower terms blend: 1 km
// weighs as much as a size ratio of e ≈ 2.7, so size only decides between about equally near
// schools. Kinds and districts compare as exact strings («СШ» ≠ «СОШ»).
double score(const School& school, const School& partner);

// Pairs the low-results schools with strong ones. Never throws for any input (std::bad_alloc
// aside); a school that gets no partner is reported in `unmatched` with the reason.
//
// 1. Fixed pairs are kept exactly as given, whatever their score, and come with the reason
//    «задано в данных: <source>». Exact duplicates (same school and partner) are kept once.
//    Each counts towards its partner's capacity; a fixed pair naming a school that is not among
//    the low-results ones, or a partner that is not among the strong ones, or pushing a partner
//    over capacity, is still kept and gets a reason saying so. A low-results school with a fixed
//    pair (or several, as in seed 004) gets no further partner.
// 2. The other low-results schools are assigned to strong schools with free places so that, in
//    this order: as many schools as possible get a partner; the sum of scores over these new
//    pairs is the least possible (an exact minimum-cost assignment, not a greedy pass, so one
//    school does not take the only suitable partner of another when it has a near-equal
//    alternative). Scores are compared at a resolution of 0.001. A school is never its own
//    partner (when it is on both lists). When a school did not get its own best-scoring
//    partner, a reason names that school: its places were all needed elsewhere.
// 3. When places run short, the schools left out are those whose inclusion would cost most;
//    each gets «нет успешной школы со свободным местом (все заняты: …)» (five names, then
//    «и ещё N»). Other reasons: «нет успешных школ: пару составить не с кем», «вместимость
//    успешной школы задана как 0: закрепить школу не за кем», «нет других успешных школ: в
//    списке успешных только сама школа».
//
// Deterministic: input order does not matter (lists are sorted by id first; a repeated id is
// kept once), and ties are broken by school id — the lower-id low-results school is served first
// and, between equal partners, the lower-id strong school is chosen. `pairs` come sorted by
// (school, partner), `unmatched` by school.
//
// Method: rows are the low-results schools in id order, columns the strong schools with their
// free places plus one «no partner» column of unlimited size and a cost above any score. Each row
// is added by a Dijkstra shortest augmenting path over the columns with column potentials
// (the Hungarian method with capacities), which keeps the assignment of the rows added so far
// optimal. Time O(rows · columns) to score, plus per row O(k · (capacity + 1) · columns) where k
// is the number of full columns the search passes; memory a rows × columns table of 4-byte costs
// (16 MB for 4,000 × 1,000).
//
// Example:
//   Result r = match(low, strong, {{"sh-5", "sh-40", "приказ от 30.12.2020 № 348"}}, {});
//   for (const Pair& p : r.pairs) { /* p.school → p.partner, p.reasons */ }
Result match(const std::vector<School>& low, const std::vector<School>& strong,
             const std::vector<FixedPair>& fixed, const Options& options);

}  // namespace ppko::partners
