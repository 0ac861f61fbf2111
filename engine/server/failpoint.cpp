#include "server/failpoint.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <unistd.h>

namespace ppko::server {
namespace {

struct Armed {
    std::string name;
    long pause_ms = -1;  // -1: forever
};

Armed armed() {
    Armed a;
    const char* v = std::getenv("PPKO_FAILPOINT");
    if (!v) return a;
    a.name = v;
    if (const auto eq = a.name.find('='); eq != std::string::npos) {
        a.pause_ms = std::strtol(a.name.c_str() + eq + 1, nullptr, 10);
        a.name.erase(eq);
    }
    return a;
}

}  // namespace

void failpoint(std::string_view name) {
    static const Armed a = armed();
    if (a.name.empty() || a.name != name) return;
    std::fprintf(stderr, "failpoint %s\n", a.name.c_str());
    std::fflush(stderr);
    if (a.pause_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(a.pause_ms));
        return;
    }
    for (;;) ::pause();
}

}  // namespace ppko::server
