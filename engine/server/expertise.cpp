#include "server/expertise.h"

#include "diag/diagnostic.h"
#include "domain/model.h"

namespace ppko::server::expertise {

const Part kParts[6] = {
    {"directions", "Основные направления программы (объекты изменений)"},
    {"internal_evaluation", "Внутренняя оценка качества образования"},
    {"conformity", "Соответствие цели, способов, ожидаемых результатов"},
    {"recommendations", "Рекомендации"},
    {"risks", "Риски"},
    {"resources", "Ресурсы (в т.ч. в своём лице)"},
};
static_assert(std::size(kParts) == std::size(domain::kConclusionFields));

namespace {

constexpr std::string_view kFile = "conclusions.json";

std::string text_of(const Json& rec, const char* key) {
    if (!rec.is_object() || !rec.contains(key)) return {};
    const Json& v = rec[key];
    if (v.is_string()) return v.get<std::string>();
    std::string out;
    if (v.is_array()) {
        for (const auto& p : v) {
            if (!p.is_string()) continue;
            out += (out.empty() ? "" : "\n") + p.get<std::string>();
        }
    }
    return out;
}

// Paragraphs of a textarea's text: lines trimmed, empty ones dropped.
Json paragraphs(std::string_view text) {
    Json out = Json::array();
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(at, end - at);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        if (!line.empty()) out.push_back(std::string(line));
        at = end + 1;
    }
    return out;
}

bool same(const Json& rec, const Assignment& a) {
    return rec.is_object() && rec.value("council", "") == a.council && rec.value("school", "") == a.school &&
           rec.value("expert", "") == a.expert;
}

std::int64_t version_of(const Json& rec) {
    return rec.contains("version") && rec["version"].is_number_integer() ? rec["version"].get<std::int64_t>() : 1;
}

Json conclusion_json(const Json* rec) {
    Json out{{"version", rec ? version_of(*rec) : 0}};
    for (const auto& p : kParts) out[p.key] = rec ? text_of(*rec, p.key) : std::string();
    return out;
}

[[noreturn]] void not_found(std::string_view council, std::string_view school) {
    throw Error(ErrorId::server_not_found, "", {}, "",
                "программы школы «" + std::string(school) + "» среди назначенных на экспертизу к заседанию «" +
                    std::string(council) + "» нет");
}

}  // namespace

Json Assignment::json() const {
    return Json{{"council", council},   {"council_title", council_title}, {"council_date", council_date},
                {"school", school},     {"school_name", school_name},     {"expert", expert},
                {"conclusion_version", conclusion_version}};
}

std::vector<Assignment> assignments(MunicipalityService& svc, std::string_view municipality, const Caller& who) {
    std::vector<Assignment> out;
    if (who.role != Role::expert && who.role != Role::coordinator && who.role != Role::region) return out;
    if (who.role == Role::expert && who.name.empty()) return out;
    const auto l = svc.load(municipality);
    const domain::Domain& d = l->model->domain();
    for (const auto& c : d.councils()) {
        const Json& rec = *c.record;
        if (!rec.contains("experts") || !rec["experts"].is_array()) continue;
        for (const auto& e : rec["experts"]) {
            const std::string name = e.value("name", std::string());
            if (who.role == Role::expert && name != who.name) continue;
            if (!e.contains("schools") || !e["schools"].is_array()) continue;
            for (const auto& s : e["schools"]) {
                if (!s.is_string()) continue;
                const domain::School* school = d.school(s.get<std::string>());
                if (!school) continue;
                Assignment a{c.id, rec.value("title", std::string()), c.date.iso(), school->id,
                             school->short_name.empty() ? school->name : school->short_name, name};
                if (const auto* w = d.conclusion(a.council, a.school, a.expert)) a.conclusion_version = version_of(*w->record);
                out.push_back(std::move(a));
            }
        }
    }
    return out;
}

Assignment assignment(MunicipalityService& svc, std::string_view municipality, std::string_view council,
                      std::string_view school, const Caller& who, std::string_view expert) {
    for (auto& a : assignments(svc, municipality, who)) {
        if (a.council != council || a.school != school) continue;
        if (who.role != Role::expert && !expert.empty() && a.expert != expert) continue;
        return std::move(a);
    }
    not_found(council, school);
}

Json program(MunicipalityService& svc, std::string_view municipality, const Assignment& a) {
    const auto date = domain::Date::parse(a.council_date);
    Json status = svc.status(municipality, date, std::nullopt, a.school);
    Json row = status.contains("schools") && !status["schools"].empty() ? status["schools"][0] : Json();
    return Json{{"assignment", a.json()},
                {"date", a.council_date},
                {"status", row},
                {"explain", svc.explain(municipality, a.school, date)["text"]},
                {"conclusion", conclusion(svc, municipality, a)}};
}

Json conclusion(MunicipalityService& svc, std::string_view municipality, const Assignment& a) {
    const auto l = svc.load(municipality);
    const auto* w = l->model->domain().conclusion(a.council, a.school, a.expert);
    return conclusion_json(w ? w->record : nullptr);
}

Json put_conclusion(MunicipalityService& svc, std::string_view municipality, const Assignment& a,
                    const std::map<std::string, std::string, std::less<>>& parts, std::int64_t version, const Actor& actor) {
    Json written{{"council", a.council}, {"school", a.school}, {"expert", a.expert}, {"version", version + 1}};
    for (const auto& p : kParts) {
        const auto it = parts.find(p.key);
        if (it == parts.end()) continue;
        Json paras = paragraphs(it->second);
        if (!paras.empty()) written[p.key] = std::move(paras);
    }
    // conclusions.json holds every expert's conclusions: another expert's write between our read
    // and our write raises the file's version, so read again and retry; a change of this very
    // conclusion is the caller's conflict.
    for (int attempt = 0; attempt < 16; ++attempt) {
        const auto cur = svc.files().get(municipality, kFile);
        Json doc = cur ? Json::parse(cur->content, nullptr, false) : Json::object();
        if (!doc.is_object()) doc = Json::object();
        if (!doc.contains("conclusions") || !doc["conclusions"].is_array()) doc["conclusions"] = Json::array();
        Json& list = doc["conclusions"];
        Json* mine = nullptr;
        for (auto& rec : list) {
            if (same(rec, a)) mine = &rec;
        }
        const std::int64_t now = mine ? version_of(*mine) : 0;
        if (now != version) {
            throw HttpError(ErrorId::record_conflict,
                            "заключение на программу школы «" + a.school + "» к заседанию «" + a.council +
                                "» уже изменено: в запросе версия " + std::to_string(version) + ", а сейчас " +
                                std::to_string(now) + "; перечитайте заключение и повторите изменение",
                            Json{{"current", conclusion_json(mine)}});
        }
        if (mine) *mine = written;
        else list.push_back(written);
        const std::string text = doc.dump(2, ' ', false) + "\n";
        svc.check_change(municipality, kFile, text);
        try {
            svc.files().put(municipality, kFile, text, cur ? cur->version : 0, actor);
            return conclusion_json(&written);
        } catch (const Error& e) {
            const auto& items = e.diagnostics().items();
            if (items.empty() || items.front().id != ErrorId::record_conflict) throw;
        }
    }
    throw Error(ErrorId::server_busy, "", {}, "", "файл заключений всё время меняется другими пользователями; повторите позже");
}

RenderedFile render(MunicipalityService& svc, std::string_view municipality, const Assignment& a) {
    const auto l = svc.load(municipality);
    const domain::Domain& d = l->model->domain();
    const domain::Council* council = d.council(a.council);
    if (!council) not_found(a.council, a.school);
    for (const auto& spec : l->workspace.documents) {
        if (spec.template_name != "expert_conclusion") continue;
        // The document's council: its own, else the last of its year (as `ppko render` resolves it).
        const domain::Council* of = !spec.council.empty() ? d.council(spec.council) : d.latest_council(council->year, council->year.end());
        if (of != council) continue;
        RenderRequest rq;
        rq.document = spec.id;
        rq.school = a.school;
        rq.format = "docx";
        rq.year = council->year.name();
        return svc.render(municipality, rq);
    }
    throw Error(ErrorId::server_not_found, "", {}, "",
                "в workspace.json нет документа экспертного заключения (шаблон expert_conclusion) к заседанию «" + a.council + "»");
}

}  // namespace ppko::server::expertise
