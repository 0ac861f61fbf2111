// «Изменения данных»: a municipality's data changes from the audit log — when, who, which data in
// words (the data file's schema title, the own methodology's file by what it is), made, replaced
// or removed — newest first, 50 a page. The records' texts are not shown here (the administrator's
// journal has them); a school's own facts with who recorded them are on its page.
#include <map>

#include <nlohmann/json.hpp>

#include "io/resources.h"
#include "server/services.h"
#include "server/workspace_files.h"
#include "text/utf8.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

constexpr int kPageSize = 50;

// «Показатели школ по учебным годам» for indicators.json: the schema's title, capitalised.
std::string data_title(const std::string& name, const data::Workspace* ws) {
    if (name.starts_with(server::kMethodologyFolder)) {
        const std::string id = name.substr(server::kMethodologyFolder.size(), name.size() - server::kMethodologyFolder.size() - 5);
        if (ws && id == ws->identification) return "Своя методика: таблица идентификации";
        if (ws && id == ws->workflow) return "Своя методика: рабочий процесс программы";
        return "Своя методика: другой файл";
    }
    // The schemas' titles, read once: «показатели школ по учебным годам» → «Показатели …».
    static const std::map<std::string, std::string, std::less<>> titles = [] {
        std::map<std::string, std::string, std::less<>> out;
        constexpr std::string_view folder = "schemas/", suffix = ".schema.json";
        const io::Resources resources;
        for (const auto& file : resources.list(folder)) {
            if (!file.ends_with(suffix) || file.find('/', folder.size()) != std::string::npos) continue;
            const auto doc = nlohmann::json::parse(resources.find(file)->text, nullptr, false);
            std::string title = doc.is_object() ? doc.value("title", "") : "";
            if (title.empty()) continue;
            std::size_t after_first = 0;
            text::decode(title, after_first);
            out[file.substr(folder.size(), file.size() - folder.size() - suffix.size()) + ".json"] =
                text::change_case(std::string_view(title).substr(0, after_first), true) + title.substr(after_first);
        }
        return out;
    }();
    if (const auto it = titles.find(name); it != titles.end()) return it->second;
    return "Другие данные муниципалитета";
}

std::string_view action_title(std::string_view action) {
    if (action == "file.create") return "добавлены";
    if (action == "file.update") return "изменены";
    if (action == "file.delete") return "удалены";
    return "изменены";
}

Response changes(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    const auto before = ctx.query_integer("before", 0, 0, INT64_MAX);
    const auto items = ctx.services.municipalities->files().changes(mid, before, kPageSize);
    const auto loaded = loaded_or_none(ctx, mid);
    return page(ctx, "Изменения данных: " + (m ? m->name : mid), [&](Html& h) {
        if (items.empty()) {
            h.element("p", before ? "Более ранних изменений нет."
                                  : "Изменений пока нет: данные муниципалитета загружает координатор (страница «Загрузка "
                                    "данных») или администратор сервера.");
            return;
        }
        h.element("p", "Кто и когда менял данные муниципалитета, новые изменения сначала. Что именно записано — "
                       "на страницах школ, в документах и у администратора сервера.");
        h.open("table", {{"class", "changes"}}).element("caption", "Изменения данных муниципалитета");
        h.open("thead").open("tr");
        for (auto col : {"Когда", "Кто", "Данные", "Что сделано"}) h.element("th", {{"scope", "col"}}, col);
        h.close().close().open("tbody");
        for (const auto& c : items) {
            h.open("tr").element("td", date_time_utc(c.at)).element("td", actor_title(ctx, c.actor));
            h.element("th", {{"scope", "row"}}, data_title(c.name, loaded ? &loaded->workspace : nullptr));
            h.element("td", action_title(c.action)).close();
        }
        h.close().close();
        if (static_cast<int>(items.size()) == kPageSize) {
            h.open("p").element("a", {{"href", "/municipalities/" + mid + "/changes?before=" + std::to_string(items.back().id)}},
                                "Более ранние изменения").close();
        }
    });
}

constexpr Route kPages[] = {
    {"GET", "/municipalities/{municipality}/changes", Roles{Role::region, Role::coordinator}, Scope::municipality, changes,
     "изменения данных муниципалитета: кто, когда, какие данные"},
};

}  // namespace

std::span<const server::Route> changes_pages() { return kPages; }

}  // namespace ppko::web
