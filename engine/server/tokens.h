// API tokens for scripts: a JWT (Poco::JWT, HS256 signed with the server's secret) carrying the
// token's id (jti), the account (sub) and an expiry (exp), sent as "Authorization: Bearer …".
// A token is accepted only when its signature checks, it has not expired, its id is on record and
// not revoked, and its account is enabled; otherwise 401 auth.bad_token. Only the SHA-256 of the
// id is stored, so the tables alone cannot mint or present a token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/json_api.h"
#include "server/workspace_files.h"
#include "store/database.h"

namespace ppko::server {

struct IssuedToken {
    std::string id;     // public handle, for listing and revoking (32 hex digits of the id's hash)
    std::string token;  // the JWT (shown once)
    std::int64_t expires_at = 0;
};

IssuedToken issue_token(store::Connection& c, const std::string& secret, const Caller& owner, const std::string& name,
                        int days);
// The caller a bearer token stands for; throws auth.bad_token for any fault. With `versions`, the
// same statement also reads `municipality`'s versions into it (WorkspaceFiles::versions_columns).
Caller token_caller(store::Connection& c, const std::string& secret, std::string_view jwt,
                    std::string_view municipality = {}, std::optional<WorkspaceFiles::Versions>* versions = nullptr);
// The caller's tokens (id, name, created, expires, revoked), newest first.
Json list_tokens(store::Connection& c, std::int64_t user_id);
// Revokes the token with handle `id` of `user_id` (any account's when `any_owner`); false when
// there is none.
bool revoke_token(store::Connection& c, std::string_view id, std::int64_t user_id, bool any_owner);

}  // namespace ppko::server
