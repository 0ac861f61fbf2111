// CSRF protection of browser sessions: every state-changing request (any method but GET, HEAD,
// OPTIONS) authenticated by the session cookie must carry the session's CSRF token in the
// X-CSRF-Token header (the token comes with login and whoami; a page of another site cannot read
// it). Requests with a bearer token carry no cookie and need none. Together with SameSite=Strict
// this refuses forged requests even from browsers that ignore SameSite.
#pragma once

#include <string_view>

#include "server/auth.h"

namespace ppko::server {

inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

bool is_state_changing(std::string_view method);
// Throws auth.csrf (403) when `caller` came by cookie, `method` changes state and `presented`
// is not the session's token (compared in constant time).
void check_csrf(const Caller& caller, std::string_view method, std::string_view presented);

}  // namespace ppko::server
