// The generated region of the benches: N schools with four years of indicators and dated facts,
// built in memory by a fixed-seed generator that gives the same data with every standard library.
// Shared by workflow_bench and region_bench; see bench/README.md («workflow_bench»).
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "data/workspace.h"

namespace ppko::bench {

using data::Json;

// The four academic years identified (each from the indicators of the year before, which the
// generator writes as records of that period); the advance date is the last day of the last
// year, so its outcomes are decided and every document of the year is dated on or before it.
inline constexpr const char* kYears[] = {"2017-2018", "2018-2019", "2019-2020", "2020-2021"};
inline constexpr const char* kPeriods[] = {"2016-2017", "2017-2018", "2018-2019", "2019-2020"};
inline constexpr int kYearCount = 4;
inline constexpr const char* kAdvanceDate = "2021-08-31";

// Deterministic across standard libraries: std::mt19937's sequence is fixed by the standard, and
// every distribution below is plain modular arithmetic on it (std::uniform_*_distribution is not
// specified bit for bit).
class Rng {
public:
    explicit Rng(std::uint32_t seed) : g_(seed) {}
    // An integer in [0, n).
    unsigned below(unsigned n) { return static_cast<unsigned>(g_() % n); }
    // A percentage with one decimal in [lo, hi), both in tenths of a percent.
    double tenths(unsigned lo, unsigned hi) { return static_cast<double>(lo + below(hi - lo)) / 10.0; }
    // True with probability per_mille / 1000.
    bool chance(unsigned per_mille) { return below(1000) < per_mille; }

private:
    std::mt19937 g_;
};

inline std::string two_digits(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02u", v % 100);
    return buf;
}

struct Region {
    data::Workspace ws;
    std::size_t indicator_records = 0, facts = 0;
    std::vector<std::size_t> low_per_year = std::vector<std::size_t>(kYearCount);
};

// N schools; per year a school is low_results (two or more of the five procedures with at least
// 30 % below the threshold) with persistence: 50 % of last year's low schools stay low, and
// 5.56 % of the others become low, which keeps the share at about 10 % every year. About 15 % of
// the rest are strong (every procedure below 5 %); 1 % of all are in adverse conditions (a share
// of low-income families of 30 % or more), so a few programs are of that category. Every school that is low in some year gets,
// for that year and each later one, program_approved (1–15 Oct), input_monitoring (16–31 Oct) and
// final_monitoring (15 May – 23 June) with dynamics "positive" for 30 %, so a program can open,
// move through its stages, complete or continue in any year.
inline Region generate(int n) {
    Rng rng(20170901);
    Region r;
    data::Workspace& ws = r.ws;
    ws.name = "wfbench";
    ws.title = "Сгенерированный регион (workflow_bench)";
    ws.workflow = "ppko";
    ws.identification = "identification";

    static const char* const kinds[] = {"СШ", "СШ", "СШ", "ОШ", "ОШ", "гимназия", "лицей"};
    static const char* const dynamics_other[] = {"negative", "none"};
    Json schools = Json::array();
    Json indicators = Json::array();
    Json facts = Json::array();
    std::vector<bool> low(static_cast<std::size_t>(n), false);
    std::vector<int> first_low(static_cast<std::size_t>(n), -1);

    for (int i = 0; i < n; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "s%05d", i + 1);
        const char* kind = kinds[rng.below(7)];
        const std::string number = std::to_string(i + 1);
        schools.push_back({{"id", id},
                           {"name", std::string("муниципальное бюджетное общеобразовательное учреждение «") + kind + " № " + number + "»"},
                           {"short_name", std::string("МБОУ «") + kind + " № " + number + "»"},
                           {"kind", kind},
                           {"locality", rng.chance(400) ? "rural" : "urban"},
                           {"students", 50 + rng.below(1450)}});
    }
    static const char* const procedures[] = {"ege_rus_fail", "ege_math_fail", "oge_rus_fail", "oge_math_fail", "vpr_fail"};
    for (int y = 0; y < kYearCount; ++y) {
        for (int i = 0; i < n; ++i) {
            const auto si = static_cast<std::size_t>(i);
            const bool is_low = y == 0 ? rng.chance(100) : low[si] ? rng.chance(500) : rng.chance(56);
            low[si] = is_low;
            Json results = Json::object();
            if (is_low) {
                // 2–4 procedures at or above 30 %, the rest below.
                const unsigned failing = 2 + rng.below(3);
                const unsigned offset = rng.below(5);
                for (unsigned k = 0; k < 5; ++k) {
                    const bool fails = (k + 5 - offset) % 5 < failing;
                    results[procedures[k]] = fails ? rng.tenths(300, 650) : rng.tenths(20, 290);
                }
                ++r.low_per_year[static_cast<std::size_t>(y)];
                if (first_low[si] < 0) first_low[si] = y;
            } else if (rng.chance(150)) {
                for (const char* p : procedures) results[p] = rng.tenths(0, 50);
            } else {
                // At most one procedure at or above 30 %: not low_results.
                const unsigned spike = rng.below(10);  // < 5: that procedure spikes
                for (unsigned k = 0; k < 5; ++k) results[procedures[k]] = k == spike ? rng.tenths(300, 450) : rng.tenths(0, 290);
            }
            Json context = {{"low_income", rng.chance(10) ? rng.tenths(300, 450) : rng.tenths(0, 290)}, {"disabled", rng.tenths(0, 140)}};
            indicators.push_back({{"school", schools[si]["id"]}, {"period", kPeriods[y]}, {"results", std::move(results)}, {"context", std::move(context)}});
        }
    }
    for (int i = 0; i < n; ++i) {
        const auto si = static_cast<std::size_t>(i);
        if (first_low[si] < 0) continue;
        const Json& id = schools[si]["id"];
        for (int y = first_low[si]; y < kYearCount; ++y) {
            const std::string first_year = std::string(kYears[y]).substr(0, 4);
            const std::string second_year = std::string(kYears[y]).substr(5, 4);
            const unsigned approved = 1 + rng.below(15);
            facts.push_back({{"date", first_year + "-10-" + two_digits(approved)}, {"school", id}, {"fact", "program_approved"}});
            facts.push_back({{"date", first_year + "-10-" + two_digits(16 + rng.below(16))}, {"school", id}, {"fact", "input_monitoring"}});
            const unsigned day = 15 + rng.below(40);  // 15 May – 23 June
            const std::string date = second_year + (day <= 31 ? "-05-" + two_digits(day) : "-06-" + two_digits(day - 31));
            const char* dynamics = rng.chance(300) ? "positive" : dynamics_other[rng.below(2)];
            facts.push_back({{"date", date}, {"school", id}, {"fact", "final_monitoring"}, {"value", {{"dynamics", dynamics}}}});
        }
    }
    r.indicator_records = indicators.size();
    r.facts = facts.size();
    ws.data["schools"] = {{"schools", std::move(schools)}};
    ws.data["indicators"] = {{"indicators", std::move(indicators)}};
    ws.data["facts"] = {{"facts", std::move(facts)}};
    return r;
}

}  // namespace ppko::bench
