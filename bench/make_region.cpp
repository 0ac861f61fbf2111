// make_region: writes the generated region of the benches as a workspace folder, so that the
// real commands (`ppko check`, `ppko advance` …) can be timed end to end with loading. The
// folder holds samples/smolensk's workspace.json (renamed «region»), authority, centre, councils
// and events as they are, partners.json without its pairs (they name the sample's schools),
// and schools.json, indicators.json and facts.json from bench/region_gen.h — the data of
// workflow_bench and region_bench, as written (not normalised: absent optional fields stay
// absent). Same N → byte-identical files. See bench/README.md («make_region»).
//
//   make_region OUT_DIR [--schools N]      N = 40000 by default
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "bench_util.h"
#include "region_gen.h"

namespace {

using namespace ppko;
namespace fs = std::filesystem;
using data::Json;

struct Args {
    fs::path out;
    int schools = 40000;
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view s = argv[i];
        if (s == "--schools" && i + 1 < argc) {
            a.schools = bench::parse_schools(argv[++i]);
        } else if (s == "-h" || s == "--help") {
            std::cout << "usage: make_region OUT_DIR [--schools N]   (N = 40000)\n";
            std::exit(0);
        } else if (!s.empty() && s[0] != '-' && a.out.empty()) {
            a.out = std::string(s);
        } else {
            throw std::invalid_argument("unknown argument " + std::string(s));
        }
    }
    if (a.out.empty()) throw std::invalid_argument("no OUT_DIR");
    return a;
}

// The file as a methodologist's editor would keep it: two-space indent, UTF-8 as is.
std::string pretty(const Json& j) { return j.dump(2) + '\n'; }

int run(const Args& a) {
    const fs::path sample = fs::path(PPKO_SOURCE_DIR) / "samples" / "smolensk";
    io::ensure_directory(a.out);
    io::OutputTransaction out;
    std::size_t bytes = 0;
    auto write = [&](const char* name, const std::string& text) {
        out.write(a.out / name, text);
        bytes += text.size();
    };

    for (const char* name : {"authority.json", "centre.json", "councils.json", "events.json"}) write(name, io::read_file(sample / name));
    {
        Json ws = data::parse_json(io::read_file(sample / "workspace.json"), "workspace.json").value;
        ws["workspace"] = "region";  // its own default state file, not the sample's
        ws["title"] = "Сгенерированный регион: " + std::to_string(a.schools) + " школ (bench/make_region)";
        write("workspace.json", pretty(ws));
    }
    {
        Json partners = data::parse_json(io::read_file(sample / "partners.json"), "partners.json").value;
        for (auto& p : partners["partnerships"]) p["pairs"] = Json::array();
        write("partners.json", pretty(partners));
    }
    bench::Region region = bench::generate(a.schools);
    for (const char* stem : {"schools", "indicators", "facts"}) {
        write((std::string(stem) + ".json").c_str(), pretty(region.ws.data[stem]));
        region.ws.data.erase(stem);
    }
    out.commit();
    std::printf("make_region: %d schools, %zu indicator records, %zu facts; %.1f MB of JSON in %s\n", a.schools, region.indicator_records,
                region.facts, static_cast<double>(bytes) / (1024.0 * 1024.0), a.out.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_args(argc, argv));
    } catch (const std::invalid_argument& e) {
        std::cerr << "make_region: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const ppko::Error& e) {
        std::cerr << e.diagnostics().format() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "make_region: " << e.what() << '\n';
        return 1;
    }
}
