// Helpers shared by the Boost.Test suites: a temporary folder per test case, and the text of the
// ppko::Error an action throws.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

#include "diag/diagnostic.h"

namespace ppko::testing {

// A fresh folder per test case (under the system's temporary folder), removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("ppko-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path operator/(const char* name) const { return path / name; }
};

// The diagnostics `f` throws as ppko::Error, formatted as the CLI prints them (without the last
// newline), or "no error".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        std::string text = e.diagnostics().format();
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    }
    return "no error";
}

}  // namespace ppko::testing
