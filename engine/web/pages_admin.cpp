// The administrator's pages: the accounts with their roles and scopes, and the audit log (who
// changed what, when, from where).
#include <nlohmann/json.hpp>

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

Response users(Context& ctx) {
    const auto list = ctx.services.accounts->users();
    return page(ctx, "Учётные записи", [&](Html& h) {
        h.element("p", count(static_cast<long long>(list.size()), "учётная запись", "учётные записи", "учётных записей") +
                           ". Новые создаются командой ppko user add или через API (POST /api/users).");
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
    });
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
    {"GET", "/admin/audit", kAdmin, Scope::none, audit, "журнал изменений"},
};

}  // namespace

std::span<const server::Route> admin_pages() { return kPages; }

}  // namespace ppko::web
