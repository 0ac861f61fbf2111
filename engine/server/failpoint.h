// A test hook: a named point in a write path where the server stops for good when the
// environment variable PPKO_FAILPOINT names it, so that a test can kill the process with SIGKILL
// while it holds a transaction open (tests/server: "kill -9 mid-transaction, the other server
// continues"). Unset — the production case — it costs one comparison.
#pragma once

#include <string_view>

namespace ppko::server {

// If PPKO_FAILPOINT equals `name`: prints "failpoint <name>" to standard error and waits to be
// killed; never returns then.
void failpoint(std::string_view name);

}  // namespace ppko::server
