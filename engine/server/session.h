// Browser sessions: a random cookie value (only its SHA-256 is stored), HttpOnly and
// SameSite=Strict, with a CSRF token of its own (csrf.h) and a fixed lifetime; ended by logout,
// by a password change (all the account's other sessions) and by disabling the account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/workspace_files.h"
#include "store/database.h"

namespace ppko::server {

inline constexpr std::string_view kSessionCookie = "ppko_session";

struct NewSession {
    std::string cookie_value;  // what the browser holds
    std::string csrf;
    std::int64_t expires_at = 0;
};

NewSession create_session(store::Connection& c, std::int64_t user_id, const std::string& address, int hours);
// The caller of a live session of an enabled account, or nullopt. With `versions`, the same
// statement also reads `municipality`'s versions into it (WorkspaceFiles::versions_columns).
std::optional<Caller> session_caller(store::Connection& c, std::string_view cookie_value, std::string_view municipality = {},
                                     std::optional<WorkspaceFiles::Versions>* versions = nullptr);
void delete_session(store::Connection& c, std::string_view session_hash);
// The caller of row 0 of a lookup whose first six columns are the user's id, login, name, role,
// municipality and school (the session and API token lookups).
Caller caller_from_row(const store::Rows& r, Caller::Via via);

// The Set-Cookie value: the session, or (empty value) one that deletes it in the browser.
std::string session_cookie(std::string_view value, std::int64_t max_age, bool secure);
// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace ppko::server
