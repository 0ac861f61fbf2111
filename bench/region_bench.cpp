// region_bench: every document of a generated region — per participating school the program
// skeleton, the partnership plan (DOCX + XLSX) and the expert conclusion, plus the city-level
// documents — rendered as `ppko render --state … --jobs 2` does (PackageRenderer::render_to after
// an advance into a state file), next to "the floor" (writing the same number of zip files of
// the same part bytes with docx::ZipWriter). Prints figures only; nothing here asserts a target.
// See bench/README.md («region_bench»).
//
//   region_bench [--schools N]      N = 1000 by default
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "data/json_source.h"
#include "data/schema.h"
#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "docx/zip_writer.h"
#include "io/allocator.h"
#include "render/render.h"
#include "workflow/municipality.h"
#include "workflow/timeline.h"
#include "workflow/workflow.h"
#include "store/store.h"

#include "bench_util.h"
#include "io/atomic_file.h"
#include "region_gen.h"

namespace {

using namespace ppko;
namespace fs = std::filesystem;
using namespace ppko::bench;
using data::Json;

constexpr int kThreads = 2;
constexpr std::size_t kSampleSchools = 8;  // schools whose files feed the floor

struct Args {
    int schools = 1000;
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view s = argv[i];
        if (s == "--schools" && i + 1 < argc) {
            a.schools = bench::parse_schools(argv[++i]);
        } else if (s == "-h" || s == "--help") {
            std::cout << "usage: region_bench [--schools N]   (N = 1000)\n";
            std::exit(0);
        } else {
            throw std::invalid_argument("unknown argument " + std::string(s));
        }
    }
    return a;
}

// ---- the region ----

// samples/smolensk (authority, centre, council, events, the declared documents) with the
// generated schools, indicators and facts, checked and normalised by their schemas as
// load_workspace does (absent optional fields become null); partners.json without fixed pairs.
data::Workspace region_workspace(int schools) {
    data::Workspace ws = data::load_workspace(fs::path(PPKO_SOURCE_DIR) / "samples" / "smolensk");
    bench::Region region = bench::generate(schools);
    for (const char* stem : {"schools", "indicators", "facts"}) {
        const std::string schema_name = std::string("schemas/") + stem + ".schema.json";
        const auto r = ws.resources.find(schema_name);
        if (!r) throw std::runtime_error("no " + schema_name);
        const data::Schema schema = data::Schema::from_json(data::parse_json(r->text, r->origin));
        data::JsonDocument doc;
        doc.file = std::string("generated ") + stem + ".json";
        doc.value = std::move(region.ws.data[stem]);
        Diagnostics problems;
        schema.validate(doc, problems);
        if (!problems.empty()) throw Error(std::move(problems));
        ws.data[stem] = std::move(doc.value);
        ws.sources.erase(stem);  // positions of the sample's files no longer describe the data
    }
    // The sample's fixed pairs name its own schools; without them every pair of the year is
    // matched by engine/partners.
    for (auto& p : ws.data["partners"]["partnerships"]) {
        p["pairs"] = Json::array();
        p["match"] = true;
    }
    ws.sources.erase("partners");
    return ws;
}

// Reads back the files of the sample schools and the city-level files of a finished run, as the
// floor's input: the parts of each, by manifest order.
struct FloorInput {
    std::vector<std::vector<Part>> city;                  // city-level files
    std::vector<std::vector<std::vector<Part>>> samples;  // sample school → its files → parts
    std::size_t school_files = 0;                          // per-school files of the run
    std::size_t sample_parts = 0, sample_bytes = 0;
};

FloorInput floor_input(const std::vector<render::OutputFile>& files, const std::vector<std::string>& participants) {
    FloorInput in;
    const std::size_t n = participants.size();
    std::vector<std::size_t> sample_of(n, SIZE_MAX);
    for (std::size_t s = 0; s < kSampleSchools && s < n; ++s) sample_of[s * (n - 1) / std::max<std::size_t>(kSampleSchools - 1, 1)] = 0;
    std::map<std::string, std::size_t> index;  // sample school → position in in.samples
    for (std::size_t k = 0; k < n; ++k) {
        if (sample_of[k] == 0) {
            index[participants[k]] = in.samples.size();
            in.samples.emplace_back();
        }
    }
    for (const auto& f : files) {
        if (f.format != "docx" && f.format != "xlsx") continue;
        if (f.school.empty()) {
            in.city.push_back(read_zip(io::read_file(f.path)));
            continue;
        }
        ++in.school_files;
        auto it = index.find(f.school);
        if (it == index.end()) continue;
        auto& parts = in.samples[it->second].emplace_back(read_zip(io::read_file(f.path)));
        in.sample_parts += parts.size();
        for (const auto& p : parts) in.sample_bytes += p.data.size();
    }
    return in;
}

// The state a methodologist has before rendering: `ppko advance --date 2021-08-31` of the whole
// region, written into `path` (Advancer::advance and one store transaction, as the CLI does).
void advance_into(const workflow::Municipality& m, const fs::path& path) {
    const workflow::Plan plan = m.advancer()->advance({}, *domain::Date::parse(kAdvanceDate));
    auto st = store::open_sqlite_store(path);
    auto tx = st->begin();
    for (const auto& p : plan.programs) tx->put_program(workflow::to_store(p));
    for (const auto& e : plan.events) tx->append_event(workflow::to_store(e));
    tx->set_meta("advanced_through", kAdvanceDate);
    tx->commit();
}

// One `ppko render --state … --jobs 2` in-process: the files and the figures of the run.
struct RenderRun {
    std::vector<render::OutputFile> files;
    double setup_ms = 0, docs_ms = 0, run_ms = 0, setup_cpu = 0, run_cpu = 0;
    double rss_at[5] = {0, 0, 0, 0, 0};
    std::size_t total = 0;
};

// Setup ends at the first progress call (state read, views of every document date with their
// participants and contexts, partner pairs, templates compiled). `date` renders every document
// as of that one date (the same-run baseline: one view instead of one per document date).
RenderRun render_once(const workflow::Municipality& m, const workflow::Snapshot& snapshot, const fs::path& out, const std::string& date) {
    RenderRun r;
    render::PackageRenderer renderer(m, snapshot);
    render::Options o;
    o.jobs = kThreads;
    o.date = date;
    Clock::time_point first{}, last{};
    rusage first_usage{};
    // RSS after 10, 25, 50, 75 and 100 % of the documents. The city-level documents come first
    // (the annual report, with a sheet per school, is the biggest of all): flatness is judged
    // from 25 % on, when they are done.
    constexpr int kRssPercent[5] = {10, 25, 50, 75, 100};
    o.progress = [&](std::size_t done, std::size_t all, const std::string&) {
        if (first == Clock::time_point{}) {
            first = Clock::now();
            first_usage = usage_now();
            r.total = all;
        }
        for (int i = 0; i < 5; ++i)
            if (done == all * kRssPercent[i] / 100 && r.rss_at[i] == 0) r.rss_at[i] = current_rss_mb();
        if (done == all) last = Clock::now();
    };
    const rusage u0 = usage_now();
    const auto r0 = Clock::now();
    r.files = renderer.render_to(out, o);
    const auto r1 = Clock::now();
    const rusage u1 = usage_now();
    r.setup_ms = ms_between(r0, first);
    r.docs_ms = ms_between(first, last);
    r.run_ms = ms_between(r0, r1);
    r.setup_cpu = cpu_ms(u0, first_usage);
    r.run_cpu = cpu_ms(u0, u1);
    return r;
}

int run(const Args& a) {
    const auto l0 = Clock::now();
    const data::Workspace ws = region_workspace(a.schools);
    const workflow::Municipality m(ws);
    const double load_ms = ms_between(l0, Clock::now());
    const double rss_data = current_rss_mb();

    ScratchDir scratch("ppko-regionbench");
    const fs::path state = scratch.path() / "state.sqlite";
    const auto a0 = Clock::now();
    advance_into(m, state);
    const double advance_ms = ms_between(a0, Clock::now());
    const workflow::Snapshot snapshot = [&] {
        auto st = store::open_sqlite_store(state);
        return workflow::Snapshot::read(*st, state.string());
    }();

    // The baseline first (every document as of one date: one view), then the run as users
    // render: each document as of its own date (one view per distinct date).
    const RenderRun one_date = render_once(m, snapshot, scratch.path() / "out-one-date", kAdvanceDate);
    fs::remove_all(scratch.path() / "out-one-date");
    const fs::path out = scratch.path() / "out";
    const RenderRun run = render_once(m, snapshot, out, "");
    const std::vector<render::OutputFile>& files = run.files;
    const double setup_ms = run.setup_ms, docs_ms = run.docs_ms, run_ms = run.run_ms, setup_cpu = run.setup_cpu, run_cpu = run.run_cpu;
    const double* rss_at = run.rss_at;
    const std::size_t total = run.total;

    std::size_t docx = 0, xlsx = 0, bytes = 0;
    for (const auto& f : files) {
        docx += f.format == "docx";
        xlsx += f.format == "xlsx";
        if (f.format == "docx" || f.format == "xlsx") bytes += f.bytes;
    }
    const std::size_t n_files = docx + xlsx;

    // The floor: write the same number of zip files with the parts of the sample schools' files
    // (school k's files are those of sample k mod 8) and of the city-level files, ZipWriter at
    // its default level, each into its own file, on the same number of threads.
    const domain::AcademicYear last_year = m.domain().list_years().back();
    const std::string year = last_year.name();
    std::vector<std::string> participants;
    for (const std::size_t k : m.identifier()->participants(last_year)) participants.push_back(m.domain().schools()[k].id);
    const std::size_t n = participants.size();
    if (n == 0) throw std::runtime_error("no participating schools in " + year);
    const FloorInput in = floor_input(files, participants);
    const std::size_t per_school = in.school_files / n;
    const fs::path floor_dir = scratch.path() / "floor";
    fs::create_directories(floor_dir);
    std::atomic<std::size_t> next{0}, floor_files{0};
    const std::size_t units = n + 1;  // every school, then the city
    auto zip_unit = [&](const std::vector<std::vector<Part>>& archives, docx::ZipWriter& zip, std::string& buf, std::size_t unit) {
        for (std::size_t f = 0; f < archives.size(); ++f) {
            zip.begin(buf);
            for (const auto& p : archives[f]) zip.add(p.name, p.data);
            zip.finish();
            std::ofstream(floor_dir / (std::to_string(unit) + "-" + std::to_string(f) + ".zip"), std::ios::binary)
                .write(buf.data(), static_cast<std::streamsize>(buf.size()));
            floor_files.fetch_add(1, std::memory_order_relaxed);
        }
    };
    const rusage f0u = usage_now();
    const auto f0 = Clock::now();
    std::vector<std::thread> floor_threads;
    for (int t = 0; t < kThreads; ++t) {
        floor_threads.emplace_back([&] {
            docx::ZipWriter zip;
            std::string buf;
            for (std::size_t u; (u = next.fetch_add(1)) < units;) zip_unit(u == n ? in.city : in.samples[u % in.samples.size()], zip, buf, u);
        });
    }
    for (auto& t : floor_threads) t.join();
    const double floor_ms = ms_between(f0, Clock::now());
    const double floor_cpu = cpu_ms(f0u, usage_now());
    if (floor_files != n_files) throw std::runtime_error("the floor wrote " + std::to_string(floor_files) + " files, not " + std::to_string(n_files));

    std::printf("region_bench: %d schools (samples/smolensk with generated schools, indicators, facts; partners matched, no fixed pairs)\n", a.schools);
    std::printf("data                 generated and loaded in %.1f ms; %.1f MB resident after it; advance into the state %.1f ms\n", load_ms,
                rss_data, advance_ms);
    std::printf("documents            %zu files: %zu DOCX, %zu XLSX (%zu per school × %zu participants of %s + %zu city-level); %.1f MB; in %s\n",
                n_files, docx, xlsx, per_school, n, year.c_str(), in.city.size(), static_cast<double>(bytes) / (1024.0 * 1024.0), out.c_str());
    std::printf("render_to, ms        %.1f wall, CPU %.1f, %d threads (manifest: %zu entries, %zu progress steps)\n", run_ms, run_cpu, kThreads,
                files.size(), total);
    std::printf("  setup              %.1f wall, CPU %.1f (state, views of each document date: participants and their contexts, pairs, templates)\n", setup_ms, setup_cpu);
    std::printf("as of one date       %.1f wall, CPU %.1f, setup %.1f wall (baseline: every document as of %s, one view)\n", one_date.run_ms,
                one_date.run_cpu, one_date.setup_ms, kAdvanceDate);
    std::printf("as-of cost           %+.1f %% wall, %+.1f %% CPU (own dates vs one date)\n", 100.0 * (run_ms / one_date.run_ms - 1),
                100.0 * (run_cpu / one_date.run_cpu - 1));
    std::printf("  documents          %.1f wall (first document started .. last written)\n", docs_ms);
    std::printf("documents per second %.0f (whole render_to)   %.0f (documents only)   target >= 5000 at 40000 schools%s\n",
                n_files * 1000.0 / run_ms, n_files * 1000.0 / docs_ms, a.schools == 1000 ? "; 1000 schools < 500 ms" : "");
    std::printf("floor (zip files), ms %.1f wall   CPU %.1f   (%zu sample schools: %zu parts, %.1f KB of XML per school on average)\n",
                floor_ms, floor_cpu, in.samples.size(), in.sample_parts,
                static_cast<double>(in.sample_bytes) / 1024.0 / static_cast<double>(std::max<std::size_t>(in.samples.size(), 1)));
    std::printf("ours / floor         %.2fx (render_to wall)   %.2fx (CPU)   %.2fx (documents only, wall)\n", run_ms / floor_ms,
                floor_cpu > 0 ? run_cpu / floor_cpu : 0.0, docs_ms / floor_ms);
    std::printf("RSS, MB              after 10/25/50/75/100 %% of the documents: %.1f %.1f %.1f %.1f %.1f (25 → 100 %%: %+.1f MB, %s)\n",
                rss_at[0], rss_at[1], rss_at[2], rss_at[3], rss_at[4], rss_at[4] - rss_at[1],
                rss_at[4] - rss_at[1] > 0.05 * rss_at[1] + 8 ? "GROWS with the schools" : "flat");
    std::printf("peak RSS             %.1f MB\n", peak_rss_mb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    ppko::io::tune_allocator_for_batches();  // as `ppko` itself does, so we measure what users run
    try {
        return run(parse_args(argc, argv));
    } catch (const std::invalid_argument& e) {
        std::cerr << "region_bench: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const ppko::Error& e) {
        std::cerr << e.diagnostics().format() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "region_bench: " << e.what() << '\n';
        return 1;
    }
}
