// CSRF protection of browser sessions: every state-changing request (any method but GET, HEAD,
// OPTIONS) authenticated by the session cookie must carry the session's CSRF token in the
// X-CSRF-Token header (the token comes with login and whoami; a page of another site cannot read
// it). Requests with a bearer token carry no cookie and need none. Together with SameSite=Strict
// this refuses forged requests even from browsers that ignore SameSite.
#pragma once

#include <string>
#include <string_view>

#include "server/auth.h"

namespace ppko::server {

inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// A web page's form (application/x-www-form-urlencoded, or multipart/form-data for an upload)
// carries the token in this field instead.
inline constexpr std::string_view kCsrfField = "csrf";

bool is_state_changing(std::string_view method);
// The token a request presents: the X-CSRF-Token header, else a form body's `csrf` field.
std::string presented_csrf(std::string_view header, std::string_view content_type, std::string_view body);
// Throws auth.csrf (403) when `caller` came by cookie, `method` changes state and `presented`
// is not the session's token (compared in constant time).
void check_csrf(const Caller& caller, std::string_view method, std::string_view presented);

}  // namespace ppko::server
