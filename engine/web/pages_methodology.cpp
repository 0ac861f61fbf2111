// The methodology as people read it: the built-in identification table (workflows/
// identification.json) with its version, its parameters, and its rules as a decision table whose
// conditions and reasons carry the parameters' values in place of their names.
#include <map>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "io/resources.h"
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

// Who changed the built-in files: the server cannot change them (data files are flat and hold no
// workflows/), so the audit log never names them; a new version comes with a new ppko.
constexpr const char* kBuiltInChanges =
    "Изменяется только с новой версией программы: сервер методику не меняет, поэтому в журнале изменений "
    "записей о ней нет.";

Response methodology(Context& ctx) {
    static const io::Resources resources;
    const auto r = resources.find("workflows/identification.json");
    if (!r) throw Error(ErrorId::internal, "", {}, "", "в сборке нет методики идентификации");
    const json doc = json::parse(r->text);
    const json params = doc.value("parameters", json::object());
    std::map<std::string, std::string> categories;  // id → "title (abbr)"
    for (const auto& out : doc.value("outputs", json::array())) {
        for (const auto& v : out.value("values", json::array())) {
            categories[v.value("id", "")] = v.value("title", "") + " (" + v.value("abbr", "") + ")";
        }
    }
    return page(ctx, "Методика идентификации", [&](Html& h) {
        h.element("p", doc.value("title", "") + ". Версия " + value_text(doc.value("version", json(0))) +
                           " — встроенная в программу. " + kBuiltInChanges);
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
        workflow_section(h, "ppko", kBuiltInChanges);
    });
}

constexpr Route kPages[] = {
    {"GET", "/methodology", Roles{Role::region, Role::coordinator, Role::school, Role::expert}, Scope::none, methodology,
     "методика идентификации: параметры и правила таблицей"},
};

}  // namespace

std::span<const server::Route> methodology_pages() { return kPages; }

}  // namespace ppko::web
