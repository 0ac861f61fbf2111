// Sign in, sign out, change password, the start page of each role and the
// style sheet.
#include <vector>

#include "diag/diagnostic.h"
#include "server/services.h"
#include "web/page.h"
#include "web/pages.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Route;
using server::Roles;
using server::Scope;
using Json = nlohmann::ordered_json;

// A path of this server to return to after signing in: "/…" of the route alphabet only (no
// "//host", no scheme, nothing to escape), else the start page.
std::string safe_next(std::string_view next) {
    if (next.size() < 2 || next.size() > 300 || next[0] != '/' || next[1] == '/') return "/";
    for (char c : next) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '_')) return "/";
    }
    return std::string(next);
}

struct LoginForm {
    std::string login, next, error_login, error_password, error;
};

Response login_page(const Context& ctx, const LoginForm& f, int status) {
    Context anonymous = ctx;
    anonymous.caller.reset();
    return page(anonymous, "Вход", [&](Html& h) {
        if (!f.error.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, f.error);
        h.open("form", {{"method", "post"}, {"action", "/login"}, {"class", "stack"}});
        h.empty("input", {{"type", "hidden"}, {"name", "next"}, {"value", f.next}});
        input_field(h, "login", "Имя пользователя", "text", f.login, f.error_login, "username");
        input_field(h, "password", "Пароль", "password", "", f.error_password, "current-password");
        h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Войти");
        h.close();
    }, status);
}

Response get_login(Context& ctx) {
    LoginForm f;
    f.next = safe_next(ctx.query_text("next", "/"));
    return login_page(ctx, f, 200);
}

// Sign-in is public, so no session token guards it: a form posted from another site (which would
// sign the browser in under the attacker's account) is refused by its Origin, which browsers send
// with every POST ("null" when the sending page hides its origin; our pages send theirs:
// Referrer-Policy same-origin).
void check_same_origin(const Context& ctx) {
    const std::string origin = ctx.header("Origin");
    const std::string host = ctx.header("Host");
    if (origin.empty() || origin == "http://" + host || origin == "https://" + host) return;
    throw Error(ErrorId::auth_csrf, "", {}, "", "форма входа отправлена с другого сайта (" + origin + ")");
}

Response post_login(Context& ctx) {
    check_same_origin(ctx);
    const Form field(ctx.body);
    LoginForm f;
    f.login = field["login"];
    f.next = safe_next(field["next"]);
    try {
        Response api = call_api(ctx, "POST", "/api/login", Json{{"login", f.login}, {"password", field["password"]}});
        server::Headers cookies;
        for (auto& [k, v] : api.headers) {
            if (k == "Set-Cookie") cookies.emplace_back(k, v);
        }
        return redirect(f.next, std::move(cookies));
    } catch (const Error& e) {
        const std::string where = error_field(e);
        if (where == "login") f.error_login = field_message(e);
        else if (where == "password") f.error_password = field_message(e);
        else f.error = field_message(e);
        const ErrorId id = error_id(e);
        auto r = login_page(ctx, f, server::http_status(id));
        if (const auto* http = dynamic_cast<const server::HttpError*>(&e)) {
            for (const auto& hd : http->headers()) r.headers.push_back(hd);
        }
        return r;
    }
}

Response post_logout(Context& ctx) {
    Response api = call_api(ctx, "POST", "/api/logout", Json::object());
    return redirect("/login", std::move(api.headers));
}

struct PasswordForm {
    std::string error_old, error_new, error_repeat, error;
    bool done = false;
};

Response password_page(const Context& ctx, const PasswordForm& f, int status) {
    return page(ctx, "Смена пароля", [&](Html& h) {
        if (f.done) h.element("p", {{"class", "notice"}, {"role", "status"}}, "Пароль изменён. Другие сеансы и токены API завершены.");
        if (!f.error.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, f.error);
        open_post_form(h, ctx, "/password", "stack");
        input_field(h, "old_password", "Текущий пароль", "password", "", f.error_old, "current-password");
        input_field(h, "new_password", "Новый пароль", "password", "", f.error_new, "new-password");
        input_field(h, "repeat_password", "Новый пароль ещё раз", "password", "", f.error_repeat, "new-password");
        h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Сменить пароль");
        h.close();
    }, status);
}

Response get_password(Context& ctx) {
    PasswordForm f;
    f.done = ctx.query_text("done") == "1";
    return password_page(ctx, f, 200);
}

Response post_password(Context& ctx) {
    const Form field(ctx.body);
    PasswordForm f;
    if (field["new_password"] != field["repeat_password"]) {
        f.error_repeat = "новый пароль и его повтор не совпадают [data.bad_value]";
        return password_page(ctx, f, 400);
    }
    try {
        call_api(ctx, "POST", "/api/password",
                 Json{{"old_password", field["old_password"]}, {"new_password", field["new_password"]}});
        return redirect("/password?done=1");
    } catch (const Error& e) {
        const ErrorId id = error_id(e);
        const std::string where = error_field(e);
        if (where == "old_password") f.error_old = field_message(e);
        else if (where == "new_password" || id == ErrorId::auth_weak_password) f.error_new = field_message(e);
        else f.error = field_message(e);
        return password_page(ctx, f, server::http_status(id));
    }
}

Response start(Context& ctx) { return redirect(home_of(ctx.who())); }

Response style_sheet(Context&) { return asset("ppko.css", "text/css; charset=utf-8"); }

constexpr Route kPages[] = {
    {"GET", "/login", Roles::public_route(), Scope::none, get_login, "страница входа"},
    {"POST", "/login", Roles::public_route(), Scope::none, post_login, "вход из формы: сеанс и переход на страницу роли"},
    {"POST", "/logout", Roles::any(), Scope::none, post_logout, "выход из формы"},
    {"GET", "/password", Roles::any(), Scope::none, get_password, "страница смены пароля"},
    {"POST", "/password", Roles::any(), Scope::none, post_password, "смена пароля из формы"},
    {"GET", "/", Roles::any(), Scope::none, start, "переход на страницу роли"},
    {"GET", "/static/ppko.css", Roles::public_route(), Scope::none, style_sheet, "таблица стилей страниц"},
};

}  // namespace

std::span<const server::Route> account_pages() { return kPages; }

std::span<const server::Route> web_routes() {
    static const std::vector<server::Route> all = [] {
        std::vector<server::Route> v;
        for (auto part : {account_pages(), region_pages(), admin_pages(), domain_pages(), methodology_pages(), expert_pages(),
                          documents_pages(), import_pages(), advance_pages(), changes_pages()}) v.insert(v.end(), part.begin(), part.end());
        return v;
    }();
    return all;
}

}  // namespace ppko::web
