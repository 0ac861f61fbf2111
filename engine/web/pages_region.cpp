// The region's pages: the region (its municipalities with schools by category, programs by stage
// and overdue tasks), a municipality (its schools' programs with names, tasks, filters, sorting,
// pages and the year's undecided schools), a school (its program, indicators over the years, the
// time line of its events with their facts) and a municipality's event log. Data from each
// municipality's store; names, categories, tasks and indicators from the municipality service
// (web/sections.h). The region page also starts the region's annual package (pages_documents.cpp).
#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "server/municipality_service.h"
#include "server/services.h"
#include "store/store.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"
#include "web/sections.h"
#include "web/vocabulary.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

constexpr long long kPageSize = 50;

std::string_view status_title(std::string_view s) {
    if (s == "active") return "идёт";
    if (s == "completed") return "завершена";
    if (s == "continued") return "продолжена";
    return s;
}

std::string_view event_title(std::string_view kind) {
    if (kind == "created") return "программа начата";
    if (kind == "transition") return "переход к следующему этапу";
    if (kind == "outcome") return "итог программы";
    return kind;
}

std::string municipality_path(std::string_view m) { return "/municipalities/" + std::string(m); }
std::string school_path(std::string_view m, std::string_view s) { return municipality_path(m) + "/schools/" + std::string(s); }

// "Страницы: 1 2 3" for `pages` pages of `base` (a path with its query so far, ending in ? or &).
void pager(Html& h, const std::string& base, long long current, long long pages) {
    if (pages <= 1) return;
    h.open("nav", {{"class", "pages"}, {"aria-label", "Страницы"}}).open("ul");
    for (long long p = 1; p <= pages; ++p) {
        if (pages > 15 && p > 3 && p < pages - 2 && std::llabs(p - current) > 2) {
            if (p == 4 || p == pages - 3) h.element("li", "…");
            continue;
        }
        const std::string n = std::to_string(p);
        h.open("li").element("a", {{"href", base + "page=" + n}, {"aria-current", "page", p == current}}, n).close();
    }
    h.close().close();
}

Response region(Context& ctx) {
    const auto municipalities = ctx.services.accounts->municipalities();
    struct Row {
        std::string id, name;
        long long total = 0;
        std::map<std::string, long long> by_stage;  // stage title → programs
        RegionRow data;                             // schools, categories, overdue tasks
    };
    std::vector<Row> rows;
    std::set<std::string> stages, categories;
    long long total = 0, schools = 0, overdue = 0;
    bool any_data = false;
    for (const auto& m : municipalities) {
        Row row{m.id, m.name, 0, {}, {}};
        // One grouped COUNT per municipality: the page stays fast at 40,000 programs.
        const auto store = ctx.services.db->store(m.id);
        const Words words = words_of(*ctx.services.municipalities, m.id);
        for (const auto& c : store->stage_counts()) {
            const std::string t = words.stage(c.workflow, 0, c.stage);
            row.by_stage[t] += c.programs;
            stages.insert(t);
            row.total += c.programs;
        }
        row.data = region_row(*ctx.services.municipalities, *store, m.id);
        for (const auto& [c, n] : row.data.categories) categories.insert(c);
        any_data = any_data || row.data.known;
        total += row.total;
        schools += row.data.schools;
        overdue += row.data.overdue_tasks;
        rows.push_back(std::move(row));
    }
    const auto reg = ctx.services.accounts->region();
    return page(ctx, reg.name.empty() ? std::string("Регион") : reg.name, [&](Html& h) {
        std::string summary = count(static_cast<long long>(rows.size()), "муниципалитет", "муниципалитета", "муниципалитетов") + ", ";
        if (any_data) summary += count(schools, "школа", "школы", "школ") + ", ";
        summary += count(total, "программа школы", "программы школ", "программ школ");
        if (any_data) summary += ", " + count(overdue, "просроченная задача", "просроченные задачи", "просроченных задач");
        h.element("p", summary + ".");
        if (rows.empty()) {
            h.element("p", "В регионе пока нет муниципалитетов: их добавляет администратор сервера.");
            return;
        }
        h.open("table", {{"class", "region"}}).element("caption", "Школы по категориям и программы по этапам");
        h.open("thead").open("tr").element("th", {{"scope", "col"}}, "Муниципалитет");
        if (any_data) {
            h.element("th", {{"scope", "col"}, {"class", "num"}}, "Школ");
            h.element("th", {{"scope", "col"}}, "Учебный год");
            for (const auto& c : categories) h.element("th", {{"scope", "col"}, {"class", "num"}}, c);
        }
        h.element("th", {{"scope", "col"}, {"class", "num"}}, "Программ");
        for (const auto& st : stages) h.element("th", {{"scope", "col"}, {"class", "num"}}, st);
        if (any_data) h.element("th", {{"scope", "col"}, {"class", "num"}}, "Просрочено задач (школ)");
        h.close().close().open("tbody");
        for (const auto& r : rows) {
            h.open("tr").open("th", {{"scope", "row"}}).element("a", {{"href", municipality_path(r.id)}}, r.name);
            if (!r.data.problem.empty()) h.element("span", {{"class", "code error"}}, "данные не загружаются: " + r.data.problem);
            h.close();
            if (any_data) {
                h.element("td", {{"class", "num"}}, r.data.known ? group_digits(r.data.schools) : std::string("нет данных"));
                h.element("td", r.data.year);
                for (const auto& c : categories) {
                    auto it = r.data.categories.find(c);
                    h.element("td", {{"class", "num"}}, r.data.known ? group_digits(it == r.data.categories.end() ? 0 : it->second) : "—");
                }
            }
            h.element("td", {{"class", "num"}}, group_digits(r.total));
            for (const auto& st : stages) {
                auto it = r.by_stage.find(st);
                h.element("td", {{"class", "num"}}, group_digits(it == r.by_stage.end() ? 0 : it->second));
            }
            if (any_data) {
                h.element("td", {{"class", "num"}},
                          r.data.known ? group_digits(r.data.overdue_tasks) + " (" + group_digits(r.data.overdue_schools) + ")" : "—");
            }
            h.close();
        }
        h.close().close();
        region_batch_form(h, ctx);
    });
}

Response municipality(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    const std::string stage = ctx.query_text("stage");
    const std::string query = ctx.query_text("q");
    const std::string sort = ctx.query_text("sort", "school");
    std::string year = ctx.query_text("year"), date = ctx.query_text("date"), year_error, date_error;
    MunicipalityView view;
    try {
        view = municipality_view(*ctx.services.municipalities, mid, year, date);
    } catch (const Error& e) {
        (error_field(e) == "date" ? date_error : year_error) = field_message(e);
        (error_field(e) == "date" ? date : year).clear();
        view = municipality_view(*ctx.services.municipalities, mid, year, date);
    }
    auto name_of = [&](const std::string& school) {
        auto it = view.names.find(school);
        return it == view.names.end() ? std::string() : it->second;
    };
    auto all = ctx.services.db->store(mid)->programs();
    std::set<std::pair<std::string, std::string>> stage_options;  // (id, title)
    const Words words = words_of(*ctx.services.municipalities, mid);
    for (const auto& p : all) stage_options.emplace(p.stage, words.stage(p.workflow, p.workflow_version, p.stage));
    std::vector<const store::ProgramState*> shown;
    for (const auto& p : all) {
        if (!stage.empty() && p.stage != stage) continue;
        if (!query.empty() && p.school.find(query) == std::string::npos && name_of(p.school).find(query) == std::string::npos) continue;
        shown.push_back(&p);
    }
    auto key = [&](const store::ProgramState* p) {
        if (sort == "stage") return std::tie(p->stage, p->school);
        if (sort == "started") return std::tie(p->started_on, p->school);
        return std::tie(p->school, p->school);
    };
    std::stable_sort(shown.begin(), shown.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
    const long long pages = std::max<long long>(1, (static_cast<long long>(shown.size()) + kPageSize - 1) / kPageSize);
    const long long current = ctx.query_integer("page", 1, 1, pages);
    const int status = year_error.empty() && date_error.empty() ? 200 : 400;
    return page(ctx, m ? m->name : mid, [&](Html& h) {
        h.open("form", {{"method", "get"}, {"action", municipality_path(mid)}, {"class", "filters"}});
        h.open("div", {{"class", "field"}}).element("label", {{"for", "f-stage"}}, "Этап");
        h.open("select", {{"id", "f-stage"}, {"name", "stage"}});
        h.element("option", {{"value", ""}, {"selected", "selected", stage.empty()}}, "все этапы");
        for (const auto& [id, title] : stage_options) h.element("option", {{"value", id}, {"selected", "selected", id == stage}}, title);
        h.close().close();
        if (view.known) {
            h.open("div", {{"class", "field"}}).element("label", {{"for", "f-year"}}, "Учебный год");
            h.open("select", {{"id", "f-year"}, {"name", "year"}, {"aria-invalid", "true", !year_error.empty()},
                              {"aria-describedby", "f-year-error", !year_error.empty()}});
            for (const auto& y : view.years) h.element("option", {{"value", y}, {"selected", "selected", y == view.year}}, y);
            h.close();
            if (!year_error.empty()) h.element("p", {{"class", "error"}, {"id", "f-year-error"}}, year_error);
            h.close();
            input_field(h, "date", "Задачи на дату", "date", date.empty() ? view.date : date, date_error, "off");
        }
        h.open("div", {{"class", "field"}}).element("label", {{"for", "f-q"}}, "Школа (код или название) содержит");
        h.empty("input", {{"type", "search"}, {"id", "f-q"}, {"name", "q"}, {"value", query}}).close();
        h.open("div", {{"class", "field"}}).element("label", {{"for", "f-sort"}}, "Порядок");
        h.open("select", {{"id", "f-sort"}, {"name", "sort"}});
        for (auto [id, title] : {std::pair{"school", "по коду школы"}, {"stage", "по этапу"}, {"started", "по дате начала"}}) {
            h.element("option", {{"value", id}, {"selected", "selected", sort == id}}, title);
        }
        h.close().close();
        h.element("button", {{"type", "submit"}}, "Показать");
        h.close();
        if (!view.problem.empty()) {
            h.element("p", {{"class", "error-box"}, {"role", "alert"}}, "Данные муниципалитета не загружаются: " + view.problem);
        }
        h.element("p", {{"role", "status"}}, "Найдено: " + count(static_cast<long long>(shown.size()), "программа", "программы", "программ") + ".");
        if (shown.empty()) {
            h.element("p", all.empty() ? "У школ муниципалитета пока нет программ: они появятся после идентификации и "
                                         "первого продвижения (страница «Продвижение»)."
                                       : "Ни одна программа не подходит под условия: измените этап или код школы.");
            undecided_section(h, view);
            return;
        }
        h.open("table").element("caption", "Программы школ");
        h.open("thead").open("tr");
        for (auto col : {"Школа", "Этап", "Состояние", "Начата", "Учебный год"}) h.element("th", {{"scope", "col"}}, col);
        if (view.known) {
            h.element("th", {{"scope", "col"}}, "Просрочено на " + short_date(view.date));
            h.element("th", {{"scope", "col"}}, "Следующий срок");
            h.element("th", {{"scope", "col"}},
                      view.partnership_date.empty() ? std::string("Партнёр") : "Партнёр (решение от " + short_date(view.partnership_date) + ")");
        }
        h.close().close().open("tbody");
        const auto from = static_cast<std::size_t>((current - 1) * kPageSize);
        for (std::size_t i = from; i < shown.size() && i < from + kPageSize; ++i) {
            const auto& p = *shown[i];
            const std::string name = name_of(p.school);
            h.open("tr").open("th", {{"scope", "row"}}).element("a", {{"href", school_path(mid, p.school)}}, name.empty() ? p.school : name);
            if (!name.empty()) h.element("span", {{"class", "code"}}, p.school);
            h.close();
            h.element("td", words.stage(p.workflow, p.workflow_version, p.stage));
            h.element("td", status_title(p.status));
            h.element("td", short_date(p.started_on));
            h.element("td", p.academic_year);
            if (view.known) {
                auto t = view.tasks.find(p.school);
                if (t == view.tasks.end() || t->second.overdue.empty()) {
                    h.element("td", {{"class", "muted"}}, "нет");
                } else {
                    h.open("td", {{"class", "overdue"}}).open("ul");
                    for (const auto& o : t->second.overdue) h.element("li", o);
                    h.close().close();
                }
                h.element("td", t == view.tasks.end() || t->second.next.empty() ? std::string("—") : t->second.next);
                const auto pp = view.partners.find(p.school);
                std::string partners;
                if (pp != view.partners.end()) {
                    for (const auto& x : pp->second) partners += (partners.empty() ? "" : "; ") + x.name;
                }
                h.element("td", partners.empty() ? std::string("—") : partners);
            }
            h.close();
        }
        h.close().close();
        std::string base = municipality_path(mid) + "?";
        for (auto [k, v] : {std::pair<const char*, const std::string*>{"stage", &stage}, {"q", &query}, {"sort", &sort},
                            {"year", &year}, {"date", &date}}) {
            if (v->empty()) continue;
            base += std::string(k) + "=" + percent_encode(*v) + "&";
        }
        pager(h, base, current, pages);
        undecided_section(h, view);
    }, status);
}

void facts_list(Html& h, const Words& words, std::string_view workflow, int version, std::string_view facts_json) {
    const auto facts = nlohmann::json::parse(facts_json, nullptr, false);
    if (!facts.is_object() || facts.empty()) return;
    h.open("dl", {{"class", "facts"}});
    for (const auto& [k, v] : facts.items()) {
        h.element("dt", words.fact(workflow, version, k));
        h.element("dd", v.is_boolean() ? (v.get<bool>() ? "да" : "нет") : v.is_string() ? v.get<std::string>() : v.dump());
    }
    h.close();
}

// The service's word on one school (its name, categories and the identification's explanation),
// or empty when the municipality has no data files on the server yet.
struct SchoolData {
    std::string name, explanation;
    std::vector<std::string> categories;
    bool known = false;
    std::string problem;  // the service's error (its data does not load), shown on the page
    std::shared_ptr<const server::LoadedMunicipality> loaded;  // the municipality's data (when known)
    Words words;                  // of the municipality's methodology (the built-in one's when it does not load)
    std::int64_t facts_version = 0;  // facts.json's version (0: not yet made)
};

// The fact form as sent back after an error, with the messages next to their fields.
struct FactForm {
    std::string date, fact, note;
    std::map<std::string, std::string, std::less<>> values;  // "fact.field" → value id
    std::string error_date, error;
};

SchoolData school_data(const Context& ctx, const std::string& mid, const std::string& sid) {
    SchoolData out;
    try {
        const auto ident = ctx.services.municipalities->identification(mid, std::nullopt, sid);
        for (const auto& s : ident.value("schools", nlohmann::ordered_json::array())) {
            if (s.value("school", "") != sid) continue;
            out.known = true;
            out.name = s.value("name", "");
            for (const auto& c : s.value("categories", nlohmann::ordered_json::array())) out.categories.push_back(c.value("title", ""));
        }
        if (out.known) {
            out.explanation = ctx.services.municipalities->explain(mid, sid, std::nullopt).value("text", "");
            out.loaded = ctx.services.municipalities->load(mid);
            out.words = Words(out.loaded);
            if (const auto f = ctx.services.municipalities->files().get(mid, "facts.json")) out.facts_version = f->version;
        }
    } catch (const Error& e) {
        if (error_id(e) != ErrorId::server_not_found) out.problem = field_message(e);
    }
    return out;
}

bool records_facts(const server::Caller& c) { return c.role == Role::coordinator || c.role == Role::school; }

// «Записанные факты»: the school's facts in date order with their values in words, the note, and
// who recorded each and when (WorkspaceFiles::fact_authors).
void recorded_facts(Html& h, const Context& ctx, const server::LoadedMunicipality& loaded, const std::string& mid,
                    const std::string& sid, const Words& words) {
    const auto& dom = loaded.model->domain();
    const auto k = dom.school_index(sid);
    if (!k) return;
    std::vector<const domain::Fact*> facts;
    for (const auto& f : dom.facts(*k)) facts.push_back(&f);
    std::stable_sort(facts.begin(), facts.end(), [](const auto* a, const auto* b) { return a->date < b->date; });
    h.element("h2", {{"id", "facts"}}, "Записанные факты");
    if (facts.empty()) {
        h.element("p", "Фактов школы пока нет: их записывают формой ниже или загрузкой таблицы фактов.");
        return;
    }
    const auto authors = ctx.services.municipalities->files().fact_authors(mid, sid);
    const std::string& workflow = loaded.workspace.workflow;
    h.open("table", {{"class", "recorded-facts"}}).element("caption", "Факты школы по датам");
    h.open("thead").open("tr");
    for (auto col : {"Дата", "Факт", "Значения", "Примечание", "Кто и когда записал"}) h.element("th", {{"scope", "col"}}, col);
    h.close().close().open("tbody");
    for (const auto* f : facts) {
        h.open("tr").element("td", f->date.ru()).element("th", {{"scope", "row"}}, words.fact(workflow, 0, f->name));
        std::string values;
        const domain::FactSpec* spec = words.spec(workflow, 0, f->name);
        for (const auto& [key, v] : f->entry.items()) {
            if (key == "date" || (key == "value" && v.is_boolean())) continue;
            const domain::FactField* field = spec ? spec->field(key) : nullptr;
            std::string shown = v.is_string() ? v.get<std::string>() : v.dump();
            if (field && v.is_string()) {
                if (const auto* t = field->title_of(shown)) shown = *t;
            }
            values += (values.empty() ? "" : "; ") + (field ? field->title : key == "value" ? std::string("значение") : key) + ": " + shown;
        }
        h.element("td", values.empty() ? std::string("—") : values);
        const std::string note = f->record && f->record->is_object() && f->record->contains("note") && (*f->record)["note"].is_string()
                                     ? (*f->record)["note"].get<std::string>()
                                     : std::string();
        h.element("td", note.empty() ? std::string("—") : note);
        const auto a = authors.find({f->date.iso(), f->name});
        if (a == authors.end()) {
            h.element("td", "нет сведений (записан до того, как сервер стал их хранить)");
        } else {
            h.element("td", actor_title(ctx, a->second.actor) + ", " + date_time_utc(a->second.at));
        }
        h.close();
    }
    h.close().close();
}

// «Программа на учебный год»: the stages of the program's year in order with their periods, the
// current one marked, and each stage's tasks with their dates, who is responsible and where they
// stand on the page's date (MunicipalityService::program_plan); then «Партнёры»: the school's
// partners or the schools it supports under the partnership in force, and its plan-graph.
void program_section(Html& h, const nlohmann::ordered_json& plan, const std::string& mid, const std::string& sid,
                     const server::LoadedMunicipality& loaded) {
    const auto period = [](const std::string& from, const std::string& to) {
        if (from.empty() && to.empty()) return std::string("—");
        return short_date(from) + "\u00A0–\u00A0" + short_date(to);
    };
    const std::string on = short_date(plan.value("date", ""));
    if (plan.value("program", false)) {
        h.element("h2", {{"id", "program"}}, "Программа на " + plan.value("year", "") + " учебный год");
        h.element("p", "Этапы по порядку со сроками; задачи — как на " + on + ".");
        h.open("ol", {{"class", "stages"}});
        for (const auto& s : plan["stages"]) {
            const bool current = s.value("current", false);
            h.open("li", {{"class", current ? "stage current" : "stage"}, {"aria-current", "step", current}});
            h.open("p").element("strong", s.value("title", "")).text(" — " + period(s.value("from", ""), s.value("to", "")));
            if (current) h.text(" (текущий этап)");
            h.close();
            if (!s["tasks"].empty()) {
                h.open("table", {{"class", "tasks"}}).element("caption", "Задачи этапа «" + s.value("title", "") + "»");
                h.open("thead").open("tr");
                for (auto col : {"Задача", "Сроки", "Ответственные", "Выполнение"}) h.element("th", {{"scope", "col"}}, col);
                h.close().close().open("tbody");
                for (const auto& t : s["tasks"]) {
                    std::string state;
                    if (!t.value("done_on", "").empty()) state = "выполнена " + short_date(t.value("done_on", ""));
                    else if (t.value("overdue", false)) state = "просрочена: срок был " + short_date(t.value("due", ""));
                    else if (!t.value("marked", false)) state = "отметки о выполнении нет";
                    else if (t.value("due", "") >= plan.value("date", "")) state = "впереди: срок до " + short_date(t.value("due", ""));
                    else state = "не отмечена";
                    h.open("tr", {{"class", "overdue", t.value("overdue", false)}});
                    h.element("th", {{"scope", "row"}}, t.value("activity", ""));
                    h.element("td", period(t.value("from", ""), t.value("due", "")));
                    h.element("td", t.value("responsible", ""));
                    h.element("td", state);
                    h.close();
                }
                h.close().close();
            }
            h.close();
        }
        h.close();
    }
    h.element("h2", {{"id", "partners"}}, "Партнёры");
    const auto& partners = plan["partners"];
    if (plan.value("partnership_date", "").empty()) {
        h.element("p", "Решения о партнёрах на " + plan.value("year", "") + " учебный год на " + on + " нет.");
        return;
    }
    if (partners.empty()) {
        h.element("p", "По решению от " + short_date(plan.value("partnership_date", "")) + " у школы нет пары.");
        return;
    }
    h.element("p", "По решению от " + short_date(plan.value("partnership_date", "")) + ":");
    h.open("ul", {{"class", "partners"}});
    for (const auto& p : partners) {
        const std::string role = p.value("role", "") == "partner" ? "партнёр школы" : "школа, для которой эта школа — партнёр";
        h.open("li").element("strong", p.value("name", "")).text(" — " + role).close();
    }
    h.close();
    for (const auto& d : loaded.workspace.documents) {
        if (d.template_name != "partnership_plan" || !d.per_participant) continue;
        h.open("p").element("a", {{"href", "/municipalities/" + mid + "/documents/" + d.id + "?school=" + sid}},
                            d.title + ": просмотр и скачивание").close();
    }
}

// «Записать факт»: the workflow's declared facts and the allowed values of their fields.
void fact_form(Html& h, const Context& ctx, const std::string& mid, const std::string& sid, const SchoolData& data,
               const FactForm& f) {
    const auto& facts = data.words.facts();
    if (facts.empty()) return;
    h.element("h2", {{"id", "fact"}}, "Записать факт");
    if (!f.error.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, f.error);
    open_post_form(h, ctx, school_path(mid, sid) + "/facts", "stack");
    const std::string version = std::to_string(data.facts_version);
    h.empty("input", {{"type", "hidden"}, {"name", "version"}, {"value", version}});
    input_field(h, "date", "Дата", "date", f.date, f.error_date, "off");
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-fact"}}, "Что произошло");
    h.open("select", {{"id", "f-fact"}, {"name", "fact"}});
    for (const auto& spec : facts) h.element("option", {{"value", spec.id}, {"selected", "selected", spec.id == f.fact}}, spec.title);
    h.close().close();
    for (const auto& spec : facts) {
        for (const auto& field : spec.fields) {
            if (field.values.empty()) continue;
            const std::string name = spec.id + "." + field.id;
            const std::string id = "f-" + spec.id + "-" + field.id;
            auto chosen = f.values.find(name);
            h.open("div", {{"class", "field"}});
            h.element("label", {{"for", id}}, field.title + " (для факта «" + spec.title + "»)");
            h.open("select", {{"id", id}, {"name", name}});
            h.element("option", {{"value", ""}}, "не указано");
            for (const auto& [v, title] : field.values) {
                h.element("option", {{"value", v}, {"selected", "selected", chosen != f.values.end() && chosen->second == v}}, title);
            }
            h.close().close();
        }
    }
    input_field(h, "note", "Примечание (номер и дата приказа, итог)", "text", f.note, "", "off");
    h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Записать");
    h.close();
}

Response school_page(Context& ctx, const FactForm& form, int status) {
    const std::string& mid = ctx.param("municipality");
    const std::string& sid = ctx.param("school");
    auto st = ctx.services.db->store(mid);
    const auto p = st->program(sid);
    const SchoolData data = school_data(ctx, mid, sid);
    if (!p && !data.known) throw Error(ErrorId::server_not_found, "", {}, "", "школа «" + sid + "» не найдена");
    const auto events = st->events(sid);
    return page(ctx, data.name.empty() ? "Школа " + sid : data.name, [&](Html& h) {
        if (ctx.method == "GET" && ctx.query_text("recorded") == "1") {
            h.open("div", {{"class", "notice"}, {"role", "status"}});
            h.element("p", "Факт записан в данные муниципалитета.");
            const long long version = ctx.query_integer("version", 0, 0, std::numeric_limits<int>::max());
            if (version > 0) undo_form(h, ctx, mid, "facts.json", version, school_path(mid, sid));
            h.close();
        }
        if (ctx.method == "GET" && ctx.query_text("undone") == "1") {
            h.element("p", {{"class", "notice"}, {"role", "status"}}, "Запись факта отменена: данные снова такие, какими были до неё.");
        }
        if (!data.problem.empty()) {
            h.element("p", {{"class", "error-box"}, {"role", "alert"}}, "Данные муниципалитета не загружаются: " + data.problem);
        }
        h.open("dl", {{"class", "facts"}});
        h.element("dt", "Код школы").element("dd", sid);
        if (data.known) {
            std::string cats;
            for (const auto& c : data.categories) cats += (cats.empty() ? "" : "; ") + c;
            h.element("dt", "Категория").element("dd", cats.empty() ? "не отнесена ни к одной категории" : cats);
        }
        if (p) {
            h.element("dt", "Программа").element("dd", data.words.workflow(p->workflow, p->workflow_version));
            h.element("dt", "Этап").element("dd", data.words.stage(p->workflow, p->workflow_version, p->stage));
            h.element("dt", "Состояние").element("dd", status_title(p->status));
            h.element("dt", "Начата").element("dd", short_date(p->started_on));
            h.element("dt", "Учебный год").element("dd", p->academic_year);
        } else {
            h.element("dt", "Программа").element("dd", "нет");
        }
        h.close();
        if (!data.explanation.empty()) {
            h.element("h2", "Идентификация: почему так");
            h.open("div", {{"class", "explanation"}});
            std::size_t start = 0;
            while (start < data.explanation.size()) {
                auto end = data.explanation.find('\n', start);
                if (end == std::string::npos) end = data.explanation.size();
                if (end > start) h.element("p", std::string_view(data.explanation).substr(start, end - start));
                start = end + 1;
            }
            h.close();
        }
        if (data.known) {
            const auto& loaded = data.loaded;
            // ?date=YYYY-MM-DD shows the program as of another day (a date that does not parse: the default).
            const std::string on = ctx.method == "GET" ? ctx.query_text("date") : std::string();
            program_section(h, ctx.services.municipalities->program_plan(mid, sid, domain::Date::parse(on)), mid, sid, *loaded);
            if (const auto k = loaded->model->domain().school_index(sid)) indicators_section(h, *loaded, *k);
        }
        if (data.known) recorded_facts(h, ctx, *data.loaded, mid, sid, data.words);
        if (data.known && records_facts(ctx.who())) fact_form(h, ctx, mid, sid, data, form);
        h.element("h2", "События программы");
        if (events.empty()) {
            h.element("p", "Событий пока нет.");
            return;
        }
        h.open("ol", {{"class", "timeline"}});
        for (const auto& e : events) {
            h.open("li");
            h.element("span", {{"class", "date"}}, short_date(e.date)).text(" — ").text(event_title(e.kind));
            if (!e.to_stage.empty()) {
                h.open("p");
                const auto title = [&](const std::string& stage) { return data.words.stage(e.workflow, e.workflow_version, stage); };
                if (e.from_stage.empty()) h.text("Этап «" + title(e.to_stage) + "»");
                else h.text("Из «" + title(e.from_stage) + "» в «" + title(e.to_stage) + "»");
                h.close();
            }
            if (!e.note.empty()) h.element("p", e.note);
            facts_list(h, data.words, e.workflow, e.workflow_version, e.facts_json);
            h.close();
        }
        h.close();
    }, status);
}

Response school(Context& ctx) { return school_page(ctx, FactForm{}, 200); }

Response record_fact(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const std::string& sid = ctx.param("school");
    const Form field(ctx.body);
    FactForm f;
    f.date = field["date"];
    f.fact = field["fact"];
    f.note = field["note"];
    nlohmann::ordered_json fact{{"date", f.date}, {"school", sid}, {"fact", f.fact}};
    nlohmann::ordered_json value = nlohmann::ordered_json::object();
    const SchoolData data = school_data(ctx, mid, sid);
    for (const auto& spec : data.words.facts()) {
        for (const auto& fl : spec.fields) {
            const std::string v = field[spec.id + "." + fl.id];
            if (v.empty()) continue;
            f.values[spec.id + "." + fl.id] = v;
            if (spec.id == f.fact) value[fl.id] = v;
        }
    }
    if (!value.empty()) fact["value"] = value;
    if (!f.note.empty()) fact["note"] = f.note;
    std::int64_t version = 0;
    try {
        version = std::stoll(field["version"]);
    } catch (const std::exception&) {
        version = -1;  // the API answers with its message
    }
    try {
        const auto answer = call_api(ctx, "POST", "/api/municipalities/" + mid + "/facts",
                                     nlohmann::ordered_json{{"fact", fact}, {"version", version}});
        return redirect(school_path(mid, sid) + "?recorded=1&version=" +
                        std::to_string(answer.body["file"]["version"].get<std::int64_t>()));
    } catch (const Error& e) {
        if (error_field(e) == "fact.date" || error_field(e) == "date") f.error_date = field_message(e);
        else f.error = field_message(e);
        return school_page(ctx, f, server::http_status(error_id(e)));
    }
}

Response history(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    auto events = ctx.services.db->store(mid)->events();
    std::reverse(events.begin(), events.end());  // newest first
    const Words words = words_of(*ctx.services.municipalities, mid);
    const long long pages = std::max<long long>(1, (static_cast<long long>(events.size()) + kPageSize - 1) / kPageSize);
    const long long current = ctx.query_integer("page", 1, 1, pages);
    return page(ctx, "Журнал событий: " + (m ? m->name : mid), [&](Html& h) {
        if (events.empty()) {
            h.element("p", "В журнале пока нет событий: они появляются при продвижении программ (страница «Продвижение»).");
            return;
        }
        h.element("p", count(static_cast<long long>(events.size()), "событие", "события", "событий") + ", новые сначала.");
        h.open("table").element("caption", "События программ школ");
        h.open("thead").open("tr");
        for (auto col : {"№", "Дата", "Школа", "Событие", "Этап", "Пояснение"}) h.element("th", {{"scope", "col"}}, col);
        h.close().close().open("tbody");
        const auto from = static_cast<std::size_t>((current - 1) * kPageSize);
        for (std::size_t i = from; i < events.size() && i < from + kPageSize; ++i) {
            const auto& e = events[i];
            h.open("tr").element("td", {{"class", "num"}}, group_digits(e.seq)).element("td", short_date(e.date));
            h.open("td").element("a", {{"href", school_path(mid, e.school)}}, e.school).close();
            h.element("td", event_title(e.kind));
            h.element("td", e.to_stage.empty() ? std::string() : words.stage(e.workflow, e.workflow_version, e.to_stage));
            h.element("td", e.note);
            h.close();
        }
        h.close().close();
        pager(h, municipality_path(mid) + "/history?", current, pages);
    });
}

constexpr Roles kReaders{Role::region, Role::coordinator, Role::school};

constexpr Route kPages[] = {
    {"GET", "/region", Roles{Role::region}, Scope::none, region, "регион: муниципалитеты, школы по категориям, программы по этапам, просроченные задачи"},
    {"GET", "/municipalities/{municipality}", Roles{Role::region, Role::coordinator}, Scope::municipality, municipality,
     "муниципалитет: программы школ с задачами, отбором, порядком и страницами; нерешённая идентификация"},
    {"GET", "/municipalities/{municipality}/history", Roles{Role::region, Role::coordinator}, Scope::municipality, history,
     "журнал событий муниципалитета"},
    {"GET", "/municipalities/{municipality}/schools/{school}", kReaders, Scope::school, school,
     "школа: программа, показатели по годам, события на линии времени"},
    {"POST", "/municipalities/{municipality}/schools/{school}/facts", Roles{Role::coordinator, Role::school}, Scope::school,
     record_fact, "запись факта школы из формы"},
};

}  // namespace

std::span<const server::Route> region_pages() { return kPages; }

}  // namespace ppko::web
