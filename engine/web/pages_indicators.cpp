#include "domain/model.h"
#include "rules/decision_table.h"
#include "web/format.h"
#include "web/sections.h"
#include "web/svg_chart.h"

namespace ppko::web {

std::string measure_title(const server::LoadedMunicipality& l, const std::string& path) {
    if (const auto* t = l.model->table()) {
        for (const auto& m : t->measures()) {
            if (m.path == path) return m.title;
        }
    }
    return path;
}

void indicators_section(Html& h, const server::LoadedMunicipality& l, std::size_t school) {
    const auto* table = l.model->table();
    if (!table) return;
    const auto& dom = l.model->domain();
    std::vector<const domain::IndicatorRecord*> records;
    for (const auto& period : dom.periods()) {
        if (const auto* r = dom.indicators(school, period)) records.push_back(r);
    }
    if (records.empty()) return;
    const std::string& name = dom.schools()[school].short_name;
    auto cell = [](const domain::IndicatorRecord& r, const rules::Measure& m) -> ChartPoint {
        ChartPoint p{r.period.name(), std::nullopt, {}};
        const data::Json* group = m.group == "results" ? r.results : m.group == "context" ? r.context : nullptr;
        if (!group || !group->is_object() || !group->contains(m.name)) return p;
        const auto& v = (*group)[m.name];
        if (v.is_number()) p.value = v.get<double>();
        else if (v.is_string()) p.absent = v.get<std::string>();
        return p;
    };
    auto threshold_of = [&](const rules::Measure& m) {
        return std::string(m.above ? "порог " : "порог не более ") + number_text(m.threshold) +
               (m.unit.empty() ? "" : "\u00A0" + m.unit);
    };

    h.element("h2", {{"id", "indicators"}}, "Показатели по годам");
    h.open("table", {{"class", "indicators"}});
    h.element("caption", "Показатели школы «" + name + "» по учебным годам и пороги методики идентификации");
    h.open("thead").open("tr").element("th", {{"scope", "col"}}, "Показатель").element("th", {{"scope", "col"}, {"class", "num"}}, "Порог");
    for (const auto* r : records) h.element("th", {{"scope", "col"}, {"class", "num"}}, r->period.name());
    h.close().close().open("tbody");
    for (const auto& m : table->measures()) {
        h.open("tr").element("th", {{"scope", "row"}}, m.title + (m.unit.empty() ? "" : ", " + m.unit));
        h.element("td", {{"class", "num"}}, (m.above ? "≥\u00A0" : "≤\u00A0") + number_text(m.threshold));
        for (const auto* r : records) {
            const ChartPoint p = cell(*r, m);
            if (p.value) {
                const bool bad = m.above ? *p.value >= m.threshold : *p.value <= m.threshold;
                h.element("td", {{"class", bad ? "num over" : "num"}}, number_text(*p.value));
            } else {
                h.element("td", {{"class", "num muted"}}, p.absent.empty() ? "—" : p.absent);
            }
        }
        h.close();
    }
    h.close().close();
    h.element("p", {{"class", "muted"}},
              "«—» — показателя нет в записи года. Отметки «не проводилась», «нет такого класса», «отменена» означают, что "
              "процедура не учитывается, — это не ноль. Значения на пороге и за ним выделены.");
    h.open("div", {{"class", "charts"}});
    std::size_t k = 0;
    for (const auto& m : table->measures()) {
        ++k;
        Chart c{"chart-" + std::to_string(k), m.title, name, m.unit, m.threshold, threshold_of(m), {}};
        bool any = false;
        for (const auto* r : records) {
            c.points.push_back(cell(*r, m));
            any = any || c.points.back().value || !c.points.back().absent.empty();
        }
        if (!any) continue;
        h.open("figure", {{"class", "chart"}});
        line_chart(h, c);
        h.element("figcaption", m.title);
        h.close();
    }
    h.close();
}

}  // namespace ppko::web
