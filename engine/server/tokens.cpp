#include "server/tokens.h"

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

Caller token_caller(store::Connection& c, const std::string& secret, std::string_view text) {
    if (text.size() > 4096) bad_token("слишком длинный");
    Poco::JWT::Token jwt;
    try {
        Poco::JWT::Signer signer(secret);  // accepts HS256 only
        jwt = signer.verify(std::string(text));
    } catch (const Poco::JWT::SignatureVerificationException&) {
        bad_token("подпись неверна");
    } catch (const Poco::Exception&) {
        bad_token("это не токен JWT сервера");
    }
    const std::int64_t at = now_seconds();
    const Poco::Timestamp exp = jwt.getExpiration();
    if (exp.epochTime() == 0) bad_token("в нём нет срока действия");
    if (exp.epochTime() <= at) bad_token("срок действия истёк");
    const std::string hash = sha256_hex(jwt.getId()), login = jwt.getSubject();
    // On every request with a token: one round trip (store::Connection::query).
    const store::Rows r = c.query(
        "SELECT u.id, u.login, u.name, u.role, u.municipality, u.school FROM api_tokens t"
        " JOIN users u ON u.id = t.user_id WHERE t.id = $1 AND t.revoked = 0 AND t.expires_at > $2"
        " AND u.disabled = 0 AND u.login = $3",
        {hash, at, login});
    if (r.empty()) bad_token("он отозван, или учётная запись отключена");
    Caller who = caller_from_row(r, Caller::Via::token);
    who.token_id = jwt.getId();
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
