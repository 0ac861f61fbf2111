// The methodology as people read it: the identification table with its version, its parameters,
// and its rules as a decision table whose conditions and reasons carry the parameters' values in
// place of their names; then the workflow (pages_workflow.cpp). /methodology shows the built-in
// one; /municipalities/{m}/methodology the municipality's, its own where it loaded one
// (workflows/<id>.json among its data files), with who changed it and when.
#include <map>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "io/resources.h"
#include "server/services.h"
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

// Who made a change, in words: the account's name and login, or the server's command line.
std::string actor_words(Context& ctx, const std::string& actor) {
    if (actor.starts_with("cli:")) return "администратор сервера с командной строки (" + actor.substr(4) + ")";
    const auto u = ctx.services.accounts->user(actor);
    return u && !u->name.empty() ? u->name + " (" + actor + ")" : actor;
}

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
        out.origin += " Последнее изменение: " + date_time_utc(change->at) + ", " + actor_words(ctx, change->actor) +
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
            std::vector<server::Municipality> own;
            for (const auto& m : ctx.services.accounts->municipalities()) {
                for (const auto& f : ctx.services.municipalities->files().list(m.id)) {
                    if (f.name.starts_with(server::kMethodologyFolder)) {
                        own.push_back(m);
                        break;
                    }
                }
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

// A municipality's methodology: the identification table and the workflow its data name, its own
// where it has loaded them, with who changed them.
Response municipality_methodology(Context& ctx) {
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
        const auto ident = ws.identification.empty() ? std::nullopt : municipality_file(ctx, *loaded, mid, ws.identification);
        const auto wf = ws.workflow.empty() ? std::nullopt : municipality_file(ctx, *loaded, mid, ws.workflow);
        if (!ident && !wf) {
            h.element("p", "В данных муниципалитета не указаны ни таблица идентификации, ни рабочий процесс программ.");
            return;
        }
        if (ident) identification_section(h, *ident);
        else h.element("p", "Таблица идентификации в данных муниципалитета не указана.");
        if (wf) workflow_section(h, wf->text, wf->origin);
    });
}

constexpr Route kPages[] = {
    {"GET", "/methodology", Roles{Role::region, Role::coordinator, Role::school, Role::expert}, Scope::none, methodology,
     "встроенная методика: таблица идентификации и рабочий процесс программы"},
    {"GET", "/municipalities/{municipality}/methodology", Roles{Role::region, Role::coordinator, Role::school},
     Scope::municipality, municipality_methodology,
     "методика муниципалитета: своя или встроенная, с версией и тем, кто её изменил"},
};

}  // namespace

std::span<const server::Route> methodology_pages() { return kPages; }

}  // namespace ppko::web
