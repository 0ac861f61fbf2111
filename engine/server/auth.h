// Who calls and what they may do: roles and their scopes, authentication of a request (a browser
// session cookie or an API token in "Authorization: Bearer"), and authorisation in one place —
// every route declares the roles that may call it and how the municipality and school named in
// its path are checked against the caller's, which come from the database, never from the client.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace ppko::server {

// region: reads every municipality of the region; coordinator (МОЦ): its municipality; school: its
// own school in its municipality; expert: programs of its municipality assigned to it (phase 2);
// admin: accounts, municipalities and the region's name, no data.
enum class Role : std::uint8_t { region, coordinator, school, expert, admin };
inline constexpr Role kAllRoles[] = {Role::region, Role::coordinator, Role::school, Role::expert, Role::admin};

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);

// The roles a route admits; `public_route()` admits anyone without authentication.
class Roles {
public:
    constexpr Roles(std::initializer_list<Role> roles) {
        for (Role r : roles) mask_ |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
    }
    static constexpr Roles public_route() {
        Roles r{};
        r.public_ = true;
        return r;
    }
    static constexpr Roles any() { return Roles{Role::region, Role::coordinator, Role::school, Role::expert, Role::admin}; }
    constexpr bool is_public() const { return public_; }
    constexpr bool has(Role r) const { return public_ || (mask_ >> static_cast<unsigned>(r)) & 1u; }

private:
    std::uint8_t mask_ = 0;
    bool public_ = false;
};

// How a route's path parameters are checked against the caller (after the role check):
// municipality — {municipality} must exist and be the caller's (region: any of the region);
// school — as municipality, and a school account only reaches its own {school}. Outside the
// caller's scope the answer is 404, exactly as for a record that does not exist.
enum class Scope : std::uint8_t { none, municipality, school };

struct Caller {
    std::int64_t user_id = 0;
    std::string login, name;
    Role role = Role::school;
    std::string municipality;  // "" for region and admin
    std::string school;        // school accounts only
    enum class Via : std::uint8_t { session, token } via = Via::session;
    std::string session_hash;  // Via::session: SHA-256 of the cookie value
    std::string csrf;          // Via::session: the token state-changing requests must echo
    std::string token_id;      // Via::token
};

struct Context;
struct Route;

// The one authorisation check, run before every handler. Authentication into ctx.caller: a bearer
// token first, else the session cookie; presented but invalid, expired, forged or revoked
// credentials throw auth.bad_token (401), never fall back to anonymous. Then: authentication
// required (auth.required) unless the route is public; the CSRF token of a cookie session on
// every state-changing method (auth.csrf, csrf.h); the caller's role among the route's
// (auth.forbidden); the scope (404). A GET of a municipality's domain reads the municipality's
// versions in the statement that finds the caller, for its handler (ctx.known_versions).
void authorize(const Route& route, Context& ctx);

// The school a caller's listings are limited to: its own for a school account, else "" (all of
// the municipality its scope admits).
std::string visible_school(const Caller& c);

}  // namespace ppko::server
