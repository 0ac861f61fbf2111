#include "workflow/workflow.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "data/fields.h"
#include "data/schema.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::workflow {
namespace {

class Loader : public data::FieldReader {
public:
    Loader(const data::JsonDocument& doc, const expr::FunctionTable& functions, Diagnostics& out)
        : FieldReader(doc, out), functions_(functions) {}

    std::string month_day(const Json& obj, const char* key, const std::string& path, bool required) {
        std::string s = str(obj, key, path, required);
        // An empty "" is not a day either (only an absent field is "no day").
        if (s.empty() && !(obj.is_object() && obj.contains(key) && obj[key] == "")) return s;
        const bool shape = s.size() == 5 && s[2] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                           std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
                           std::isdigit(static_cast<unsigned char>(s[4]));
        const int m = shape ? std::stoi(s.substr(0, 2)) : 0, d = shape ? std::stoi(s.substr(3, 2)) : 0;
        if (!shape || m < 1 || m > 12 || d < 1 || d > 31) {
            error(ErrorId::data_bad_date, data::path_member(path, key), "ожидался день учебного года в виде ММ-ДД, например «09-01», а записано «" + s + "»");
            return "";
        }
        return s;
    }

    std::optional<expr::Expr> guard(const Json& obj, const char* key, const std::string& path, bool required, std::string* text_out = nullptr) {
        const std::string text = str(obj, key, path, required);
        if (text_out) *text_out = text;
        if (text.empty()) return std::nullopt;
        const std::string gp = data::path_member(path, key);
        Position p = doc().position_of(gp);
        if (p.line > 0) p.column += 1;  // after the opening quote
        static const expr::FunctionTable no_filters;
        try {
            return expr::Expr::parse(text, doc().file, p, no_filters, functions_);
        } catch (const Error& e) {
            for (auto d : e.diagnostics().items()) {
                d.json_path = gp;
                diagnostics().add(std::move(d));
            }
            return std::nullopt;
        }
    }

    const expr::FunctionTable& functions_;
};

}  // namespace

const FactSpec* Workflow::fact(std::string_view fact_id) const {
    for (const auto& f : facts) {
        if (f.id == fact_id) return &f;
    }
    return nullptr;
}

const Stage* Workflow::stage(std::string_view stage_id) const {
    for (const auto& s : stages) {
        if (s.id == stage_id) return &s;
    }
    return nullptr;
}

Workflow load_workflow(const data::JsonDocument& doc, const expr::FunctionTable& functions) {
    Diagnostics diags;
    Loader l(doc, functions, diags);
    Workflow w;
    w.file = doc.file;
    const Json& j = doc.value;
    if (!l.keys(j, "$", {"id", "version", "title", "start", "applies_to", "categories", "facts", "dynamics", "stages", "transitions", "year_end"})) throw Error(std::move(diags));
    w.id = l.str(j, "id", "$", true);
    w.title = l.str(j, "title", "$", true);
    w.start = l.str(j, "start", "$", true);
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() < 1) {
        l.error(ErrorId::data_missing_field, "$.version", "нужна версия описания — целое число от 1 (\"version\": 1)");
    } else {
        w.version = j["version"].get<int>();
    }
    if (auto g = l.guard(j, "applies_to", "$", false, &w.applies_to_text)) w.applies_to = std::move(*g);
    if (j.contains("categories") && !j["categories"].is_null()) {
        const Json& c = j["categories"];
        if (!c.is_array() || !std::all_of(c.begin(), c.end(), [](const Json& x) { return x.is_string(); })) {
            l.error(ErrorId::data_wrong_type, "$.categories", "ожидался список категорий таблицы идентификации: [\"low_results\", \"adverse_conditions\"]");
        } else {
            w.categories = c.get<std::vector<std::string>>();
        }
    }
    // A list member, or an empty list after reporting one that is not a list (the schema says so
    // before a Registry gets here, but the loader is called on its own too: tests, fuzzing).
    const auto list_at = [&](const Json& parent, const char* key, const std::string& path) {
        if (!parent.is_object() || !parent.contains(key) || parent[key].is_null()) return Json::array();
        if (!parent[key].is_array()) {
            l.error(ErrorId::data_wrong_type, path, "ожидался список […]");
            return Json::array();
        }
        return parent[key];
    };
    const Json facts = list_at(j, "facts", "$.facts");
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const std::string path = data::path_index("$.facts", i);
        if (!l.keys(facts[i], path, {"id", "title", "fields"})) continue;
        FactSpec f;
        f.id = l.str(facts[i], "id", path, true);
        f.title = l.str(facts[i], "title", path, true);
        const Json fields = list_at(facts[i], "fields", data::path_member(path, "fields"));
        for (std::size_t k = 0; k < fields.size(); ++k) {
            const std::string fp = data::path_index(data::path_member(path, "fields"), k);
            if (!l.keys(fields[k], fp, {"id", "title", "values"})) continue;
            FactField field;
            field.id = l.str(fields[k], "id", fp, true);
            field.title = l.str(fields[k], "title", fp, true);
            const Json values = list_at(fields[k], "values", data::path_member(fp, "values"));
            for (std::size_t v = 0; v < values.size(); ++v) {
                const std::string vp = data::path_index(data::path_member(fp, "values"), v);
                if (!l.keys(values[v], vp, {"id", "title"})) continue;
                field.values.emplace_back(l.str(values[v], "id", vp, true), l.str(values[v], "title", vp, true));
            }
            f.fields.push_back(std::move(field));
        }
        if (w.fact(f.id)) l.error(ErrorId::workflow_invalid, data::path_member(path, "id"), "факт «" + f.id + "» описан дважды");
        w.facts.push_back(std::move(f));
    }
    if (j.contains("dynamics") && !j["dynamics"].is_null()) {
        const Json& d = j["dynamics"];
        if (l.keys(d, "$.dynamics", {"title", "override", "rules", "otherwise"})) {
            Dynamics dyn;
            dyn.title = l.str(d, "title", "$.dynamics", true);
            const std::string over = l.str(d, "override", "$.dynamics", false);
            if (!over.empty()) {
                const auto dot = over.find('.');
                dyn.override_fact = over.substr(0, dot);
                dyn.override_field = dot == std::string::npos ? std::string() : over.substr(dot + 1);
                const FactSpec* f = w.fact(dyn.override_fact);
                if (dyn.override_field.empty() || !f || !f->field(dyn.override_field)) {
                    l.error(ErrorId::workflow_invalid, "$.dynamics.override",
                            "«" + over + "» должно называть поле факта из «facts»: <факт>.<поле>, например final_monitoring.dynamics");
                }
            }
            dyn.otherwise = l.str(d, "otherwise", "$.dynamics", false);
            const Json rules = list_at(d, "rules", "$.dynamics.rules");
            for (std::size_t i = 0; i < rules.size(); ++i) {
                const std::string rp = data::path_index("$.dynamics.rules", i);
                if (!l.keys(rules[i], rp, {"value", "title", "when"})) continue;
                DynamicsRule r;
                r.value = l.str(rules[i], "value", rp, true);
                r.title = l.str(rules[i], "title", rp, true);
                if (auto g = l.guard(rules[i], "when", rp, true, &r.when_text)) r.when = std::move(*g);
                dyn.rules.push_back(std::move(r));
            }
            // The values a rule gives must be the override field's words, so that an asserted
            // value and a computed one mean the same.
            if (const FactSpec* f = w.fact(dyn.override_fact)) {
                if (const FactField* ff = f->field(dyn.override_field); ff && !ff->values.empty()) {
                    auto known = [&](const std::string& v) {
                        return v.empty() || std::any_of(ff->values.begin(), ff->values.end(), [&](const auto& p) { return p.first == v; });
                    };
                    for (std::size_t i = 0; i < dyn.rules.size(); ++i) {
                        if (!known(dyn.rules[i].value)) l.error(ErrorId::data_bad_value, data::path_member(data::path_index("$.dynamics.rules", i), "value"), "значение «" + dyn.rules[i].value + "» не из списка значений поля «" + over + "»");
                    }
                    if (!known(dyn.otherwise)) l.error(ErrorId::data_bad_value, "$.dynamics.otherwise", "значение «" + dyn.otherwise + "» не из списка значений поля «" + over + "»");
                }
            }
            w.dynamics = std::move(dyn);
        }
    }

    const Json& stages = l.list(j, "stages", "$");
    if (stages.empty()) l.error(ErrorId::data_missing_field, "$.stages", "у рабочего процесса нет этапов");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const std::string path = data::path_index("$.stages", i);
        if (!l.keys(stages[i], path, {"id", "title", "from", "to", "final", "tasks", "entry", "exit"})) continue;
        Stage s;
        s.id = l.str(stages[i], "id", path, true);
        s.title = l.str(stages[i], "title", path, true);
        s.final = l.flag(stages[i], "final", path, false);
        s.from = l.month_day(stages[i], "from", path, !s.final);
        s.to = l.month_day(stages[i], "to", path, !s.final);
        if (auto g = l.guard(stages[i], "entry", path, false)) s.entry = std::move(*g);
        if (auto g = l.guard(stages[i], "exit", path, false)) s.exit = std::move(*g);
        const Json& tasks = l.list(stages[i], "tasks", path);
        for (std::size_t k = 0; k < tasks.size(); ++k) {
            const std::string tp = data::path_index(data::path_member(path, "tasks"), k);
            if (!l.keys(tasks[k], tp, {"id", "activity", "from", "to", "responsible", "done"})) continue;
            Task t;
            t.id = l.str(tasks[k], "id", tp, true);
            t.activity = l.str(tasks[k], "activity", tp, true);
            t.responsible = l.str(tasks[k], "responsible", tp, true);
            t.from = l.month_day(tasks[k], "from", tp, true);
            t.to = l.month_day(tasks[k], "to", tp, true);
            t.done = l.str(tasks[k], "done", tp, false);
            s.tasks.push_back(std::move(t));
        }
        if (std::find(ids.begin(), ids.end(), s.id) != ids.end()) l.error(ErrorId::workflow_invalid, data::path_member(path, "id"), "этап «" + s.id + "» объявлен дважды");
        ids.push_back(s.id);
        w.stages.push_back(std::move(s));
    }
    auto stage_ref = [&](const std::string& id, const std::string& path) {
        if (id.empty() || std::find(ids.begin(), ids.end(), id) != ids.end()) return;
        std::string msg = "этапа «" + id + "» нет";
        const auto near = data::nearest(id, ids);
        if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
        std::string all;
        for (const auto& x : ids) all += (all.empty() ? "" : ", ") + x;
        l.error(ErrorId::workflow_unknown_stage, path, msg + "; этапы: " + all);
    };
    stage_ref(w.start, "$.start");

    const Json& transitions = l.list(j, "transitions", "$");
    for (std::size_t i = 0; i < transitions.size(); ++i) {
        const std::string path = data::path_index("$.transitions", i);
        if (!l.keys(transitions[i], path, {"id", "from", "to", "guard", "title", "actions"})) continue;
        Transition t;
        t.id = l.str(transitions[i], "id", path, true);
        t.from = l.str(transitions[i], "from", path, true);
        t.to = l.str(transitions[i], "to", path, true);
        t.title = l.str(transitions[i], "title", path, false);
        stage_ref(t.from, data::path_member(path, "from"));
        stage_ref(t.to, data::path_member(path, "to"));
        if (const Stage* s = nullptr; (s = w.stage(t.from)) && s->final) {
            l.error(ErrorId::workflow_invalid, data::path_member(path, "from"), "этап «" + t.from + "» конечный: из него не бывает переходов");
        }
        t.actions = l.list(transitions[i], "actions", path);
        if (auto g = l.guard(transitions[i], "guard", path, true, &t.guard_text)) t.guard = std::move(*g);
        w.transitions.push_back(std::move(t));
    }
    const Json& ends = l.list(j, "year_end", "$");
    for (std::size_t i = 0; i < ends.size(); ++i) {
        const std::string path = data::path_index("$.year_end", i);
        if (!l.keys(ends[i], path, {"id", "guard", "to", "status", "title"})) continue;
        YearEnd y;
        y.id = l.str(ends[i], "id", path, true);
        y.to = l.str(ends[i], "to", path, true);
        y.status = l.str(ends[i], "status", path, true);
        y.title = l.str(ends[i], "title", path, false);
        stage_ref(y.to, data::path_member(path, "to"));
        if (y.status != "active" && y.status != "completed" && !y.status.empty()) {
            l.error(ErrorId::data_bad_value, data::path_member(path, "status"), "статус «" + y.status + "» неизвестен; допустимые: active, completed");
        }
        if (auto g = l.guard(ends[i], "guard", path, true, &y.guard_text)) y.guard = std::move(*g);
        w.year_end.push_back(std::move(y));
    }
    if (w.year_end.empty()) l.error(ErrorId::data_missing_field, "$.year_end", "не описано, что происходит с программой в конце учебного года (year_end)");

    // Facts named in conditions and tasks must be the declared ones (when the workflow declares
    // its vocabulary): a misspelt name would otherwise be a condition that never holds.
    if (!w.facts.empty()) {
        std::vector<std::string> names;
        for (const auto& f : w.facts) names.push_back(f.id);
        auto unknown_fact = [&](const std::string& name, const std::string& path, std::string what) {
            std::string msg = what + ": факта «" + name + "» нет в списке фактов рабочего процесса";
            const auto near = data::nearest(name, names);
            if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            l.error(ErrorId::workflow_invalid, path, msg);
        };
        auto check_expr = [&](const expr::Expr& e, const std::string& path) {
            for (const auto& ref : e.paths()) {
                if (ref.path.rfind("facts.", 0) != 0) continue;
                const std::string rest = ref.path.substr(6);
                const std::string name = rest.substr(0, rest.find('.'));
                const FactSpec* f = w.fact(name);
                if (!f) {
                    unknown_fact(name, path, "в условии «" + e.text() + "»");
                    continue;
                }
                const auto dot = rest.find('.');
                if (dot == std::string::npos) continue;
                const std::string field = rest.substr(dot + 1, rest.find('.', dot + 1) - dot - 1);
                if (field != "date" && field != "value" && !f->field(field)) {
                    l.error(ErrorId::workflow_invalid, path, "в условии «" + e.text() + "»: у факта «" + name + "» нет поля «" + field + "»");
                }
            }
        };
        for (std::size_t i = 0; i < w.stages.size(); ++i) {
            const std::string path = data::path_index("$.stages", i);
            if (w.stages[i].entry) check_expr(*w.stages[i].entry, data::path_member(path, "entry"));
            if (w.stages[i].exit) check_expr(*w.stages[i].exit, data::path_member(path, "exit"));
            for (std::size_t k = 0; k < w.stages[i].tasks.size(); ++k) {
                const auto& t = w.stages[i].tasks[k];
                if (!t.done.empty() && !w.fact(t.done)) unknown_fact(t.done, data::path_member(data::path_index(data::path_member(path, "tasks"), k), "done"), "задача «" + t.id + "»");
            }
        }
        for (std::size_t i = 0; i < w.transitions.size(); ++i) check_expr(w.transitions[i].guard, data::path_member(data::path_index("$.transitions", i), "guard"));
        for (std::size_t i = 0; i < w.year_end.size(); ++i) check_expr(w.year_end[i].guard, data::path_member(data::path_index("$.year_end", i), "guard"));
        if (w.dynamics) {
            for (std::size_t i = 0; i < w.dynamics->rules.size(); ++i) check_expr(w.dynamics->rules[i].when, data::path_member(data::path_index("$.dynamics.rules", i), "when"));
        }
    }

    if (diags.empty()) {
        // Reachability from the start (transitions and year-end outcomes), and a way out of every
        // stage that is not final.
        std::set<std::string> seen{w.start};
        std::vector<std::string> todo{w.start};
        while (!todo.empty()) {
            const std::string s = todo.back();
            todo.pop_back();
            for (const auto& t : w.transitions) {
                if (t.from == s && seen.insert(t.to).second) todo.push_back(t.to);
            }
            for (const auto& y : w.year_end) {
                if (seen.insert(y.to).second) todo.push_back(y.to);
            }
        }
        for (std::size_t i = 0; i < w.stages.size(); ++i) {
            const Stage& s = w.stages[i];
            const std::string path = data::path_index("$.stages", i);
            if (!seen.count(s.id)) {
                l.error(ErrorId::workflow_unreachable, path, "в этап «" + s.id + "» нельзя попасть: к нему не ведёт ни один переход от начального этапа «" + w.start + "»");
            }
            const bool out = s.final || !w.year_end.empty() ||
                             std::any_of(w.transitions.begin(), w.transitions.end(), [&](const Transition& t) { return t.from == s.id; });
            if (!out) l.error(ErrorId::workflow_dead_end, path, "из этапа «" + s.id + "» нет выхода: нет переходов, и он не отмечен как конечный (\"final\": true)");
        }
        if (std::none_of(w.year_end.begin(), w.year_end.end(), [](const YearEnd& y) { return y.guard_text == "true"; })) {
            // Without an unconditional last outcome a program could be left with no decision.
            l.error(ErrorId::workflow_dead_end, "$.year_end", "последний исход года должен срабатывать всегда (\"guard\": \"true\"), иначе программа может остаться без решения");
        }
    }
    if (!diags.empty()) throw Error(std::move(diags));
    return w;
}

Registry::Registry(const io::Resources& resources) : functions_(expr::make_rule_functions()) {
    Diagnostics diags;
    // Methodology files are checked by the same schema module as data files (unknown keys with the
    // nearest name, types, required fields — with positions and Russian titles), then read.
    auto schema = [&](const char* name) -> std::optional<data::Schema> {
        const auto r = resources.find(std::string("schemas/methodology/") + name + ".schema.json");
        if (!r) return std::nullopt;
        return data::Schema::from_json(data::parse_json(r->text, r->origin));
    };
    const std::optional<data::Schema> table_schema = schema("decision_table"), workflow_schema = schema("workflow");
    for (const auto& name : resources.list("workflows/")) {
        if (!name.ends_with(".json")) continue;
        const auto r = resources.find(name);
        try {
            data::JsonDocument doc = data::parse_json(r->text, r->origin);
            const bool is_table = doc.value.is_object() && doc.value.contains("rules");
            if (const auto& s = is_table ? table_schema : workflow_schema) {
                Diagnostics problems;
                s->validate(doc, problems);
                if (!problems.empty()) {
                    diags.append(problems);
                    continue;
                }
            }
            if (is_table) {
                auto t = rules::DecisionTable::load(doc, functions_);
                // Overlaps and gaps are errors at load, not only in `ppko check`.
                const Diagnostics problems = t.check();
                if (!problems.empty()) {
                    diags.append(problems);
                    continue;
                }
                const std::string id = t.id();
                tables_.insert_or_assign(id, std::move(t));
            } else {
                Workflow w = load_workflow(doc, functions_);
                const auto key = std::make_pair(w.id, w.version);
                if (workflows_.count(key)) {
                    diags.add(ErrorId::workflow_invalid, r->origin, doc.position_of("$.version"), "$.version",
                              "рабочий процесс «" + w.id + "» версии " + std::to_string(w.version) + " описан дважды (" + workflows_.at(key).file + ")");
                    continue;
                }
                workflows_.emplace(key, std::move(w));
            }
        } catch (const Error& e) {
            diags.append(e.diagnostics());
        }
    }
    if (!diags.empty()) throw Error(std::move(diags));
}

const Workflow* Registry::find(std::string_view id, int version) const {
    const Workflow* best = nullptr;
    for (const auto& [key, w] : workflows_) {
        if (key.first != id) continue;
        if (version == 0 ? (!best || w.version > best->version) : w.version == version) best = &w;
    }
    return best;
}

const Workflow& Registry::workflow(std::string_view id, int version) const {
    const Workflow* best = find(id, version);
    if (!best) {
        std::string all;
        for (const auto& [key, w] : workflows_) all += (all.empty() ? "" : ", ") + key.first + " v" + std::to_string(key.second);
        throw Error(ErrorId::workflow_not_found, "workflows/" + std::string(id) + ".json", {}, "",
                    "нет описания рабочего процесса «" + std::string(id) + "»" + (version ? " версии " + std::to_string(version) : std::string()) +
                        "; есть: " + (all.empty() ? "нет" : all));
    }
    return *best;
}

const rules::DecisionTable& Registry::table(std::string_view id) const {
    auto it = tables_.find(id);
    if (it == tables_.end()) {
        throw Error(ErrorId::workflow_not_found, "workflows/" + std::string(id) + ".json", {}, "", "нет таблицы решений «" + std::string(id) + "»");
    }
    return it->second;
}

std::vector<const Workflow*> Registry::workflows() const {
    std::vector<const Workflow*> out;
    for (const auto& [k, w] : workflows_) out.push_back(&w);
    return out;
}

std::string graph(const Workflow& w, std::string_view format) {
    std::string out;
    auto label = [](const std::string& s) {
        std::string r;
        for (char c : s) r += c == '"' ? '\'' : c;
        return r;
    };
    // Every edge says when it is taken: its title and, in brackets, the condition as written.
    auto edge = [&](const std::string& title, const std::string& guard) {
        return label(title.empty() ? guard : title + " [" + guard + "]");
    };
    if (format == "dot") {
        out += "digraph \"" + label(w.id) + "\" {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
        for (const auto& s : w.stages) {
            out += "  \"" + s.id + "\" [label=\"" + label(s.title) + "\"" + (s.final ? ", peripheries=2" : "") + "];\n";
        }
        out += "  start [shape=point];\n  start -> \"" + w.start + "\";\n";
        for (const auto& t : w.transitions) out += "  \"" + t.from + "\" -> \"" + t.to + "\" [label=\"" + edge(t.title, t.guard_text) + "\"];\n";
        if (!w.year_end.empty()) out += "  year_end [shape=diamond, label=\"конец учебного года (31.08)\"];\n";
        for (const auto& y : w.year_end) out += "  year_end -> \"" + y.to + "\" [style=dashed, label=\"" + edge(y.title, y.guard_text) + "\"];\n";
        out += "}\n";
        return out;
    }
    out += "stateDiagram-v2\n";
    for (const auto& s : w.stages) out += "    " + s.id + " : " + label(s.title) + "\n";
    out += "    [*] --> " + w.start + "\n";
    for (const auto& t : w.transitions) out += "    " + t.from + " --> " + t.to + " : " + edge(t.title, t.guard_text) + "\n";
    for (const auto& y : w.year_end) out += "    year_end --> " + y.to + " : " + edge(y.title, y.guard_text) + "\n";
    for (const auto& s : w.stages) {
        if (s.final) out += "    " + s.id + " --> [*]\n";
    }
    return out;
}

}  // namespace ppko::workflow
