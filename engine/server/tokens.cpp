#include "server/tokens.h"

#include <mutex>
#include <unordered_map>

#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "diag/diagnostic.h"
#include "server/accounts.h"
#include "server/passwords.h"
#include "server/session.h"

namespace ppko::server {
namespace {

using namespace Poco::Data::Keywords;
using store::Access;

[[noreturn]] void bad_token(const std::string& why) {
    throw Error(ErrorId::auth_bad_token, "", {}, "", "токен API не принят: " + why + "; выпустите новый");
}

// What a token's signature check gave: its claims, under the secret it was checked with.
struct Claims {
    std::string secret, id, subject;
    std::int64_t expires = 0;
};

// Tokens whose signature was checked, by their exact text. The HMAC, Base64 and JSON of a JWT
// cost about a tenth of a status request's CPU (bench/README.md, «Phase 5»), and a script sends
// the same token with every request. A hit skips only that work: the same text under the same
// secret verifies the same way. The expiry and the database lookup (revoked, account disabled)
// are checked on every request as before. Bounded: emptied when full.
class CheckedTokens {
public:
    std::optional<Claims> find(std::string_view text, const std::string& secret) {
        std::lock_guard lock(mutex_);
        const auto it = map_.find(std::string(text));
        if (it == map_.end() || it->second.secret != secret) return std::nullopt;
        return it->second;
    }
    void put(std::string_view text, Claims c) {
        std::lock_guard lock(mutex_);
        if (map_.size() >= kMax) map_.clear();
        map_.insert_or_assign(std::string(text), std::move(c));
    }

private:
    static constexpr std::size_t kMax = 4096;
    std::mutex mutex_;
    std::unordered_map<std::string, Claims> map_;
};

CheckedTokens& checked_tokens() {
    static CheckedTokens t;
    return t;
}

Claims verify_signature(const std::string& secret, std::string_view text) {
    if (auto hit = checked_tokens().find(text, secret)) return std::move(*hit);
    Poco::JWT::Token jwt;
    try {
        Poco::JWT::Signer signer(secret);  // accepts HS256 only
        jwt = signer.verify(std::string(text));
    } catch (const Poco::JWT::SignatureVerificationException&) {
        bad_token("подпись неверна");
    } catch (const Poco::Exception&) {
        bad_token("это не токен JWT сервера");
    }
    Claims c{secret, jwt.getId(), jwt.getSubject(), static_cast<std::int64_t>(jwt.getExpiration().epochTime())};
    checked_tokens().put(text, c);
    return c;
}

}  // namespace

IssuedToken issue_token(store::Connection& c, const std::string& secret, const Caller& owner, const std::string& name,
                        int days) {
    IssuedToken t;
    const std::string jti = random_token(18);
    const std::int64_t at = now_seconds();
    t.expires_at = at + static_cast<std::int64_t>(days) * 86400;
    Poco::JWT::Token jwt;
    jwt.setType("JWT");
    jwt.setId(jti);
    jwt.setSubject(owner.login);
    jwt.setIssuer("ppko");
    jwt.setIssuedAt(Poco::Timestamp::fromEpochTime(at));
    jwt.setExpiration(Poco::Timestamp::fromEpochTime(t.expires_at));
    Poco::JWT::Signer signer(secret);
    t.token = signer.sign(jwt, Poco::JWT::Signer::ALGO_HS256);

    std::string hash = sha256_hex(jti), n = name;
    t.id = hash.substr(0, 32);
    Poco::Int64 uid = owner.user_id, created = at, expires = t.expires_at;
    auto st = c.statement(
        "INSERT INTO api_tokens (id, user_id, name, created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, 0)");
    c.run(Access::write, [&] { st, use(hash), use(uid), use(n), use(created), use(expires), now; });
    return t;
}

Caller token_caller(store::Connection& c, const std::string& secret, std::string_view text, std::string_view municipality,
                    std::optional<WorkspaceFiles::Versions>* versions) {
    if (text.size() > 4096) bad_token("слишком длинный");
    const Claims jwt = verify_signature(secret, text);
    const std::int64_t at = now_seconds();
    if (jwt.expires == 0) bad_token("в нём нет срока действия");
    if (jwt.expires <= at) bad_token("срок действия истёк");
    const std::string hash = sha256_hex(jwt.id), login = jwt.subject;
    // On every request with a token: one round trip (store::Connection::query), which also reads
    // the versions a request of a municipality's domain starts with.
    static const std::string sql = "SELECT u.id, u.login, u.name, u.role, u.municipality, u.school, " +
                                   std::string(WorkspaceFiles::versions_columns()) +
                                   " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $2 AND t.revoked = 0"
                                   " AND t.expires_at > $3 AND u.disabled = 0 AND u.login = $4";
    const store::Rows r = c.query(sql, {versions ? municipality : std::string_view(), hash, at, login});
    if (r.empty()) bad_token("он отозван, или учётная запись отключена");
    Caller who = caller_from_row(r, Caller::Via::token);
    who.token_id = jwt.id;
    if (versions) *versions = WorkspaceFiles::versions_at(r, 6);
    return who;
}

Json list_tokens(store::Connection& c, std::int64_t user_id) {
    Poco::Int64 uid = user_id;
    std::vector<std::string> ids, names;
    std::vector<Poco::Int64> created, expires;
    std::vector<int> revoked;
    auto st = c.statement(
        "SELECT id, name, created_at, expires_at, revoked FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id");
    c.run(Access::read, [&] { st, use(uid), into(ids), into(names), into(created), into(expires), into(revoked), now; });
    Json out = Json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        // The public handle is the stored hash's prefix: enough to name it, useless to present.
        out.push_back(Json{{"id", ids[i].substr(0, 32)},
                           {"name", names[i]},
                           {"created_at", created[i]},
                           {"expires_at", expires[i]},
                           {"revoked", revoked[i] != 0}});
    }
    return out;
}

bool revoke_token(store::Connection& c, std::string_view id, std::int64_t user_id, bool any_owner) {
    if (id.size() != 32) return false;
    std::string handle(id);
    Poco::Int64 uid = user_id;
    int any = any_owner ? 1 : 0;
    std::vector<std::string> got;
    auto st = c.statement(
        "UPDATE api_tokens SET revoked = 1 WHERE substr(id, 1, 32) = $1 AND ($2 = 1 OR user_id = $3) RETURNING id");
    c.run(Access::write, [&] { st, use(handle), use(any), use(uid), into(got), now; });
    return !got.empty();
}

}  // namespace ppko::server
