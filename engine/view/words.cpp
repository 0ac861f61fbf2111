#include "view/words.h"

#include <algorithm>

#include "text/russian.h"

namespace ppko::view {
namespace {

using data::Json;

std::string value_text(const Json& v) {
    if (v.is_string()) return "«" + v.get<std::string>() + "»";
    if (v.is_number_float()) return text::format_decimal(v.get<double>());
    if (v.is_number()) return v.dump();
    if (v.is_boolean()) return v.get<bool>() ? "да" : "нет";
    return v.dump();
}

const char* verdict(rules::Truth t) {
    switch (t) {
        case rules::Truth::yes: return "выполнено";
        case rules::Truth::no: return "не выполнено";
        case rules::Truth::unknown: return "нет данных";
    }
    return "?";
}

void reads(std::string& out, const expr::AccessLog& log, const char* indent) {
    for (const auto& a : log) out += std::string(indent) + a.path + " = " + (a.missing ? std::string("нет данных") : value_text(a.value)) + "\n";
}

}  // namespace

Category Words::category(std::string_view id) const {
    if (table_) {
        if (const auto* v = table_->value_title("category", id)) return {v->id, v->title, v->abbr};
    }
    return {std::string(id), std::string(id), ""};
}

std::string Words::category_short(std::string_view id) const {
    const Category c = category(id);
    return c.abbr.empty() ? c.title : c.abbr;
}

std::string Words::with_params(std::string text) const {
    if (!table_) return text;
    for (const auto& p : table_->parameters()) {
        const std::string token = "{" + p.id + "}";
        const std::string value = text::format_decimal(p.value);
        for (std::size_t at; (at = text.find(token)) != std::string::npos;) text.replace(at, token.size(), value);
    }
    return text;
}

std::string Words::stage_title(const workflow::Workflow& w, std::string_view stage) {
    const workflow::Stage* s = w.stage(stage);
    return s ? s->title : std::string(stage);
}

std::string Words::describe(const workflow::Event& e, const workflow::Workflow& w) const {
    using workflow::EventKind;
    const std::string year = domain::AcademicYear::of(e.date).name();
    switch (e.kind) {
        case EventKind::created: {
            if (e.category.empty()) return "Программа открыта на " + year + " учебный год";
            return "Программа открыта на " + year + " учебный год: школа в перечне участников (" + category_short(e.category) + ")";
        }
        case EventKind::transition: {
            std::string title;
            for (const auto& t : w.transitions) {
                if (t.from == e.from_stage && t.to == e.to_stage && !t.title.empty()) title = t.title;
            }
            return "Переход с этапа «" + stage_title(w, e.from_stage) + "» на этап «" + stage_title(w, e.to_stage) + "»" + (title.empty() ? "" : ": " + title);
        }
        case EventKind::completed:
        case EventKind::continued: {
            std::string title;
            for (const auto& y : w.year_end) {
                if (y.id == e.outcome) title = y.title;
            }
            if (title.empty()) title = e.kind == EventKind::completed ? "программа реализована" : "программа продолжается в следующем учебном году";
            return "Итог " + year + " учебного года: " + title;
        }
    }
    return "";
}

std::string explain(const Words& words, const workflow::Identifier& identifier, const workflow::Advancer* advancer, std::size_t school,
                    domain::AcademicYear year, const workflow::Program* program, const workflow::YearPairs* pairs, domain::Date date) {
    const domain::Domain& dom = identifier.domain();
    const domain::School& s = dom.schools()[school];
    std::string out = s.short_name + " (" + s.id + "), " + year.name() + " учебный год, на " + date.ru() + "\n\n";
    if (const rules::DecisionTable* table = identifier.table()) {
        const workflow::Identification id = identifier.identify(school, year, rules::Reads::record);
        const auto period = workflow::Identifier::basis_period(year);
        out += "Идентификация — методика «" + table->title() + "» (версия " + std::to_string(table->version()) + ")\n";
        if (!id.basis) {
            out += "  показателей за " + (period ? period->name() : std::string("предыдущий год")) + " нет: все входы — «нет данных»\n";
        } else {
            out += "  по показателям за " + id.basis->period.name() + " (известны с " + id.basis->known_on.ru() + ")\n";
        }
        for (std::size_t i = 0; i < table->inputs().size(); ++i) {
            const auto& in = table->inputs()[i];
            const expr::Value& v = id.decision.inputs[i];
            out += "  вход " + in.id + " = " + (v.is_missing() ? "нет данных (не хватает: " + v.missing_path() + ")" : value_text(v.get())) +
                   (in.title.empty() ? "" : " — " + in.title) + "\n";
        }
        for (const auto& r : id.decision.rules) {
            out += "  правило «" + r.rule->id + "»: " + rules::truth_word(r.outcome);
            std::string cells;
            for (std::size_t i = 0; i < r.cells.size(); ++i) {
                if (r.rule->cells[i].op == rules::Cell::Op::any) continue;
                cells += (cells.empty() ? "" : "; ") + table->inputs()[i].id + " " + r.rule->cells[i].text + " — " + rules::truth_word(r.cells[i]);
            }
            out += cells.empty() ? "\n" : " (" + cells + ")\n";
        }
        std::string cats;
        for (const auto& c : id.categories) cats += (cats.empty() ? "" : "; ") + words.category(c).title + " (" + c + ")";
        out += "  категории: " + (cats.empty() ? std::string("нет") : cats) + "\n";
        if (identifier.undecided(id)) {
            std::string missing;
            for (const auto& [input, path] : id.unknown_inputs) missing += (missing.empty() ? "" : ", ") + path;
            out += "  решение не принято: не хватает данных (" + missing + ")\n";
        }
        const workflow::Workflow& wf = identifier.workflow();
        std::string rule = wf.applies_to_text;
        if (rule.empty()) {
            for (const auto& c : wf.categories) rule += (rule.empty() ? "категория " : " или ") + words.category_short(c);
        }
        out += "  в перечне участников на " + year.name() + ": " + (identifier.participates(school, year) ? "да" : "нет") + " (условие: " + rule + ")\n\n";
    }
    if (pairs) {
        if (const auto* sp = pairs->of(school)) {
            out += "Партнёры на " + year.name() + ":\n";
            for (const auto& link : sp->partners) {
                out += "  " + dom.party_name(link.partner) + "\n";
                for (const auto& r : link.reasons) out += "    почему: " + r + "\n";
            }
            out += "\n";
        }
        for (const auto& [k, reason] : pairs->unmatched) {
            if (k == school) out += "Школа-партнёр не назначена: " + reason + "\n\n";
        }
    }
    if (!program) {
        out += "Программы у школы нет.\n";
        return out;
    }
    const workflow::Workflow& w = advancer ? advancer->workflow_of(*program) : identifier.workflow();
    out += "Программа — «" + w.title + "» (" + w.id + ", версия " + std::to_string(w.version) + "), открыта " + program->started_on.ru();
    if (!program->category.empty()) out += " как " + words.category_short(program->category);
    out += "\n  этап: " + Words::stage_title(w, program->stage) + " (" + program->stage + "), " +
           (program->status == workflow::ProgramStatus::completed ? "реализована " + (program->completed_on ? program->completed_on->ru() : std::string()) : "идёт") +
           ", учебный год " + program->year.name() + "\n";
    if (!advancer || program->status != workflow::ProgramStatus::active) return out;
    const workflow::ProgramView pv = advancer->view(*program, date);
    out += "  факты учитываются с " + pv.from.ru() + " по " + pv.until.ru() + "\n";
    for (const auto& c : pv.transitions) {
        out += "  переход на этап «" + Words::stage_title(w, c.to) + "» (" + c.id + "): " + c.guard + " — " + verdict(c.truth) + "\n";
        reads(out, c.reads, "      ");
    }
    out += "  конец учебного года (" + program->year.end().ru() + "), первый выполненный исход:\n";
    for (const auto& c : pv.year_end) {
        out += "    «" + c.title + "» (" + c.id + "): " + c.guard + " — " + verdict(c.truth) + "\n";
        reads(out, c.reads, "        ");
    }
    const workflow::DynamicsResult& d = pv.dynamics;
    if (w.dynamics && d.source != workflow::DynamicsResult::Source::none) {
        out += "  " + w.dynamics->title + ": ";
        auto value_title = [&](const std::string& v) {
            if (const auto* f = w.fact(w.dynamics->override_fact)) {
                if (const auto* field = f->field(w.dynamics->override_field)) {
                    if (const std::string* t = field->title_of(v)) return *t + " (" + v + ")";
                }
            }
            return v;
        };
        switch (d.source) {
            case workflow::DynamicsResult::Source::fact:
                out += value_title(d.value) + " — указано фактом «" + w.dynamics->override_fact + "» от " + domain::Date::parse(d.fact_date)->ru() + "\n";
                break;
            case workflow::DynamicsResult::Source::rule: out += value_title(d.value) + " — по правилу\n"; break;
            case workflow::DynamicsResult::Source::otherwise: out += value_title(d.value) + " — ни одно правило не выполнено\n"; break;
            default: out += "нет данных\n"; break;
        }
        if (d.source != workflow::DynamicsResult::Source::fact) {
            out += "    показатели за " + program->year.name() + (d.results ? " (известны с " + d.results->known_on.ru() + ")" : ": ещё не известны") + "\n";
            for (const auto& c : d.checks) {
                out += "    правило «" + words.with_params(c.rule->title) + "»: " + c.rule->when_text + " — " + rules::truth_word(c.truth) + "\n";
                reads(out, c.reads, "        ");
            }
            if (!w.dynamics->override_fact.empty()) {
                out += "    (значение можно указать фактом «" + w.dynamics->override_fact + "» с полем «" + w.dynamics->override_field + "»)\n";
            }
        }
    }
    const auto ts = advancer->tasks(*program, date);
    for (const auto& t : ts.overdue) out += "  просрочено: " + t.task->activity + " (до " + t.due.ru() + ")\n";
    if (ts.next) out += "  ближайший срок: " + ts.next->due.ru() + " — " + ts.next->task->activity + "\n";
    return out;
}

}  // namespace ppko::view
