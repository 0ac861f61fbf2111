// Routes of one's own account: login, logout, whoami, change password, API tokens.
#include "server/routes.h"

#include "diag/diagnostic.h"
#include "server/services.h"
#include "server/session.h"
#include "server/throttle.h"
#include "server/tokens.h"

namespace ppko::server {
namespace {

Actor actor_of(const Context& ctx) { return Actor{ctx.caller ? ctx.caller->login : "-", ctx.address}; }

ThrottleLimits throttle_limits(const Context& ctx) {
    return ThrottleLimits{ctx.services.config.limits.login_failures_per_login,
                          ctx.services.config.limits.login_failures_per_address};
}

// Refuses with 429 while `login` from this address must wait.
void check_throttle(Context& ctx, const std::string& login) {
    auto c = ctx.services.db->connect();
    const std::int64_t wait = login_wait(*c, login, ctx.address);
    if (wait > 0) {
        throw HttpError(ErrorId::auth_throttled,
                        "слишком много неудачных попыток входа; повторите через " + std::to_string(wait) + " с",
                        Json{{"retry_after", wait}}, Headers{{"Retry-After", std::to_string(wait)}});
    }
}

void record_failure(Context& ctx, const std::string& login) {
    auto c = ctx.services.db->connect();
    c->begin("");
    record_login_failure(*c, login, ctx.address, throttle_limits(ctx));
    c->commit();
}

Json caller_json(const Caller& who) {
    Json j{{"login", who.login},
           {"name", who.name},
           {"role", role_name(who.role)},
           {"municipality", who.municipality},
           {"school", who.school},
           {"via", who.via == Caller::Via::session ? "session" : "token"}};
    if (who.via == Caller::Via::session) j["csrf_token"] = who.csrf;
    return j;
}

Response login(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"login", "password"});
    const std::string name = b.text("login", 64);
    const std::string password = b.text("password", 1024);
    check_throttle(ctx, name);
    const auto user = ctx.services.accounts->check_password(name, password);
    if (!user) {
        record_failure(ctx, name);
        throw Error(ErrorId::auth_bad_credentials, "", {}, "", "неверное имя пользователя или пароль");
    }
    auto c = ctx.services.db->connect();
    c->begin("");
    record_login_success(*c, name);
    const NewSession s = create_session(*c, user->id, ctx.address, ctx.services.config.limits.session_hours);
    write_audit(*c, Actor{user->login, ctx.address}, "session.login", "user:" + user->login, Json::object(),
                Json{{"expires_at", s.expires_at}});
    c->commit();
    Response r;
    r.body = user->json();
    r.body["csrf_token"] = s.csrf;
    r.body["expires_at"] = s.expires_at;
    r.headers.emplace_back("Set-Cookie",
                           session_cookie(s.cookie_value, s.expires_at - now_seconds(), ctx.services.config.cookie_secure));
    return r;
}

Response logout(Context& ctx) {
    const Caller& who = ctx.who();
    Response r;
    if (who.via == Caller::Via::session) {
        auto c = ctx.services.db->connect();
        delete_session(*c, who.session_hash);
        r.headers.emplace_back("Set-Cookie", session_cookie("", 0, ctx.services.config.cookie_secure));
    }
    r.body = Json{{"ended", who.via == Caller::Via::session}};
    return r;
}

Response whoami(Context& ctx) {
    Response r;
    r.body = caller_json(ctx.who());
    return r;
}

Response change_password(Context& ctx) {
    const Caller& who = ctx.who();
    const Body b(ctx.body);
    b.allow_only({"old_password", "new_password"});
    const std::string old_password = b.text("old_password", 1024);
    const std::string new_password = b.text("new_password", 1024);
    check_throttle(ctx, who.login);
    if (!ctx.services.accounts->check_password(who.login, old_password)) {
        record_failure(ctx, who.login);
        b.fail(ErrorId::data_bad_value, "old_password", "текущий пароль указан неверно");
    }
    ctx.services.accounts->set_password(who.login, new_password, actor_of(ctx), who.session_hash, who.token_id);
    Response r;
    r.body = Json{{"login", who.login}, {"changed", true}};
    return r;
}

Response create_token(Context& ctx) {
    const Caller& who = ctx.who();
    const Body b(ctx.body);
    b.allow_only({"name", "days"});
    const std::string name = b.text("name", 100);
    const int days = static_cast<int>(b.integer("days", 1, ctx.services.config.limits.token_max_days));
    auto c = ctx.services.db->connect();
    c->begin("");
    const IssuedToken t = issue_token(*c, ctx.services.secret, who, name, days);
    write_audit(*c, actor_of(ctx), "token.create", "token:" + t.id, Json::object(),
                Json{{"name", name}, {"expires_at", t.expires_at}, {"owner", who.login}});
    c->commit();
    Response r;
    r.status = 201;
    r.body = Json{{"id", t.id}, {"name", name}, {"token", t.token}, {"expires_at", t.expires_at}};
    return r;
}

Response list_own_tokens(Context& ctx) {
    auto c = ctx.services.db->connect();
    Response r;
    r.body = Json{{"items", list_tokens(*c, ctx.who().user_id)}};
    return r;
}

Response revoke(Context& ctx) {
    const Caller& who = ctx.who();
    const std::string& id = ctx.param("token");
    auto c = ctx.services.db->connect();
    c->begin("");
    if (!revoke_token(*c, id, who.user_id, who.role == Role::admin)) {
        throw Error(ErrorId::server_not_found, "", {}, "", "токен «" + id + "» не найден");
    }
    write_audit(*c, actor_of(ctx), "token.revoke", "token:" + id, Json::object(), Json{{"revoked", true}});
    c->commit();
    Response r;
    r.body = Json{{"id", id}, {"revoked", true}};
    return r;
}

constexpr Route kRoutes[] = {
    {"POST", "/api/login", Roles::public_route(), Scope::none, login, "вход: сеанс браузера (cookie ppko_session: HttpOnly, SameSite=Strict) и токен CSRF"},
    {"POST", "/api/logout", Roles::any(), Scope::none, logout, "выход: сеанс завершается, cookie стирается"},
    {"GET", "/api/whoami", Roles::any(), Scope::none, whoami, "кто вошёл: учётная запись, роль, охват (и токен CSRF сеанса)"},
    {"POST", "/api/password", Roles::any(), Scope::none, change_password, "смена своего пароля (другие сеансы и токены API завершаются)"},
    {"POST", "/api/tokens", Roles::any(), Scope::none, create_token, "выпуск токена API для сценариев (JWT HS256 с exp; показывается один раз)"},
    {"GET", "/api/tokens", Roles::any(), Scope::none, list_own_tokens, "свои токены API"},
    {"DELETE", "/api/tokens/{token}", Roles::any(), Scope::none, revoke, "отзыв токена API (своего; администратор — любого)"},
};

}  // namespace

std::span<const Route> session_routes() { return kRoutes; }

}  // namespace ppko::server
