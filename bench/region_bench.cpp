// region_bench: every document of a generated region — per participating school the program
// skeleton, the partnership plan (DOCX + XLSX) and the expert conclusion, plus the city-level
// documents — rendered on two threads, each with its own PackageRenderer; next to "the floor"
// (zipping the same part bytes with docx::ZipWriter). Prints figures only; nothing here asserts
// a target. See bench/README.md («region_bench»).
//
//   region_bench [--schools N]      N = 1000 by default
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <barrier>
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
#include "workflow/engine.h"
#include "workflow/workflow.h"
#include "xlsx/xlsx_writer.h"

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
            const char* value = argv[++i];
            char* end = nullptr;
            const long v = std::strtol(value, &end, 10);
            if (end == value || *end != '\0' || v < 1 || v > 99999) throw std::invalid_argument("--schools wants an integer in 1..99999");
            a.schools = static_cast<int>(v);
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
    // matched by engine/partners. (Without partners.json at all the plan-graph cannot be made.)
    ws.data["partners"]["fixed"] = Json::array();
    ws.sources.erase("partners");
    return ws;
}

// The bytes of every file of one school (or of the city-level documents), kept for the floor.
using Files = std::vector<std::string>;

// What one thread does and finds. Each thread owns its Engine and PackageRenderer (neither may
// be shared between threads); the workspace is only read.
struct Worker {
    // Input.
    const data::Workspace* ws = nullptr;
    std::vector<std::size_t> schools;  // positions in the participants list
    bool city = false;                 // also renders the city-level documents
    fs::path xlsx_path;                // overwritten by each XLSX of this thread
    // Output.
    double setup_ms = 0, render_ms = 0;
    std::size_t docx = 0, xlsx = 0, bytes = 0;
    std::exception_ptr error;
};

struct Shared {
    const std::vector<std::string>* participants = nullptr;
    std::string year;
    std::vector<bool> sample;             // by participant position
    std::vector<Files> sample_files;      // by participant position (only samples filled)
    Files city_files;
    std::atomic<std::size_t> done{0};     // schools finished, both threads
    std::size_t tenth = 0;                // done count at which rss_tenth is taken
    std::atomic<double> rss_tenth{0}, rss_all{0};
};

void work(Worker& w, Shared& sh, std::barrier<>& start) {
    bool arrived = false;
    try {
        const auto t0 = Clock::now();
        const workflow::Registry registry(w.ws->resources);
        const workflow::Engine engine(*w.ws, registry);
        engine.partnership(sh.year);  // cached by the Engine; school_context needs it
        render::PackageRenderer renderer(*w.ws);
        const doc::LayoutProfile& profile = renderer.profile();
        std::vector<const data::DocumentSpec*> per_school, city;
        for (const auto* spec : renderer.select({})) (spec->per_participant ? per_school : city).push_back(spec);
        w.setup_ms = ms_between(t0, Clock::now());
        arrived = true;
        start.arrive_and_wait();

        const auto t1 = Clock::now();
        // Writes one model; keeps its bytes in `keep` when given.
        auto emit = [&](const data::DocumentSpec& spec, const doc::Document& d, Files* keep) {
            if (spec.docx) {
                const std::string& bytes = renderer.docx_bytes(d);
                w.bytes += bytes.size();
                ++w.docx;
                if (keep) keep->push_back(bytes);
            }
            if (spec.xlsx) {
                xlsx::write_xlsx(d, profile, w.xlsx_path.string());
                ++w.xlsx;
                if (keep) keep->push_back(io::read_file(w.xlsx_path));
            }
        };
        if (w.city) {
            for (const auto* spec : city) emit(*spec, renderer.build(*spec), &sh.city_files);
        }
        for (const std::size_t k : w.schools) {
            Json ctx = engine.school_context((*sh.participants)[k], sh.year, nullptr);
            ctx["history"] = Json::array();
            Files* keep = sh.sample[k] ? &sh.sample_files[k] : nullptr;
            for (const auto* spec : per_school) emit(*spec, renderer.build_for_school(*spec, ctx), keep);
            const std::size_t done = sh.done.fetch_add(1) + 1;
            if (done == sh.tenth) sh.rss_tenth = current_rss_mb();
            if (done == sh.participants->size()) sh.rss_all = current_rss_mb();
        }
        w.render_ms = ms_between(t1, Clock::now());
    } catch (...) {
        w.error = std::current_exception();
        if (!arrived) start.arrive_and_drop();
    }
}

int run(const Args& a) {
    const auto l0 = Clock::now();
    const data::Workspace ws = region_workspace(a.schools);
    const double load_ms = ms_between(l0, Clock::now());
    const double rss_data = current_rss_mb();

    // The year and its participants, on an Engine of the main thread (the split needs them).
    const auto p0 = Clock::now();
    const workflow::Registry registry(ws.resources);
    const workflow::Engine engine(ws, registry);
    if (engine.years().empty()) throw std::runtime_error("the generated region has no indicator years");
    Shared sh;
    sh.year = engine.years().back();
    const std::vector<std::string> participants = engine.participants(sh.year);
    sh.participants = &participants;
    const double participants_ms = ms_between(p0, Clock::now());
    const std::size_t n = participants.size();
    if (n == 0) throw std::runtime_error("no participating schools in " + sh.year);
    sh.tenth = std::max<std::size_t>(1, n / 10);
    sh.sample.assign(n, false);
    sh.sample_files.resize(n);
    for (std::size_t s = 0; s < kSampleSchools; ++s) sh.sample[s * (n - 1) / (kSampleSchools - 1)] = true;

    ScratchDir scratch("ppko-regionbench");
    std::vector<Worker> workers(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        Worker& w = workers[static_cast<std::size_t>(t)];
        w.ws = &ws;
        w.city = t == kThreads - 1;
        w.xlsx_path = scratch.path() / ("thread-" + std::to_string(t) + ".xlsx");
        const std::size_t from = n * static_cast<std::size_t>(t) / kThreads, to = n * static_cast<std::size_t>(t + 1) / kThreads;
        for (std::size_t k = from; k < to; ++k) w.schools.push_back(k);
    }

    // Setup (each thread constructs its Engine and PackageRenderer) ends when all have arrived.
    std::barrier<> start(kThreads + 1);
    const auto s0 = Clock::now();
    std::vector<std::thread> threads;
    for (auto& w : workers) threads.emplace_back(work, std::ref(w), std::ref(sh), std::ref(start));
    start.arrive_and_wait();
    const auto r0 = Clock::now();
    const rusage u0 = usage_now();
    for (auto& t : threads) t.join();
    const auto r1 = Clock::now();
    const rusage u1 = usage_now();
    for (const auto& w : workers)
        if (w.error) std::rethrow_exception(w.error);
    const double setup_ms = ms_between(s0, r0), render_ms = ms_between(r0, r1), render_cpu = cpu_ms(u0, u1);

    std::size_t docx = 0, xlsx = 0, bytes = 0;
    for (const auto& w : workers) {
        docx += w.docx;
        xlsx += w.xlsx;
        bytes += w.bytes;
    }
    const std::size_t files = docx + xlsx;

    // The floor: zip the parts of the sample schools' files (school k reuses sample k mod 8) and
    // of the city-level files with ZipWriter at its default level, on the same two threads.
    std::vector<std::vector<std::vector<Part>>> samples;  // sample → its files → parts
    std::size_t sample_parts = 0, sample_bytes = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (!sh.sample[k]) continue;
        auto& one = samples.emplace_back();
        for (const auto& f : sh.sample_files[k]) {
            one.push_back(read_zip(f));
            sample_parts += one.back().size();
            for (const auto& p : one.back()) sample_bytes += p.data.size();
        }
    }
    std::vector<std::vector<Part>> city;
    for (const auto& f : sh.city_files) city.push_back(read_zip(f));
    std::atomic<std::size_t> floor_files{0};
    auto zip_all = [&](const std::vector<std::vector<Part>>& archives, docx::ZipWriter& zip, std::string& out) {
        for (const auto& archive : archives) {
            zip.begin(out);
            for (const auto& p : archive) zip.add(p.name, p.data);
            zip.finish();
            floor_files.fetch_add(1, std::memory_order_relaxed);
        }
    };
    const rusage f0u = usage_now();
    const auto f0 = Clock::now();
    std::vector<std::thread> floor_threads;
    for (const auto& w : workers) {
        floor_threads.emplace_back([&] {
            docx::ZipWriter zip;
            std::string out;
            if (w.city) zip_all(city, zip, out);
            for (const std::size_t k : w.schools) zip_all(samples[k % samples.size()], zip, out);
        });
    }
    for (auto& t : floor_threads) t.join();
    const double floor_ms = ms_between(f0, Clock::now());
    const double floor_cpu = cpu_ms(f0u, usage_now());
    if (floor_files != files) throw std::runtime_error("the floor zipped " + std::to_string(floor_files) + " files, not " + std::to_string(files));

    const double total_ms = setup_ms + render_ms;
    std::printf("region_bench: %d schools (samples/smolensk with generated schools, indicators, facts; partners matched, no fixed pairs)\n", a.schools);
    std::printf("data                 generated and loaded in %.1f ms; %.1f MB resident after it\n", load_ms, rss_data);
    std::printf("participants         %zu in %s (%.1f ms on the main thread's Engine)\n", n, sh.year.c_str(), participants_ms);
    std::printf("documents            %zu files: %zu DOCX, %zu XLSX (%zu per school + %zu city-level); %.1f MB of DOCX; XLSX in %s\n", files, docx,
                xlsx, n ? (files - sh.city_files.size()) / n : 0, sh.city_files.size(), static_cast<double>(bytes) / (1024.0 * 1024.0),
                scratch.path().c_str());
    std::printf("threads              %d, each with its own Engine and PackageRenderer:", kThreads);
    for (const auto& w : workers) std::printf(" %zu schools%s", w.schools.size(), w.city ? " + city" : "");
    std::printf("\n");
    std::printf("setup, ms            %.1f wall (Engine + PackageRenderer per thread, in parallel:", setup_ms);
    for (const auto& w : workers) std::printf(" %.1f", w.setup_ms);
    std::printf(")\n");
    std::printf("render, ms           %.1f wall (threads:", render_ms);
    for (const auto& w : workers) std::printf(" %.1f", w.render_ms);
    std::printf(")   CPU %.1f\n", render_cpu);
    std::printf("region, ms           %.1f wall (setup + render)%s\n", total_ms, a.schools == 1000 ? "   target < 500 ms" : "");
    std::printf("documents per second %.0f (render only)   %.0f (with setup)   target >= 5000 at 40000 schools\n", files * 1000.0 / render_ms,
                files * 1000.0 / total_ms);
    std::printf("floor (zip), ms      %.1f wall   CPU %.1f   (%zu sample schools: %zu parts, %.1f KB of XML per school on average)\n", floor_ms,
                floor_cpu, samples.size(), sample_parts, static_cast<double>(sample_bytes) / 1024.0 / static_cast<double>(samples.size()));
    std::printf("ours / floor         %.2fx (render wall)   %.2fx (render CPU)   %.2fx (setup + render wall)\n", render_ms / floor_ms,
                floor_cpu > 0 ? render_cpu / floor_cpu : 0.0, total_ms / floor_ms);
    const double tenth = sh.rss_tenth, all = sh.rss_all;
    std::printf("RSS, MB              %.1f after 10%% of the schools, %.1f after 100%% (%+.1f MB, %s)\n", tenth, all, all - tenth,
                all - tenth > 0.05 * tenth + 8 ? "GROWS with the schools" : "flat");
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
