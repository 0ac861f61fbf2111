#include "view/context.h"

#include <algorithm>
#include <cmath>

#include "io/parallel.h"
#include "workflow/summary.h"

namespace ppko::view {
namespace {

using data::Json;
using domain::AcademicYear;
using domain::Date;

Json year_json(AcademicYear y) { return Json{{"name", y.name()}, {"start", y.start().iso()}, {"end", y.end().iso()}}; }

// The numeric value at `m`'s path in a record, the absence mark it holds, or null.
Json measure_value(const domain::IndicatorRecord* rec, const rules::Measure& m) {
    if (!rec) return nullptr;
    const Json* group = m.group == "results" ? rec->results : rec->context;
    if (!group || !group->contains(m.name)) return nullptr;
    const Json& v = (*group)[m.name];
    return v.is_number() || v.is_string() ? v : Json();
}

// The person who signs for an organisation, as the requisite blocks take it: {name, position
// (lines)}; the name is null when the data has none (the block prints a marked blank).
Json signer(const Json& record, const std::string& position, const std::string& short_name) {
    Json name = record.contains("head") && record["head"].is_string() ? record["head"] : Json();
    return Json{{"name", name}, {"position", Json::array({position + " " + short_name})}};
}

}  // namespace

Presenter::Presenter(const domain::Domain& domain, const workflow::Identifier* identifier, const workflow::Advancer* advancer,
                     const workflow::Snapshot& snapshot)
    : domain_(domain), identifier_(identifier), advancer_(advancer), snapshot_(snapshot),
      words_(identifier ? identifier->table() : nullptr) {
    if (const rules::DecisionTable* t = identifier ? identifier->table() : nullptr) {
        for (const auto& o : t->outputs()) {
            for (const auto& v : o.value_titles) {
                const Category c = words_.category(v.id);
                categories_.emplace(v.id, Json{{"id", c.id}, {"title", c.title}, {"abbr", c.abbr.empty() ? c.title : c.abbr}});
            }
        }
    }
}

const workflow::Timeline& Presenter::timeline(Date date) {
    auto& slot = timelines_[date];
    if (!slot) {
        if (!advancer_) {
            slot = std::make_unique<workflow::Timeline>();
            slot->date = date;
        } else {
            slot = std::make_unique<workflow::Timeline>(workflow::as_of(snapshot_, *advancer_, date, [&](workflow::Event& e) {
                e.note = words_.describe(e, advancer_->workflow_of(e.workflow, e.version));
            }));
        }
    }
    return *slot;
}

const workflow::YearPairs& Presenter::pairs(const domain::Partnership& decision) {
    auto& slot = pairs_[&decision];
    if (!slot) slot = std::make_unique<workflow::YearPairs>(workflow::pair_schools(*identifier_, decision));
    return *slot;
}

const Json& Presenter::category_json(const std::string& id) const {
    static const Json unknown = Json::object();
    const auto it = categories_.find(id);
    return it == categories_.end() ? unknown : it->second;
}

std::pair<Json, Json> Presenter::stages_json(const workflow::Workflow& w, AcademicYear year, Date date) const {
    Json stages = Json::array(), remaining = Json::array();
    for (const auto& st : w.stages) {
        if (st.final) continue;
        const auto from = year.day(st.from), to = year.day(st.to);
        if (!from || !to) continue;
        Json tasks = Json::array(), left = Json::array();
        for (const auto& task : st.tasks) {
            const auto tf = year.day(task.from), tt = year.day(task.to);
            if (!tf || !tt) continue;
            tasks.push_back(Json{{"activity", task.activity}, {"responsible", task.responsible}, {"from", tf->iso()}, {"to", tt->iso()}});
            if (*tt >= date) left.push_back(Json{{"activity", task.activity}, {"responsible", task.responsible}, {"from", std::max(*tf, date).iso()}, {"to", tt->iso()}});
        }
        stages.push_back(Json{{"title", st.title}, {"from", from->iso()}, {"to", to->iso()}, {"tasks", tasks}});
        if (*to >= date) remaining.push_back(Json{{"title", st.title}, {"from", std::max(*from, date).iso()}, {"to", to->iso()}, {"tasks", std::move(left)}});
    }
    return {std::move(stages), std::move(remaining)};
}

Json Presenter::party(const std::string& id) const {
    Json p = Json::object();
    if (const domain::School* s = domain_.school(id)) {
        p["name"] = s->name;
        p["short_name"] = s->short_name;
        p["kind"] = "школа";
        p["is_school"] = true;
        p["person"] = signer(*s->record, "Директор", s->short_name);
    } else if (const domain::Organisation* o = domain_.organisation(id)) {
        p["name"] = o->name;
        p["short_name"] = o->short_name;
        p["kind"] = o->kind;
        p["is_school"] = false;
        const Json& rec = *o->record;
        p["person"] = signer(rec, rec.contains("head_position") && rec["head_position"].is_string() ? rec["head_position"].get<std::string>() : "Руководитель",
                             o->short_name);
    }
    return p;
}

const Json& Presenter::party_json(const std::string& id) {
    auto it = parties_.find(id);
    if (it == parties_.end()) it = parties_.emplace(id, party(id)).first;
    return it->second;
}

const Json& Presenter::party_cached(const std::string& id) const {
    static const Json none = Json::object();
    const auto it = parties_.find(id);
    return it == parties_.end() ? none : it->second;
}

Json Presenter::partnership_json(const workflow::YearPairs& pairs) const {
    const domain::Partnership& d = *pairs.decision;
    Json out = Json::object();
    out["year"] = d.year.name();
    out["date"] = d.date.iso();
    out["order"] = d.order ? *d.order : Json();
    out["basis"] = d.record->contains("basis") ? (*d.record)["basis"] : Json();
    out["plan_deadline"] = d.plan_deadline ? Json(d.plan_deadline->iso()) : Json();
    Json flat = Json::array(), by_school = Json::array();
    for (const auto& sp : pairs.schools) {
        const Json& school = *domain_.schools()[sp.school].record;
        Json partners = Json::array();
        for (const auto& link : sp.partners) {
            Json p = party_cached(link.partner);
            flat.push_back(Json{{"school", school}, {"partner", p}, {"fixed", link.fixed}});
            partners.push_back(std::move(p));
        }
        by_school.push_back(Json{{"school", school}, {"partners", std::move(partners)}});
    }
    out["pairs"] = std::move(flat);
    out["schools"] = std::move(by_school);
    return out;
}

Json Presenter::summary_json(const workflow::Timeline& t, Date date) const {
    Json out = Json::array();
    if (!identifier_) return out;
    auto names = [&](const std::vector<std::size_t>& ids) {
        Json list = Json::array();
        for (const auto k : ids) list.push_back(domain_.schools()[k].short_name);
        return list;
    };
    auto pct = [](const std::optional<int>& p) { return p ? Json(*p) : Json(); };
    for (const auto& s : workflow::summarize(*identifier_, t.events, date)) {
        Json rows = Json::array();
        for (const auto& r : s.rows) {
            rows.push_back(Json{{"year", r.year.name()},          {"participants", names(r.listed)},
                                {"on_trust", names(r.on_trust)},  {"completed", names(r.completed)},
                                {"count", r.listed.size()},       {"running", r.running},
                                {"first_list_percent", pct(r.first_list_percent)}, {"completed_percent", pct(r.completed_percent)}});
        }
        Json cohorts = Json::array();
        for (const auto& c : s.cohorts) {
            cohorts.push_back(Json{{"year", c.opened.name()}, {"programs", c.programs}, {"completed", c.completed},
                                   {"percent", c.programs ? Json(static_cast<int>((100 * c.completed + c.programs / 2) / c.programs)) : Json()}});
        }
        // label: how tables and sheets name the category («ШНРО»), or «все программы».
        out.push_back(Json{{"category", s.category.empty() ? Json() : category_json(s.category)},
                           {"label", s.category.empty() ? std::string("все программы") : words_.category_short(s.category)},
                           {"rows", std::move(rows)},
                           {"cohorts", std::move(cohorts)}});
    }
    return out;
}

Json Presenter::school_context(std::size_t k, AcademicYear year, Date date, const workflow::Timeline& t, const workflow::YearPairs* pairs,
                               const domain::Council* council, const Needs& needs) const {
    const domain::School& s = domain_.schools()[k];
    Json c = Json::object();
    // Sized once: a growing ordered_json object copies (not moves) its members.
    c.get_ref<Json::object_t&>().reserve(20);
    c["school"] = *s.record;
    c["director"] = signer(*s.record, "Директор", s.short_name);
    const workflow::Program* program = t.program(s.id);
    Json categories = Json::array(), reasons = Json::array();
    const rules::DecisionTable* table = identifier_ ? identifier_->table() : nullptr;
    if (identifier_) {
        for (const auto& cat : identifier_->categories(k, year)) categories.push_back(category_json(cat));
        for (const auto& r : identifier_->reasons(k, year)) reasons.push_back(r);
    }
    c["categories"] = std::move(categories);
    c["reasons"] = std::move(reasons);
    std::string category = program ? program->category : identifier_ ? identifier_->program_category(k, year) : std::string();
    c["program_category"] = category.empty() ? Json() : category_json(category);

    // The identification's basis (the year before), when known on the date.
    const auto basis_period = workflow::Identifier::basis_period(year);
    const domain::IndicatorRecord* basis = basis_period ? domain_.indicators(k, *basis_period, date) : nullptr;
    c["basis_period"] = basis_period ? Json(basis_period->name()) : Json();
    c["basis_known"] = basis != nullptr;
    Json problems = Json::array(), baseline = Json::array(), dynamics = Json::array();
    if (table && (needs.measures || needs.dynamics)) {
        // Dynamics: from the basis of the program's first year to the latest record known on the date.
        std::optional<AcademicYear> first_period = basis_period;
        if (program) first_period = AcademicYear::of(program->started_on).prev();
        const domain::IndicatorRecord* first = first_period ? domain_.indicators(k, *first_period, date) : nullptr;
        const domain::IndicatorRecord* current = nullptr;
        for (std::optional<AcademicYear> p = year; p && !current && (!first_period || *p > *first_period); p = p->prev()) {
            current = domain_.indicators(k, *p, date);
        }
        for (const auto& m : table->measures()) {
            const Json v = measure_value(basis, m);
            if (needs.measures) {
                Json row = {{"title", m.title}, {"unit", m.unit}, {"threshold", m.threshold}, {"value", v}, {"absent", v.is_string()}};
                if (v.is_number() && (m.above ? v.get<double>() >= m.threshold : v.get<double>() <= m.threshold)) problems.push_back(row);
                baseline.push_back(std::move(row));
            }
            if (!needs.dynamics) continue;
            const Json before = measure_value(first, m), now = measure_value(current, m);
            dynamics.push_back(Json{{"title", m.title},
                                    {"unit", m.unit},
                                    {"change", before.is_number() && now.is_number() ? Json(std::round((now.get<double>() - before.get<double>()) * 10) / 10) : Json()},
                                    {"first", before},
                                    {"first_period", first ? Json(first->period.name()) : Json()},
                                    {"current", now},
                                    {"current_period", current ? Json(current->period.name()) : Json()}});
        }
    }
    c["problems"] = std::move(problems);
    c["baseline"] = std::move(baseline);
    c["dynamics"] = std::move(dynamics);

    // The stages of this year are the view's, unless the program runs on another workflow
    // version than the current one.
    if (advancer_ && program) {
        const workflow::Workflow& w = advancer_->workflow_of(*program);
        if (&w != &identifier_->workflow()) {
            auto [stages, remaining] = stages_json(w, year, date);
            c["stages"] = std::move(stages);
            c["remaining_stages"] = std::move(remaining);
        }
    }

    Json partners = Json::array();
    if (pairs) {
        if (const auto* sp = pairs->of(k)) {
            for (const auto& link : sp->partners) partners.push_back(party_cached(link.partner));
        }
    }
    c["partners"] = std::move(partners);
    c["plan_deadline"] = pairs && pairs->decision->plan_deadline ? Json(pairs->decision->plan_deadline->iso()) : Json();

    if (program && advancer_) {
        const workflow::Workflow& w = advancer_->workflow_of(*program);
        std::string outcome;
        for (const auto& y : w.year_end) {
            if (y.id == program->outcome) outcome = y.title;
        }
        c["program"] = Json{{"stage_title", Words::stage_title(w, program->stage)},
                            {"status", program->status == workflow::ProgramStatus::completed ? "completed" : "active"},
                            {"started_on", program->started_on.iso()},
                            {"year", program->year.name()},
                            {"completed_on", program->completed_on ? Json(program->completed_on->iso()) : Json()},
                            {"outcome_title", outcome.empty() ? Json() : Json(outcome)},
                            {"category", program->category.empty() ? Json() : category_json(program->category)}};
    } else {
        c["program"] = nullptr;
    }
    // The facts recorded in this academic year up to the date, with what they mean.
    Json facts = Json::array();
    if (advancer_ && needs.facts) {
        const workflow::Workflow& w = program ? advancer_->workflow_of(*program) : identifier_->workflow();
        for (const auto& f : domain_.facts(k)) {
            if (f.date < year.start() || f.date > date) continue;
            const auto* spec = w.fact(f.name);
            facts.push_back(Json{{"date", f.date.iso()},
                                 {"title", spec ? Json(spec->title) : Json()},
                                 {"note", f.record->contains("note") ? (*f.record)["note"] : Json()}});
        }
    }
    c["facts"] = std::move(facts);
    Json history = Json::array();
    if (needs.history) {
        for (const workflow::Event* e : t.events_of(s.id)) history.push_back(Json{{"date", e->date.iso()}, {"note", e->note}});
    }
    c["history"] = std::move(history);
    Json expert;
    if (council) {
        const Json& rec = *council->record;
        if (rec.contains("experts") && rec["experts"].is_array()) {
            for (const auto& e : rec["experts"]) {
                if (!e.contains("schools") || !e["schools"].is_array()) continue;
                for (const auto& id : e["schools"]) {
                    if (id == s.id) expert = e;
                }
            }
        }
    }
    // What the expert wrote (conclusions.json), or null: the template keeps its blanks then.
    const domain::Conclusion* written =
        council && expert.is_object() ? domain_.conclusion(council->id, s.id, expert.value("name", std::string())) : nullptr;
    // Every part is present: the written paragraphs, or null.
    Json parts = Json::object();
    for (const char* f : domain::kConclusionFields) {
        const Json* rec = written ? written->record : nullptr;
        parts[f] = rec && rec->contains(f) && !(*rec)[f].empty() ? (*rec)[f] : Json();
    }
    c["conclusion"] = std::move(parts);
    c["expert"] = std::move(expert);
    return c;
}

DocumentView Presenter::build(AcademicYear year, Date date, const domain::Council* council, Needs needs) {
    DocumentView v;
    v.year = year;
    v.date = date;
    Json& r = v.roots;
    r["as_of"] = date.iso();
    r["academic_year"] = year.name();
    r["year"] = year_json(year);
    r["council"] = council ? *council->record : Json();
    if (advancer_) {
        auto [stages, remaining] = stages_json(identifier_->workflow(), year, date);
        r["stages"] = std::move(stages);
        r["remaining_stages"] = std::move(remaining);
    }
    Json events = Json::array(), monitorings = Json::array();
    for (const auto& e : domain_.events()) {
        if (e.year == year && e.day <= date) events.push_back(*e.record);
    }
    for (const auto& m : domain_.monitorings()) {
        if (m.year == year && m.done <= date) monitorings.push_back((*m.record)["title"]);
    }
    r["events"] = events.empty() && monitorings.empty() ? Json() : Json{{"year", year.name()}, {"events", std::move(events)}, {"monitorings", std::move(monitorings)}};
    r["participants"] = Json::array();
    r["partnership"] = nullptr;
    r["summary"] = Json::array();
    if (!identifier_) return v;

    const workflow::Timeline& t = timeline(date);
    (void)t.events_of("");  // index the events by school before the threads read them
    const domain::Partnership* decision = domain_.partnership(year, date);
    const workflow::YearPairs* pairs = decision && (needs.partnership || needs.participants) ? &this->pairs(*decision) : nullptr;
    if (pairs) {
        for (const auto& sp : pairs->schools) {
            for (const auto& link : sp.partners) party_json(link.partner);
        }
    }
    if (pairs && needs.partnership) r["partnership"] = partnership_json(*pairs);
    if (needs.summary) r["summary"] = summary_json(t, date);
    if (!needs.participants) return v;
    // The year's participants known on the date: their list's data was published by then.
    const auto basis_period = workflow::Identifier::basis_period(year);
    for (const std::size_t k : identifier_->participants(year)) {
        const domain::IndicatorRecord* basis = basis_period ? domain_.indicators(k, *basis_period) : nullptr;
        if (basis && basis->known_on > date) continue;
        v.schools.push_back(k);
        v.names.push_back(domain_.schools()[k].short_name);
    }
    std::vector<Json> contexts(v.schools.size());
    io::parallel_for(contexts.size(), contexts.size() < 256 ? 1u : io::thread_count(0, contexts.size()),
                     [&](unsigned, std::size_t i) { contexts[i] = school_context(v.schools[i], year, date, t, pairs, council, needs); });
    Json list = Json::array();
    list.get_ref<Json::array_t&>().reserve(contexts.size());
    for (auto& c : contexts) list.push_back(std::move(c));
    r["participants"] = std::move(list);
    return v;
}

}  // namespace ppko::view
