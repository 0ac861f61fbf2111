// The administrator's pages: the accounts with their roles and scopes, and the audit log (who
// changed what, when, from where).
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

#include "server/services.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

// The new-account form as sent back, with the errors next to their fields.
struct NewAccount {
    std::string login, name, role = "school", municipality, school;
    std::map<std::string, std::string, std::less<>> errors;  // field → "message [id]"
    std::string error;                                       // not about one field
};

void select_field(Html& h, std::string_view name, std::string_view label,
                  const std::vector<std::pair<std::string, std::string>>& options, std::string_view value) {
    const std::string id = "f-" + std::string(name);
    h.open("div", {{"class", "field"}}).element("label", {{"for", id}}, label);
    h.open("select", {{"id", id}, {"name", name}});
    for (const auto& [v, title] : options) h.element("option", {{"value", v}, {"selected", "selected", v == value}}, title);
    h.close().close();
}

void new_account_form(Html& h, const Context& ctx, const NewAccount& f) {
    auto error = [&](std::string_view field) {
        auto it = f.errors.find(field);
        return it == f.errors.end() ? std::string() : it->second;
    };
    h.element("h2", {{"id", "new"}}, "Новая учётная запись");
    if (!f.error.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, f.error);
    open_post_form(h, ctx, "/admin/users", "stack");
    input_field(h, "login", "Имя для входа", "text", f.login, error("login"), "off");
    input_field(h, "name", "Имя (ФИО или название)", "text", f.name, error("name"), "off");
    std::vector<std::pair<std::string, std::string>> roles;
    for (Role r : server::kAllRoles) roles.emplace_back(std::string(server::role_name(r)), std::string(role_title(r)));
    select_field(h, "role", "Роль", roles, f.role);
    if (auto e = error("role"); !e.empty()) h.element("p", {{"class", "error"}}, e);
    std::vector<std::pair<std::string, std::string>> municipalities{{"", "— нет (регион, администратор)"}};
    for (const auto& m : ctx.services.accounts->municipalities()) municipalities.emplace_back(m.id, m.name);
    select_field(h, "municipality", "Муниципалитет", municipalities, f.municipality);
    if (auto e = error("municipality"); !e.empty()) h.element("p", {{"class", "error"}}, e);
    input_field(h, "school", "Код школы (для роли «школа»)", "text", f.school, error("school"), "off");
    input_field(h, "password", "Пароль", "password", "", error("password"), "new-password");
    h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Создать");
    h.close();
}

Response users_page(const Context& ctx, const NewAccount& f, int status) {
    const auto list = ctx.services.accounts->users();
    const std::string created = ctx.method == "GET" ? ctx.query_text("created") : std::string();
    return page(ctx, "Учётные записи", [&](Html& h) {
        if (!created.empty()) h.element("p", {{"class", "notice"}, {"role", "status"}}, "Учётная запись «" + created + "» создана.");
        h.element("p", count(static_cast<long long>(list.size()), "учётная запись", "учётные записи", "учётных записей") +
                           ". Создаются здесь (форма ниже), командой сервера или через его программный интерфейс.");
        h.open("table").element("caption", "Учётные записи и роли");
        h.open("thead").open("tr");
        for (auto col : {"Имя для входа", "Имя", "Роль", "Муниципалитет", "Школа", "Состояние"}) h.element("th", {{"scope", "col"}}, col);
        h.close().close().open("tbody");
        for (const auto& u : list) {
            h.open("tr").element("th", {{"scope", "row"}}, u.login).element("td", u.name).element("td", role_title(u.role));
            h.element("td", u.municipality).element("td", u.school).element("td", u.disabled ? "отключена" : "действует");
            h.close();
        }
        h.close().close();
        new_account_form(h, ctx, f);
    }, status);
}

Response users(Context& ctx) { return users_page(ctx, NewAccount{}, 200); }

Response create_user(Context& ctx) {
    const Form field(ctx.body);
    NewAccount f{field["login"], field["name"], field["role"], field["municipality"], field["school"], {}, {}};
    nlohmann::ordered_json body{{"login", f.login}, {"name", f.name}, {"role", f.role}, {"password", field["password"]}};
    if (!f.municipality.empty()) body["municipality"] = f.municipality;
    if (!f.school.empty()) body["school"] = f.school;
    try {
        call_api(ctx, "POST", "/api/users", body);
        return redirect("/admin/users?created=" + percent_encode(f.login));
    } catch (const Error& e) {
        const std::string where = error_field(e);
        if (!where.empty()) f.errors[where] = field_message(e);
        else if (error_id(e) == ErrorId::auth_weak_password) f.errors["password"] = field_message(e);
        else f.error = field_message(e);
        return users_page(ctx, f, server::http_status(error_id(e)));
    }
}

std::string json_text(const nlohmann::ordered_json& j) {
    if (j.is_null() || (j.is_object() && j.empty())) return "";
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Response audit(Context& ctx) {
    constexpr int kLimit = 100;
    const auto before = ctx.query_integer("before", 0, 0, INT64_MAX);
    const auto items = ctx.services.accounts->audit(before, kLimit);
    return page(ctx, "Журнал изменений", [&](Html& h) {
        if (items.empty()) {
            h.element("p", "Записей нет.");
            return;
        }
        h.open("table").element("caption", "Кто, когда и что изменил (новые сначала)");
        h.open("thead").open("tr");
        for (auto col : {"Когда", "Кто", "Адрес", "Действие", "Что", "Было", "Стало"}) h.element("th", {{"scope", "col"}}, col);
        h.close().close().open("tbody");
        for (const auto& a : items) {
            h.open("tr").element("td", date_time_utc(a.value("at", 0LL))).element("td", a.value("actor", ""));
            h.element("td", a.value("address", "")).element("td", a.value("action", "")).element("td", a.value("target", ""));
            h.element("td", json_text(a["before"])).element("td", json_text(a["after"]));
            h.close();
        }
        h.close().close();
        if (static_cast<int>(items.size()) == kLimit) {
            const std::string next = "/admin/audit?before=" + std::to_string(items.back().value("id", 0LL));
            h.open("p").element("a", {{"href", next}}, "Более ранние записи").close();
        }
    });
}

constexpr Roles kAdmin{Role::admin};

constexpr Route kPages[] = {
    {"GET", "/admin/users", kAdmin, Scope::none, users, "учётные записи и роли"},
    {"POST", "/admin/users", kAdmin, Scope::none, create_user, "новая учётная запись из формы"},
    {"GET", "/admin/audit", kAdmin, Scope::none, audit, "журнал изменений"},
};

}  // namespace

std::span<const server::Route> admin_pages() { return kPages; }

}  // namespace ppko::web
