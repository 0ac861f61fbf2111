// A test hook: a named point in a write path where the server stops while it holds a transaction
// open, when the environment variable PPKO_FAILPOINT names it — so that a test can kill the
// process there with SIGKILL ("kill -9 mid-transaction, the other server continues") or send it
// SIGTERM ("in-flight requests finish"). Unset — the production case — it costs one comparison.
//   PPKO_FAILPOINT=users.update        stop there for good (until killed)
//   PPKO_FAILPOINT=users.update=1500   pause there 1500 ms, then go on
#pragma once

#include <string_view>

namespace ppko::server {

// When PPKO_FAILPOINT names `name`: prints "failpoint <name>" to standard error, then waits to be
// killed or pauses as the variable says.
void failpoint(std::string_view name);

}  // namespace ppko::server
