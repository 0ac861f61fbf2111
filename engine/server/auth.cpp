#include "server/auth.h"

#include "diag/diagnostic.h"
#include "server/csrf.h"
#include "server/municipality_service.h"
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

namespace {

// Authenticates `ctx` into ctx.caller; with `versions`, the caller's statement also reads
// `municipality`'s (nullopt inside when it does not exist).
void authenticate(Context& ctx, std::string_view municipality, std::optional<WorkspaceFiles::Versions>* versions) {
    const std::string authorization = ctx.header("Authorization");
    if (!authorization.empty()) {
        constexpr std::string_view bearer = "Bearer ";
        if (authorization.rfind(bearer, 0) != 0) {
            throw Error(ErrorId::auth_bad_token, "", {}, "",
                        "заголовок Authorization должен быть вида «Bearer ТОКЕН» (токен выдаёт POST /api/tokens)");
        }
        auto c = ctx.services.db->connect();
        ctx.caller = token_caller(*c, ctx.services.secret, std::string_view(authorization).substr(bearer.size()),
                                  municipality, versions);
        return;
    }
    const std::string cookie = cookie_value(ctx.header("Cookie"), kSessionCookie);
    if (cookie.empty()) return;
    auto c = ctx.services.db->connect();
    ctx.caller = session_caller(*c, cookie, municipality, versions);
    if (!ctx.caller) {
        // Tell the browser to drop the dead cookie along with the refusal.
        throw HttpError(ErrorId::auth_bad_token, "сеанс истёк или завершён; войдите снова", Json::object(),
                        Headers{{"Set-Cookie", session_cookie("", 0, ctx.services.config.cookie_secure)}});
    }
}

}  // namespace

void authorize(const Route& route, Context& ctx) {
    if (route.roles.is_public()) return;
    // A read of a municipality's domain learns the municipality's versions in the statement that
    // finds the caller: its one round trip before the answer (KnownVersions). Not for a change,
    // whose handler must read the versions its own writes are ordered after.
    const bool reads_municipality = route.scope != Scope::none && ctx.method == "GET";
    const std::string m = route.scope == Scope::none ? std::string() : ctx.param("municipality");
    std::optional<WorkspaceFiles::Versions> versions;
    authenticate(ctx, m, reads_municipality ? &versions : nullptr);
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
    const bool whole_region = who.role == Role::region || who.role == Role::admin;
    // An account's own municipality exists (accounts are made only for existing ones and
    // municipalities are never removed): only the region's roles need to know it does — from the
    // versions when they were read, else by a lookup.
    const bool in_scope = !whole_region ? who.municipality == m
                          : reads_municipality ? versions.has_value()
                                               : ctx.services.accounts->municipality(m).has_value();
    if (!in_scope) {
        throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитет «" + m + "» не найден");
    }
    if (route.scope == Scope::school && who.role == Role::school && who.school != ctx.param("school")) {
        throw Error(ErrorId::server_not_found, "", {}, "", "школа «" + ctx.param("school") + "» не найдена");
    }
    if (versions) {
        ctx.known_versions = std::make_shared<const KnownVersions>(ctx.services.municipalities->files(), m, std::move(*versions));
    }
}

std::string visible_school(const Caller& c) { return c.role == Role::school ? c.school : std::string(); }

}  // namespace ppko::server
