#include "workflow/advance.h"

#include <algorithm>
#include <map>
#include <set>

namespace ppko::workflow {
namespace {

using data::Json;
using domain::AcademicYear;
using domain::Date;

const Json kEmptyObject = Json::object();

rules::Truth truth_of(const expr::Value& v) {
    if (v.is_missing()) return rules::Truth::unknown;
    return expr::truthy(v.get()) ? rules::Truth::yes : rules::Truth::no;
}

// The latest date among the facts a condition read (facts.<name>…), as ISO text; "" when none.
std::string latest_fact_read(const expr::AccessLog& log, const Json& facts) {
    std::string latest;
    for (const auto& a : log) {
        if (a.path.rfind("facts.", 0) != 0) continue;
        std::string name = a.path.substr(6);
        name = name.substr(0, name.find_first_of(".["));
        auto it = facts.find(name);
        if (it != facts.end() && it->contains("date")) latest = std::max(latest, (*it)["date"].get<std::string>());
    }
    return latest;
}

// What a condition read, as stored with its event: path → value, «нет данных» when unknown.
Json reads_json(const expr::AccessLog& log) {
    Json out = Json::object();
    for (const auto& a : log) out[a.path] = a.missing ? Json("нет данных") : a.value;
    return out;
}

}  // namespace

// What a program's conditions see, as the object {"school", "categories", "results", "context",
// "baseline", "facts", "program", "date", "params", "dynamics"}: results and context are the
// record describing the program's academic year known by the evaluation date; baseline the one
// of the year before (the identification's basis). `dynamics` is computed on first read.
struct Advancer::Roots final : public expr::Scope {
    const Advancer* advancer = nullptr;
    const Program* program_state = nullptr;
    Date until;
    const Json* school = nullptr;
    Json categories;
    const Json* results = nullptr;
    const Json* context = nullptr;
    Json baseline = Json::object();
    Json facts, program, date;
    const Json* params = nullptr;
    mutable std::optional<Json> dynamics;

    const Json* find(std::string_view name) const override {
        if (name == "dynamics") {
            if (!dynamics) {
                const DynamicsResult d = advancer->dynamics(*program_state, until);
                dynamics = d.value.empty() ? Json() : Json(d.value);
            }
            return dynamics->is_null() ? nullptr : &*dynamics;
        }
        const Json* v = name == "school"       ? school
                        : name == "categories" ? &categories
                        : name == "results"    ? results
                        : name == "context"    ? context
                        : name == "baseline"   ? &baseline
                        : name == "facts"      ? &facts
                        : name == "program"    ? &program
                        : name == "date"       ? &date
                        : name == "params"     ? params
                                               : nullptr;
        return v && !v->is_null() ? v : nullptr;
    }
    void names(std::vector<std::string>& out) const override {
        for (const char* n : {"school", "categories", "results", "context", "baseline", "facts", "program", "date", "params", "dynamics"}) out.emplace_back(n);
    }
};

Advancer::Advancer(const domain::Domain& domain, const Identifier& identifier, const Registry& registry)
    : domain_(domain), identifier_(identifier), registry_(registry) {}

const Workflow& Advancer::workflow_of(const std::string& id, int version) const {
    if (id == identifier_.workflow().id && version == identifier_.workflow().version) return identifier_.workflow();
    return registry_.workflow(id, version);
}

Advancer::Roots Advancer::roots(const Program& p, std::size_t school, Date from, Date until) const {
    Roots r;
    r.advancer = this;
    r.program_state = &p;
    r.until = until;
    r.school = domain_.schools()[school].record;
    r.categories = identifier_.categories(school, p.year);
    if (const auto* rec = domain_.indicators(school, p.year, until)) {
        r.results = rec->results;
        r.context = rec->context;
    }
    if (const auto prev = p.year.prev()) {
        if (const auto* rec = domain_.indicators(school, *prev, until)) {
            if (rec->results) r.baseline["results"] = *rec->results;
            if (rec->context) r.baseline["context"] = *rec->context;
        }
    }
    r.facts = Json::object();
    for (const auto& f : domain_.facts(school)) {
        if (f.date < from || f.date > until) continue;
        r.facts[f.name] = f.entry;  // the latest of a name wins (facts are sorted by date)
    }
    r.program = Json{{"stage", p.stage}, {"year", p.year.name()}, {"started_on", p.started_on.iso()},
                     {"status", p.status == ProgramStatus::completed ? "completed" : "active"}, {"category", p.category}};
    r.date = until.iso();
    r.params = identifier_.table() ? &identifier_.table()->params() : &kEmptyObject;
    return r;
}

DynamicsResult Advancer::dynamics(const Program& p, Date until) const {
    DynamicsResult out;
    const Workflow& w = workflow_of(p);
    if (!w.dynamics) return out;
    const Dynamics& dyn = *w.dynamics;
    const auto school = domain_.school_index(p.school);
    if (!school) {
        out.source = DynamicsResult::Source::unknown;
        return out;
    }
    const Date from = p.year.start();
    // An asserted value: the latest override fact of the year with the field filled in.
    if (!dyn.override_fact.empty()) {
        for (const auto& f : domain_.facts(*school)) {
            if (f.date < from || f.date > until || f.name != dyn.override_fact) continue;
            if (f.entry.contains(dyn.override_field) && f.entry[dyn.override_field].is_string()) {
                out.source = DynamicsResult::Source::fact;
                out.value = f.entry[dyn.override_field].get<std::string>();
                out.fact_date = f.date.iso();
            }
        }
        if (out.source == DynamicsResult::Source::fact) return out;
    }
    Roots r = roots(p, *school, from, until);
    r.dynamics = Json();  // the rules may not read what they compute
    out.results = domain_.indicators(*school, p.year, until);
    bool blocked = false;  // an earlier rule could not be decided
    for (const auto& rule : dyn.rules) {
        DynamicsResult::RuleCheck check{&rule, rules::Truth::unknown, {}};
        check.truth = truth_of(rule.when.evaluate(r, expr::Mode::facts, &check.reads));
        out.checks.push_back(std::move(check));
        if (out.source != DynamicsResult::Source::none) continue;
        if (out.checks.back().truth == rules::Truth::unknown) blocked = true;
        if (out.checks.back().truth == rules::Truth::yes && !blocked) {
            out.source = DynamicsResult::Source::rule;
            out.value = rule.value;
            out.rule = &rule;
        }
    }
    if (out.source == DynamicsResult::Source::none) {
        if (blocked || dyn.otherwise.empty()) {
            out.source = DynamicsResult::Source::unknown;
        } else {
            out.source = DynamicsResult::Source::otherwise;
            out.value = dyn.otherwise;
        }
    }
    return out;
}

Plan Advancer::advance(const std::vector<Program>& current, Date date) const {
    const Workflow& wf = identifier_.workflow();
    std::map<std::string, Program> programs;
    for (const auto& p : current) programs[p.school] = p;
    std::set<std::string> changed;
    Plan plan;
    auto emit = [&](Event e) {
        changed.insert(e.school);
        plan.events.push_back(std::move(e));
    };
    auto base_event = [](const Program& p, EventKind kind, Date day) {
        Event e;
        e.school = p.school;
        e.workflow = p.workflow;
        e.version = p.version;
        e.kind = kind;
        e.date = day;
        return e;
    };

    const AcademicYear target = AcademicYear::of(date);
    // The years to run: from the first identified year (or the earliest program's) to the date's.
    std::optional<AcademicYear> first;
    if (!domain_.list_years().empty()) first = domain_.list_years().front();
    for (const auto& p : current) {
        if (!first || p.year < *first) first = p.year;
    }
    if (!first) first = target;
    // Year by year from the first: a date centuries ahead (a typo, 9999) would run for minutes
    // and fill the log with outcomes of years nobody will see.
    constexpr int kMaxYears = 100;
    if (target.first() - first->first() > kMaxYears) {
        throw Error(ErrorId::data_bad_date, "", {}, "",
                    "дата " + date.ru() + " слишком далека: от учебного года " + first->name() + " до неё больше " + std::to_string(kMaxYears) +
                        " учебных лет; проверьте дату");
    }
    for (std::optional<AcademicYear> year = first; year && *year <= target; year = year->next()) {
        const Date ys = year->start(), ye = year->end();
        // 1. Open programs for this year's list.
        if (std::binary_search(domain_.list_years().begin(), domain_.list_years().end(), *year)) {
            for (const std::size_t k : identifier_.participants(*year)) {
                const domain::School& school = domain_.schools()[k];
                auto it = programs.find(school.id);
                if (it != programs.end()) {
                    const Program& old = it->second;
                    const bool ended_before = old.status == ProgramStatus::completed && old.completed_on && *old.completed_on < ys;
                    if (!ended_before) continue;
                }
                // A program opens when the year starts, or when the list's data became known.
                Date opens = ys;
                if (const auto period = Identifier::basis_period(*year)) {
                    if (const auto* basis = domain_.indicators(k, *period)) opens = std::max(opens, basis->known_on);
                }
                if (opens > date || opens > ye) continue;
                Program p;
                p.school = school.id;
                p.workflow = wf.id;
                p.version = wf.version;
                p.category = identifier_.program_category(k, *year);
                p.stage = wf.start;
                p.status = ProgramStatus::active;
                p.started_on = opens;
                p.year = *year;
                p.stage_entered = opens;
                Event e = base_event(p, EventKind::created, opens);
                e.to_stage = p.stage;
                e.guard = wf.applies_to_text;
                e.category = p.category;
                e.categories = identifier_.categories(k, *year);
                emit(std::move(e));
                programs[school.id] = std::move(p);
            }
        }
        // 2. Move the programs of this year; 3. close the year on its last day.
        for (auto& [id, p] : programs) {
            if (p.status != ProgramStatus::active || p.year != *year) continue;
            const auto school = domain_.school_index(id);
            if (!school) continue;  // a school removed from the data: its program stays as it was
            const Workflow& w = workflow_of(p);
            const Date until = std::min(date, ye);
            for (int step = 0;; ++step) {
                if (step > 50) {
                    throw Error(ErrorId::workflow_no_progress, w.file, {}, "",
                                "программа школы «" + domain_.schools()[*school].short_name + "» переходит по кругу без новых фактов (этап «" + p.stage + "»)");
                }
                const Date from = std::max(ys, p.stage_entered);
                const Roots r = roots(p, *school, from, until);
                const Transition* fired = nullptr;
                expr::AccessLog log;
                for (const auto& t : w.transitions) {
                    if (t.from != p.stage) continue;
                    log.clear();
                    bool ok = truth_of(t.guard.evaluate(r, expr::Mode::facts, &log)) == rules::Truth::yes;
                    const Stage* src = w.stage(t.from);
                    const Stage* dst = w.stage(t.to);
                    if (ok && src && src->exit) ok = truth_of(src->exit->evaluate(r, expr::Mode::facts, &log)) == rules::Truth::yes;
                    if (ok && dst && dst->entry) ok = truth_of(dst->entry->evaluate(r, expr::Mode::facts, &log)) == rules::Truth::yes;
                    if (ok) {
                        fired = &t;
                        break;
                    }
                }
                if (!fired) break;
                const std::string latest = latest_fact_read(log, r.facts);
                Date when = p.stage_entered;
                if (const auto d = Date::parse(latest); d && *d > when) when = *d;
                Event e = base_event(p, EventKind::transition, when);
                e.from_stage = p.stage;
                e.to_stage = fired->to;
                e.guard = fired->guard_text;
                e.read = reads_json(log);
                p.stage = fired->to;
                p.stage_entered = when;
                emit(std::move(e));
            }
            if (date < ye) continue;
            const Roots r = roots(p, *school, std::max(ys, p.stage_entered), ye);
            for (const auto& y : w.year_end) {
                expr::AccessLog log;
                if (truth_of(y.guard.evaluate(r, expr::Mode::facts, &log)) != rules::Truth::yes) continue;
                const bool completed = y.status == "completed";
                Event e = base_event(p, completed ? EventKind::completed : EventKind::continued, ye);
                e.from_stage = p.stage;
                e.to_stage = y.to;
                e.guard = y.guard_text;
                e.read = reads_json(log);
                e.outcome = y.id;
                p.stage = y.to;
                p.outcome = y.id;
                if (completed) {
                    p.status = ProgramStatus::completed;
                    p.completed_on = ye;
                    p.stage_entered = ye;
                } else if (const auto next = year->next()) {
                    p.year = *next;
                    p.stage_entered = next->start();
                }
                emit(std::move(e));
                break;
            }
        }
    }
    for (const auto& s : changed) plan.programs.push_back(programs[s]);
    return plan;
}

ProgramView Advancer::view(const Program& p, Date date) const {
    ProgramView out;
    const auto school = domain_.school_index(p.school);
    if (!school) return out;
    const Workflow& w = workflow_of(p);
    out.from = std::max(p.year.start(), p.stage_entered);
    out.until = std::min(date, p.year.end());
    if (out.until < out.from) out.until = out.from;
    const Roots r = roots(p, *school, out.from, out.until);
    if (p.status == ProgramStatus::active) {
        for (const auto& t : w.transitions) {
            if (t.from != p.stage) continue;
            ConditionCheck c{t.id, t.title, t.guard_text, t.to, rules::Truth::unknown, {}};
            c.truth = truth_of(t.guard.evaluate(r, expr::Mode::facts, &c.reads));
            out.transitions.push_back(std::move(c));
        }
        for (const auto& y : w.year_end) {
            ConditionCheck c{y.id, y.title, y.guard_text, y.to, rules::Truth::unknown, {}};
            c.truth = truth_of(y.guard.evaluate(r, expr::Mode::facts, &c.reads));
            out.year_end.push_back(std::move(c));
        }
    }
    out.dynamics = dynamics(p, out.until);
    return out;
}

std::optional<Date> Advancer::done_on(const workflow::Task& t, std::size_t school, const Program& p, Date until) const {
    std::optional<Date> first;
    if (t.done.empty()) return first;
    for (const auto& f : domain_.facts(school)) {
        if (f.name == t.done && f.date >= p.year.start() && f.date <= until && (!first || f.date < *first)) first = f.date;
    }
    return first;
}

std::vector<Advancer::YearStage> Advancer::year_plan(const Program& p, Date as_of) const {
    std::vector<YearStage> out;
    const Workflow& w = workflow_of(p);
    const auto school = domain_.school_index(p.school);
    const Date until = std::min(as_of, p.year.end());
    for (const auto& s : w.stages) {
        if (s.final) continue;
        YearStage ys{&s, p.year.day(s.from), p.year.day(s.to), p.status == ProgramStatus::active && s.id == p.stage, {}};
        for (const auto& t : s.tasks) {
            YearTask yt{&t, p.year.day(t.from), p.year.day(t.to), school ? done_on(t, *school, p, until) : std::nullopt, false};
            yt.overdue = ys.current && !t.done.empty() && !yt.done_on && yt.due && *yt.due < as_of;
            ys.tasks.push_back(yt);
        }
        out.push_back(std::move(ys));
    }
    return out;
}

Advancer::Tasks Advancer::tasks(const Program& p, Date as_of) const {
    Tasks out;
    if (p.status != ProgramStatus::active) return out;
    const Workflow& w = workflow_of(p);
    const Stage* s = w.stage(p.stage);
    const auto school = domain_.school_index(p.school);
    if (!s || !school) return out;
    const Date until = std::min(as_of, p.year.end());
    for (const auto& t : s->tasks) {
        if (done_on(t, *school, p, until)) continue;
        const auto due = p.year.day(t.to);
        if (!due) continue;
        if (*due < as_of && !t.done.empty()) {
            out.overdue.push_back({&t, *due});
        } else if (*due >= as_of && (!out.next || *due < out.next->due)) {
            out.next = Task{&t, *due};
        }
    }
    return out;
}

}  // namespace ppko::workflow
