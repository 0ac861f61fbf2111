#include "server/failpoint.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace ppko::server {

void failpoint(std::string_view name) {
    static const std::string armed = [] {
        const char* v = std::getenv("PPKO_FAILPOINT");
        return std::string(v ? v : "");
    }();
    if (armed.empty() || armed != name) return;
    std::fprintf(stderr, "failpoint %s\n", armed.c_str());
    std::fflush(stderr);
    for (;;) ::pause();
}

}  // namespace ppko::server
