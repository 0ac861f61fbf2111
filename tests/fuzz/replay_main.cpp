// The main of the replay programs (fuzz_replay_<target>): feeds every file named on the command
// line, or found in a folder named there (sorted, recursively), to the target's
// LLVMFuzzerTestOneInput — the same function libFuzzer calls — so that the corpus and the
// regression inputs are checked by ordinary builds (GCC, no libFuzzer) on every test run.
// Fails (exit 1) when an input takes longer than PPKO_FUZZ_REPLAY_SECONDS (default 10) or when a
// folder holds no file; a crash or an uncaught exception fails it by itself.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    const char* limit_env = std::getenv("PPKO_FUZZ_REPLAY_SECONDS");
    const double limit = limit_env ? std::atof(limit_env) : 10.0;
    int failures = 0;
    std::size_t total = 0;
    for (int i = 1; i < argc; ++i) {
        std::vector<fs::path> files;
        const fs::path arg = argv[i];
        if (fs::is_directory(arg)) {
            for (const auto& e : fs::recursive_directory_iterator(arg)) {
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
            }
            if (files.empty()) {
                std::cerr << "FAIL " << arg.string() << ": no input files\n";
                ++failures;
            }
        } else if (fs::exists(arg)) {
            files.push_back(arg);
        } else {
            std::cerr << "FAIL " << arg.string() << ": not found\n";
            ++failures;
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const auto start = std::chrono::steady_clock::now();
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            ++total;
            if (seconds > limit) {
                std::cerr << "FAIL " << f.string() << ": " << seconds << " s (limit " << limit << " s)\n";
                ++failures;
            }
        }
    }
    std::cout << total << " input(s) replayed, " << failures << " failure(s)\n";
    return failures == 0 ? 0 : 1;
}
