#include "server/auth.h"

#include "diag/diagnostic.h"
#include "server/csrf.h"
#include "server/router.h"
#include "server/services.h"
#include "server/session.h"
#include "server/tokens.h"

namespace ppko::server {

std::string_view role_name(Role r) {
    switch (r) {
        case Role::region: return "region";
        case Role::coordinator: return "coordinator";
        case Role::school: return "school";
        case Role::expert: return "expert";
        case Role::admin: return "admin";
    }
    return "school";
}

std::optional<Role> parse_role(std::string_view name) {
    for (Role r : kAllRoles) {
        if (role_name(r) == name) return r;
    }
    return std::nullopt;
}

void authenticate(Context& ctx) {
    const std::string authorization = ctx.header("Authorization");
    if (!authorization.empty()) {
        constexpr std::string_view bearer = "Bearer ";
        if (authorization.rfind(bearer, 0) != 0) {
            throw Error(ErrorId::auth_bad_token, "", {}, "",
                        "заголовок Authorization должен быть вида «Bearer ТОКЕН» (токен выдаёт POST /api/tokens)");
        }
        auto c = ctx.services.db->connect();
        ctx.caller = token_caller(*c, ctx.services.secret, std::string_view(authorization).substr(bearer.size()));
        return;
    }
    const std::string cookie = cookie_value(ctx.header("Cookie"), kSessionCookie);
    if (cookie.empty()) return;
    auto c = ctx.services.db->connect();
    ctx.caller = session_caller(*c, cookie);
    if (!ctx.caller) {
        // Tell the browser to drop the dead cookie along with the refusal.
        throw HttpError(ErrorId::auth_bad_token, "сеанс истёк или завершён; войдите снова", Json::object(),
                        Headers{{"Set-Cookie", session_cookie("", 0, ctx.services.config.cookie_secure)}});
    }
}

void authorize(const Route& route, Context& ctx) {
    if (route.roles.is_public()) return;
    authenticate(ctx);
    if (!ctx.caller) throw Error(ErrorId::auth_required, "", {}, "", "нужен вход в систему: POST /api/login или токен API");
    const Caller& who = *ctx.caller;
    check_csrf(who, ctx.method, presented_csrf(ctx.header(std::string(kCsrfHeader)), ctx.header("Content-Type"), ctx.body));
    if (!route.roles.has(who.role)) {
        std::string allowed;
        for (Role r : kAllRoles) {
            if (route.roles.has(r)) allowed += (allowed.empty() ? "" : ", ") + std::string(role_name(r));
        }
        throw Error(ErrorId::auth_forbidden, "", {}, "",
                    "роли «" + std::string(role_name(who.role)) + "» это действие не разрешено; разрешено ролям: " +
                        allowed);
    }
    if (route.scope == Scope::none) return;
    const std::string& m = ctx.param("municipality");
    const bool whole_region = who.role == Role::region || who.role == Role::admin;
    // An account's own municipality exists (accounts are made only for existing ones and
    // municipalities are never removed): only the region's roles need the lookup.
    if (whole_region ? !ctx.services.accounts->municipality(m) : who.municipality != m) {
        throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитет «" + m + "» не найден");
    }
    if (route.scope == Scope::school && who.role == Role::school && who.school != ctx.param("school")) {
        throw Error(ErrorId::server_not_found, "", {}, "", "школа «" + ctx.param("school") + "» не найдена");
    }
}

std::string visible_school(const Caller& c) { return c.role == Role::school ? c.school : std::string(); }

}  // namespace ppko::server
