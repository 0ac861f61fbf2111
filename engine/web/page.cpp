#include "web/page.h"

#include "diag/diagnostic.h"
#include "server/csrf.h"
#include "server/routes.h"
#include "server/services.h"
#include "web/assets.h"

namespace ppko::web {

using server::Caller;
using server::Role;

void add_security_headers(server::Headers& h) {
    h.emplace_back("Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                   "frame-ancestors 'none'; base-uri 'none'");
    h.emplace_back("X-Frame-Options", "DENY");
    h.emplace_back("Referrer-Policy", "same-origin");
    h.emplace_back("X-Content-Type-Options", "nosniff");
}

std::string_view role_title(Role r) {
    switch (r) {
        case Role::region: return "региональный оператор";
        case Role::coordinator: return "координатор муниципалитета (МОЦ)";
        case Role::school: return "школа";
        case Role::expert: return "эксперт";
        case Role::admin: return "администратор";
    }
    return "";
}

std::string home_of(const Caller& c) {
    switch (c.role) {
        case Role::region: return "/region";
        case Role::coordinator: return "/municipalities/" + c.municipality;
        case Role::school: return "/municipalities/" + c.municipality + "/schools/" + c.school;
        case Role::expert: return "/expert";
        case Role::admin: return "/admin/users";
    }
    return "/";
}

namespace {

struct NavItem {
    std::string href;
    std::string_view label;
};

std::vector<NavItem> navigation(const Caller& c) {
    const std::string m = "/municipalities/" + c.municipality;
    switch (c.role) {
        case Role::region: return {{"/region", "Регион"}, {"/methodology", "Методика"}};
        case Role::coordinator:
            return {{m, "Муниципалитет"}, {m + "/history", "Журнал событий"}, {m + "/changes", "Изменения данных"}, {m + "/documents", "Документы"}, {m + "/import", "Загрузка данных"},
                    {m + "/advance", "Продвижение"}, {m + "/expertise", "Экспертиза"}, {m + "/methodology", "Методика"}};
        case Role::school: return {{home_of(c), "Моя школа"}, {m + "/documents", "Документы"}, {m + "/methodology", "Методика"}};
        case Role::expert: return {{"/expert", "Мои программы"}, {"/methodology", "Методика"}};
        case Role::admin: return {{"/admin/users", "Учётные записи"}, {"/admin/audit", "Журнал изменений"}};
    }
    return {};
}

void header(Html& h, const Context& ctx) {
    h.open("header", {{"class", "top"}});
    h.element("a", {{"class", "brand"}, {"href", "/"}}, "ППКО");
    if (ctx.caller) {
        const Caller& who = *ctx.caller;
        h.open("nav", {{"aria-label", "Разделы"}}).open("ul");
        for (const auto& item : navigation(who)) {
            h.open("li").element("a", {{"href", item.href}, {"aria-current", "page", item.href == ctx.path}}, item.label).close();
        }
        h.close().close();
        h.open("div", {{"class", "who"}});
        h.open("span").text(who.name.empty() ? who.login : who.name).text(" — ").text(role_title(who.role)).close();
        h.element("a", {{"href", "/password"}}, "Сменить пароль");
        open_post_form(h, ctx, "/logout");
        h.element("button", {{"type", "submit"}}, "Выйти");
        h.close();
        h.close();
    }
    h.close();
}

}  // namespace

Response page(const Context& ctx, std::string_view title, const std::function<void(Html&)>& content, int status) {
    Html h;
    h.doctype();
    h.open("html", {{"lang", "ru"}}).open("head");
    h.empty("meta", {{"charset", "utf-8"}});
    h.empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
    h.open("title").text(title).text(" — ППКО").close();
    h.empty("link", {{"rel", "stylesheet"}, {"href", "/static/ppko.css"}});
    h.close().open("body");
    h.element("a", {{"class", "skip"}, {"href", "#main"}}, "К содержанию");
    header(h, ctx);
    h.open("main", {{"id", "main"}});
    h.element("h1", title);
    content(h);
    h.close().close().close();
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.text = h.take();
    add_security_headers(r.headers);
    return r;
}

Response asset(std::string_view name, std::string_view content_type) {
    const Asset* a = find_asset(name);
    if (!a) throw Error(ErrorId::internal, "", {}, "", "в сборке нет файла " + std::string(name));
    Response r;
    r.content_type = std::string(content_type);
    r.text = std::string(a->bytes);
    add_security_headers(r.headers);
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return r;
}

Response redirect(std::string location, server::Headers extra) {
    Response r;
    r.status = 303;
    r.content_type = "text/html; charset=utf-8";
    r.headers = std::move(extra);
    r.headers.emplace_back("Location", std::move(location));
    add_security_headers(r.headers);
    return r;
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

ErrorId error_id(const Error& e) {
    const auto& items = e.diagnostics().items();
    return items.empty() ? ErrorId::internal : items.front().id;
}

std::shared_ptr<const server::LoadedMunicipality> loaded_or_none(const Context& ctx, const std::string& municipality) {
    try {
        return ctx.services.municipalities->load(municipality);
    } catch (const Error& e) {
        if (error_id(e) != ErrorId::server_not_found) throw;
    }
    return nullptr;
}

std::string actor_title(const Context& ctx, const std::string& actor) {
    if (actor.starts_with("cli:")) return "администратор сервера (с командной строки)";
    const auto u = ctx.services.accounts->user(actor);
    return u && !u->name.empty() ? u->name + " (" + actor + ")" : actor;
}

std::string field_message(const Error& e) {
    const auto& items = e.diagnostics().items();
    if (items.empty()) return e.what();
    const auto& d = items.front();
    return d.message + " [" + std::string(error_info(d.id).code) + "]";
}

std::string error_field(const Error& e) {
    const auto& items = e.diagnostics().items();
    if (items.empty()) return "";
    const std::string& p = items.front().json_path;
    return p.rfind("$.", 0) == 0 ? p.substr(2) : std::string();
}

Response error_page(const Error& e, const Context& ctx) {
    const ErrorId id = error_id(e);
    if (id == ErrorId::auth_required || id == ErrorId::auth_bad_token) {
        server::Headers extra;
        if (const auto* http = dynamic_cast<const server::HttpError*>(&e)) extra = http->headers();  // the dead cookie's removal
        std::string next;
        // A matched route's path holds only its literal segments and code-alphabet parameters:
        // nothing to percent-encode.
        if (ctx.method == "GET" && !ctx.path.empty() && ctx.path != "/") next = "?next=" + ctx.path;
        return redirect("/login" + next, std::move(extra));
    }
    const int status = server::http_status(id);
    auto r = page(ctx, status == 404 ? "Страница не найдена" : status == 403 ? "Нет доступа" : "Ошибка",
                  [&](Html& h) {
                      h.element("p", {{"class", "error-box"}, {"role", "alert"}}, field_message(e));
                      h.open("p").element("a", {{"href", "/"}}, "На главную").close();
                  },
                  status);
    if (const auto* http = dynamic_cast<const server::HttpError*>(&e)) {
        for (const auto& hd : http->headers()) r.headers.push_back(hd);
    }
    return r;
}

void open_post_form(Html& h, const Context& ctx, std::string_view action, std::string_view css_class) {
    h.open("form", {{"method", "post"}, {"action", action}, {"class", css_class, !css_class.empty()}});
    h.empty("input", {{"type", "hidden"}, {"name", server::kCsrfField}, {"value", ctx.caller ? ctx.caller->csrf : ""}});
}

Response call_api(const Context& ctx, std::string_view method, std::string_view path, const nlohmann::ordered_json& body) {
    static const server::Router router(server::routes());
    std::string raw_path;
    std::map<std::string, std::string, std::less<>> query;
    server::parse_target(path, raw_path, query);  // "…?version=3" as a request would carry it
    server::Match m = router.match(method, raw_path);
    Context sub{ctx.services,
                std::string(method),
                raw_path,
                ctx.address,
                std::move(m.params),
                std::move(query),
                body.dump(),
                [&ctx](std::string_view name) -> std::string {
                    if (name == server::kCsrfHeader) return ctx.caller ? ctx.caller->csrf : std::string();
                    return ctx.header(name);
                },
                std::nullopt,
                {},
                {}};
    server::authorize(*m.route, sub);
    return m.route->handler(sub);
}

void input_field(Html& h, std::string_view name, std::string_view label, std::string_view type,
                 std::string_view value, std::string_view error, std::string_view autocomplete) {
    const std::string id = "f-" + std::string(name);
    const std::string err_id = id + "-error";
    h.open("div", {{"class", "field"}});
    h.element("label", {{"for", id}}, label);
    h.empty("input", {{"type", type},
                      {"id", id},
                      {"name", name},
                      {"value", value, type != "password"},
                      {"autocomplete", autocomplete, !autocomplete.empty()},
                      {"aria-invalid", "true", !error.empty()},
                      {"aria-describedby", err_id, !error.empty()}});
    if (!error.empty()) h.element("p", {{"class", "error"}, {"id", err_id}}, error);
    h.close();
}

}  // namespace ppko::web
