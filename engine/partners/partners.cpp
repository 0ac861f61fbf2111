#include "partners/partners.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <tuple>

#include "io/allocator.h"
#include "io/parallel.h"
#include "text/russian.h"

namespace ppko::partners {

namespace {

constexpr double kKindMismatch = 1000;
constexpr double kOtherDistrict = 10;
constexpr double kMaxDistanceKm = 990;
constexpr double kMaxSize = 9;
constexpr double kEarthRadiusKm = 6371;
constexpr double kCloseSizeRatio = 1.5;  // «близкая численность» up to this ratio
constexpr std::size_t kListedFull = 5;   // full schools named in an unmatched reason

// Costs inside the assignment: the score in thousandths (scores stay below 2000, i.e. 2·10^6).
// The «no partner» column costs more than the real costs of any assignment of up to 5·10^8
// schools together, so placing one more school always wins; potentials stay within ±2^51.
constexpr std::int32_t kForbidden = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kNoPartner = std::int64_t{1} << 50;
constexpr std::int64_t kUnreachable = std::numeric_limits<std::int64_t>::max() / 4;

bool has_coordinates(const School& s) {
    return s.lat && s.lon && std::isfinite(*s.lat) && std::isfinite(*s.lon) && std::abs(*s.lat) <= 90 &&
           std::abs(*s.lon) <= 180;
}

// What scoring needs of one school in numbers, computed once per school for the cost table.
struct Prepared {
    bool geo = false;
    double lat = 0, lon = 0, cos_lat = 0;  // radians
    double log_students = 0;               // when students > 0
};

Prepared prepare(const School& s) {
    constexpr double rad = std::numbers::pi / 180;
    Prepared p;
    if (has_coordinates(s)) {
        p.geo = true;
        p.lat = *s.lat * rad;
        p.lon = *s.lon * rad;
        p.cos_lat = std::cos(p.lat);
    }
    if (s.students > 0) p.log_students = std::log(static_cast<double>(s.students));
    return p;
}

struct Terms {
    double kind = 0, geo = 0, size = 0;
    bool by_distance = false;
    double km = 0;  // when by_distance
    double total() const { return kind + geo + size; }
};

Terms terms(const School& a, const Prepared& pa, const School& b, const Prepared& pb) {
    Terms t;
    t.kind = (!a.kind.empty() && a.kind == b.kind) ? 0 : kKindMismatch;
    if (pa.geo && pb.geo) {
        const double sp = std::sin((pb.lat - pa.lat) / 2), sl = std::sin((pb.lon - pa.lon) / 2);
        const double h = sp * sp + pa.cos_lat * pb.cos_lat * sl * sl;
        t.by_distance = true;
        t.km = 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));  // haversine
        t.geo = std::min(t.km, kMaxDistanceKm);
    } else {
        t.geo = (!a.district.empty() && a.district == b.district) ? 0 : kOtherDistrict;
    }
    t.size = (a.students > 0 && b.students > 0) ? std::min(std::abs(pa.log_students - pb.log_students), kMaxSize)
                                                : std::numbers::ln2;
    return t;
}

Terms terms(const School& a, const School& b) { return terms(a, prepare(a), b, prepare(b)); }

std::int32_t cost_of(double score) { return static_cast<std::int32_t>(std::llround(score * 1000)); }

// Fixed-point with a decimal comma: 3.25, 1 → "3,3"; locale-independent.
std::string decimal(double x, int digits) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, digits);
    std::string s(buf, res.ptr);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

const std::string& display(const School& s) { return s.name.empty() ? s.id : s.name; }

void describe(const School& a, const School& b, const Terms& t, std::vector<std::string>& out) {
    if (t.kind == 0)
        out.push_back("тот же вид (" + a.kind + ")");
    else if (a.kind.empty() || b.kind.empty())
        out.push_back("вид не указан");
    else
        out.push_back("другой вид (" + a.kind + " и " + b.kind + ")");

    if (t.by_distance)
        out.push_back("расстояние " + decimal(t.km, 1) + " км");
    else if (t.geo == 0)
        out.push_back("тот же район (" + a.district + ")");
    else if (a.district.empty() || b.district.empty())
        out.push_back("район не указан");
    else
        out.push_back("другой район (" + a.district + " и " + b.district + ")");

    if (a.students > 0 && b.students > 0) {
        const int lo = std::min(a.students, b.students), hi = std::max(a.students, b.students);
        const bool close = hi <= kCloseSizeRatio * lo;
        out.push_back(std::string(close ? "близкая" : "различная") + " численность (" +
                      std::to_string(a.students) + " и " + std::to_string(b.students) + ")");
    } else {
        out.push_back("численность не указана");
    }
}

// Sorted by id, one school per id; the full tuple makes the kept one independent of input order.
std::vector<School> canonical(const std::vector<School>& in) {
    std::vector<School> v = in;
    // Invalid coordinates (NaN among them) are ignored by scoring, so they compare as absent.
    auto key = [](const School& s) {
        const bool geo = has_coordinates(s);
        return std::tuple<const std::string&, const std::string&, const std::string&, const std::string&, int,
                          bool, double, double>(s.id, s.name, s.kind, s.district, s.students, geo,
                                                geo ? *s.lat : 0.0, geo ? *s.lon : 0.0);
    };
    std::sort(v.begin(), v.end(), [&](const School& x, const School& y) { return key(x) < key(y); });
    v.erase(std::unique(v.begin(), v.end(), [](const School& x, const School& y) { return x.id == y.id; }),
            v.end());
    return v;
}

const School* find(const std::vector<School>& sorted, const std::string& id) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), id,
                               [](const School& s, const std::string& k) { return s.id < k; });
    return (it != sorted.end() && it->id == id) ? &*it : nullptr;
}

// Minimum-cost assignment of every row to a column or to «no partner» (returned as m), given
// `cost` (rows × m, kForbidden = not allowed) and the free places of each column; maximises the
// number of rows placed, then minimises the total cost. See the header for the method.
//
// Invariants between rows (the LP dual of the transportation problem): every placed row sits in
// a column minimising cost(r, k) − v[k]; v[k] = 0 for columns with free places, ≤ 0 for full
// ones. Dijkstra from the new row then runs on non-negative reduced costs.
std::vector<int> assign(const std::int32_t* cost, int n, int m, const std::vector<int>& free) {
    const std::size_t columns = static_cast<std::size_t>(m) + 1;  // with «no partner»
    std::vector<int> column_of(n, m);
    std::vector<std::vector<int>> members(m);
    std::vector<std::int64_t> v(columns, 0), dist(columns);
    std::vector<int> via_row(columns);  // the row whose move reaches the column; its own column precedes
    std::vector<std::uint8_t> done(columns);
    std::vector<int> visited;
    visited.reserve(m);

    for (int i = 0; i < n; ++i) {
        const std::int32_t* ci = &cost[static_cast<std::size_t>(i) * m];
        for (int j = 0; j < m; ++j) dist[j] = ci[j] == kForbidden ? kUnreachable : ci[j] - v[j];
        dist[m] = kNoPartner;
        std::fill(via_row.begin(), via_row.end(), i);
        std::fill(done.begin(), done.end(), 0);
        visited.clear();

        int target = m;
        for (;;) {
            // The nearest column, the lowest index among equals, a real one before «no partner»
            // (which is never done and always reachable).
            int best = m;
            std::int64_t nearest = dist[m];
            for (int j = m - 1; j >= 0; --j)
                if (dist[j] <= nearest && !done[j]) {
                    nearest = dist[j];
                    best = j;
                }
            if (best == m || static_cast<int>(members[best].size()) < free[best]) {
                target = best;
                break;
            }
            done[best] = 1;
            visited.push_back(best);
            for (int r : members[best]) {
                const std::int32_t* cr = &cost[static_cast<std::size_t>(r) * m];
                const std::int64_t base = dist[best] - (cr[best] - v[best]);
                // Done columns need no test: reduced costs are non-negative, so d ≥ dist[best] ≥
                // their (final) distance.
                for (int j = 0; j < m; ++j) {
                    if (cr[j] == kForbidden) continue;
                    const std::int64_t d = base + cr[j] - v[j];
                    if (d < dist[j]) {
                        dist[j] = d;
                        via_row[j] = r;
                    }
                }
                if (base + kNoPartner < dist[m]) {
                    dist[m] = base + kNoPartner;
                    via_row[m] = r;
                }
            }
        }

        const std::int64_t delta = dist[target];
        for (int j : visited) v[j] += dist[j] - delta;

        for (int j = target;;) {
            const int r = via_row[j], from = r == i ? -1 : column_of[r];
            column_of[r] = j;
            if (j < m) members[j].push_back(r);
            if (from < 0) break;
            auto& ms = members[from];
            ms.erase(std::find(ms.begin(), ms.end(), r));
            j = from;
        }
    }
    return column_of;
}

std::string full_list(const std::vector<const School*>& full) {
    std::string s;
    for (std::size_t k = 0; k < full.size() && k < kListedFull; ++k) {
        if (k) s += ", ";
        s += display(*full[k]);
    }
    if (full.size() > kListedFull) s += " и ещё " + std::to_string(full.size() - kListedFull);
    return s;
}

}  // namespace

double score(const School& school, const School& partner) { return terms(school, partner).total(); }

Result match(const std::vector<School>& low_in, const std::vector<School>& strong_in,
             const std::vector<FixedPair>& fixed_in, const Options& options) {
    const std::vector<School> low = canonical(low_in), strong = canonical(strong_in);
    const int capacity = options.capacity;
    Result result;

    std::vector<FixedPair> fixed = fixed_in;
    std::sort(fixed.begin(), fixed.end(), [](const FixedPair& a, const FixedPair& b) {
        return std::tie(a.school, a.partner, a.source) < std::tie(b.school, b.partner, b.source);
    });
    fixed.erase(std::unique(fixed.begin(), fixed.end(),
                            [](const FixedPair& a, const FixedPair& b) {
                                return a.school == b.school && a.partner == b.partner;
                            }),
                fixed.end());

    // 1. Fixed pairs.
    std::vector<int> used(strong.size(), 0);
    std::vector<int> fixed_partner(fixed.size(), -1);  // index in `strong`, or -1
    for (std::size_t k = 0; k < fixed.size(); ++k) {
        const FixedPair& f = fixed[k];
        Pair p{f.school, f.partner, true, 0, {}};
        p.reasons.push_back(f.source.empty() ? "задано в данных" : "задано в данных: " + f.source);
        const School* s_low = find(low, f.school);
        const School* p_strong = find(strong, f.partner);
        const School* s_any = s_low ? s_low : find(strong, f.school);
        const School* p_any = p_strong ? p_strong : find(low, f.partner);
        if (f.school == f.partner) p.reasons.push_back("школа указана партнёром самой себе");
        if (!s_low)
            p.reasons.push_back(s_any ? display(*s_any) +
                                            " нет в списке школ с низкими результатами обучения, но есть в списке успешных"
                                      : "школы " + f.school + " нет в списке школ с низкими результатами обучения");
        if (!p_strong)
            p.reasons.push_back(p_any ? display(*p_any) +
                                            " нет в списке успешных школ, но есть в списке школ с низкими результатами обучения"
                                      : "партнёра " + f.partner + " нет в списке успешных школ");
        if (s_any && p_any) {
            const Terms t = terms(*s_any, *p_any);
            p.score = t.total();
            describe(*s_any, *p_any, t, p.reasons);
        }
        if (p_strong) {
            fixed_partner[k] = static_cast<int>(p_strong - strong.data());
            ++used[fixed_partner[k]];
        }
        result.pairs.push_back(std::move(p));
    }
    for (std::size_t k = 0; k < fixed.size(); ++k) {
        const int j = fixed_partner[k];
        if (j < 0 || used[j] <= capacity) continue;
        result.pairs[k].reasons.push_back("сверх вместимости: у " + display(strong[j]) + " закреплено " +
                                          std::to_string(used[j]) + " " +
                                          std::string(text::plural_form(used[j], "школа", "школы", "школ")) +
                                          " при вместимости " + std::to_string(capacity));
    }

    // 2. The other low-results schools: rows of the assignment.
    std::vector<std::string> fixed_schools;  // sorted, as `fixed` is
    for (const FixedPair& f : fixed) fixed_schools.push_back(f.school);
    std::vector<const School*> rows;
    for (const School& s : low)
        if (!std::binary_search(fixed_schools.begin(), fixed_schools.end(), s.id)) rows.push_back(&s);
    const int n = static_cast<int>(rows.size()), m = static_cast<int>(strong.size());

    auto unmatched_all = [&](const std::string& reason) {
        for (const School* s : rows) result.unmatched.push_back({s->id, reason});
    };
    if (n > 0 && m == 0) {
        unmatched_all("нет успешных школ: пару составить не с кем");
    } else if (n > 0 && capacity < 1) {
        unmatched_all("вместимость успешной школы задана как " + std::to_string(capacity) +
                      ": закрепить школу не за кем");
    } else if (n > 0) {
        std::vector<Prepared> prepared(m);
        for (int j = 0; j < m; ++j) prepared[j] = prepare(strong[j]);
        // Every cell is written below: no zero-filling, and the pages (n × m × 4 bytes: 88 MB for
        // 4,069 × 5,400 schools) mapped in one call rather than faulted in one by one.
        const std::size_t cells = static_cast<std::size_t>(n) * m;
        const std::unique_ptr<std::int32_t[]> cost_table(new std::int32_t[cells]);
        io::prefault(cost_table.get(), cells * sizeof(std::int32_t));
        std::int32_t* const cost = cost_table.get();
        // A big table (a region of thousands of schools) is filled on every core: each cell is a
        // pure function of its two schools, so the table is the same however it is split.
        io::parallel_for(static_cast<std::size_t>(n), cells < (1u << 20) ? 1u : io::thread_count(0, static_cast<std::size_t>(n)),
                         [&](unsigned, std::size_t i) {
                             const Prepared pi = prepare(*rows[i]);
                             std::int32_t* ci = &cost[i * static_cast<std::size_t>(m)];
                             for (int j = 0; j < m; ++j)
                                 ci[j] = rows[i]->id == strong[j].id
                                             ? kForbidden
                                             : cost_of(terms(*rows[i], pi, strong[j], prepared[j]).total());
                         });
        std::vector<int> free(m);
        for (int j = 0; j < m; ++j) free[j] = std::max(0, capacity - used[j]);

        const std::vector<int> column_of = assign(cost, n, m, free);

        for (int i = 0; i < n; ++i) {
            const School& s = *rows[i];
            const std::int32_t* ci = &cost[static_cast<std::size_t>(i) * m];
            const int j = column_of[i];
            if (j == m) {
                // Optimality leaves no allowed column with a free place here.
                std::vector<const School*> full;
                for (int k = 0; k < m; ++k)
                    if (ci[k] != kForbidden) full.push_back(&strong[k]);
                result.unmatched.push_back(
                    {s.id, full.empty() ? "нет других успешных школ: в списке успешных только сама школа"
                                        : "нет успешной школы со свободным местом (все заняты: " +
                                              full_list(full) + ")"});
                continue;
            }
            const Terms t = terms(s, strong[j]);
            Pair p{s.id, strong[j].id, false, t.total(), {}};
            describe(s, strong[j], t, p.reasons);
            int best = j;
            for (int k = 0; k < m; ++k)
                if (ci[k] < ci[best]) best = k;
            if (best != j)
                p.reasons.push_back("лучшая оценка — у " + display(strong[best]) + " (" +
                                    decimal(score(s, strong[best]), 2) + " против " + decimal(p.score, 2) +
                                    "), но все места там заняты: пары подобраны так, чтобы сумма оценок всех "
                                    "пар была наименьшей");
            result.pairs.push_back(std::move(p));
        }
    }

    std::sort(result.pairs.begin(), result.pairs.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.school, a.partner) < std::tie(b.school, b.partner);
    });
    std::sort(result.unmatched.begin(), result.unmatched.end(),
              [](const Unmatched& a, const Unmatched& b) { return a.school < b.school; });
    return result;
}

}  // namespace ppko::partners
