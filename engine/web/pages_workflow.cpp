#include <map>

#include <nlohmann/json.hpp>

#include "web/sections.h"
#include "web/svg_chart.h"

namespace ppko::web {
namespace {

using json = nlohmann::ordered_json;

// "09-01" → "01.09".
std::string day_month(const std::string& md) {
    if (md.size() != 5 || md[2] != '-') return md;
    return md.substr(3, 2) + "." + md.substr(0, 2);
}

std::string period_of(const json& x) {
    const std::string from = x.value("from", ""), to = x.value("to", "");
    if (from.empty() && to.empty()) return "";
    return day_month(from) + "\u00A0–\u00A0" + day_month(to);
}

}  // namespace

void workflow_section(Html& h, std::string_view text, const std::string& origin) {
    // The file loaded (the server checked it before it was stored, or it is built in).
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_object()) return;
    std::map<std::string, std::string, std::less<>> fact_titles;
    for (const auto& f : doc.value("facts", json::array())) fact_titles[f.value("id", "")] = f.value("title", "");
    auto fact_title = [&](const std::string& fact) {
        const auto it = fact_titles.find(fact);
        return it == fact_titles.end() || it->second.empty() ? fact : it->second;
    };
    const json stages = doc.value("stages", json::array());
    std::vector<DiagramStage> boxes;
    auto index_of = [&](const std::string& stage) {
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            if (boxes[i].id == stage) return i;
        }
        return boxes.size();
    };
    for (const auto& s : stages) boxes.push_back({s.value("id", ""), s.value("title", ""), period_of(s)});
    auto title_of = [&](const std::string& stage) {
        const auto i = index_of(stage);
        return i < boxes.size() ? boxes[i].title : stage;
    };
    std::vector<DiagramArrow> arrows;
    for (const auto& t : doc.value("transitions", json::array())) {
        arrows.push_back({index_of(t.value("from", "")), index_of(t.value("to", "")), t.value("title", "")});
    }
    // The year's end leads from the last stage of the year to its outcomes.
    std::size_t last = 0;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (!stages[i].value("final", false) && !stages[i].value("to", "").empty()) last = i;
    }
    const json year_end = doc.value("year_end", json::array());
    for (const auto& y : year_end) arrows.push_back({last, index_of(y.value("to", "")), y.value("title", "")});

    h.element("h2", {{"id", "workflow"}}, "Рабочий процесс программы");
    h.element("p", doc.value("title", "") + ". " + origin);
    h.open("figure", {{"class", "diagram"}});
    workflow_diagram(h, "workflow-diagram", "Этапы программы по порядку", boxes, arrows);
    h.element("figcaption", "Этапы программы слева направо, со сроками внутри учебного года; переходы — ниже.");
    h.close();
    h.element("h3", "Переходы между этапами");
    h.open("ol", {{"class", "transitions"}});
    for (const auto& t : doc.value("transitions", json::array())) {
        h.open("li").element("strong", "Из «" + title_of(t.value("from", "")) + "» в «" + title_of(t.value("to", "")) + "»");
        h.text(": когда " + t.value("title", "") + ".").close();
    }
    for (const auto& y : year_end) {
        h.open("li").element("strong", "В конце учебного года (31 августа) — в «" + title_of(y.value("to", "")) + "»");
        h.text(": " + y.value("title", "") + ".").close();
    }
    h.close();
    h.open("table", {{"class", "tasks"}}).element("caption", "Задачи этапов");
    h.open("thead").open("tr");
    for (auto col : {"Этап", "Задача", "Сроки", "Ответственные", "Считается выполненной"}) h.element("th", {{"scope", "col"}}, col);
    h.close().close().open("tbody");
    for (const auto& s : stages) {
        for (const auto& t : s.value("tasks", json::array())) {
            h.open("tr").element("th", {{"scope", "row"}}, s.value("title", "")).element("td", t.value("activity", ""));
            h.element("td", period_of(t)).element("td", t.value("responsible", ""));
            const std::string done = t.value("done", "");
            h.element("td", done.empty() ? std::string("отметки о выполнении нет: просроченной не бывает")
                                         : "когда записан факт «" + fact_title(done) + "»");
            h.close();
        }
    }
    h.close().close();
}

}  // namespace ppko::web
