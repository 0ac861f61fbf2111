// The methodology as people read it: the identification table with its version, its parameters,
// and its rules as a decision table whose conditions and reasons carry the parameters' values in
// place of their names; then the workflow (pages_workflow.cpp). /methodology shows the built-in
// one; /municipalities/{m}/methodology the municipality's, its own where it loaded one
// (workflows/<id>.json among its data files), with who changed it and when.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "io/resources.h"
#include "server/csrf.h"
#include "server/multipart.h"
#include "server/json_api.h"
#include "server/services.h"
#include "text/utf8.h"
#include "server/workspace_files.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"
#include "web/sections.h"

namespace ppko::web {
namespace {

using json = nlohmann::ordered_json;  // the file's order: parameters and rules as declared
using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

std::string value_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    std::string s = v.dump();
    for (auto& c : s) {
        if (c == '.') c = ',';  // 2.5 → 2,5
    }
    return s;
}

// "{fail_share}" and "params.fail_share" → the parameter's value; ">=" and "<=" → "≥" and "≤".
std::string with_values(std::string s, const json& params) {
    for (auto [from, to] : {std::pair{">=", "≥"}, {"<=", "≤"}}) {
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at)) s.replace(at, 2, to);
    }
    for (const auto& [name, p] : params.items()) {
        const std::string v = value_text(p.value("value", json()));
        for (const std::string& key : {"{" + name + "}", "params." + name}) {
            for (auto at = s.find(key); at != std::string::npos; at = s.find(key, at + v.size())) s.replace(at, key.size(), v);
        }
    }
    return s;
}

// A methodology file as a page shows it: its text and a sentence on where it comes from (built
// into the program, or the municipality's own with who changed it and when).
struct Shown {
    std::string text;
    std::string origin;
};

constexpr const char* kBuiltIn =
    "встроенная в программу: изменяется только с новой версией программы, поэтому в журнале изменений записей о ней нет.";

std::string declared_version(const json& doc) { return "Версия " + value_text(doc.value("version", json(0))); }

// The municipality's file `workflows/<id>.json` as its loaded data see it: its own when the
// municipality has one, the built-in one otherwise; nullopt when neither exists.
std::optional<Shown> municipality_file(Context& ctx, const server::LoadedMunicipality& l, const std::string& mid,
                                       const std::string& id) {
    const std::string name = std::string(server::kMethodologyFolder) + id + ".json";
    const auto r = l.workspace.resources.find(name);
    if (!r) return std::nullopt;
    Shown out{std::string(r->text), {}};
    const json doc = json::parse(out.text, nullptr, false);
    const auto own = ctx.services.municipalities->files().get(mid, name);
    if (!own) {
        out.origin = declared_version(doc) + " — " + kBuiltIn;
        return out;
    }
    out.origin = declared_version(doc) + " — своя методика муниципалитета (загружена вместо встроенной).";
    if (const auto change = ctx.services.municipalities->files().last_change(mid, name)) {
        out.origin += " Последнее изменение: " + date_time_utc(change->at) + ", " + actor_title(ctx, change->actor) +
                      "; все изменения — в журнале изменений.";
    }
    return out;
}

// The identification table: its parameters and its rules as a decision table.
void identification_section(Html& h, const Shown& file) {
    const json doc = json::parse(file.text, nullptr, false);
    if (!doc.is_object()) return;
    const json params = doc.value("parameters", json::object());
    std::map<std::string, std::string> categories;  // id → "title (abbr)"
    for (const auto& out : doc.value("outputs", json::array())) {
        for (const auto& v : out.value("values", json::array())) {
            categories[v.value("id", "")] = v.value("title", "") + " (" + v.value("abbr", "") + ")";
        }
    }
    h.element("h2", {{"id", "identification"}}, "Таблица идентификации");
    h.element("p", doc.value("title", "") + ". " + file.origin);
    h.element("p", with_values(doc.value("basis", ""), params));
    h.open("table").element("caption", "Параметры");
    h.open("thead").open("tr").element("th", {{"scope", "col"}}, "Параметр").element("th", {{"scope", "col"}, {"class", "num"}}, "Значение");
    h.close().close().open("tbody");
    for (const auto& [name, p] : params.items()) {
        h.open("tr").element("th", {{"scope", "row"}}, p.value("title", name));
        h.element("td", {{"class", "num"}}, value_text(p.value("value", json()))).close();
    }
    h.close().close();
    const json inputs = doc.value("inputs", json::array());
    h.open("table").element("caption", "Правила: школа получает категорию, когда выполнены все условия строки");
    h.open("thead").open("tr").element("th", {{"scope", "col"}}, "Правило");
    for (const auto& in : inputs) h.element("th", {{"scope", "col"}}, with_values(in.value("title", ""), params));
    h.element("th", {{"scope", "col"}}, "Категория").element("th", {{"scope", "col"}}, "Основание");
    h.close().close().open("tbody");
    for (const auto& rule : doc.value("rules", json::array())) {
        const json when = rule.value("when", json::object());
        const json then = rule.value("then", json::object());
        h.open("tr").element("th", {{"scope", "row"}}, rule.value("id", ""));
        for (const auto& in : inputs) {
            const std::string id = in.value("id", "");
            h.element("td", when.contains(id) ? with_values(value_text(when[id]), params) : std::string("—"));
        }
        const std::string cat = then.value("category", "");
        h.element("td", categories.count(cat) ? categories[cat] : cat);
        h.element("td", with_values(then.value("reason", ""), params));
        h.close();
    }
    h.close().close();
}

// The built-in file `workflows/<id>.json`.
Shown builtin(const char* id) {
    static const io::Resources resources;
    const auto r = resources.find(std::string(server::kMethodologyFolder) + id + ".json");
    if (!r) throw Error(ErrorId::internal, "", {}, "", "в сборке нет методики «" + std::string(id) + "»");
    const json doc = json::parse(r->text);
    return Shown{std::string(r->text), declared_version(doc) + " — " + kBuiltIn};
}

// The built-in methodology; a region's account also reads which municipalities have their own,
// and a municipality's account where its own page is.
Response methodology(Context& ctx) {
    return page(ctx, "Методика", [&](Html& h) {
        const server::Caller& who = ctx.who();
        if (!who.municipality.empty()) {
            h.open("p").text("Здесь — встроенная методика. Методика вашего муниципалитета, если у него есть своя: ");
            h.element("a", {{"href", "/municipalities/" + who.municipality + "/methodology"}}, "методика муниципалитета").text(".").close();
        } else if (who.role == Role::region) {
            const auto ids = ctx.services.municipalities->files().with_own_methodology();
            std::vector<server::Municipality> own;
            for (const auto& m : ctx.services.accounts->municipalities()) {
                if (std::binary_search(ids.begin(), ids.end(), m.id)) own.push_back(m);
            }
            if (own.empty()) {
                h.element("p", "Все муниципалитеты работают по встроенной методике.");
            } else {
                h.element("p", "Свою методику (вместо встроенной) загрузили муниципалитеты:");
                h.open("ul");
                for (const auto& m : own) {
                    h.open("li").element("a", {{"href", "/municipalities/" + m.id + "/methodology"}}, m.name).close();
                }
                h.close();
            }
        }
        identification_section(h, builtin("identification"));
        const Shown wf = builtin("ppko");
        workflow_section(h, wf.text, wf.origin);
    });
}

// The two files a municipality may have its own version of, by the form's word for them.
struct Kind {
    const char* which;  // the form's value
    const char* title;  // what the user reads
};
constexpr Kind kKinds[] = {{"identification", "Таблица идентификации"}, {"workflow", "Рабочий процесс программы"}};

// The record of `which` for the municipality's data ("workflows/identification.json"), or "" when
// its workspace.json names no such file.
std::string record_of(const data::Workspace& ws, std::string_view which) {
    const std::string& id = which == "identification" ? ws.identification : which == "workflow" ? ws.workflow : std::string();
    return id.empty() ? std::string() : std::string(server::kMethodologyFolder) + id + ".json";
}

std::string methodology_path(const std::string& mid) { return "/municipalities/" + mid + "/methodology"; }

// What a failed change sends back to the form: the messages and the file they were about.
struct ChangeForm {
    std::string which;
    std::vector<std::string> errors;
    std::string restore_error;  // the «Вернуть встроенную» form's own message
};

// «Своя методика»: the coordinator replaces the identification table or the workflow with its own
// JSON file (checked with the whole data folder first, as the API does), downloads the file now in
// force to start from, or goes back to the built-in one.
void change_section(Html& h, const Context& ctx, const std::string& mid, const server::LoadedMunicipality& l,
                    const ChangeForm& form) {
    h.element("h2", {{"id", "change"}}, "Своя методика муниципалитета");
    h.element("p", "Файл методики — JSON того же вида, что встроенный: скачайте действующий, измените и загрузите. "
                   "Перед сохранением все данные муниципалитета проверяются с новым файлом; при ошибке ничего не "
                   "меняется, а сообщения называют строку и столбец файла. Каждое изменение — в журнале изменений.");
    h.open("ul");
    for (const auto& k : kKinds) {
        if (record_of(l.workspace, k.which).empty()) continue;
        h.open("li").element("a", {{"href", methodology_path(mid) + "/file?which=" + k.which}},
                             std::string("Скачать действующий файл: ") + k.title).close();
    }
    h.close();
    if (!form.errors.empty()) {
        h.open("div", {{"class", "error-box"}, {"role", "alert"}, {"id", "change-errors"}});
        h.element("p", "Файл не сохранён:");
        h.open("ul");
        for (const auto& e : form.errors) h.element("li", e);
        h.close().close();
    }
    h.open("form", {{"method", "post"}, {"action", methodology_path(mid)}, {"enctype", "multipart/form-data"},
                    {"class", "stack"}, {"aria-labelledby", "change"}});
    h.empty("input", {{"type", "hidden"}, {"name", server::kCsrfField}, {"value", ctx.who().csrf}});
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-which"}}, "Что заменить");
    h.open("select", {{"id", "f-which"}, {"name", "which"}});
    for (const auto& k : kKinds) {
        if (record_of(l.workspace, k.which).empty()) continue;
        h.element("option", {{"value", k.which}, {"selected", "selected", form.which == k.which}}, k.title);
    }
    h.close().close();
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-method-file"}}, "Файл методики (.json)");
    h.empty("input", {{"type", "file"}, {"id", "f-method-file"}, {"name", "file"}, {"required", ""},
                      {"accept", ".json,application/json"}, {"aria-describedby", "change-errors", !form.errors.empty()}});
    h.close();
    h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Проверить и сохранить");
    h.close();
    for (const auto& k : kKinds) {
        const std::string name = record_of(l.workspace, k.which);
        if (name.empty()) continue;
        const auto own = ctx.services.municipalities->files().get(mid, name);
        if (!own) continue;
        const std::string id = std::string("restore-") + k.which;
        h.element("h3", {{"id", id}}, std::string(k.title) + ": вернуть встроенную");
        open_post_form(h, ctx, methodology_path(mid) + "/restore", "stack");
        h.empty("input", {{"type", "hidden"}, {"name", "which"}, {"value", k.which}});
        h.empty("input", {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(own->version)}});
        const bool failed = form.which == k.which && !form.restore_error.empty();
        if (failed) h.element("p", {{"class", "error-box"}, {"role", "alert"}, {"id", id + "-error"}}, form.restore_error);
        h.open("div", {{"class", "field check"}});
        h.empty("input", {{"type", "checkbox"}, {"id", id + "-confirm"}, {"name", "confirm"}, {"value", "1"}});
        h.element("label", {{"for", id + "-confirm"}},
                  "Да, удалить свою и работать по встроенной (текст своей останется в журнале изменений)");
        h.close();
        h.element("button", {{"type", "submit"}}, "Вернуть встроенную");
        h.close();
    }
}

// A municipality's methodology: the identification table and the workflow its data name, its own
// where it has loaded them, with who changed them; a coordinator can change them.
Response municipality_page(Context& ctx, const ChangeForm& form, int status) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    const auto loaded = m ? loaded_or_none(ctx, mid) : ctx.services.municipalities->load(mid);
    if (!loaded) {
        // No data files on the server yet: the built-in methodology is what will apply.
        return page(ctx, "Методика: " + m->name, [&](Html& h) {
            h.element("p", "Данных муниципалитета на сервере пока нет: когда они будут загружены, действует встроенная "
                           "методика (ниже), если в данных нет своей.");
            identification_section(h, builtin("identification"));
            const Shown wf = builtin("ppko");
            workflow_section(h, wf.text, wf.origin);
        });
    }
    const auto& ws = loaded->workspace;
    return page(ctx, "Методика: " + (m ? m->name : mid), [&](Html& h) {
        if (ctx.method == "GET" && ctx.query_text("saved") == "1") {
            h.element("p", {{"class", "notice"}, {"role", "status"}},
                      "Файл методики сохранён: страницы и документы муниципалитета уже следуют ему.");
        }
        if (ctx.method == "GET" && ctx.query_text("restored") == "1") {
            h.element("p", {{"class", "notice"}, {"role", "status"}}, "Своя методика удалена: действует встроенная.");
        }
        const auto ident = ws.identification.empty() ? std::nullopt : municipality_file(ctx, *loaded, mid, ws.identification);
        const auto wf = ws.workflow.empty() ? std::nullopt : municipality_file(ctx, *loaded, mid, ws.workflow);
        if (!ident && !wf) {
            h.element("p", "В данных муниципалитета не указаны ни таблица идентификации, ни рабочий процесс программ.");
            return;
        }
        if (ctx.who().role == Role::coordinator) {
            h.open("p").element("a", {{"href", "#change"}}, "Загрузить свою методику или вернуть встроенную").close();
        }
        if (ident) identification_section(h, *ident);
        else h.element("p", "Таблица идентификации в данных муниципалитета не указана.");
        if (wf) workflow_section(h, wf->text, wf->origin);
        if (ctx.who().role == Role::coordinator) change_section(h, ctx, mid, *loaded, form);
    }, status);
}

Response municipality_methodology(Context& ctx) { return municipality_page(ctx, ChangeForm{}, 200); }

// GET ?which=identification|workflow → the file in force (its own or the built-in), as JSON.
Response methodology_file(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto loaded = ctx.services.municipalities->load(mid);
    const std::string which = ctx.query_text("which", "identification");
    const std::string name = record_of(loaded->workspace, which);
    if (name.empty()) {
        throw Error(ErrorId::data_bad_value, "", {}, "which",
                    "файл методики «" + which + "»: ожидалось identification или workflow, указанные в данных муниципалитета");
    }
    const auto r = loaded->workspace.resources.find(name);
    if (!r) throw Error(ErrorId::server_not_found, "", {}, "", "файла методики нет");
    Response out;
    out.text = std::string(r->text);
    out.content_type = "application/json; charset=utf-8";
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name.substr(server::kMethodologyFolder.size()) + "\"");
    return out;
}

// POST (multipart): which, file → saved through the API's own handler (the same checks, audit and
// optimistic version), or the page again with the messages.
Response post_methodology(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto parts = server::parse_multipart(ctx.header("Content-Type"), ctx.body);
    const auto* which = server::find_part(parts, "which");
    const auto* file = server::find_part(parts, "file");
    ChangeForm form;
    form.which = which ? which->data : std::string();
    const auto loaded = ctx.services.municipalities->load(mid);
    const std::string name = record_of(loaded->workspace, form.which);
    if (name.empty()) {
        form.errors.push_back("не выбрано, что заменить: таблица идентификации или рабочий процесс [" +
                              std::string(error_info(ErrorId::data_bad_value).code) + "]");
    } else if (!file || file->data.empty()) {
        form.errors.push_back("не выбран файл методики (.json) [" + std::string(error_info(ErrorId::data_missing_field).code) + "]");
    } else {
        const auto own = ctx.services.municipalities->files().get(mid, name);
        try {
            call_api(ctx, "PUT", "/api/municipalities/" + mid + "/files/" + name,
                     nlohmann::ordered_json{{"content", file->data}, {"version", own ? own->version : 0}});
            return redirect(methodology_path(mid) + "?saved=1");
        } catch (const Error& e) {
            const ErrorId id = error_id(e);
            if (id == ErrorId::server_not_found || id == ErrorId::auth_forbidden) throw;
            // The file is named as the user knows it: by the name it was uploaded under.
            std::string shown = file->filename;
            if (const auto slash = shown.find_last_of("/\\"); slash != std::string::npos) shown.erase(0, slash + 1);
            if (shown.empty()) shown = "загруженный файл";
            for (Diagnostic d : e.diagnostics().items()) {
                if (d.file == name) d.file = text::utf8_prefix(shown, 120);
                form.errors.push_back(d.format());
            }
            if (form.errors.empty()) form.errors.push_back(e.what());
        }
    }
    return municipality_page(ctx, form, 422);
}

// POST which, version, confirm=1 → the own file removed (the built-in one applies again).
Response restore_methodology(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const Form field(ctx.body);
    ChangeForm form;
    form.which = field["which"];
    const auto loaded = ctx.services.municipalities->load(mid);
    const std::string name = record_of(loaded->workspace, form.which);
    if (name.empty()) throw Error(ErrorId::data_bad_value, "", {}, "which", "файл методики «" + form.which + "»: ожидалось identification или workflow");
    if (field["confirm"] != "1") {
        form.restore_error = "Отметьте «Да, удалить свою и работать по встроенной», чтобы подтвердить. [" +
                             std::string(error_info(ErrorId::data_missing_field).code) + "]";
        return municipality_page(ctx, form, 422);
    }
    try {
        call_api(ctx, "DELETE", "/api/municipalities/" + mid + "/files/" + name + "?version=" + percent_encode(field["version"]),
                 nlohmann::ordered_json::object());
    } catch (const Error& e) {
        const ErrorId id = error_id(e);
        if (id == ErrorId::server_not_found || id == ErrorId::auth_forbidden) throw;
        form.restore_error = field_message(e);
        return municipality_page(ctx, form, server::http_status(id));
    }
    return redirect(methodology_path(mid) + "?restored=1");
}

constexpr Route kPages[] = {
    {"GET", "/methodology", Roles{Role::region, Role::coordinator, Role::school, Role::expert}, Scope::none, methodology,
     "встроенная методика: таблица идентификации и рабочий процесс программы"},
    {"GET", "/municipalities/{municipality}/methodology", Roles{Role::region, Role::coordinator, Role::school},
     Scope::municipality, municipality_methodology,
     "методика муниципалитета: своя или встроенная, с версией и тем, кто её изменил"},
    {"POST", "/municipalities/{municipality}/methodology", Roles{Role::coordinator}, Scope::municipality, post_methodology,
     "загрузить свою таблицу идентификации или рабочий процесс (с проверкой всех данных)"},
    {"POST", "/municipalities/{municipality}/methodology/restore", Roles{Role::coordinator}, Scope::municipality,
     restore_methodology, "удалить свою методику: снова действует встроенная"},
    {"GET", "/municipalities/{municipality}/methodology/file", Roles{Role::region, Role::coordinator}, Scope::municipality,
     methodology_file, "действующий файл методики муниципалитета (JSON)"},
};

}  // namespace

std::span<const server::Route> methodology_pages() { return kPages; }

}  // namespace ppko::web
