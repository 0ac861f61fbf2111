#include "server/session.h"

#include "server/accounts.h"
#include "server/passwords.h"

namespace ppko::server {
namespace {
using namespace Poco::Data::Keywords;
using store::Access;
}  // namespace

NewSession create_session(store::Connection& c, std::int64_t user_id, const std::string& address, int hours) {
    NewSession s;
    s.cookie_value = random_token(32);
    s.csrf = random_token(32);
    Poco::Int64 at = now_seconds();
    s.expires_at = at + static_cast<std::int64_t>(hours) * 3600;
    std::string hash = sha256_hex(s.cookie_value), csrf = s.csrf, addr = address;
    Poco::Int64 id = user_id, expires = s.expires_at;
    auto st = c.statement(
        "INSERT INTO sessions (token_hash, user_id, csrf, address, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)");
    c.run(Access::write, [&] { st, use(hash), use(id), use(csrf), use(addr), use(at), use(expires), now; });
    // Expired sessions of this account go with the new one (nothing else ever needs them).
    auto gc = c.statement("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2");
    c.run(Access::write, [&] { gc, use(id), use(at), now; });
    return s;
}

Caller caller_from_row(const store::Rows& r, Caller::Via via) {
    Caller who;
    who.user_id = r.integer(0, 0);
    who.login = r.at(0, 1);
    who.name = r.at(0, 2);
    who.role = parse_role(r.at(0, 3)).value_or(Role::school);
    who.municipality = r.at(0, 4);
    who.school = r.at(0, 5);
    who.via = via;
    return who;
}

std::optional<Caller> session_caller(store::Connection& c, std::string_view cookie_value, std::string_view municipality,
                                     std::optional<WorkspaceFiles::Versions>* versions) {
    if (cookie_value.empty() || cookie_value.size() > 128) return std::nullopt;
    std::string hash = sha256_hex(cookie_value);
    // On every request of a signed-in page: one round trip (store::Connection::query), which also
    // reads the versions a page of a municipality's domain starts with.
    static const std::string sql = "SELECT u.id, u.login, u.name, u.role, u.municipality, u.school, s.csrf, " +
                                   std::string(WorkspaceFiles::versions_columns()) +
                                   " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $2"
                                   " AND s.expires_at > $3 AND u.disabled = 0";
    const store::Rows r = c.query(sql, {versions ? municipality : std::string_view(), hash, now_seconds()});
    if (r.empty()) return std::nullopt;
    Caller who = caller_from_row(r, Caller::Via::session);
    who.session_hash = hash;
    who.csrf = r.at(0, 6);
    if (versions) *versions = WorkspaceFiles::versions_at(r, 7);
    return who;
}

void delete_session(store::Connection& c, std::string_view session_hash) {
    std::string hash(session_hash);
    auto st = c.statement("DELETE FROM sessions WHERE token_hash = $1");
    c.run(Access::write, [&] { st, use(hash), now; });
}

std::string session_cookie(std::string_view value, std::int64_t max_age, bool secure) {
    std::string out = std::string(kSessionCookie) + "=" + std::string(value) +
                      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
    if (secure) out += "; Secure";
    return out;
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
    return {};
}

}  // namespace ppko::server
