#include <mutex>

#include "diag/diagnostic.h"
#include "view/words.h"
#include "web/format.h"
#include "web/sections.h"

namespace ppko::web {
namespace {

// The municipality's loaded model; null when it has no data on the server, or when its data does
// not load — then `problem` is the error's line.
std::shared_ptr<const server::LoadedMunicipality> load_or_problem(server::MunicipalityService& svc, const std::string& municipality,
                                                                  std::string& problem) {
    try {
        return svc.load(municipality);
    } catch (const Error& e) {
        const auto& items = e.diagnostics().items();
        if (items.empty() || items.front().id != ErrorId::server_not_found) {
            problem = items.empty() ? e.what() : items.front().message + " [" + std::string(error_info(items.front().id).code) + "]";
        }
        return nullptr;
    }
}

}  // namespace

MunicipalityView municipality_view(server::MunicipalityService& svc, const std::string& municipality, const std::string& year,
                                   const std::string& date) {
    std::optional<domain::AcademicYear> y;
    if (!year.empty()) {
        y = domain::AcademicYear::parse(year);
        if (!y) throw Error(ErrorId::data_bad_value, "", {}, "$.year", "учебный год «" + year + "» записан неверно; пример: 2019-2020");
    }
    std::optional<domain::Date> d;
    if (!date.empty()) {
        d = domain::Date::parse(date);
        if (!d) throw Error(ErrorId::data_bad_value, "", {}, "$.date", "дата «" + date + "» записана неверно или не существует; пример: 2021-05-31");
    }
    MunicipalityView v;
    const auto l = load_or_problem(svc, municipality, v.problem);
    if (!l) return v;
    v.known = true;
    for (const auto& s : l->model->domain().schools()) v.names[s.id] = s.short_name;
    for (const auto& ay : l->model->domain().list_years()) v.years.push_back(ay.name());
    const auto ident = svc.identification(municipality, y, "");
    v.year = ident.value("year", "");
    v.basis_year = ident.value("basis_year", "");
    for (const auto& s : ident["schools"]) {
        if (!s.value("undecided", false)) continue;
        MunicipalityView::Undecided u{s.value("school", ""), s.value("name", ""), {}, !s.value("has_basis", false)};
        for (const auto& path : s["missing"]) u.missing.push_back(measure_title(*l, path.get<std::string>()));
        v.undecided.push_back(std::move(u));
    }
    // The tasks as of the page's date, for the chosen year's programs.
    const auto st = svc.status(municipality, d, domain::AcademicYear::parse(v.year), "");
    v.date = st.value("date", "");
    for (const auto& s : st["schools"]) {
        if (!s.contains("stage")) continue;
        MunicipalityView::Tasks t;
        for (const auto& o : s["overdue"]) t.overdue.push_back(o.get<std::string>());
        t.next = s.value("next_deadline", "");
        v.tasks[s.value("school", "")] = std::move(t);
    }
    // The partners of the chosen year as of the page's date.
    const auto chosen = domain::AcademicYear::parse(v.year);
    const auto on = domain::Date::parse(v.date);
    if (chosen && on) {
        auto p = svc.partners(municipality, *chosen, *on);
        v.partnership_date = std::move(p.decided);
        v.partners = std::move(p.of);
    }
    return v;
}

void undecided_section(Html& h, const MunicipalityView& v) {
    if (!v.known) return;
    h.element("h2", {{"id", "undecided"}}, "Идентификация не решена: " + v.year);
    if (v.undecided.empty()) {
        h.element("p", "Для всех школ муниципалитета категория на " + v.year + " учебный год определена: данных хватает.");
        return;
    }
    h.element("p", "Категорию не удалось определить у " + count(static_cast<long long>(v.undecided.size()), "школы", "школ", "школ") +
                       ": не хватает показателей за " + (v.basis_year.empty() ? std::string("предыдущий год") : v.basis_year) +
                       ". Дополните показатели: загрузите таблицу результатов на странице загрузки.");
    h.open("table", {{"class", "undecided"}}).element("caption", "Школы, у которых не хватает данных для идентификации");
    h.open("thead").open("tr").element("th", {{"scope", "col"}}, "Школа").element("th", {{"scope", "col"}}, "Код");
    h.element("th", {{"scope", "col"}}, "Чего не хватает").close().close().open("tbody");
    for (const auto& u : v.undecided) {
        h.open("tr").element("th", {{"scope", "row"}}, u.name).element("td", u.school);
        if (u.no_basis) {
            h.element("td", "нет записи показателей за " + (v.basis_year.empty() ? std::string("предыдущий год") : v.basis_year));
        } else {
            std::string missing;
            for (const auto& m : u.missing) missing += (missing.empty() ? "" : "; ") + m;
            h.element("td", missing);
        }
        h.close();
    }
    h.close().close();
}

RegionRow region_row(server::MunicipalityService& svc, store::Store& store, const std::string& municipality) {
    RegionRow r;
    const auto l = load_or_problem(svc, municipality, r.problem);
    if (!l) return r;
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, RegionRow>, std::less<>> cache;
    const std::string key = std::to_string(l->data_version) + "/" + store.meta("state_version").value_or("0");
    {
        std::lock_guard lock(mutex);
        auto it = cache.find(municipality);
        if (it != cache.end() && it->second.first == key) return it->second.second;
    }
    r.known = true;
    const auto& m = *l->model;
    r.schools = static_cast<long long>(m.domain().schools().size());
    const auto st = svc.status(municipality, std::nullopt, std::nullopt, "");
    r.year = st.value("year", "");
    const auto year = domain::AcademicYear::parse(r.year);
    if (year && m.identifier()) {
        const view::Words words(m.table());
        for (std::size_t k = 0; k < m.domain().schools().size(); ++k) {
            for (const auto& c : m.identifier()->categories(k, *year)) ++r.categories[words.category_short(c)];
        }
    }
    for (const auto& s : st["schools"]) {
        const auto n = s.contains("overdue") ? static_cast<long long>(s["overdue"].size()) : 0;
        r.overdue_tasks += n;
        r.overdue_schools += n > 0;
    }
    std::lock_guard lock(mutex);
    cache[municipality] = {key, r};
    return r;
}

}  // namespace ppko::web
