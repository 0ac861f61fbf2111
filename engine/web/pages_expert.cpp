// The expert's pages (server/expertise.h): «Мои программы» — the programs councils.json assigns
// to the signed-in expert — and a program's page: what the data knows as of the council's date
// (read-only) and the conclusion form, whose parts the expert writes; saving goes through the
// API's own route (same checks, audit and version), then the conclusion's DOCX is one link away.
// The region and the coordinator see the same pages read-only.
#include <map>

#include "diag/diagnostic.h"
#include "server/expertise.h"
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
using server::Json;
namespace expertise = server::expertise;

std::string program_path(std::string_view municipality, const expertise::Assignment& a) {
    return "/municipalities/" + std::string(municipality) + "/expertise/" + a.council + "/" + a.school;
}

std::string api_path(std::string_view municipality, const expertise::Assignment& a) {
    return "/api" + program_path(municipality, a);
}

void assignments_table(Html& h, const std::string& municipality, const std::vector<expertise::Assignment>& list, bool expert) {
    h.open("table").element("caption", "Программы на экспертизу");
    h.open("thead").open("tr");
    for (auto col : {"Школа", "Заседание", "Дата заседания"}) h.element("th", {{"scope", "col"}}, col);
    if (!expert) h.element("th", {{"scope", "col"}}, "Эксперт");
    h.element("th", {{"scope", "col"}}, "Заключение");
    h.close().close().open("tbody");
    for (const auto& a : list) {
        h.open("tr").open("th", {{"scope", "row"}}).element("a", {{"href", program_path(municipality, a)}}, a.school_name).close();
        h.element("td", a.council_title).element("td", short_date(a.council_date));
        if (!expert) h.element("td", a.expert);
        h.element("td", a.conclusion_version > 0 ? "написано (правка " + std::to_string(a.conclusion_version) + ")" : "не написано");
        h.close();
    }
    h.close().close();
}

Response my_programs(Context& ctx) {
    const server::Caller& who = ctx.who();
    std::vector<expertise::Assignment> list;
    bool no_data = false;
    try {
        list = expertise::assignments(*ctx.services.municipalities, who.municipality, who);
    } catch (const Error& e) {
        if (error_id(e) != ErrorId::server_not_found) throw;
        no_data = true;
    }
    return page(ctx, "Мои программы", [&](Html& h) {
        if (list.empty()) {
            h.element("p", no_data ? "Данных муниципалитета на сервере пока нет: программы на экспертизу появятся, когда "
                                     "координатор загрузит данные."
                                   : "Программ, назначенных вам для экспертизы, пока нет. Их назначает координатор "
                                     "муниципалитета: в данных заседаний совета он указывает эксперта с вашим именем «" +
                                         who.name + "» и школы.");
            return;
        }
        h.element("p", "Назначено вам для экспертизы: " + count(static_cast<long long>(list.size()), "программа", "программы", "программ") +
                           ". Откройте программу, чтобы написать заключение.");
        assignments_table(h, who.municipality, list, true);
    });
}

Response municipality_list(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto list = expertise::assignments(*ctx.services.municipalities, mid, ctx.who());
    return page(ctx, "Экспертиза программ", [&](Html& h) {
        if (list.empty()) {
            h.element("p", "Экспертов на программы пока не назначено: их назначают в данных заседаний совета "
                           "(имя эксперта и школы, программы которых он рассматривает).");
            return;
        }
        assignments_table(h, mid, list, false);
    });
}

// One <p> per line of `text` (empty lines skipped).
void paragraphs(Html& h, std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) h.element("p", text.substr(at, end - at));
        at = end + 1;
    }
}

// The form as sent back: the parts' text, errors next to their fields.
struct ConclusionForm {
    std::map<std::string, std::string, std::less<>> parts, errors;
    std::string error;  // not about one field (a stale version …)
    std::int64_t version = 0;
};

Response program_page(const Context& ctx, const expertise::Assignment& a, const ConclusionForm* sent, int status) {
    const std::string& mid = ctx.param("municipality");
    auto& svc = *ctx.services.municipalities;
    const Json program = expertise::program(svc, mid, a);
    const Json& c = program["conclusion"];
    const bool expert = ctx.who().role == Role::expert;
    const bool saved = ctx.method == "GET" && ctx.query_text("saved") == "1";
    return page(ctx, "Экспертиза: " + a.school_name, [&](Html& h) {
        if (saved) h.element("p", {{"class", "notice"}, {"role", "status"}}, "Заключение сохранено (правка " + std::to_string(c["version"].get<std::int64_t>()) + ").");
        std::string expert_name = a.expert;
        if (expert_name.empty() || expert_name.back() != '.') expert_name += '.';
        h.element("p", "К заседанию «" + a.council_title + "» " + short_date(a.council_date) + "; эксперт — " + expert_name);
        h.open("section", {{"aria-labelledby", "known"}}).element("h2", {{"id", "known"}}, "Что известно из данных на дату заседания");
        const Json& row = program["status"];
        h.open("dl", {{"class", "facts"}});
        std::string cats;
        if (row.is_object() && row.contains("categories")) {
            for (const auto& t : row["categories"]) cats += (cats.empty() ? "" : ", ") + t.get<std::string>();
        }
        h.element("dt", "Категории").element("dd", cats.empty() ? "нет" : cats);
        h.element("dt", "Этап программы")
            .element("dd", row.is_object() && row.contains("stage_title") ? row["stage_title"].get<std::string>() : "программа не открыта");
        h.close();
        const std::string text = program["explain"].is_string() ? program["explain"].get<std::string>() : std::string();
        h.open("details").element("summary", "Пояснение: почему школа в своих категориях и на своём этапе");
        paragraphs(h, text);
        h.close().close();

        h.open("section", {{"aria-labelledby", "conclusion"}}).element("h2", {{"id", "conclusion"}}, "Заключение эксперта");
        if (sent && !sent->error.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, sent->error);
        if (expert) {
            open_post_form(h, ctx, program_path(mid, a), "stack");
            h.empty("input", {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(sent ? sent->version : c["version"].get<std::int64_t>())}});
        }
        for (const auto& p : expertise::kParts) {
            const std::string id = std::string("f-") + p.key, err_id = id + "-error";
            std::string value = c[p.key].get<std::string>(), error;
            if (sent) {
                auto it = sent->parts.find(p.key);
                value = it == sent->parts.end() ? std::string() : it->second;
                auto e = sent->errors.find(p.key);
                if (e != sent->errors.end()) error = e->second;
            }
            if (!expert) {  // read-only: the part's title and its paragraphs
                h.element("h3", p.label);
                if (value.empty()) h.element("p", "не написано");
                paragraphs(h, value);
                continue;
            }
            h.open("div", {{"class", "field"}});
            h.element("label", {{"for", id}}, p.label);
            h.open("textarea", {{"id", id}, {"name", p.key}, {"rows", "4"}, {"cols", "80"},
                                {"aria-invalid", "true", !error.empty()}, {"aria-describedby", err_id, !error.empty()}})
                .text(value)
                .close();
            if (!error.empty()) h.element("p", {{"class", "error"}, {"id", err_id}}, error);
            h.close();
        }
        if (expert) {
            h.element("p", "Каждая строка — отдельный абзац заключения. Ненаписанное останется в документе отметкой "
                           "«[Заполняет эксперт: …]».");
            h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Сохранить заключение");
            h.close();
        }
        h.close();
        h.open("p").element("a", {{"href", api_path(mid, a) + "/document"}}, "Скачать экспертное заключение (DOCX)").close();
    }, status);
}

expertise::Assignment page_assignment(const Context& ctx) {
    return expertise::assignment(*ctx.services.municipalities, ctx.param("municipality"), ctx.param("council"), ctx.param("school"),
                                 ctx.who(), "");
}

Response get_program(Context& ctx) { return program_page(ctx, page_assignment(ctx), nullptr, 200); }

Response post_program(Context& ctx) {
    const auto a = page_assignment(ctx);
    const Form form(ctx.body);
    ConclusionForm f;
    Json body = Json::object();
    try {
        f.version = std::stoll(form["version"]);
    } catch (const std::exception&) {
        f.version = 0;
    }
    body["version"] = f.version;
    for (const auto& p : expertise::kParts) {
        f.parts[p.key] = form[p.key];
        body[p.key] = form[p.key];
    }
    try {
        call_api(ctx, "PUT", api_path(ctx.param("municipality"), a) + "/conclusion", body);
    } catch (const Error& e) {
        const std::string field = error_field(e);
        if (f.parts.count(field)) f.errors[field] = field_message(e);
        else f.error = field_message(e);
        return program_page(ctx, a, &f, server::http_status(error_id(e)));
    }
    return redirect(program_path(ctx.param("municipality"), a) + "?saved=1");
}

constexpr Roles kReaders{Role::region, Role::coordinator, Role::expert};

constexpr Route kPages[] = {
    {"GET", "/expert", Roles{Role::expert}, Scope::none, my_programs, "программы, назначенные эксперту"},
    {"GET", "/municipalities/{municipality}/expertise", Roles{Role::region, Role::coordinator}, Scope::municipality,
     municipality_list, "программы муниципалитета на экспертизе и их эксперты"},
    {"GET", "/municipalities/{municipality}/expertise/{council}/{school}", kReaders, Scope::municipality, get_program,
     "программа на экспертизе: данные на дату заседания и форма заключения"},
    {"POST", "/municipalities/{municipality}/expertise/{council}/{school}", Roles{Role::expert}, Scope::municipality,
     post_program, "сохранить заключение из формы"},
};

}  // namespace

std::span<const server::Route> expert_pages() { return kPages; }

}  // namespace ppko::web
