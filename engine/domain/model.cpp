#include "domain/model.h"

#include <algorithm>
#include <set>

#include "data/schema.h"
#include "expr/expr.h"
#include "text/russian.h"

namespace ppko::domain {
namespace {

const Json kEmptyList = Json::array();

// The list under `key` of the file `stem`, or an empty list when the workspace has no such file.
const Json& list_of(const data::Workspace& ws, const char* stem, const char* key) {
    if (!ws.data.contains(stem)) return kEmptyList;
    const Json& f = ws.data[stem];
    return f.contains(key) && f[key].is_array() ? f[key] : kEmptyList;
}

std::string str(const Json& record, const char* key) {
    auto it = record.find(key);
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string join(const std::vector<std::string>& items, std::size_t limit = 12) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > limit) out += " и ещё " + std::to_string(items.size() - limit);
    return out;
}


// Collects the problems of one load, each at its file and position.
class Checker {
public:
    explicit Checker(const data::Workspace& ws) : ws_(ws) {}

    void error(ErrorId id, const char* stem, const std::string& path, std::string message) {
        const auto it = ws_.sources.find(stem);
        const std::string file = it != ws_.sources.end() ? it->second.file : (ws_.dir / (std::string(stem) + ".json")).lexically_normal().string();
        const Position pos = it != ws_.sources.end() ? it->second.position_of(path) : Position{};
        diags_.add(id, file, pos, path, std::move(message));
    }

    // «в schools.json нет школы с кодом «sh-99»; возможно, имелось в виду «sh-9»»: `what` holds
    // «{}» where the id goes, or the id is appended.
    void unknown_reference(const char* stem, const std::string& path, const std::string& id, const std::vector<std::string>& known,
                           const std::string& what) {
        std::string msg = what;
        if (const auto at = msg.find("{}"); at != std::string::npos) msg.replace(at, 2, "«" + id + "»");
        else msg += " «" + id + "»";
        const auto near = data::nearest(id, known);
        if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
        error(ErrorId::data_unknown_reference, stem, path, std::move(msg));
    }

    Diagnostics take() { return std::move(diags_).sorted(); }

private:
    const data::Workspace& ws_;
    Diagnostics diags_;
};

std::string absence_list() {
    std::string out;
    for (auto m : expr::absence_marks()) out += (out.empty() ? "«" : ", «") + std::string(m) + "»";
    return out;
}

}  // namespace

Domain Domain::load(const data::Workspace& ws, const Vocabulary& vocabulary) {
    Domain d;
    d.ws_ = &ws;
    Checker check(ws);

    // Schools and organisations: one id space.
    std::vector<std::string> school_ids, party_ids;
    const Json& schools = list_of(ws, "schools", "schools");
    for (std::size_t i = 0; i < schools.size(); ++i) {
        const Json& s = schools[i];
        School school;
        school.id = str(s, "id");
        school.name = str(s, "name");
        school.short_name = str(s, "short_name");
        school.kind = str(s, "kind");
        school.district = str(s, "district");
        if (s.contains("students") && s["students"].is_number_integer()) school.students = s["students"].get<int>();
        if (s.contains("coordinates") && s["coordinates"].is_object()) {
            school.lat = s["coordinates"]["lat"].get<double>();
            school.lon = s["coordinates"]["lon"].get<double>();
        }
        school.record = &s;
        school.row = i;
        if (d.school_ids_.count(school.id)) {
            check.error(ErrorId::data_duplicate, "schools", data::path_member(data::path_index("$.schools", i), "id"),
                        "школа с кодом «" + school.id + "» уже описана выше (запись № " + std::to_string(d.school_ids_[school.id] + 1) +
                            "); у каждой школы свой код");
            continue;
        }
        d.school_ids_.emplace(school.id, d.schools_.size());
        school_ids.push_back(school.id);
        d.schools_.push_back(std::move(school));
    }
    party_ids = school_ids;
    const Json& orgs = list_of(ws, "organisations", "organisations");
    for (std::size_t i = 0; i < orgs.size(); ++i) {
        Organisation o{str(orgs[i], "id"), str(orgs[i], "name"), str(orgs[i], "short_name"), str(orgs[i], "kind"), &orgs[i], i};
        const std::string path = data::path_member(data::path_index("$.organisations", i), "id");
        if (d.school_ids_.count(o.id)) {
            check.error(ErrorId::data_duplicate, "organisations", path, "код «" + o.id + "» уже занят школой в schools.json; у организации должен быть свой код");
            continue;
        }
        if (d.organisation(o.id)) {
            check.error(ErrorId::data_duplicate, "organisations", path, "организация с кодом «" + o.id + "» уже описана выше");
            continue;
        }
        party_ids.push_back(o.id);
        d.organisations_.push_back(std::move(o));
    }
    d.facts_.resize(d.schools_.size());

    // Indicators: the school, the period, the vocabulary of values.
    const rules::DecisionTable* table = vocabulary.identification;
    std::set<int> periods;
    const Json& indicators = list_of(ws, "indicators", "indicators");
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        const Json& r = indicators[i];
        const std::string path = data::path_index("$.indicators", i);
        const std::string sid = str(r, "school");
        const auto school = d.school_index(sid);
        if (!school) {
            check.unknown_reference("indicators", data::path_member(path, "school"), sid, school_ids, "в schools.json нет школы с кодом");
        }
        const auto period = AcademicYear::parse(str(r, "period"));
        if (!period) {
            check.error(ErrorId::data_bad_value, "indicators", data::path_member(path, "period"),
                        "учебный год «" + str(r, "period") + "» записан неверно: ожидались два года подряд через дефис, например «2019-2020»");
        }
        std::optional<Date> known = r.contains("known_on") && r["known_on"].is_string() ? Date::parse(r["known_on"].get<std::string>()) : std::nullopt;
        if (period && !known) known = period->end();
        if (period && known && *known < period->start()) {
            check.error(ErrorId::data_bad_value, "indicators", data::path_member(path, "known_on"),
                        "показатели за " + period->name() + " учебный год не могли стать известны " + known->ru() + ", до его начала");
        }
        // Values against the methodology's vocabulary.
        for (const char* group : {"results", "context"}) {
            if (!r.contains(group) || r[group].is_null()) continue;
            const std::string gpath = data::path_member(path, group);
            if (!r[group].is_object()) {
                check.error(ErrorId::data_wrong_type, "indicators", gpath, "ожидался объект: имя показателя → число");
                continue;
            }
            if (!table) continue;
            std::vector<std::string> names;
            for (const auto& m : table->measures()) {
                if (m.group == group) names.push_back(m.name);
            }
            for (const auto& [name, v] : r[group].items()) {
                const std::string vpath = data::path_member(gpath, name);
                const std::string& measure = name;  // clang 14 cannot capture a structured binding
                const auto m = std::find_if(table->measures().begin(), table->measures().end(),
                                            [&](const rules::Measure& x) { return x.group == group && x.name == measure; });
                if (m == table->measures().end()) {
                    std::string msg = "показателя «" + std::string(group) + "." + name + "» нет в методике «" + table->id() + "»";
                    const auto near = data::nearest(name, names);
                    msg += near.empty() ? "; показатели: " + join(names) : "; возможно, имелось в виду «" + near + "»";
                    check.error(ErrorId::data_unknown_key, "indicators", vpath, std::move(msg));
                    continue;
                }
                const bool results = std::string_view(group) == "results";
                if (v.is_null() || (results && expr::is_absence_mark(v))) continue;
                std::string range;
                if (m->has_min && m->has_max) range = " от " + text::format_decimal(m->min) + " до " + text::format_decimal(m->max);
                if (!v.is_number()) {
                    check.error(ErrorId::data_wrong_type, "indicators", vpath,
                                m->title + ": ожидалось число" + range + (results ? " или отметка " + absence_list() : std::string()) +
                                    ", а записано: " + data::describe_value(v) +
                                    (v.is_string() && v.get<std::string>().find('%') != std::string::npos ? " (знак % не пишется: «16»)" : ""));
                    continue;
                }
                const double x = v.get<double>();
                if ((m->has_min && x < m->min) || (m->has_max && x > m->max)) {
                    check.error(ErrorId::data_bad_value, "indicators", vpath,
                                m->title + ": значение " + text::format_decimal(x) + " вне допустимого диапазона" + range + (m->unit.empty() ? "" : " " + m->unit));
                }
            }
        }
        if (!school || !period) continue;
        const auto key = std::make_pair(*school, period->first());
        if (auto it = d.indicator_index_.find(key); it != d.indicator_index_.end()) {
            check.error(ErrorId::data_duplicate, "indicators", path,
                        "показатели школы «" + sid + "» за " + period->name() + " уже записаны выше ($.indicators[" +
                            std::to_string(d.indicators_[it->second].row) + "]); вторая запись заменила бы первую — объедините их");
            continue;
        }
        IndicatorRecord rec;
        rec.school = *school;
        rec.period = *period;
        rec.known_on = *known;
        rec.record = &r;
        rec.results = r.contains("results") && r["results"].is_object() ? &r["results"] : nullptr;
        rec.context = r.contains("context") && r["context"].is_object() ? &r["context"] : nullptr;
        rec.row = i;
        d.indicator_index_.emplace(key, d.indicators_.size());
        d.indicators_.push_back(rec);
        periods.insert(period->first());
    }
    for (int p : periods) {
        d.periods_.push_back(*AcademicYear::from_first(p));
        if (auto next = AcademicYear::from_first(p + 1)) d.list_years_.push_back(*next);
    }

    // Facts: the school, the fact's name and its value against the workflow's vocabulary.
    std::vector<std::string> fact_names;
    if (vocabulary.facts) {
        for (const auto& f : *vocabulary.facts) fact_names.push_back(f.id);
    }
    std::set<std::tuple<std::size_t, std::string, std::string>> seen_facts;
    const Json& facts = list_of(ws, "facts", "facts");
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const Json& f = facts[i];
        const std::string path = data::path_index("$.facts", i);
        const std::string sid = str(f, "school"), name = str(f, "fact");
        const auto school = d.school_index(sid);
        if (!school) check.unknown_reference("facts", data::path_member(path, "school"), sid, school_ids, "в schools.json нет школы с кодом");
        const FactSpec* spec = nullptr;
        if (vocabulary.facts && !vocabulary.facts->empty()) {
            auto it = std::find_if(vocabulary.facts->begin(), vocabulary.facts->end(), [&](const FactSpec& s) { return s.id == name; });
            if (it == vocabulary.facts->end()) {
                std::string msg = "факта «" + name + "» нет в рабочем процессе «" + ws.workflow + "»";
                const auto near = data::nearest(name, fact_names);
                msg += near.empty() ? "; факты: " + join(fact_names) : "; возможно, имелось в виду «" + near + "»";
                check.error(ErrorId::data_unknown_reference, "facts", data::path_member(path, "fact"), std::move(msg));
            } else {
                spec = &*it;
            }
        }
        const Json* value = f.contains("value") && !f["value"].is_null() ? &f["value"] : nullptr;
        if (spec && value) {
            if (!value->is_object()) {
                if (!spec->fields.empty()) {
                    check.error(ErrorId::data_wrong_type, "facts", data::path_member(path, "value"),
                                "значение факта «" + name + "» записывается объектом с полями: " + [&] {
                                    std::string s;
                                    for (const auto& x : spec->fields) s += (s.empty() ? "" : ", ") + x.id;
                                    return s;
                                }());
                }
            } else {
                std::vector<std::string> field_names;
                for (const auto& x : spec->fields) field_names.push_back(x.id);
                for (const auto& [k, v] : value->items()) {
                    const std::string vpath = data::path_member(data::path_member(path, "value"), k);
                    const FactField* field = spec->field(k);
                    if (!field) {
                        std::string msg = "у факта «" + name + "» нет поля «" + k + "»";
                        const auto near = data::nearest(k, field_names);
                        msg += near.empty() ? (field_names.empty() ? "; у него нет полей" : "; поля: " + join(field_names)) : "; возможно, имелось в виду «" + near + "»";
                        check.error(ErrorId::data_unknown_key, "facts", vpath, std::move(msg));
                        continue;
                    }
                    if (field->values.empty()) continue;
                    if (!v.is_string() || !field->title_of(v.get<std::string>())) {
                        std::vector<std::string> allowed;
                        for (const auto& [id, title] : field->values) allowed.push_back(id);
                        std::string msg = field->title + ": значение " + data::describe_value(v) + " не из списка";
                        const auto near = v.is_string() ? data::nearest(v.get<std::string>(), allowed) : std::string();
                        if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                        std::string list;
                        for (const auto& [id, title] : field->values) list += (list.empty() ? "" : ", ") + id + " (" + title + ")";
                        check.error(ErrorId::data_bad_value, "facts", vpath, msg + "; допустимые: " + list);
                    }
                }
            }
        }
        const auto date = Date::parse(str(f, "date"));
        if (!school || !date) continue;
        if (!seen_facts.insert({*school, name, date->iso()}).second) {
            check.error(ErrorId::data_duplicate, "facts", path, "факт «" + name + "» школы «" + sid + "» от " + date->ru() + " уже записан выше");
            continue;
        }
        Fact fact;
        fact.school = *school;
        fact.date = *date;
        fact.name = name;
        fact.record = &f;
        fact.row = i;
        fact.entry = Json::object();
        auto& members = fact.entry.get_ref<Json::object_t&>();
        bool dated = false;
        if (value && value->is_object()) {
            members.reserve(value->size() + 1);
            for (const auto& [k, v] : value->items()) {
                dated = dated || k == "date";
                members.emplace_back(k, k == "date" ? Json(date->iso()) : v);
            }
        } else {
            members.reserve(2);
            members.emplace_back("value", value ? *value : Json(true));
        }
        if (!dated) members.emplace_back("date", date->iso());
        d.facts_[*school].push_back(std::move(fact));
    }
    for (auto& v : d.facts_) std::stable_sort(v.begin(), v.end(), [](const Fact& a, const Fact& b) { return a.date < b.date; });

    // Partnerships: dated decisions; pairs name known schools and partners; capacity holds.
    const Json& partners_file = ws.data.contains("partners") ? ws.data["partners"] : Json();
    const int default_capacity = partners_file.is_object() && partners_file.contains("capacity") && partners_file["capacity"].is_number_integer()
                                     ? partners_file["capacity"].get<int>()
                                     : 3;
    const Json& partnerships = list_of(ws, "partners", "partnerships");
    for (std::size_t i = 0; i < partnerships.size(); ++i) {
        const Json& p = partnerships[i];
        const std::string path = data::path_index("$.partnerships", i);
        Partnership ps;
        ps.row = i;
        ps.record = &p;
        const auto year = AcademicYear::parse(str(p, "year"));
        if (!year) {
            check.error(ErrorId::data_bad_value, "partners", data::path_member(path, "year"),
                        "учебный год «" + str(p, "year") + "» записан неверно: ожидались два года подряд через дефис, например «2020-2021»");
            continue;
        }
        ps.year = *year;
        ps.order = p.contains("order") && p["order"].is_object() ? &p["order"] : nullptr;
        std::optional<Date> date = p.contains("date") && p["date"].is_string() ? Date::parse(p["date"].get<std::string>()) : std::nullopt;
        if (!date && ps.order) date = Date::parse(str(*ps.order, "date"));
        if (!date) {
            check.error(ErrorId::data_missing_field, "partners", path, "нужна дата, с которой пары действуют: поле «date» или приказ «order» с датой");
            continue;
        }
        ps.date = *date;
        if (p.contains("plan_deadline") && p["plan_deadline"].is_string()) ps.plan_deadline = Date::parse(p["plan_deadline"].get<std::string>());
        ps.capacity = p.contains("capacity") && p["capacity"].is_number_integer() ? p["capacity"].get<int>() : default_capacity;
        ps.match = !(p.contains("match") && p["match"].is_boolean()) || p["match"].get<bool>();
        const Json& pairs = p.contains("pairs") && p["pairs"].is_array() ? p["pairs"] : kEmptyList;
        std::map<std::string, std::vector<std::string>> taken;  // partner → schools
        std::set<std::pair<std::string, std::string>> seen;
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            const std::string pp = data::path_index(data::path_member(path, "pairs"), k);
            Pair pair{str(pairs[k], "school"), str(pairs[k], "partner"), k};
            bool ok = true;
            if (!d.school(pair.school)) {
                check.unknown_reference("partners", data::path_member(pp, "school"), pair.school, school_ids, "в schools.json нет школы с кодом");
                ok = false;
            }
            if (!d.school(pair.partner) && !d.organisation(pair.partner)) {
                check.unknown_reference("partners", data::path_member(pp, "partner"), pair.partner, party_ids,
                                        "партнёра с кодом {} нет ни в schools.json, ни в organisations.json");
                ok = false;
            }
            if (ok && pair.school == pair.partner) {
                check.error(ErrorId::data_bad_value, "partners", data::path_member(pp, "partner"), "школа «" + pair.school + "» не может быть партнёром самой себе");
                ok = false;
            }
            if (ok && !seen.insert({pair.school, pair.partner}).second) {
                check.error(ErrorId::data_duplicate, "partners", pp, "пара «" + pair.school + "» – «" + pair.partner + "» уже записана выше");
                ok = false;
            }
            if (!ok) continue;
            taken[pair.partner].push_back(pair.school);
            ps.pairs.push_back(std::move(pair));
        }
        for (const auto& [partner, list] : taken) {
            if (static_cast<int>(list.size()) <= ps.capacity) continue;
            check.error(ErrorId::data_bad_value, "partners", data::path_member(path, "pairs"),
                        "партнёр «" + d.party_name(partner) + "» закреплён за " + std::to_string(list.size()) + " школами (" + join(list) +
                            "), а одна школа-партнёр может взять не больше " + std::to_string(ps.capacity) +
                            "; увеличьте «capacity» или измените пары");
        }
        for (const auto& other : d.partnerships_) {
            if (other.year == ps.year && other.date == ps.date) {
                check.error(ErrorId::data_duplicate, "partners", path,
                            "партнёрство на " + ps.year.name() + " от " + ps.date.ru() + " уже записано выше ($.partnerships[" + std::to_string(other.row) + "])");
            }
        }
        d.partnerships_.push_back(std::move(ps));
    }
    std::stable_sort(d.partnerships_.begin(), d.partnerships_.end(),
                     [](const Partnership& a, const Partnership& b) { return std::tie(a.year, a.date) < std::tie(b.year, b.date); });

    // Councils: dated meetings; experts review known schools.
    const Json& councils = list_of(ws, "councils", "councils");
    for (std::size_t i = 0; i < councils.size(); ++i) {
        const Json& c = councils[i];
        const std::string path = data::path_index("$.councils", i);
        const auto date = Date::parse(str(c, "date"));
        if (!date) continue;
        Council council{str(c, "id"), *date, AcademicYear::of(*date), &c, i};
        if (council.id.empty()) council.id = date->iso();
        if (d.council(council.id)) {
            check.error(ErrorId::data_duplicate, "councils", path,
                        "заседание «" + council.id + "» уже записано выше; у заседаний одного дня должны быть разные коды «id»");
            continue;
        }
        const Json& experts = c.contains("experts") && c["experts"].is_array() ? c["experts"] : kEmptyList;
        for (std::size_t e = 0; e < experts.size(); ++e) {
            const Json& list = experts[e].contains("schools") && experts[e]["schools"].is_array() ? experts[e]["schools"] : kEmptyList;
            for (std::size_t k = 0; k < list.size(); ++k) {
                if (d.school(list[k].get<std::string>())) continue;
                check.unknown_reference("councils", data::path_index(data::path_member(data::path_index(data::path_member(path, "experts"), e), "schools"), k),
                                        list[k].get<std::string>(), school_ids, "в schools.json нет школы с кодом");
            }
        }
        d.councils_.push_back(std::move(council));
    }
    std::stable_sort(d.councils_.begin(), d.councils_.end(), [](const Council& a, const Council& b) { return a.date < b.date; });

    // Conclusions: one per council, school and expert, written by the expert the council assigned.
    const Json& conclusions = list_of(ws, "conclusions", "conclusions");
    for (std::size_t i = 0; i < conclusions.size(); ++i) {
        const Json& c = conclusions[i];
        const std::string path = data::path_index("$.conclusions", i);
        Conclusion x{str(c, "council"), str(c, "school"), str(c, "expert"), &c};
        const Council* council = d.council(x.council);
        if (!council) {
            std::vector<std::string> ids;
            for (const auto& k : d.councils_) ids.push_back(k.id);
            check.unknown_reference("conclusions", data::path_member(path, "council"), x.council, ids, "в councils.json нет заседания с кодом");
            continue;
        }
        if (!d.school(x.school)) {
            check.unknown_reference("conclusions", data::path_member(path, "school"), x.school, school_ids, "в schools.json нет школы с кодом");
            continue;
        }
        bool assigned = false;
        const Json& rec = *council->record;
        for (const auto& e : rec.contains("experts") && rec["experts"].is_array() ? rec["experts"] : kEmptyList) {
            if (str(e, "name") != x.expert || !e.contains("schools") || !e["schools"].is_array()) continue;
            for (const auto& s : e["schools"]) assigned = assigned || s == x.school;
        }
        if (!assigned) {
            check.error(ErrorId::data_unknown_reference, "conclusions", data::path_member(path, "expert"),
                        "эксперт «" + x.expert + "» не назначен на программу школы «" + x.school + "» заседания «" + x.council +
                            "» (councils.json: experts[].name и experts[].schools)");
            continue;
        }
        if (d.conclusion(x.council, x.school, x.expert)) {
            check.error(ErrorId::data_duplicate, "conclusions", path,
                        "заключение эксперта «" + x.expert + "» на программу школы «" + x.school + "» к заседанию «" + x.council +
                            "» уже записано выше");
            continue;
        }
        d.conclusions_.push_back(std::move(x));
    }

    // The centre's events: a date or a month, never both or neither.
    const Json& events = list_of(ws, "events", "events");
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Json& e = events[i];
        const std::string path = data::path_index("$.events", i);
        const bool has_date = e.contains("date") && e["date"].is_string(), has_month = e.contains("month") && e["month"].is_string();
        if (has_date == has_month) {
            check.error(ErrorId::data_missing_field, "events", path,
                        has_date ? "указаны и дата, и месяц: оставьте что-то одно" : "нужна дата мероприятия («date») или, если дня нет, месяц («month»: «2020-10»)");
            continue;
        }
        std::optional<Date> day;
        if (has_date) {
            day = Date::parse(e["date"].get<std::string>());
        } else if (const auto ym = text::parse_year_month(e["month"].get<std::string>())) {
            // Known to have happened by the end of its month (and listed after that month's dated events).
            const auto first = Date::from_ymd(ym->year, ym->month, 1);
            const auto next = ym->month == 12 ? Date::from_ymd(ym->year + 1, 1, 1) : Date::from_ymd(ym->year, ym->month + 1, 1);
            day = next ? next->plus_days(-1) : first;
        }
        if (!day) continue;
        d.events_.push_back({AcademicYear::of(*day), *day, &e});
    }
    std::stable_sort(d.events_.begin(), d.events_.end(), [](const CentreEvent& a, const CentreEvent& b) { return a.day < b.day; });
    const Json& monitorings = list_of(ws, "events", "monitorings");
    for (std::size_t i = 0; i < monitorings.size(); ++i) {
        const Json& m = monitorings[i];
        const auto year = AcademicYear::parse(str(m, "year"));
        if (!year) {
            check.error(ErrorId::data_bad_value, "events", data::path_member(data::path_index("$.monitorings", i), "year"),
                        "учебный год «" + str(m, "year") + "» записан неверно: ожидались два года подряд через дефис, например «2020-2021»");
            continue;
        }
        std::optional<Date> done = m.contains("date") && m["date"].is_string() ? Date::parse(m["date"].get<std::string>()) : std::nullopt;
        d.monitorings_.push_back({*year, done.value_or(year->end()), &m});
    }

    Diagnostics problems = check.take();
    if (!problems.empty()) throw Error(std::move(problems));
    return d;
}

const School* Domain::school(std::string_view id) const {
    const auto i = school_index(id);
    return i ? &schools_[*i] : nullptr;
}

std::optional<std::size_t> Domain::school_index(std::string_view id) const {
    auto it = school_ids_.find(std::string(id));
    if (it == school_ids_.end()) return std::nullopt;
    return it->second;
}

const Organisation* Domain::organisation(std::string_view id) const {
    for (const auto& o : organisations_) {
        if (o.id == id) return &o;
    }
    return nullptr;
}

const std::string& Domain::party_name(const std::string& id) const {
    if (const School* s = school(id)) return s->short_name;
    if (const Organisation* o = organisation(id)) return o->short_name;
    return id;
}

const IndicatorRecord* Domain::indicators(std::size_t school, AcademicYear period, std::optional<Date> known_by) const {
    auto it = indicator_index_.find({school, period.first()});
    if (it == indicator_index_.end()) return nullptr;
    const IndicatorRecord& r = indicators_[it->second];
    if (known_by && r.known_on > *known_by) return nullptr;
    return &r;
}

const std::vector<Fact>& Domain::facts(std::size_t school) const {
    static const std::vector<Fact> none;
    return school < facts_.size() ? facts_[school] : none;
}

const Partnership* Domain::partnership(AcademicYear year, Date as_of) const {
    const Partnership* best = nullptr;
    for (const auto& p : partnerships_) {
        if (p.year == year && p.date <= as_of) best = &p;
    }
    return best;
}

const Conclusion* Domain::conclusion(std::string_view council, std::string_view school, std::string_view expert) const {
    for (const auto& c : conclusions_) {
        if (c.council == council && c.school == school && c.expert == expert) return &c;
    }
    return nullptr;
}

const Council* Domain::council(std::string_view id) const {
    for (const auto& c : councils_) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

const Council* Domain::latest_council(AcademicYear year, Date as_of) const {
    const Council* best = nullptr;
    for (const auto& c : councils_) {
        if (c.year == year && c.date <= as_of) best = &c;
    }
    return best;
}

Position Domain::position(std::string_view stem, std::string_view path) const {
    const auto it = ws_->sources.find(std::string(stem));
    return it == ws_->sources.end() ? Position{} : it->second.position_of(path);
}

std::string Domain::file(std::string_view stem) const {
    const auto it = ws_->sources.find(std::string(stem));
    return it == ws_->sources.end() ? (ws_->dir / (std::string(stem) + ".json")).lexically_normal().string() : it->second.file;
}

}  // namespace ppko::domain
