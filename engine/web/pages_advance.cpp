// Advancing a municipality's programs from the browser (the coordinator's step between recording
// facts and making the documents): a date, a confirmation — the events written to the store's
// journal cannot be undone — and the API's own route (POST /api/municipalities/{m}/advance,
// same checks, lock and messages as `ppko advance`); the answer lists the events written.
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

std::string advance_path(std::string_view m) { return "/municipalities/" + std::string(m) + "/advance"; }

void advance_form(Html& h, const Context& ctx, std::string_view date, std::string_view date_error, std::string_view confirm_error) {
    h.element("p", "Программы школ переходят к следующим этапам по фактам, известным к выбранной дате; переходы "
                   "записываются в журнал событий. Записанные события отменить нельзя: проверьте факты до продвижения.");
    open_post_form(h, ctx, advance_path(ctx.param("municipality")), "stack");
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-date"}}, "Продвинуть по дату");
    h.empty("input", {{"type", "date"}, {"id", "f-date"}, {"name", "date"}, {"value", date}, {"required", ""},
                      {"aria-invalid", "true", !date_error.empty()}, {"aria-describedby", "f-date-error", !date_error.empty()}});
    if (!date_error.empty()) h.element("p", {{"class", "error"}, {"id", "f-date-error"}}, date_error);
    h.close();
    h.open("div", {{"class", "field check"}});
    h.empty("input", {{"type", "checkbox"}, {"id", "f-confirm"}, {"name", "confirm"}, {"value", "1"},
                      {"aria-invalid", "true", !confirm_error.empty()}, {"aria-describedby", "f-confirm-error", !confirm_error.empty()}});
    h.element("label", {{"for", "f-confirm"}}, "Понимаю, что записанные события нельзя отменить");
    h.close();
    if (!confirm_error.empty()) h.element("p", {{"class", "error"}, {"id", "f-confirm-error"}}, confirm_error);
    h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Продвинуть программы");
    h.close();
}

Response get_advance(Context& ctx) {
    return page(ctx, "Продвижение программ", [&](Html& h) { advance_form(h, ctx, "", "", ""); });
}

Response post_advance(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const Form form(ctx.body);
    const std::string date = form["date"];
    if (form["confirm"] != "1") {
        return page(ctx, "Продвижение программ", [&](Html& h) {
            advance_form(h, ctx, date, "", "отметьте, что понимаете: события нельзя отменить");
        }, 422);
    }
    server::Json result;
    try {
        result = call_api(ctx, "POST", "/api/municipalities/" + mid + "/advance", {{"date", date}}).body;
    } catch (const Error& e) {
        if (error_field(e) != "date") throw;
        return page(ctx, "Продвижение программ", [&](Html& h) { advance_form(h, ctx, date, field_message(e), ""); }, 422);
    }
    return page(ctx, "Продвижение программ", [&](Html& h) {
        const auto& events = result["events"];
        h.open("p", {{"class", "notice"}, {"role", "status"}});
        h.text("Программы продвинуты по " + short_date(result["date"].get<std::string>()) + ": записано " +
               count(static_cast<long long>(events.size()), "событие", "события", "событий") + ".");
        h.close();
        if (!events.empty()) {
            h.open("table").open("thead").open("tr");
            h.element("th", {{"scope", "col"}}, "Дата").element("th", {{"scope", "col"}}, "Школа").element("th", {{"scope", "col"}}, "Событие");
            h.close().close().open("tbody");
            for (const auto& e : events) {
                h.open("tr");
                h.element("td", short_date(e.value("date", "")));
                h.open("td").element("a", {{"href", "/municipalities/" + mid + "/schools/" + e.value("school", "")}}, e.value("school", "")).close();
                h.element("td", e.value("note", ""));
                h.close();
            }
            h.close().close();
        }
        h.open("p").element("a", {{"href", "/municipalities/" + mid + "/history"}}, "Журнал событий").close();
    });
}

constexpr Roles kEditors{Role::coordinator};

constexpr Route kPages[] = {
    {"GET", "/municipalities/{municipality}/advance", kEditors, Scope::municipality, get_advance, "продвижение программ: дата и подтверждение"},
    {"POST", "/municipalities/{municipality}/advance", kEditors, Scope::municipality, post_advance,
     "продвижение программ из формы (через API)"},
};

}  // namespace

std::span<const server::Route> advance_pages() { return kPages; }

}  // namespace ppko::web
