// pdf_bench: how long the PDF pool (engine/pdf) takes for a whole package — every declared
// document of the workspace as DOCX, converted by the running LibreOffice instances — after the
// pool is warm (instances started, one package converted untimed). Prints figures only.
//
//   pdf_bench [WORKSPACE] [--runs N] [--instances N]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.h"
#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "pdf/pdf_pool.h"
#include "render/render.h"

int main(int argc, char** argv) {
    using namespace ppko;
    using namespace ppko::bench;
    std::filesystem::path workspace = std::filesystem::path(PPKO_SOURCE_DIR) / "samples" / "demidovsky";
    int runs = 5;
    unsigned instances = 2;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--instances") && i + 1 < argc) instances = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
        else workspace = argv[i];
    }
    try {
        io::tune_allocator_for_batches();
        const data::Workspace ws = data::load_workspace(workspace);
        render::PackageRenderer renderer(ws);
        std::vector<std::string> docx;
        std::vector<pdf::Source> sources;
        for (const auto* spec : renderer.select({})) docx.push_back(renderer.docx_bytes(renderer.build(*spec)));
        const auto specs = renderer.select({});
        for (std::size_t k = 0; k < docx.size(); ++k) sources.push_back({specs[k]->file + ".docx", docx[k]});

        pdf::Pool pool(instances);
        std::vector<std::string> out;
        const auto t0 = Clock::now();
        pool.convert(sources, out);  // warm-up: starts the instances
        const double warm_up = ms_between(t0, Clock::now());
        std::vector<double> times;
        std::size_t bytes = 0;
        for (int r = 0; r < runs; ++r) {
            const auto t1 = Clock::now();
            pool.convert(sources, out);
            times.push_back(ms_between(t1, Clock::now()));
        }
        for (const auto& o : out) bytes += o.size();
        std::printf("pdf_bench: %s\n", workspace.string().c_str());
        std::printf("package              %zu DOCX → %zu PDF, %.1f KB of PDF\n", sources.size(), out.size(), static_cast<double>(bytes) / 1024.0);
        std::printf("instances            %u running\n", pool.running());
        std::printf("warm-up, ms          %.0f (starting the instances and the first package)\n", warm_up);
        std::printf("per package, ms      median %.0f   min %.0f   max %.0f (%d runs)\n", median(times), percentile(times, 0.0),
                    percentile(times, 1.0), runs);
    } catch (const Error& e) {
        std::fputs(e.diagnostics().format().c_str(), stderr);
        return 1;
    }
    return 0;
}
