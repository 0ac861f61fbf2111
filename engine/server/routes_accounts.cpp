// Routes of the administrator: accounts (list, create, change, disable, reset a password) and the
// audit log.
#include "server/routes.h"

#include "diag/diagnostic.h"
#include "server/services.h"

namespace ppko::server {
namespace {

Actor actor_of(const Context& ctx) { return Actor{ctx.who().login, ctx.address}; }

Role role_field(const Body& b, std::string_view key) {
    const std::string name = b.text(key, 20);
    auto r = parse_role(name);
    if (!r) b.fail(ErrorId::data_bad_value, key, "роль «" + name + "» не из списка: region, coordinator, school, expert, admin");
    return *r;
}

Response list_users(Context& ctx) {
    Json items = Json::array();
    for (const auto& u : ctx.services.accounts->users()) items.push_back(u.json());
    Response r;
    r.body = Json{{"items", std::move(items)}};
    return r;
}

Response create_user(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"login", "name", "role", "municipality", "school", "password"});
    NewUser u;
    u.login = b.text("login", 64);
    u.name = b.text("name", 200);
    u.role = role_field(b, "role");
    u.municipality = b.optional_text("municipality", 64).value_or("");
    u.school = b.optional_text("school", 64).value_or("");
    u.password = b.text("password", 1024);
    Response r;
    r.status = 201;
    r.body = ctx.services.accounts->create_user(u, actor_of(ctx)).json();
    return r;
}

Response get_user(Context& ctx) {
    const auto u = ctx.services.accounts->user(ctx.param("login"));
    if (!u) throw Error(ErrorId::server_not_found, "", {}, "", "учётная запись «" + ctx.param("login") + "» не найдена");
    Response r;
    r.body = u->json();
    return r;
}

Response update_user(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"version", "name", "role", "municipality", "school", "disabled"});
    const std::int64_t version = b.integer("version", 1, INT64_MAX);
    UserChanges ch;
    ch.name = b.optional_text("name", 200);
    if (b.has("role")) ch.role = role_field(b, "role");
    ch.municipality = b.optional_text("municipality", 64);
    ch.school = b.optional_text("school", 64);
    ch.disabled = b.optional_boolean("disabled");
    const std::string& login = ctx.param("login");
    if (login == ctx.who().login && ((ch.disabled && *ch.disabled) || (ch.role && *ch.role != Role::admin))) {
        b.fail(ErrorId::data_bad_value, ch.disabled ? "disabled" : "role",
               "администратор не может отключить себя или снять с себя роль admin: это сделает другой администратор");
    }
    Response r;
    r.body = ctx.services.accounts->update_user(login, ch, version, actor_of(ctx)).json();
    return r;
}

Response reset_password(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"password"});
    const std::string password = b.text("password", 1024);
    const std::string& login = ctx.param("login");
    ctx.services.accounts->set_password(login, password, actor_of(ctx));
    Response r;
    r.body = Json{{"login", login}, {"changed", true}};
    return r;
}

Response audit(Context& ctx) {
    const auto before = ctx.query_integer("before", 0, 0, INT64_MAX);
    const auto limit = ctx.query_integer("limit", 100, 1, 1000);
    Response r;
    r.body = Json{{"items", ctx.services.accounts->audit(before, static_cast<int>(limit))}};
    return r;
}

constexpr Roles kAdmin{Role::admin};

constexpr Route kRoutes[] = {
    {"GET", "/api/users", kAdmin, Scope::none, list_users, "учётные записи"},
    {"POST", "/api/users", kAdmin, Scope::none, create_user, "новая учётная запись"},
    {"GET", "/api/users/{login}", kAdmin, Scope::none, get_user, "учётная запись"},
    {"PATCH", "/api/users/{login}", kAdmin, Scope::none, update_user,
     "изменение учётной записи (имя, роль, охват, отключение) с проверкой версии"},
    {"POST", "/api/users/{login}/password", kAdmin, Scope::none, reset_password, "новый пароль учётной записи (её сеансы и токены завершаются)"},
    {"GET", "/api/audit", kAdmin, Scope::none, audit, "журнал изменений: кто, когда, что, до и после (новые сначала)"},
};

}  // namespace

std::span<const Route> account_routes() { return kRoutes; }

}  // namespace ppko::server
