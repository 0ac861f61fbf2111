#include "workflow/engine.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "partners/partners.h"
#include "text/russian.h"

namespace ppko::workflow {
namespace {

using data::Json;

// Names visible to decision-table inputs and guards, bound to values that live elsewhere (the
// workspace, the caller's locals) so that nothing is copied to evaluate. Behaves as a JSON object
// of those names would: a name bound to nothing or to null is not found; binding a name again
// replaces its value in place, so names() lists them in the order the object's keys would be.
class BoundScope final : public expr::Scope {
public:
    void bind(std::string_view name, const Json* value) {
        for (std::size_t i = 0; i < size_; ++i) {
            if (bound_[i].first == name) {
                bound_[i].second = value;
                return;
            }
        }
        if (size_ == bound_.size()) throw Error(ErrorId::internal, "", {}, "", "BoundScope: too many names");
        bound_[size_++] = {name, value};
    }
    const Json* find(std::string_view name) const override {
        for (std::size_t i = 0; i < size_; ++i) {
            if (bound_[i].first == name) return bound_[i].second && !bound_[i].second->is_null() ? bound_[i].second : nullptr;
        }
        return nullptr;
    }
    void names(std::vector<std::string>& out) const override {
        for (std::size_t i = 0; i < size_; ++i) out.emplace_back(bound_[i].first);
    }

private:
    std::array<std::pair<std::string_view, const Json*>, 8> bound_{};
    std::size_t size_ = 0;
};

// A member of an object, or nullptr (the JSON counterpart of a missing key).
const Json* member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string iso(std::string_view d) {
    if (auto x = text::parse_date(d)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", x->year, x->month, x->day);
        return buf;
    }
    return std::string(d);
}

std::string ru_date(const std::string& iso_date) {
    if (auto d = text::parse_date(iso_date)) return text::format_date_short(*d);
    return iso_date;
}

Json state_data(const store::ProgramState& p) {
    Json j = Json::parse(p.data_json.empty() ? "{}" : p.data_json, nullptr, false);
    return j.is_object() ? j : Json::object();
}

void set_data(store::ProgramState& p, const Json& j) { p.data_json = j.dump(); }

// The facts a guard read (facts.<name>…), and the latest date among them.
std::string facts_read(const expr::AccessLog& log, const Json& facts, Json& out) {
    std::string latest;
    for (const auto& a : log) {
        out[a.path] = a.missing ? Json("нет данных") : a.value;
        if (a.path.rfind("facts.", 0) != 0) continue;
        std::string name = a.path.substr(6);
        name = name.substr(0, name.find_first_of(".["));
        auto it = facts.find(name);
        if (it != facts.end() && it->contains("date")) latest = std::max(latest, (*it)["date"].get<std::string>());
    }
    return latest;
}

}  // namespace

Engine::Engine(const data::Workspace& ws, const Registry& registry) : ws_(ws), registry_(registry) {
    if (ws.workflow.empty()) {
        throw Error(ErrorId::workflow_not_found, (ws.dir / "workspace.json").string(), {}, "$.workflow",
                    "в workspace.json не указан рабочий процесс программ («workflow»: \"ppko\")");
    }
    workflow_ = &registry.workflow(ws.workflow);
    if (!ws.identification.empty()) table_ = &registry.table(ws.identification);
    static const Json empty = Json::object();
    const Json& schools = ws.data.contains("schools") ? ws.data["schools"]["schools"] : empty;
    for (const auto& s : schools) {
        schools_.emplace_back(s["id"].get<std::string>(), &s);
        const std::size_t at = schools_.size() - 1;
        auto [it, added] = school_index_.try_emplace(schools_.back().first, SchoolIndex{at, at});
        if (!added) it->second.last = at;
    }
    std::set<std::string> years;
    if (ws.data.contains("indicators")) {
        for (const auto& r : ws.data["indicators"]["indicators"]) {
            indicators_[{r["school"].get<std::string>(), r["year"].get<std::string>()}] = &r;
            years.insert(r["year"].get<std::string>());
        }
    }
    years_.assign(years.begin(), years.end());
    categories_.resize(schools_.size() * years_.size());
    if (ws.data.contains("facts")) {
        for (const auto& f : ws.data["facts"]["facts"]) {
            Fact fact{iso(f["date"].get<std::string>()), f["fact"].get<std::string>(), Json()};
            // One copy of the value, into an object with room for "date" (a full ordered_json
            // object copies its values when it grows).
            const Json* value = f.contains("value") && !f["value"].is_null() ? &f["value"] : nullptr;
            fact.entry = Json::object();
            auto& members = fact.entry.get_ref<Json::object_t&>();
            bool dated = false;  // the value's own "date" is replaced in place
            if (value && value->is_object()) {
                members.reserve(value->size() + 1);
                for (const auto& [k, v] : value->items()) {
                    dated = dated || k == "date";
                    members.emplace_back(k, k == "date" ? Json(fact.date) : v);
                }
            } else {
                members.reserve(2);
                members.emplace_back("value", value ? *value : Json(true));
            }
            if (!dated) members.emplace_back("date", fact.date);
            facts_[f["school"].get<std::string>()].push_back(std::move(fact));
        }
        for (auto& [s, v] : facts_) std::stable_sort(v.begin(), v.end(), [](const Fact& a, const Fact& b) { return a.date < b.date; });
    }
}

bool Engine::has_school(const std::string& id) const { return school_index_.count(id) != 0; }

std::string Engine::school_name(const std::string& id) const {
    auto it = school_index_.find(id);
    if (it == school_index_.end()) return id;
    return (*schools_[it->second.first].second)["short_name"].get<std::string>();
}

const Json* Engine::school_json(const std::string& id) const {
    auto it = school_index_.find(id);
    return it == school_index_.end() ? nullptr : schools_[it->second.last].second;
}

const std::vector<std::string>& Engine::categories(const std::string& school, const std::string& year) const {
    auto s = school_index_.find(school);
    auto y = std::lower_bound(years_.begin(), years_.end(), year);
    if (s != school_index_.end() && y != years_.end() && *y == year) {
        auto& slot = categories_[s->second.last * years_.size() + static_cast<std::size_t>(y - years_.begin())];
        if (!slot) slot = identify(school, year).categories;
        return *slot;
    }
    auto it = other_categories_.find({school, year});
    if (it == other_categories_.end()) it = other_categories_.emplace(std::pair{school, year}, identify(school, year).categories).first;
    return it->second;
}

Identification Engine::identify(const std::string& school, const std::string& year) const {
    Identification out;
    if (!table_) return out;
    auto it = indicators_.find({school, year});
    // The names of {"school", "year", "results", "context"}, bound without copying.
    const Json year_value(year);
    BoundScope scope;
    if (const Json* s = school_json(school)) scope.bind("school", s);
    scope.bind("year", &year_value);
    if (it != indicators_.end()) {
        out.has_data = true;
        scope.bind("results", member(*it->second, "results"));
        scope.bind("context", member(*it->second, "context"));
    }
    out.decision = table_->evaluate(scope);
    for (const rules::Rule* hit : out.decision.hits) {
        const Json& o = hit->then;
        if (o.contains("category")) {
            const std::string c = o["category"].get<std::string>();
            if (std::find(out.categories.begin(), out.categories.end(), c) == out.categories.end()) out.categories.push_back(c);
        }
        if (o.contains("reason")) out.reasons.push_back(o["reason"].get<std::string>());
    }
    return out;
}

std::vector<std::string> Engine::participants(const std::string& year) const {
    if (auto cached = participants_.find(year); cached != participants_.end()) return cached->second;
    std::vector<std::string> out;
    const Json year_value(year);
    for (const auto& [sid, j] : schools_) {
        const std::vector<std::string>& categories = this->categories(sid, year);
        bool applies;
        if (workflow_->applies_to) {
            // The names of {"school", "categories", "year"}, bound without copying.
            const Json categories_value(categories);
            BoundScope scope;
            scope.bind("school", j);
            scope.bind("categories", &categories_value);
            scope.bind("year", &year_value);
            const expr::Value v = workflow_->applies_to->evaluate(scope, expr::Mode::facts);
            applies = !v.is_missing() && expr::truthy(v.get());
        } else {
            applies = std::find(categories.begin(), categories.end(), "low_results") != categories.end();
        }
        if (applies) out.push_back(sid);
    }
    participants_.emplace(year, out);
    return out;
}

Json Engine::facts_window(const std::string& school, const std::string& from, const std::string& to) const {
    Json out = Json::object();
    auto it = facts_.find(school);
    if (it == facts_.end()) return out;
    for (const auto& f : it->second) {
        if (f.date < from || f.date > to) continue;
        out[f.name] = f.entry;
    }
    return out;
}

// What a program's guards see, as the object {"school", "categories", "results", "context",
// "facts", "program", "date"} (results and context only when the year has an indicator record;
// school only when it is in schools.json). Only the per-call parts are built; school, results
// and context point into the workspace.
struct Engine::ProgramRoots final : public expr::Scope {
    const Json* school = nullptr;
    Json categories;
    bool has_indicators = false;
    const Json* results = nullptr;
    const Json* context = nullptr;
    Json facts, program, date;

    const Json* find(std::string_view name) const override {
        const Json* v = name == "school"       ? school
                        : name == "categories" ? &categories
                        : name == "results"    ? results
                        : name == "context"    ? context
                        : name == "facts"      ? &facts
                        : name == "program"    ? &program
                        : name == "date"       ? &date
                                               : nullptr;
        return v && !v->is_null() ? v : nullptr;
    }
    void names(std::vector<std::string>& out) const override {
        if (school) out.emplace_back("school");
        out.emplace_back("categories");
        if (has_indicators) {
            out.emplace_back("results");
            out.emplace_back("context");
        }
        out.emplace_back("facts");
        out.emplace_back("program");
        out.emplace_back("date");
    }
};

Engine::ProgramRoots Engine::program_roots(const store::ProgramState& p, const std::string& from, const std::string& to) const {
    ProgramRoots roots;
    roots.school = school_json(p.school);
    roots.categories = categories(p.school, p.academic_year);
    auto ind = indicators_.find({p.school, p.academic_year});
    if (ind != indicators_.end()) {
        roots.has_indicators = true;
        roots.results = member(*ind->second, "results");
        roots.context = member(*ind->second, "context");
    }
    roots.facts = facts_window(p.school, from, to);
    roots.program = Json{{"stage", p.stage}, {"year", p.academic_year}, {"started_on", p.started_on}, {"status", p.status}};
    roots.date = to;
    return roots;
}

Plan Engine::advance(const std::vector<store::ProgramState>& current, const std::string& date) const {
    const Workflow& wf = *workflow_;
    std::map<std::string, store::ProgramState> programs;
    for (const auto& p : current) programs[p.school] = p;
    std::set<std::string> changed;
    Plan plan;
    auto event = [&](const store::ProgramState& p, std::string kind, std::string day, std::string from, std::string to,
                     std::string guard, Json facts, std::string note) {
        store::Event e;
        e.school = p.school;
        e.workflow = p.workflow;
        e.workflow_version = p.workflow_version;
        e.date = std::move(day);
        e.kind = std::move(kind);
        e.from_stage = std::move(from);
        e.to_stage = std::move(to);
        e.guard = std::move(guard);
        e.facts_json = facts.dump();
        e.note = std::move(note);
        plan.events.push_back(std::move(e));
        changed.insert(p.school);
    };
    auto stage_title = [](const Workflow& w, const std::string& id) {
        const Stage* s = w.stage(id);
        return s ? s->title : id;
    };

    const std::string target_year = academic_year_of(date);
    std::vector<std::string> years = years_;
    if (years.empty() || years.back() < target_year) {
        // Years after the last indicator data still run (programs continue; no new lists).
        std::string y = years.empty() ? target_year : next_year(years.back());
        while (y <= target_year) {
            years.push_back(y);
            y = next_year(y);
        }
    }
    for (const std::string& year : years) {
        if (year > target_year) break;
        const std::string ys = year_start(year), ye = year_end(year);
        // 1. Open programs for this year's list.
        if (std::binary_search(years_.begin(), years_.end(), year)) {
            for (const auto& school : participants(year)) {
                auto it = programs.find(school);
                if (it != programs.end()) {
                    const Json d = state_data(it->second);
                    const bool ended_before = it->second.status == "completed" && d.value("completed_on", std::string()) < ys;
                    if (!ended_before) continue;
                }
                store::ProgramState p;
                p.school = school;
                p.workflow = wf.id;
                p.workflow_version = wf.version;
                p.stage = wf.start;
                p.status = "active";
                p.started_on = ys;
                p.academic_year = year;
                set_data(p, Json{{"stage_entered", ys}});
                const std::vector<std::string>& categories = this->categories(school, year);
                std::string cats;
                for (const auto& c : categories) cats += (cats.empty() ? "" : ", ") + c;
                event(p, "created", ys, "", p.stage, wf.applies_to_text, Json{{"categories", categories}},
                      "Программа открыта на " + year + " учебный год: школа в списке участников" + (cats.empty() ? "" : " (" + cats + ")"));
                programs[school] = std::move(p);
            }
        }
        // 2. Move programs of this year.
        for (auto& [school, p] : programs) {
            if (p.status != "active" || p.academic_year != year) continue;
            const Workflow& w = registry_.workflow(p.workflow, p.workflow_version);
            const std::string until = std::min(date, ye);
            for (int step = 0;; ++step) {
                if (step > 50) {
                    throw Error(ErrorId::workflow_no_progress, w.file, {}, "",
                                "программа школы «" + school_name(school) + "» переходит по кругу без новых фактов (этап «" + p.stage + "»)");
                }
                Json d = state_data(p);
                const std::string entered = d.value("stage_entered", ys);
                const ProgramRoots roots = program_roots(p, std::max(ys, entered), until);
                const expr::Scope& scope = roots;
                const Transition* fired = nullptr;
                expr::AccessLog log;
                for (const auto& t : w.transitions) {
                    if (t.from != p.stage) continue;
                    log.clear();
                    expr::Value v = t.guard.evaluate(scope, expr::Mode::facts, &log);
                    bool ok = !v.is_missing() && expr::truthy(v.get());
                    const Stage* from = w.stage(t.from);
                    const Stage* to = w.stage(t.to);
                    if (ok && from && from->exit) {
                        expr::Value e = from->exit->evaluate(scope, expr::Mode::facts, &log);
                        ok = !e.is_missing() && expr::truthy(e.get());
                    }
                    if (ok && to && to->entry) {
                        expr::Value e = to->entry->evaluate(scope, expr::Mode::facts, &log);
                        ok = !e.is_missing() && expr::truthy(e.get());
                    }
                    if (ok) {
                        fired = &t;
                        break;
                    }
                }
                if (!fired) break;
                Json used = Json::object();
                std::string when = facts_read(log, roots.facts, used);
                when = std::max(when, entered);
                const std::string from_stage = p.stage;
                p.stage = fired->to;
                d["stage_entered"] = when;
                if (!fired->actions.empty()) d["due"] = fired->actions;
                set_data(p, d);
                event(p, "transition", when, from_stage, p.stage, fired->guard_text, used,
                      "«" + stage_title(w, from_stage) + "» → «" + stage_title(w, p.stage) + "»" + (fired->title.empty() ? "" : ": " + fired->title));
            }
            // 3. The end of the academic year.
            if (date > ye) {
                Json d = state_data(p);
                const std::string entered = d.value("stage_entered", ys);
                const ProgramRoots roots = program_roots(p, std::max(ys, entered), ye);
                const expr::Scope& scope = roots;
                for (const auto& y : w.year_end) {
                    expr::AccessLog log;
                    expr::Value v = y.guard.evaluate(scope, expr::Mode::facts, &log);
                    if (v.is_missing() || !expr::truthy(v.get())) continue;
                    Json used = Json::object();
                    facts_read(log, roots.facts, used);
                    const std::string from_stage = p.stage;
                    p.stage = y.to;
                    if (y.status == "completed") {
                        p.status = "completed";
                        d["completed_on"] = ye;
                        d["stage_entered"] = ye;
                    } else {
                        p.academic_year = next_year(year);
                        d["stage_entered"] = year_start(p.academic_year);
                    }
                    d["outcome"] = y.id;
                    set_data(p, d);
                    event(p, y.status == "completed" ? "completed" : "continued", ye, from_stage, p.stage, y.guard_text, used,
                          "Итог " + year + " учебного года: " + (y.title.empty() ? y.id : y.title));
                    break;
                }
            }
        }
    }
    for (const auto& s : changed) plan.programs.push_back(programs[s]);
    return plan;
}

Engine::TaskStatus Engine::tasks(const store::ProgramState& p, const std::string& as_of) const {
    TaskStatus out;
    if (p.status != "active") return out;
    const Workflow& w = registry_.workflow(p.workflow, p.workflow_version);
    const Stage* s = w.stage(p.stage);
    if (!s) return out;
    const Json facts = facts_window(p.school, year_start(p.academic_year), std::min(as_of, year_end(p.academic_year)));
    std::string best;
    for (const auto& t : s->tasks) {
        if (!t.done.empty() && facts.contains(t.done)) continue;
        const std::string due = date_in_year(p.academic_year, t.to);
        if (due < as_of && !t.done.empty()) {
            out.overdue.push_back(t.activity + " (до " + ru_date(due) + ")");
        } else if (due >= as_of && (best.empty() || due < best)) {
            best = due;
            out.next_deadline = ru_date(due) + " — " + t.activity;
        }
    }
    return out;
}

std::vector<Engine::YearRow> Engine::summary(const std::vector<store::Event>& events, const std::string& through_year) const {
    std::vector<YearRow> rows;
    std::set<std::string> first;
    auto in_school_order = [&](const std::set<std::string>& set) {
        std::vector<std::string> out;
        for (const auto& [sid, j] : schools_) {
            if (set.count(sid)) out.push_back(sid);
        }
        return out;
    };
    std::string previous;
    for (const auto& year : years_) {
        if (year > through_year) break;
        YearRow r;
        r.year = year;
        r.participants = participants(year);
        const std::set<std::string> listed(r.participants.begin(), r.participants.end());
        // Active in `year`: opened at its start, or continued into it at the end of the year before.
        std::set<std::string> active, completed;
        const std::string starts = year_start(year), ends = year_end(year), previous_ends = previous.empty() ? "" : year_end(previous);
        for (const auto& e : events) {
            if (e.kind == "created" && e.date == starts) active.insert(e.school);
            if (e.kind == "continued" && !previous.empty() && e.date == previous_ends) active.insert(e.school);
            if (e.kind == "completed" && e.date == ends) completed.insert(e.school);
        }
        std::set<std::string> on_trust;
        for (const auto& s : active) {
            if (!listed.count(s)) on_trust.insert(s);
        }
        r.on_trust = in_school_order(on_trust);
        r.completed = in_school_order(completed);
        if (rows.empty()) {
            first = listed;
        } else if (!first.empty()) {
            std::set<std::string> u = on_trust;
            u.insert(completed.begin(), completed.end());
            r.percent = static_cast<int>((100 * u.size() + first.size() / 2) / first.size());
        }
        rows.push_back(std::move(r));
        previous = year;
    }
    return rows;
}

const data::Json* Engine::school_record(const std::string& id) const { return school_json(id); }

const data::Json& Engine::partnership(const std::string& year) const {
    static const Json none;
    if (!ws_.data.contains("partners") || ws_.data["partners"]["year"] != year) return none;
    auto it = partnerships_.find(year);
    if (it == partnerships_.end()) {
        it = partnerships_.emplace(year, compute_partnership(year)).first;
        auto& index = pair_index_[year];
        for (const auto& p : it->second["pairs"]) index[p["school"]["id"].get<std::string>()] = &p;
    }
    return it->second;
}

const data::Json* Engine::pair_of(const std::string& school, const std::string& year) const {
    if (partnership(year).is_null()) return nullptr;
    const auto index = pair_index_.find(year);  // filled with the partnership
    if (index == pair_index_.end()) return nullptr;
    auto it = index->second.find(school);
    return it == index->second.end() ? nullptr : it->second;
}

data::Json Engine::compute_partnership(const std::string& year) const {
    const Json& src = ws_.data["partners"];
    auto to_school = [&](const std::string& id) {
        partners::School s;
        s.id = id;
        if (const Json* j = school_record(id)) {
            s.name = (*j)["short_name"].get<std::string>();
            s.kind = (*j)["kind"].get<std::string>();
            if ((*j)["district"].is_string()) s.district = (*j)["district"].get<std::string>();
            if ((*j)["students"].is_number_integer()) s.students = (*j)["students"].get<int>();
        }
        return s;
    };
    std::vector<partners::School> low, strong;
    for (const auto& id : participants(year)) low.push_back(to_school(id));
    for (const auto& [sid, j] : schools_) {
        const auto& cats = categories(sid, year);
        if (std::find(cats.begin(), cats.end(), "strong") != cats.end()) strong.push_back(to_school(sid));
    }
    std::vector<partners::FixedPair> fixed;
    const std::string source = "приказ от " + src["order"]["date"].get<std::string>() + " № " + src["order"]["number"].get<std::string>();
    if (src["fixed"].is_array()) {
        for (const auto& f : src["fixed"]) fixed.push_back({f["school"].get<std::string>(), f["partner"].get<std::string>(), source});
    }
    partners::Options options;
    if (src["capacity"].is_number_integer()) options.capacity = src["capacity"].get<int>();
    const auto result = partners::match(low, strong, fixed, options);
    auto record = [&](const std::string& id) {
        const Json* j = school_record(id);
        return j ? *j : Json{{"id", id}, {"short_name", id}, {"name", id}};
    };
    // In the order of the official list, as orders list them (a school's pairs in match order).
    // Objects are filled key by key: an initializer list would copy every record twice.
    std::unordered_map<std::string_view, std::vector<const partners::Pair*>> pairs_of;
    for (const auto& p : result.pairs) pairs_of[p.school].push_back(&p);
    Json pairs = Json::array(), unmatched = Json::array();
    for (const auto& s : low) {
        auto it = pairs_of.find(s.id);
        if (it == pairs_of.end()) continue;
        for (const auto* p : it->second) {
            Json pair = Json::object();
            pair["school"] = record(p->school);
            pair["partner"] = record(p->partner);
            pair["fixed"] = p->fixed;
            pair["reasons"] = p->reasons;
            pairs.push_back(std::move(pair));
        }
    }
    for (const auto& u : result.unmatched) unmatched.push_back({{"school", record(u.school)}, {"reason", u.reason}});
    Json out = Json::object();
    out["year"] = year;
    out["order"] = src["order"];
    out["plan_deadline"] = src["plan_deadline"];
    out["pairs"] = std::move(pairs);
    out["unmatched"] = std::move(unmatched);
    return out;
}

const data::Json& Engine::stages_of(const Workflow& w, const std::string& year) const {
    const std::lock_guard lock(stages_mutex_);  // school_context may run on several threads
    auto [it, added] = stages_.try_emplace({&w, year});
    if (added) {
        Json stages = Json::array();
        for (const auto& st : w.stages) {
            if (st.final) continue;
            Json tasks = Json::array();
            for (const auto& t : st.tasks) {
                tasks.push_back({{"activity", t.activity}, {"responsible", t.responsible}, {"from", date_in_year(year, t.from)}, {"to", date_in_year(year, t.to)}});
            }
            stages.push_back({{"id", st.id}, {"title", st.title}, {"from", date_in_year(year, st.from)}, {"to", date_in_year(year, st.to)}, {"tasks", std::move(tasks)}});
        }
        it->second = std::move(stages);
    }
    return it->second;
}

data::Json Engine::school_context(const std::string& school, const std::string& year, const store::ProgramState* program) const {
    Json c = Json::object();
    // Room for every key below: a full ordered_json object copies (not moves) its values when it
    // grows, the school record among them.
    c.get_ref<Json::object_t&>().reserve(16);
    if (const Json* j = school_json(school)) c["school"] = *j;
    c["year"] = Json{{"name", year}, {"start", year_start(year)}, {"end", year_end(year)}};
    const Identification id = identify(school, year);
    c["categories"] = id.categories;
    c["reasons"] = id.reasons;
    Json problems = Json::array(), baseline = Json::array();
    if (table_) {
        auto ind = indicators_.find({school, year});
        for (const auto& m : table_->measures()) {
            const Json* v = nullptr;
            if (ind != indicators_.end()) {
                const auto dot = m.path.find('.');
                const Json& rec = *ind->second;
                const std::string group = m.path.substr(0, dot), key = m.path.substr(dot + 1);
                if (rec.contains(group) && rec[group].is_object() && rec[group].contains(key) && rec[group][key].is_number()) {
                    v = &rec[group][key];
                }
            }
            Json row = {{"title", m.title}, {"unit", m.unit}, {"threshold", m.threshold}, {"value", v ? *v : Json()}};
            if (v && (m.above ? v->get<double>() >= m.threshold : v->get<double>() <= m.threshold)) problems.push_back(row);
            baseline.push_back(std::move(row));
        }
    }
    c["problems"] = std::move(problems);
    c["baseline"] = std::move(baseline);
    // Dynamics: each measure in the school's first year with data (up to `year`) and in `year`.
    Json dynamics = Json::array();
    if (table_) {
        auto value_of = [&](const std::string& y, const std::string& path) -> Json {
            auto ind = indicators_.find({school, y});
            if (ind == indicators_.end()) return nullptr;
            const auto dot = path.find('.');
            const Json& rec = *ind->second;
            const std::string group = path.substr(0, dot), key = path.substr(dot + 1);
            if (rec.contains(group) && rec[group].is_object() && rec[group].contains(key) && rec[group][key].is_number()) return rec[group][key];
            return nullptr;
        };
        std::string first_year;
        for (const auto& y : years_) {
            if (y <= year && indicators_.count({school, y})) {
                first_year = y;
                break;
            }
        }
        for (const auto& m : table_->measures()) {
            dynamics.push_back({{"title", m.title}, {"unit", m.unit}, {"first_year", first_year},
                                {"first", first_year.empty() ? Json() : value_of(first_year, m.path)}, {"current", value_of(year, m.path)}});
        }
    }
    c["dynamics"] = std::move(dynamics);
    const Workflow& w = program ? registry_.workflow(program->workflow, program->workflow_version) : *workflow_;
    c["workflow"] = Json{{"id", w.id}, {"title", w.title}, {"version", w.version}};
    c["stages"] = stages_of(w, year);
    c["partner"] = nullptr;
    c["partner_reasons"] = Json::array();
    if (const Json* p = pair_of(school, year)) {
        c["partner"] = (*p)["partner"];
        c["partner_reasons"] = (*p)["reasons"];
    }
    if (const Json& ps = partnership(year); !ps.is_null()) c["plan_deadline"] = ps["plan_deadline"];
    if (program) {
        const Stage* st = w.stage(program->stage);
        c["program"] = Json{{"stage", program->stage}, {"stage_title", st ? st->title : program->stage}, {"status", program->status},
                            {"started_on", program->started_on}, {"year", program->academic_year}};
    } else {
        c["program"] = nullptr;
    }
    return c;
}

std::string Engine::explain(const std::string& school, const store::ProgramState* program, const std::string& date) const {
    std::string out;
    const std::string year = program && program->status == "active" ? program->academic_year : academic_year_of(date);
    out += school_name(school) + " (" + school + "), " + year + " учебный год\n\n";
    if (table_) {
        const Identification id = identify(school, year);
        out += "Идентификация — таблица «" + table_->id() + "» v" + std::to_string(table_->version()) + " (" + table_->title() + ")\n";
        if (!id.has_data) out += "  показателей за " + year + " нет: все входы — «нет данных»\n";
        for (std::size_t i = 0; i < table_->inputs().size(); ++i) {
            const auto& in = table_->inputs()[i];
            const expr::Value& v = id.decision.inputs[i];
            out += "  вход " + in.id + " = " + (v.is_missing() ? "нет данных (не хватает: " + v.missing_path() + ")" : v->dump()) +
                   (in.title.empty() ? "" : " — " + in.title) + "\n";
        }
        for (const auto& r : id.decision.rules) {
            out += "  правило «" + r.rule->id + "»: " + rules::truth_word(r.outcome);
            std::string cells;
            for (std::size_t i = 0; i < r.cells.size(); ++i) {
                if (r.rule->cells[i].op == rules::Cell::Op::any) continue;
                cells += (cells.empty() ? "" : "; ") + table_->inputs()[i].id + " " + r.rule->cells[i].text + " — " + rules::truth_word(r.cells[i]);
            }
            out += cells.empty() ? "\n" : " (" + cells + ")\n";
        }
        std::string cats;
        for (const auto& c : id.categories) cats += (cats.empty() ? "" : ", ") + c;
        out += "  категории: " + (cats.empty() ? std::string("нет") : cats) + "\n";
        const auto list = participants(year);
        const bool listed = std::find(list.begin(), list.end(), school) != list.end();
        out += "  в списке участников на " + year + ": " + (listed ? "да" : "нет") + " (условие: " +
               (workflow_->applies_to_text.empty() ? std::string("\"low_results\" in categories") : workflow_->applies_to_text) + ")\n\n";
    }
    const Json& ps = partnership(year);
    if (!ps.is_null()) {
        if (const Json* p = pair_of(school, year)) {
            out += "Школа-партнёр на " + year + ": " + (*p)["partner"]["short_name"].get<std::string>() + "\n";
            for (const auto& r : (*p)["reasons"]) out += "  почему: " + r.get<std::string>() + "\n";
            out += "\n";
        }
        for (const auto& u : ps["unmatched"]) {
            if (u["school"]["id"] == school) out += "Школа-партнёр не назначена: " + u["reason"].get<std::string>() + "\n\n";
        }
    }
    if (!program) {
        out += "Программы у школы нет.\n";
        return out;
    }
    const Workflow& w = registry_.workflow(program->workflow, program->workflow_version);
    const Stage* st = w.stage(program->stage);
    out += "Программа — рабочий процесс «" + w.id + "» v" + std::to_string(w.version) + ", открыта " + ru_date(program->started_on) + "\n";
    out += "  этап: " + (st ? st->title : program->stage) + " (" + program->stage + "), статус: " + program->status + ", учебный год " +
           program->academic_year + "\n";
    if (program->status != "active") return out;
    const Json d = state_data(*program);
    const std::string ys = year_start(program->academic_year);
    const std::string entered = d.value("stage_entered", ys);
    const ProgramRoots roots = program_roots(*program, std::max(ys, entered), std::min(date, year_end(program->academic_year)));
    const expr::Scope& scope = roots;
    out += "  факты учитываются с " + ru_date(std::max(ys, entered)) + " по " + ru_date(std::min(date, year_end(program->academic_year))) + "\n";
    for (const auto& t : w.transitions) {
        if (t.from != program->stage) continue;
        expr::AccessLog log;
        const expr::Value v = t.guard.evaluate(scope, expr::Mode::facts, &log);
        const char* verdict = v.is_missing() ? "нет данных" : expr::truthy(v.get()) ? "выполнено" : "не выполнено";
        out += "  переход «" + t.id + "» → " + t.to + ": " + t.guard_text + " — " + verdict + "\n";
        for (const auto& a : log) out += "      " + a.path + " = " + (a.missing ? std::string("нет данных") : a.value.dump()) + "\n";
    }
    const auto ts = tasks(*program, date);
    for (const auto& o : ts.overdue) out += "  просрочено: " + o + "\n";
    if (!ts.next_deadline.empty()) out += "  ближайший срок: " + ts.next_deadline + "\n";
    return out;
}

}  // namespace ppko::workflow
