// package_bench: how long one full document package takes to render, in one process and as
// `ppko render` child processes, next to "the floor" (zipping the same part bytes with
// docx::ZipWriter). Prints figures only; nothing here asserts a target. See bench/README.md.
//
//   package_bench [WORKSPACE] [--runs N] [--warmup N]   in-process (default)
//   package_bench [WORKSPACE] --process N                 N child processes of `ppko render`
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.h"
#include "io/atomic_file.h"
#include "io/allocator.h"
#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "docx/zip_writer.h"
#include "document/table_layout.h"
#include "document/typography.h"
#include "render/render.h"
#include "xlsx/xlsx_writer.h"

extern char** environ;

namespace {

using namespace ppko;
namespace fs = std::filesystem;
using namespace ppko::bench;

// ---- command line ----

struct Args {
    fs::path workspace = fs::path(PPKO_SOURCE_DIR) / "samples" / "demidovsky";
    int runs = 200;
    int warmup = 20;
    int process = 0;  // > 0: the child-process mode
};

int to_count(const char* flag, const char* value, int min) {
    char* end = nullptr;
    const long v = std::strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < min || v > 1000000)
        throw std::invalid_argument(std::string(flag) + " wants an integer >= " + std::to_string(min));
    return static_cast<int>(v);
}

Args parse_args(int argc, char** argv) {
    Args a;
    bool have_workspace = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view s = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(s) + " wants a value");
            return argv[++i];
        };
        if (s == "--runs") {
            a.runs = to_count("--runs", value(), 1);
        } else if (s == "--warmup") {
            a.warmup = to_count("--warmup", value(), 0);
        } else if (s == "--process") {
            a.process = to_count("--process", value(), 1);
        } else if (s == "-h" || s == "--help") {
            std::cout << "usage: package_bench [WORKSPACE] [--runs N] [--warmup N]\n"
                         "       package_bench [WORKSPACE] --process N\n"
                         "WORKSPACE defaults to " << a.workspace.string() << "\n";
            std::exit(0);
        } else if (!s.empty() && s[0] == '-') {
            throw std::invalid_argument("unknown option " + std::string(s));
        } else if (!have_workspace) {
            a.workspace = s;
            have_workspace = true;
        } else {
            throw std::invalid_argument("extra argument " + std::string(s));
        }
    }
    return a;
}

// ---- in-process mode ----

struct Output {
    const data::DocumentSpec* spec;
    fs::path xlsx_path;  // empty when the document has no XLSX
};

struct RunTimes {
    double total = 0, build = 0, docx = 0, xlsx = 0;
};

int run_in_process(const Args& a) {
    const data::Workspace ws = data::load_workspace(a.workspace);
    render::PackageRenderer renderer(ws);
    const doc::LayoutProfile& profile = renderer.profile();
    ScratchDir scratch("ppko-bench");

    std::vector<Output> outputs;
    int files = 0, docx_files = 0, xlsx_files = 0;
    for (const auto* spec : renderer.select({})) {
        outputs.push_back({spec, spec->xlsx ? scratch.path() / (spec->file + ".xlsx") : fs::path()});
        docx_files += spec->docx ? 1 : 0;
        xlsx_files += spec->xlsx ? 1 : 0;
    }
    files = docx_files + xlsx_files;

    // One untimed package: the reference bytes of every DOCX (later runs must reproduce them)
    // and the parts of every file, for the floor.
    std::vector<std::string> reference_docx(outputs.size());
    std::vector<std::vector<Part>> floor_archives;
    for (std::size_t k = 0; k < outputs.size(); ++k) {
        const auto& o = outputs[k];
        const doc::Document d = renderer.build(*o.spec);
        if (o.spec->docx) {
            reference_docx[k] = renderer.docx_bytes(d);
            floor_archives.push_back(read_zip(reference_docx[k]));
        }
        if (o.spec->xlsx) {
            xlsx::write_xlsx(d, profile, o.xlsx_path.string());
            floor_archives.push_back(read_zip(io::read_file(o.xlsx_path)));
        }
    }

    // Times every document of the package; the model's destruction counts as building it, so
    // the three parts add up to the total. The determinism check is outside every interval.
    auto one_package = [&](RunTimes& t) {
        for (std::size_t k = 0; k < outputs.size(); ++k) {
            const auto& o = outputs[k];
            Clock::time_point t0, t1, t2, t3, t4, t5;
            t0 = Clock::now();
            {
                const doc::Document d = renderer.build(*o.spec);
                t1 = t2 = Clock::now();
                if (o.spec->docx) {
                    const std::string& bytes = renderer.docx_bytes(d);
                    t2 = Clock::now();
                    if (bytes != reference_docx[k])
                        throw std::runtime_error("DOCX of «" + o.spec->id + "» differs between runs");
                }
                t3 = Clock::now();
                if (o.spec->xlsx) xlsx::write_xlsx(d, profile, o.xlsx_path.string());
                t4 = Clock::now();
            }
            t5 = Clock::now();
            t.build += ms_between(t0, t1) + ms_between(t4, t5);
            t.docx += ms_between(t1, t2);
            t.xlsx += ms_between(t3, t4);
        }
        t.total = t.build + t.docx + t.xlsx;
    };

    for (int i = 0; i < a.warmup; ++i) {
        RunTimes ignored;
        one_package(ignored);
    }

    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    std::vector<double> total, build, docx, xlsx;
    for (int i = 0; i < a.runs; ++i) {
        RunTimes t;
        one_package(t);
        total.push_back(t.total);
        build.push_back(t.build);
        docx.push_back(t.docx);
        xlsx.push_back(t.xlsx);
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);

    // The floor: zip the very same parts with ZipWriter at its default level (as DocxWriter
    // does), into a reused string; warmed up like the package.
    docx::ZipWriter zip;
    std::string zipped;
    std::size_t part_bytes = 0, zipped_bytes = 0;
    auto one_floor = [&]() {
        std::size_t out = 0;
        for (const auto& archive : floor_archives) {
            zip.begin(zipped);
            for (const auto& p : archive) zip.add(p.name, p.data);
            zip.finish();
            out += zipped.size();
        }
        return out;
    };
    for (const auto& archive : floor_archives)
        for (const auto& p : archive) part_bytes += p.data.size();
    for (int i = 0; i < a.warmup; ++i) one_floor();
    rusage floor_before{};
    getrusage(RUSAGE_SELF, &floor_before);
    std::vector<double> floor;
    for (int i = 0; i < a.runs; ++i) {
        const auto t0 = Clock::now();
        zipped_bytes = one_floor();
        floor.push_back(ms_between(t0, Clock::now()));
    }
    rusage floor_after{};
    getrusage(RUSAGE_SELF, &floor_after);

    // The typography pass alone (engine/document/typography.h): the package's documents built
    // from a copy of the workspace whose profile switches the pass off, then the pass over a
    // fresh copy of each model per run (the copy is outside the interval).
    const fs::path raw_dir = scratch.path() / "untypeset";
    fs::copy(a.workspace, raw_dir, fs::copy_options::recursive);
    {
        const auto r = ws.resources.find("profiles/" + ws.profile + ".json");
        fs::create_directories(raw_dir / "templates" / "profiles");
        std::string text(r->text);
        const auto at = text.find("\"typography\": true");
        if (at == std::string::npos) throw std::runtime_error("the profile has no \"typography\": true to switch off");
        text.replace(at, 18, "\"typography\": false");
        std::ofstream(raw_dir / "templates" / "profiles" / (ws.profile + ".json")) << text;
    }
    const data::Workspace raw_ws = data::load_workspace(raw_dir);
    render::PackageRenderer raw_renderer(raw_ws);
    std::vector<doc::Document> raw_models;
    for (const auto& o : outputs) raw_models.push_back(raw_renderer.build(*raw_renderer.select({o.spec->id})[0]));
    std::vector<double> typography;
    std::vector<doc::Document> copies;
    for (int i = 0; i < a.warmup + a.runs; ++i) {
        copies = raw_models;
        const auto t0 = Clock::now();
        for (auto& d : copies) doc::typeset(d, profile);
        if (i >= a.warmup) typography.push_back(ms_between(t0, Clock::now()));
    }

    // Column widths from measured text and the rows that may not split (doc::TableLayout, as the
    // DOCX writer does it) for every table of the package, alone.
    std::vector<double> tables_ms;
    doc::TableLayout table_layout;
    double sink = 0;
    const double text_mm = profile.page_width_mm - profile.margin_left_mm - profile.margin_right_mm;
    for (int i = 0; i < a.warmup + a.runs; ++i) {
        const auto t0 = Clock::now();
        for (const auto& d : raw_models) {
            for (const auto& b : d.body) {
                const auto* t = std::get_if<doc::Table>(&b.value);
                if (!t) continue;
                table_layout.fit(*t, profile, text_mm, 2.0);
                for (std::size_t r = 0; r < t->rows.size(); ++r) sink += table_layout.row_taller_than(*t, r, 250.0);
            }
        }
        if (i >= a.warmup) tables_ms.push_back(ms_between(t0, Clock::now()));
    }
    if (sink < 0) std::printf("?\n");

    const double med = median(total);
    const double floor_med = median(floor);
    std::printf("package_bench: %s\n", a.workspace.string().c_str());
    std::printf("package              %d files (%d DOCX, %d XLSX); %zu parts, %.1f KB of XML, "
                "%.1f KB zipped\n",
                files, docx_files, xlsx_files,
                [&] { std::size_t n = 0; for (const auto& z : floor_archives) n += z.size(); return n; }(),
                static_cast<double>(part_bytes) / 1024.0, static_cast<double>(zipped_bytes) / 1024.0);
    std::printf("scratch              %s\n", scratch.path().c_str());
    std::printf("runs                 %d (after %d warm-up)\n", a.runs, a.warmup);
    std::printf("per package, ms      median %.3f   p10 %.3f   p90 %.3f\n", med,
                percentile(total, 0.1), percentile(total, 0.9));
    std::printf("documents per second %.0f\n", files * 1000.0 / med);
    const double cpu = cpu_ms(before, after) / a.runs;
    const double floor_cpu = cpu_ms(floor_before, floor_after) / a.runs;
    std::printf("CPU per package, ms  %.3f (user + sys, mean)\n", cpu);
    std::printf("floor (zip), ms      median %.3f   CPU %.3f\n", floor_med, floor_cpu);
    std::printf("ours / floor         %.2fx (wall medians)   %.2fx (CPU)\n", med / floor_med,
                floor_cpu > 0 ? cpu / floor_cpu : 0.0);
    std::printf("split (medians), ms  build model %.3f   DOCX %.3f   XLSX %.3f\n", median(build),
                median(docx), median(xlsx));
    std::printf("typography pass, ms  median %.3f   p10 %.3f (%.1f %% of the package, by medians; %.1f %% by p10)\n",
                median(typography), percentile(typography, 0.1), 100.0 * median(typography) / med,
                100.0 * percentile(typography, 0.1) / percentile(total, 0.1));
    std::printf("table layout, ms     median %.3f   p10 %.3f (%.1f %% of the package, by medians; %.1f %% by p10)\n",
                median(tables_ms), percentile(tables_ms, 0.1), 100.0 * median(tables_ms) / med,
                100.0 * percentile(tables_ms, 0.1) / percentile(total, 0.1));
    std::printf("peak RSS             %.1f MB\n", static_cast<double>(after.ru_maxrss) / 1024.0);
    std::printf("minor faults per run %.1f\n",
                static_cast<double>(after.ru_minflt - before.ru_minflt) / a.runs);
    return 0;
}

// ---- child-process mode ----

int run_processes(const Args& a) {
    ScratchDir scratch("ppko-bench");
    const std::string exe = PPKO_EXE;
    const std::string workspace = a.workspace.string();
    const std::string out = scratch.path().string();
    std::vector<std::string> argv_s = {exe, "render", workspace, "-o", out, "--quiet"};
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);

    // The child's stdout goes to /dev/null (it is --quiet anyway); stderr stays, for errors.
    struct SpawnActions {
        posix_spawn_file_actions_t a;
        SpawnActions() { posix_spawn_file_actions_init(&a); }
        ~SpawnActions() { posix_spawn_file_actions_destroy(&a); }
        SpawnActions(const SpawnActions&) = delete;
        SpawnActions& operator=(const SpawnActions&) = delete;
    } spawn_actions;
    posix_spawn_file_actions_t& actions = spawn_actions.a;
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);

    auto one = [&]() {
        const auto t0 = Clock::now();
        pid_t pid = 0;
        if (posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("cannot start " + exe);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) throw std::runtime_error("waitpid failed");
        }
        const double ms = ms_between(t0, Clock::now());
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error(exe + " render failed (" +
                                     (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                                        : "signal " + std::to_string(WTERMSIG(status))) +
                                     ")");
        return ms;
    };

    one();  // warm the page cache and the output folder; not counted
    rusage before{};
    getrusage(RUSAGE_CHILDREN, &before);
    std::vector<double> wall;
    for (int i = 0; i < a.process; ++i) wall.push_back(one());
    rusage after{};
    getrusage(RUSAGE_CHILDREN, &after);

    std::printf("package_bench --process: %s render %s -o %s\n", exe.c_str(), workspace.c_str(), out.c_str());
    std::printf("processes            %d (after 1 warm-up)\n", a.process);
    std::printf("wall per process, ms median %.2f   p10 %.2f   p90 %.2f\n", median(wall),
                percentile(wall, 0.1), percentile(wall, 0.9));
    std::printf("CPU per process, ms  %.2f (user + sys, mean)\n", cpu_ms(before, after) / a.process);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    ppko::io::tune_allocator_for_batches();  // as `ppko` itself does, so we measure what users run
    try {
        const Args a = parse_args(argc, argv);
        return a.process > 0 ? run_processes(a) : run_in_process(a);
    } catch (const std::invalid_argument& e) {
        std::cerr << "package_bench: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const ppko::Error& e) {
        std::cerr << e.diagnostics().format() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "package_bench: " << e.what() << '\n';
        return 1;
    }
}
