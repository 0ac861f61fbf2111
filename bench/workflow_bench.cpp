// workflow_bench: how the workflow engine scales to a whole region — identification of every
// school for one year, and one `advance` of every program (engine, then the SQLite transaction
// that stores its plan) — on generated data. Prints figures next to their targets; nothing here
// asserts a target. See bench/README.md («workflow_bench»).
//
//   workflow_bench [--schools N] [--runs R]      N = 40000, R = 5 by default
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "io/resources.h"
#include "store/store.h"
#include "workflow/municipality.h"
#include "workflow/summary.h"
#include "workflow/workflow.h"

#include "bench_util.h"
#include "region_gen.h"

namespace {

using namespace ppko;
using namespace ppko::bench;
using data::Json;
namespace fs = std::filesystem;

std::string one_decimal(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// One figure: label, wall median and mean CPU in ms, the target (or ""), a note (or "").
void figure(const char* label, double wall, double cpu, const char* target, const std::string& note) {
    std::printf("%-30s %9.1f ms  CPU %9.1f ms  %-18s %s\n", label, wall, cpu, target, note.c_str());
}

// ---- command line ----

struct Args {
    int schools = 40000;
    int runs = 5;
};

int to_count(std::string_view flag, const char* value, int min) {
    char* end = nullptr;
    const long v = std::strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < min || v > 10000000)
        throw std::invalid_argument(std::string(flag) + " wants an integer >= " + std::to_string(min));
    return static_cast<int>(v);
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view s = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(s) + " wants a value");
            return argv[++i];
        };
        if (s == "--schools") {
            a.schools = to_count(s, value(), 1);
        } else if (s == "--runs") {
            a.runs = to_count(s, value(), 1);
        } else if (s == "-h" || s == "--help") {
            std::cout << "usage: workflow_bench [--schools N] [--runs R]   (N = 40000, R = 5)\n";
            std::exit(0);
        } else {
            throw std::invalid_argument("unknown argument " + std::string(s));
        }
    }
    return a;
}

// Wall medians and mean CPU of R runs of one measurement.
struct Timing {
    std::vector<double> wall;
    double cpu_total = 0;
    double med() const { return median(wall); }
    double cpu() const { return cpu_total / static_cast<double>(wall.size()); }
};

template <class F>
Timing time_runs(int runs, F&& f) {
    Timing t;
    for (int i = 0; i < runs; ++i) {
        const rusage u0 = usage_now();
        const auto t0 = Clock::now();
        f();
        t.wall.push_back(ms_between(t0, Clock::now()));
        t.cpu_total += cpu_ms(u0, usage_now());
    }
    return t;
}

int run(const Args& a) {
    const auto g0 = Clock::now();
    Region region = generate(a.schools);
    const double generate_ms = ms_between(g0, Clock::now());
    const double rss_data = peak_rss_mb();

    // The caches of identification (categories and participants per year) are filled on first
    // use, so participants, advance and summary each run on a fresh Municipality, constructed
    // untimed, as every `ppko` command starts with one.
    auto fresh = [&] { return std::make_unique<const workflow::Municipality>(region.ws); };
    const auto e0 = Clock::now();
    const auto first = fresh();
    const workflow::Municipality& m = *first;
    const double engine_ms = ms_between(e0, Clock::now());

    const auto year = *domain::AcademicYear::parse(kYears[kYearCount - 1]);
    std::printf("workflow_bench: %d schools, years %s to %s, %d runs (wall: median; CPU: user + sys, mean)\n", a.schools, kYears[0],
                year.name().c_str(), a.runs);
    std::printf("data: %zu indicator records, %zu facts; low_results per year:", region.indicator_records, region.facts);
    for (std::size_t y = 0; y < kYearCount; ++y) std::printf(" %zu", region.low_per_year[y]);
    std::printf("\ngenerating the data %.1f ms, loading the domain (Municipality) %.1f ms\n", generate_ms, engine_ms);

    // a. Identification of every school for one year.
    std::size_t low = 0, listed = 0;
    const std::size_t n = m.domain().schools().size();
    const Timing identify = time_runs(a.runs, [&] {
        low = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const auto id = m.identifier()->identify(k, year);
            low += std::find(id.categories.begin(), id.categories.end(), "low_results") != id.categories.end();
        }
    });
    Timing participants;
    for (int i = 0; i < a.runs; ++i) {
        const auto e = fresh();
        const Timing one = time_runs(1, [&] { listed = e->identifier()->participants(year).size(); });
        participants.wall.push_back(one.wall[0]);
        participants.cpu_total += one.cpu_total;
    }
    if (low != region.low_per_year[kYearCount - 1])
        throw std::runtime_error("identification disagrees with the generator: " + std::to_string(low) + " / " +
                                 std::to_string(region.low_per_year[kYearCount - 1]));
    figure("a. identify() every school", identify.med(), identify.cpu(), "target < 200 ms", year.name());
    figure("   participants(year)", participants.med(), participants.cpu(), "target < 200 ms",
           std::to_string(listed) + " listed (ШНРО and ШФНСУ), every core, fresh");

    // b. One advance of every program from an empty state, and the transaction that stores it.
    ScratchDir scratch("ppko-wfbench");
    const fs::path state = scratch.path() / "state.sqlite";
    std::vector<double> engine_wall, db_wall, open_wall;
    double engine_cpu = 0, db_cpu = 0;
    std::size_t programs = 0, events = 0;
    std::vector<workflow::Event> last_events;
    const auto advance_date = *domain::Date::parse(kAdvanceDate);
    for (int i = 0; i < a.runs; ++i) {
        fs::remove(state);
        const auto e = fresh();
        const auto o0 = Clock::now();
        auto st = store::open_sqlite_store(state);
        open_wall.push_back(ms_between(o0, Clock::now()));

        const rusage u0 = usage_now();
        const auto t0 = Clock::now();
        workflow::Plan plan = e->advancer()->advance({}, advance_date);
        const rusage u1 = usage_now();
        const auto t1 = Clock::now();
        auto tx = st->begin();
        for (const auto& p : plan.programs) tx->put_program(workflow::to_store(p));
        for (const auto& ev : plan.events) tx->append_event(workflow::to_store(ev));
        tx->set_meta("advanced_through", kAdvanceDate);
        tx->commit();
        const auto t2 = Clock::now();
        const rusage u2 = usage_now();
        engine_wall.push_back(ms_between(t0, t1));
        db_wall.push_back(ms_between(t1, t2));
        engine_cpu += cpu_ms(u0, u1);
        db_cpu += cpu_ms(u1, u2);
        if (i > 0 && (plan.programs.size() != programs || plan.events.size() != events))
            throw std::runtime_error("advance gave a different plan on run " + std::to_string(i + 1));
        programs = plan.programs.size();
        events = plan.events.size();
        if (i + 1 == a.runs) {
            if (st->events().size() != events) throw std::runtime_error("the state file does not hold every event of the plan");
            last_events = std::move(plan.events);
        }
    }
    std::vector<double> total_wall;
    for (std::size_t i = 0; i < engine_wall.size(); ++i) total_wall.push_back(engine_wall[i] + db_wall[i]);
    const double runs = static_cast<double>(a.runs);
    figure("b. advance and store", median(total_wall), (engine_cpu + db_cpu) / runs, "target < 2000 ms",
           std::string("to ") + kAdvanceDate + ": " + std::to_string(programs) + " programs, " + std::to_string(events) + " events");
    figure("   engine: advance()", median(engine_wall), engine_cpu / runs, "", "fresh Municipality, empty state");
    figure("   database: begin()..commit()", median(db_wall), db_cpu / runs, "",
           "new file in " + scratch.path().parent_path().string() + " (opening it: " + one_decimal(median(open_wall)) + " ms)");

    // The state as of a date from the log (what every document reads), and the summary table.
    Timing fold, summary;
    for (int i = 0; i < a.runs; ++i) {
        const Timing f = time_runs(1, [&] { workflow::state_as_of(last_events, advance_date); });
        fold.wall.push_back(f.wall[0]);
        fold.cpu_total += f.cpu_total;
        const auto e = fresh();
        const Timing one = time_runs(1, [&] { workflow::summarize(*e->identifier(), last_events, advance_date); });
        summary.wall.push_back(one.wall[0]);
        summary.cpu_total += one.cpu_total;
    }
    figure("   state_as_of() from the log", fold.med(), fold.cpu(), "", "programs as of the date, from the events");
    figure("   summarize() of those events", summary.med(), summary.cpu(), "", "fresh Municipality (identifies 4 years)");

    // c. Peak RSS of the whole process.
    std::printf("%-30s %9.1f MB                     %-18s %.1f MB of it after generating the data\n", "c. peak RSS", peak_rss_mb(), "target < 500 MB",
                rss_data);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_args(argc, argv));
    } catch (const ppko::Error& e) {
        std::cerr << "workflow_bench: " << e.diagnostics().format();
    } catch (const std::exception& e) {
        std::cerr << "workflow_bench: " << e.what() << "\n";
    }
    return 1;
}
