#include "rules/decision_table.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

#include "data/fields.h"
#include "data/schema.h"
#include "text/russian.h"

namespace ppko::rules {
namespace {

using Op = Cell::Op;

// Diagnostics while loading; every problem is collected.
class Loader : public data::FieldReader {
public:
    Loader(const data::JsonDocument& doc, Diagnostics& out) : FieldReader(doc, out) {}

    // Position of character `offset` inside the JSON string at `path` (after its opening quote).
    Position inside(const std::string& path, std::size_t offset_chars) const {
        Position p = doc().position_of(path);
        if (p.line > 0) p.column += 1 + static_cast<int>(offset_chars);
        return p;
    }

    std::optional<expr::Expr> parse(const std::string& text, const std::string& path, std::size_t offset,
                                    const expr::FunctionTable& functions) {
        static const expr::FunctionTable no_filters;
        try {
            return expr::Expr::parse(text, doc().file, inside(path, offset), no_filters, functions);
        } catch (const Error& e) {
            for (auto d : e.diagnostics().items()) {
                d.json_path = path;
                diagnostics().add(std::move(d));
            }
            return std::nullopt;
        }
    }
};

// Only `params`: what a cell's constant may refer to.
class ParamsScope final : public expr::Scope {
public:
    explicit ParamsScope(const Json& params) : params_(params) {}
    const Json* find(std::string_view name) const override { return name == "params" ? &params_ : nullptr; }
    void names(std::vector<std::string>& out) const override { out.emplace_back("params"); }

private:
    const Json& params_;
};

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

int compare(const Json& a, const Json& b, bool& comparable) {
    comparable = true;
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    comparable = false;
    return 0;
}

bool equal(const Json& a, const Json& b) {
    if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
    return a == b;
}

// --- interval analysis for the static checks --------------------------------------------------

struct Bound {
    double x;
    bool closed;
};
struct Interval {
    Bound lo{-std::numeric_limits<double>::infinity(), false};
    Bound hi{std::numeric_limits<double>::infinity(), false};
    bool contains(double v) const {
        const bool above = v > lo.x || (lo.closed && v == lo.x);
        const bool below = v < hi.x || (hi.closed && v == hi.x);
        return above && below;
    }
};

// The numeric set a cell accepts, as intervals; nullopt when the cell is not numeric.
std::optional<std::vector<Interval>> numeric_set(const Cell& c) {
    const double inf = std::numeric_limits<double>::infinity();
    auto num = [&](const Json& j) -> std::optional<double> {
        if (j.is_number()) return j.get<double>();
        return std::nullopt;
    };
    switch (c.op) {
        case Op::any: return std::vector<Interval>{Interval{}};
        case Op::eq: {
            auto x = num(c.operand);
            if (!x) return std::nullopt;
            return std::vector<Interval>{Interval{{*x, true}, {*x, true}}};
        }
        case Op::ne: {
            auto x = num(c.operand);
            if (!x) return std::nullopt;
            return std::vector<Interval>{Interval{{-inf, false}, {*x, false}}, Interval{{*x, false}, {inf, false}}};
        }
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge: {
            auto x = num(c.operand);
            if (!x) return std::nullopt;
            Interval i;
            if (c.op == Op::lt || c.op == Op::le) i.hi = {*x, c.op == Op::le};
            else i.lo = {*x, c.op == Op::ge};
            return std::vector<Interval>{i};
        }
        case Op::in_range: {
            auto lo = num(c.operand[0]), hi = num(c.operand[1]);
            if (!lo || !hi) return std::nullopt;
            return std::vector<Interval>{Interval{{*lo, c.operand[2].get<bool>()}, {*hi, c.operand[3].get<bool>()}}};
        }
        case Op::in_list: {
            std::vector<Interval> out;
            for (const auto& e : c.operand) {
                auto x = num(e);
                if (!x) return std::nullopt;
                out.push_back(Interval{{*x, true}, {*x, true}});
            }
            return out;
        }
    }
    return std::nullopt;
}

bool accepts(const std::vector<Interval>& set, double v) {
    return std::any_of(set.begin(), set.end(), [&](const Interval& i) { return i.contains(v); });
}


// Every combination of probe points must be covered by some rule. Searched depth-first, input
// by input (the last input outermost, so that gaps are found in the order of an odometer whose
// first input turns fastest), keeping only the rules that accept the points chosen so far: a
// branch ends as soon as one of them accepts everything left (covered) or none is left (a gap).
// At most three gaps are reported; a table whose search would take more than kMaxGapSteps
// steps is reported as too large to check (limit.size) instead of running for hours.
using CellSets = std::vector<std::vector<std::optional<std::vector<Interval>>>>;  // [rule][input]

void find_gaps(const std::vector<Input>& inputs_, std::size_t rule_count, const std::string& file_, const CellSets& sets,
               const std::vector<std::vector<double>>& probes, Diagnostics& out) {
    const std::size_t n = inputs_.size();
    const std::uint64_t kMaxGapSteps = DecisionTable::kMaxGapSteps;
    // accepts_probe[r][i][k]: the cell of rule r for input i holds at probe k of input i;
    // whole_from[r][i]: its cells for inputs 0…i hold at every probe (the rest of the box).
    std::vector<std::vector<std::vector<char>>> accepts_probe(rule_count, std::vector<std::vector<char>>(n));
    std::vector<std::vector<char>> whole_upto(rule_count, std::vector<char>(n));
    for (std::size_t r = 0; r < rule_count; ++r) {
        bool whole = true;
        for (std::size_t i = 0; i < n; ++i) {
            bool all = true;
            for (double p : probes[i]) {
                accepts_probe[r][i].push_back(accepts(*sets[r][i], p) ? 1 : 0);
                all = all && accepts_probe[r][i].back();
            }
            whole = whole && all;
            whole_upto[r][i] = whole ? 1 : 0;
        }
    }
    std::vector<std::size_t> idx(n, 0);
    int reported = 0;
    std::uint64_t steps = 0;
    bool stopped = false;
    auto explore = [&](auto& self, std::ptrdiff_t level, const std::vector<std::size_t>& candidates) -> void {
        if (reported >= 3 || stopped) return;
        if (++steps > kMaxGapSteps) {
            stopped = true;
            return;
        }
        for (std::size_t r : candidates) {
            if (level < 0 || whole_upto[r][static_cast<std::size_t>(level)]) return;  // covered
        }
        if (level < 0) {
            std::string example;
            for (std::size_t i = 0; i < n; ++i) example += (i ? ", " : "") + inputs_[i].id + " = " + text::format_decimal(probes[i][idx[i]]);
            out.add(ErrorId::rules_gap, file_, {}, "$.rules", "ни одно правило не срабатывает при " + example);
            ++reported;
            return;
        }
        const auto i = static_cast<std::size_t>(level);
        std::vector<std::size_t> next;
        for (std::size_t k = 0; k < probes[i].size(); ++k) {
            idx[i] = k;
            next.clear();
            for (std::size_t r : candidates) {
                if (accepts_probe[r][i][k]) next.push_back(r);
            }
            self(self, level - 1, next);
        }
        idx[i] = 0;
    };
    std::vector<std::size_t> all(rule_count);
    for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
    explore(explore, static_cast<std::ptrdiff_t>(n) - 1, all);
    if (stopped) {
        out.add(ErrorId::limit_size, file_, {}, "$.rules",
                "таблицу не удаётся проверить на пробелы: сочетаний значений входов слишком много (больше " + std::to_string(kMaxGapSteps) +
                    " шагов проверки); уменьшите число входов с областью значений или укажите \"complete\": false");
    }
}

}  // namespace

const char* truth_word(Truth t) {
    switch (t) {
        case Truth::yes: return "да";
        case Truth::no: return "нет";
        case Truth::unknown: return "нет данных";
    }
    return "?";
}

Truth Cell::test(const expr::Value& input) const {
    if (op == Op::any) return Truth::yes;
    if (input.is_missing() || input->is_null()) return Truth::unknown;
    const Json& v = input.get();
    bool ok = true;
    switch (op) {
        case Op::any: return Truth::yes;
        case Op::eq: return equal(v, operand) ? Truth::yes : Truth::no;
        case Op::ne: return equal(v, operand) ? Truth::no : Truth::yes;
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge: {
            const int c = compare(v, operand, ok);
            if (!ok) return Truth::unknown;
            const bool r = op == Op::lt ? c < 0 : op == Op::le ? c <= 0 : op == Op::gt ? c > 0 : c >= 0;
            return r ? Truth::yes : Truth::no;
        }
        case Op::in_range: {
            const int a = compare(v, operand[0], ok);
            if (!ok) return Truth::unknown;
            const int b = compare(v, operand[1], ok);
            if (!ok) return Truth::unknown;
            const bool above = operand[2].get<bool>() ? a >= 0 : a > 0;
            const bool below = operand[3].get<bool>() ? b <= 0 : b < 0;
            return above && below ? Truth::yes : Truth::no;
        }
        case Op::in_list:
            return std::any_of(operand.begin(), operand.end(), [&](const Json& e) { return equal(v, e); }) ? Truth::yes : Truth::no;
    }
    return Truth::unknown;
}

DecisionTable DecisionTable::load(const data::JsonDocument& doc, const expr::FunctionTable& functions) {
    Diagnostics diags;
    Loader l(doc, diags);
    DecisionTable t;
    t.file_ = doc.file;
    const Json& j = doc.value;
    if (!l.keys(j, "$", {"id", "version", "title", "basis", "hit_policy", "complete", "inputs", "outputs", "rules", "measures", "parameters"})) throw Error(std::move(diags));
    t.id_ = l.str(j, "id", "$", true);
    // Parameters first: titles, reasons and cells below may refer to them.
    if (j.contains("parameters") && !j["parameters"].is_null()) {
        if (!j["parameters"].is_object()) l.error(ErrorId::data_wrong_type, "$.parameters", "ожидался объект: имя параметра → {\"value\": число, \"title\": \"…\"}");
        else {
            for (const auto& [name, v] : j["parameters"].items()) {
                const std::string path = data::path_member("$.parameters", name);
                if (!l.keys(v, path, {"value", "title"})) continue;
                if (!v.contains("value") || !v["value"].is_number()) {
                    l.error(ErrorId::data_missing_field, path, "у параметра нужно значение — число (\"value\": 30)");
                    continue;
                }
                t.parameters_.push_back({name, l.str(v, "title", path, false), v["value"].get<double>()});
                t.params_[name] = v["value"];
            }
        }
    }
    // "{name}" in a text → the parameter's value, as a person writes it («30», «2,5»).
    auto texts = [&](std::string s, const std::string& path) {
        std::string out;
        for (std::size_t i = 0; i < s.size();) {
            const std::size_t open = s.find('{', i);
            if (open == std::string::npos) {
                out.append(s, i, std::string::npos);
                break;
            }
            const std::size_t close = s.find('}', open);
            out.append(s, i, open - i);
            if (close == std::string::npos) {
                out.append(s, open, std::string::npos);
                break;
            }
            const std::string name = s.substr(open + 1, close - open - 1);
            if (t.params_.contains(name)) {
                out += text::format_decimal(t.params_[name].get<double>());
            } else {
                std::vector<std::string> names;
                for (const auto& p : t.parameters_) names.push_back(p.id);
                std::string msg = "в тексте «{" + name + "}», а параметра «" + name + "» нет";
                const auto near = data::nearest(name, names);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                l.error(ErrorId::data_bad_value, path, msg);
                out.append(s, open, close - open + 1);
            }
            i = close + 1;
        }
        return out;
    };
    t.title_ = texts(l.str(j, "title", "$", true), "$.title");
    t.basis_ = texts(l.str(j, "basis", "$", false), "$.basis");
    if (!j.contains("version") || !j["version"].is_number_integer()) {
        l.error(ErrorId::data_missing_field, "$.version", "нужна версия таблицы — целое число (\"version\": 1)");
    } else {
        t.version_ = j["version"].get<int>();
    }
    const std::string policy = l.str(j, "hit_policy", "$", true);
    static const std::vector<std::pair<std::string, HitPolicy>> policies = {
        {"unique", HitPolicy::unique}, {"first", HitPolicy::first}, {"collect", HitPolicy::collect}, {"priority", HitPolicy::priority}};
    auto pit = std::find_if(policies.begin(), policies.end(), [&](auto& p) { return p.first == policy; });
    if (pit != policies.end()) {
        t.policy_ = pit->second;
    } else if (!policy.empty()) {
        l.error(ErrorId::data_bad_value, "$.hit_policy", "политика «" + policy + "» неизвестна; допустимые: unique, first, collect, priority");
    }
    t.complete_ = l.flag(j, "complete", "$", t.policy_ != HitPolicy::collect);

    std::vector<std::string> input_ids;
    const Json& inputs = l.list(j, "inputs", "$");
    if (inputs.empty()) l.error(ErrorId::data_missing_field, "$.inputs", "у таблицы нет входов");
    if (inputs.size() > kMaxInputs) {
        l.error(ErrorId::limit_size, "$.inputs", "у таблицы " + std::to_string(inputs.size()) + " входов, а допускается не больше " + std::to_string(kMaxInputs));
        throw Error(std::move(diags));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string path = data::path_index("$.inputs", i);
        if (!l.keys(inputs[i], path, {"id", "title", "expr", "domain"})) continue;
        Input in;
        in.id = l.str(inputs[i], "id", path, true);
        in.title = texts(l.str(inputs[i], "title", path, false), data::path_member(path, "title"));
        const std::string text = l.str(inputs[i], "expr", path, true);
        if (auto e = l.parse(text, data::path_member(path, "expr"), 0, functions)) in.expr = std::move(*e);
        if (inputs[i].contains("domain") && !inputs[i]["domain"].is_null()) {
            const Json& d = inputs[i]["domain"];
            if (d.is_array() && d.size() == 2 && d[0].is_number() && d[1].is_number() && d[0].get<double>() <= d[1].get<double>()) {
                in.has_domain = true;
                in.lo = d[0].get<double>();
                in.hi = d[1].get<double>();
            } else {
                l.error(ErrorId::data_wrong_type, data::path_member(path, "domain"), "ожидался диапазон значений входа: [наименьшее, наибольшее]");
            }
        }
        if (std::find(input_ids.begin(), input_ids.end(), in.id) != input_ids.end()) {
            l.error(ErrorId::data_bad_value, data::path_member(path, "id"), "вход «" + in.id + "» объявлен дважды");
        }
        input_ids.push_back(in.id);
        t.inputs_.push_back(std::move(in));
    }
    std::vector<std::string> output_ids;
    const Json& outputs = l.list(j, "outputs", "$");
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const std::string path = data::path_index("$.outputs", i);
        if (!l.keys(outputs[i], path, {"id", "title", "values"})) continue;
        Output o;
        o.id = l.str(outputs[i], "id", path, true);
        o.title = l.str(outputs[i], "title", path, false);
        if (outputs[i].contains("values") && !outputs[i]["values"].is_null()) {
            const Json& vs = outputs[i]["values"];
            for (std::size_t k = 0; vs.is_array() && k < vs.size(); ++k) {
                const std::string vp = data::path_index(data::path_member(path, "values"), k);
                OutputValue ov;
                if (vs[k].is_string()) {
                    ov.id = ov.title = vs[k].get<std::string>();
                } else if (l.keys(vs[k], vp, {"id", "title", "abbr"})) {
                    ov.id = l.str(vs[k], "id", vp, true);
                    ov.title = l.str(vs[k], "title", vp, true);
                    ov.abbr = l.str(vs[k], "abbr", vp, false);
                }
                o.values.push_back(ov.id);
                o.value_titles.push_back(std::move(ov));
            }
            if (!vs.is_array()) l.error(ErrorId::data_wrong_type, data::path_member(path, "values"), "ожидался список значений");
        }
        output_ids.push_back(o.id);
        t.outputs_.push_back(std::move(o));
    }

    const Json& measures = l.list(j, "measures", "$");
    for (std::size_t i = 0; i < measures.size(); ++i) {
        const std::string path = data::path_index("$.measures", i);
        if (!l.keys(measures[i], path, {"path", "title", "unit", "threshold", "above", "min", "max"})) continue;
        Measure m;
        m.path = l.str(measures[i], "path", path, true);
        const auto dot = m.path.find('.');
        m.group = m.path.substr(0, dot);
        m.name = dot == std::string::npos ? std::string() : m.path.substr(dot + 1);
        if (!m.path.empty() && ((m.group != "results" && m.group != "context") || m.name.empty() || m.name.find_first_of(".[") != std::string::npos)) {
            l.error(ErrorId::data_bad_value, data::path_member(path, "path"), "показатель записывается как results.<имя> или context.<имя>, а записано «" + m.path + "»");
        }
        m.title = texts(l.str(measures[i], "title", path, true), data::path_member(path, "title"));
        m.unit = l.str(measures[i], "unit", path, false);
        const Json th = measures[i].value("threshold", Json());
        if (th.is_number()) {
            m.threshold = th.get<double>();
        } else if (th.is_string() && t.params_.contains(th.get<std::string>())) {
            m.threshold = t.params_[th.get<std::string>()].get<double>();
        } else {
            l.error(ErrorId::data_missing_field, data::path_member(path, "threshold"), "нужен порог — число или имя параметра из «parameters»");
        }
        m.above = l.flag(measures[i], "above", path, true);
        for (const char* key : {"min", "max"}) {
            if (!measures[i].contains(key) || measures[i][key].is_null()) continue;
            if (!measures[i][key].is_number()) {
                l.error(ErrorId::data_wrong_type, data::path_member(path, key), "ожидалось число");
                continue;
            }
            (key[1] == 'i' ? m.has_min : m.has_max) = true;
            (key[1] == 'i' ? m.min : m.max) = measures[i][key].get<double>();
        }
        if (std::any_of(t.measures_.begin(), t.measures_.end(), [&](const Measure& x) { return x.path == m.path; })) {
            l.error(ErrorId::data_bad_value, data::path_member(path, "path"), "показатель «" + m.path + "» описан дважды");
        }
        t.measures_.push_back(std::move(m));
    }
    const Json& rules = l.list(j, "rules", "$");
    if (rules.empty()) l.error(ErrorId::data_missing_field, "$.rules", "у таблицы нет правил");
    if (rules.size() > kMaxRules) {
        l.error(ErrorId::limit_size, "$.rules", "у таблицы " + std::to_string(rules.size()) + " правил, а допускается не больше " + std::to_string(kMaxRules));
        throw Error(std::move(diags));
    }
    std::set<std::string> rule_ids;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        const std::string path = data::path_index("$.rules", r);
        if (!l.keys(rules[r], path, {"id", "when", "then", "priority"})) continue;
        Rule rule;
        rule.id = l.str(rules[r], "id", path, true);
        if (!rule.id.empty() && !rule_ids.insert(rule.id).second) {
            l.error(ErrorId::data_bad_value, data::path_member(path, "id"), "правило «" + rule.id + "» объявлено дважды");
        }
        rule.priority = l.number(rules[r], "priority", path, 0.0);
        rule.cells.resize(t.inputs_.size());
        const Json& when = l.object(rules[r], "when", path);
        const std::string wpath = data::path_member(path, "when");
        for (const auto& [input, cell_json] : when.items()) {
            const std::string cpath = data::path_member(wpath, input);
            const auto it = std::find(input_ids.begin(), input_ids.end(), input);
            if (it == input_ids.end()) {
                std::string msg = "входа «" + input + "» в таблице нет";
                const auto near = data::nearest(input, input_ids);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                diags.add(ErrorId::data_unknown_key, doc.file, doc.key_position_of(cpath), cpath, msg + "; входы: " + [&] {
                    std::string s;
                    for (const auto& x : input_ids) s += (s.empty() ? "" : ", ") + x;
                    return s;
                }());
                continue;
            }
            if (!cell_json.is_string()) {
                l.error(ErrorId::data_wrong_type, cpath, "условие записывается текстом: \"-\", \">= 30\", \"[20..39]\", \"\\\"СШ\\\"\"");
                continue;
            }
            Cell& c = rule.cells[static_cast<std::size_t>(it - input_ids.begin())];
            c.text = cell_json.get<std::string>();
            const std::string s = trim(c.text);
            // Explanations show the values: «>= params.fail_count» reads «>= 2».
            struct ShowValues {
                Cell& cell;
                const Json& params;
                ~ShowValues() {
                    for (const auto& [name, v] : params.items()) {
                        const std::string token = "params." + name;
                        for (std::size_t at = 0; (at = cell.text.find(token, at)) != std::string::npos;) {
                            const std::size_t end = at + token.size();
                            const bool whole = end == cell.text.size() || !(std::isalnum(static_cast<unsigned char>(cell.text[end])) || cell.text[end] == '_');
                            if (whole) cell.text.replace(at, token.size(), text::format_decimal(v.get<double>()));
                            else at = end;
                        }
                    }
                }
            } show{c, t.params_};
            if (s.empty() || s == "-") continue;
            static const std::vector<std::pair<std::string, Op>> ops = {{">=", Op::ge}, {"<=", Op::le}, {"!=", Op::ne},
                                                                        {"==", Op::eq}, {">", Op::gt},  {"<", Op::lt}};
            std::size_t offset = c.text.find_first_not_of(' ');
            Op op = Op::eq;
            for (const auto& [tok, o] : ops) {
                if (s.rfind(tok, 0) == 0) {
                    op = o;
                    offset += tok.size();
                    break;
                }
            }
            // Ranges with open ends, "[40..80)" or "(0..5]", are read here; "[a..b]" is an expression.
            if ((s.front() == '[' || s.front() == '(') && (s.back() == ']' || s.back() == ')') && s.find("..") != std::string::npos &&
                !(s.front() == '[' && s.back() == ']')) {
                const std::size_t dots = c.text.find("..");
                const std::size_t open_at = c.text.find_first_of("[(");
                const std::size_t close_at = c.text.find_last_of("])");
                auto lo = l.parse(c.text.substr(open_at + 1, dots - open_at - 1), cpath, open_at + 1, functions);
                auto hi = l.parse(c.text.substr(dots + 2, close_at - dots - 2), cpath, dots + 2, functions);
                if (!lo || !hi) continue;
                const ParamsScope none(t.params_);
                const expr::Value a = lo->evaluate(none, expr::Mode::facts), b = hi->evaluate(none, expr::Mode::facts);
                if (a.is_missing() || b.is_missing()) {
                    l.error(ErrorId::expr_syntax, cpath, "границы диапазона должны быть постоянными значениями");
                    continue;
                }
                c.op = Op::in_range;
                c.operand = Json::array({a.get(), b.get(), s.front() == '[', s.back() == ']'});
                continue;
            }
            auto e = l.parse(c.text.substr(offset), cpath, offset, functions);
            if (!e) continue;
            const ParamsScope empty(t.params_);
            try {
                expr::Value v = e->evaluate(empty, expr::Mode::facts);
                if (v.is_missing()) {
                    l.error(ErrorId::expr_syntax, cpath, "в условии ячейки допустимы только постоянные значения, а «" + v.missing_path() + "» — имя");
                    continue;
                }
                c.operand = v.get();
            } catch (const Error& err) {
                for (auto d : err.diagnostics().items()) diags.add(std::move(d));
                continue;
            }
            if (op == Op::eq && c.operand.is_object() && c.operand.contains("$range")) {
                op = Op::in_range;
                c.operand = Json::array({c.operand["$range"][0], c.operand["$range"][1], true, true});
            } else if (op == Op::eq && c.operand.is_array()) {
                op = Op::in_list;
            }
            c.op = op;
        }
        const std::string tpath = data::path_member(path, "then");
        if (!rules[r].contains("then") || !rules[r]["then"].is_object()) {
            l.error(ErrorId::data_missing_field, tpath, "у правила нет результата «then»");
        } else {
            rule.then = rules[r]["then"];
            for (auto& [k, v] : rule.then.items()) {
                if (v.is_string()) v = texts(v.get<std::string>(), data::path_member(tpath, k));
                const std::string& output_id = k;  // clang 14 cannot capture a structured binding
                auto o = std::find_if(t.outputs_.begin(), t.outputs_.end(),
                                      [&](const Output& x) { return x.id == output_id; });
                if (o == t.outputs_.end()) {
                    std::string msg = "выхода «" + k + "» в таблице нет";
                    const auto near = data::nearest(k, output_ids);
                    if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                    diags.add(ErrorId::data_unknown_key, doc.file, doc.key_position_of(data::path_member(tpath, k)), data::path_member(tpath, k), msg);
                } else if (!o->values.empty() && (!v.is_string() || std::find(o->values.begin(), o->values.end(), v.get<std::string>()) == o->values.end())) {
                    l.error(ErrorId::data_bad_value, data::path_member(tpath, k), "значение не из списка выхода «" + k + "»");
                }
            }
        }
        t.rules_.push_back(std::move(rule));
        t.rule_positions_.push_back(doc.position_of(path));
    }
    if (!diags.empty()) throw Error(std::move(diags));
    return t;
}

Diagnostics DecisionTable::check() const {
    Diagnostics out;
    const std::size_t n = inputs_.size();
    std::vector<std::vector<std::optional<std::vector<Interval>>>> sets(rules_.size());
    for (std::size_t r = 0; r < rules_.size(); ++r) {
        for (const auto& c : rules_[r].cells) sets[r].push_back(numeric_set(c));
    }
    // Overlaps under `unique`: two rules whose cells intersect on every input.
    if (policy_ == HitPolicy::unique) {
        for (std::size_t a = 0; a < rules_.size(); ++a) {
            for (std::size_t b = a + 1; b < rules_.size(); ++b) {
                bool overlap = true;
                std::string example;
                for (std::size_t i = 0; i < n && overlap; ++i) {
                    const auto& sa = sets[a][i];
                    const auto& sb = sets[b][i];
                    if (!sa || !sb) {
                        // Non-numeric cells: equal constants or any overlap; different constants do not.
                        const Cell& ca = rules_[a].cells[i];
                        const Cell& cb = rules_[b].cells[i];
                        if (ca.op == Op::any || cb.op == Op::any) continue;
                        if (ca.op == Op::eq && cb.op == Op::eq) overlap = equal(ca.operand, cb.operand);
                        else if (ca.op == Op::in_list && cb.op == Op::eq) overlap = std::any_of(ca.operand.begin(), ca.operand.end(), [&](auto& x) { return equal(x, cb.operand); });
                        else if (ca.op == Op::eq && cb.op == Op::in_list) overlap = std::any_of(cb.operand.begin(), cb.operand.end(), [&](auto& x) { return equal(x, ca.operand); });
                        continue;  // anything else: assume they may overlap
                    }
                    // Numeric: look for a common point among the interval ends and midpoints.
                    std::vector<double> probes;
                    for (const auto* s : {&*sa, &*sb}) {
                        for (const auto& iv : *s) {
                            for (double x : {iv.lo.x, iv.hi.x}) {
                                if (std::isfinite(x)) probes.insert(probes.end(), {x, x - 0.5, x + 0.5});
                            }
                        }
                    }
                    if (probes.empty()) probes.push_back(0);
                    bool found = false;
                    for (double p : probes) {
                        if (accepts(*sa, p) && accepts(*sb, p)) {
                            found = true;
                            if (!example.empty()) example += ", ";
                            example += inputs_[i].id + " = " + text::format_decimal(p);
                            break;
                        }
                    }
                    overlap = found;
                }
                if (overlap) {
                    out.add(ErrorId::rules_overlap, file_, rule_positions_[b], data::path_index("$.rules", b),
                            "правила «" + rules_[a].id + "» и «" + rules_[b].id + "» срабатывают одновременно" +
                                (example.empty() ? std::string() : " (например, при " + example + ")") +
                                "; при политике unique каждому набору входов должно соответствовать одно правило");
                }
            }
        }
    }
    // Gaps: every combination of numeric inputs (over their domains) must be covered.
    const bool numeric = std::all_of(inputs_.begin(), inputs_.end(), [](const Input& i) { return i.has_domain; }) &&
                         std::all_of(sets.begin(), sets.end(), [](const auto& rs) {
                             return std::all_of(rs.begin(), rs.end(), [](const auto& s) { return s.has_value(); });
                         });
    if (complete_ && numeric && n > 0) {
        // Probe points per input: domain ends, every cell boundary, and midpoints between them.
        std::vector<std::vector<double>> probes(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::set<double> xs{inputs_[i].lo, inputs_[i].hi};
            for (const auto& rs : sets) {
                for (const auto& iv : *rs[i]) {
                    for (double x : {iv.lo.x, iv.hi.x}) {
                        if (std::isfinite(x) && x >= inputs_[i].lo && x <= inputs_[i].hi) xs.insert(x);
                    }
                }
            }
            std::vector<double> v(xs.begin(), xs.end());
            for (std::size_t k = 0; k + 1 < v.size(); ++k) probes[i].insert(probes[i].end(), {v[k], (v[k] + v[k + 1]) / 2});
            probes[i].push_back(v.back());
        }
        find_gaps(inputs_, rules_.size(), file_, sets, probes, out);
    }
    return out;
}

const OutputValue* DecisionTable::value_title(std::string_view output, std::string_view value) const {
    for (const auto& o : outputs_) {
        if (o.id != output) continue;
        for (const auto& v : o.value_titles) {
            if (v.id == value) return &v;
        }
    }
    return nullptr;
}

Json Decision::outputs() const {
    Json out = Json::array();
    for (const auto* r : hits) out.push_back(r->then);
    return out;
}

Decision DecisionTable::evaluate(const expr::Scope& facts, Reads reads) const {
    Decision d;
    d.inputs.reserve(inputs_.size());
    if (reads == Reads::record) d.input_reads.resize(inputs_.size());
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        expr::Value v = inputs_[i].expr.evaluate(facts, expr::Mode::facts, reads == Reads::record ? &d.input_reads[i] : nullptr);
        // Inputs are copied: the decision outlives the scope it was computed in.
        d.inputs.push_back(v.is_missing() ? std::move(v) : expr::Value::own(v.get()));
    }
    // Every cell of every rule is tested (explanations show them all), not only up to the first «нет».
    const Rule* best = nullptr;
    d.rules.reserve(rules_.size());
    for (const auto& r : rules_) {
        RuleOutcome& o = d.rules.emplace_back();
        o.rule = &r;
        o.outcome = Truth::yes;
        o.cells = CellTruths(r.cells.size());
        for (std::size_t i = 0; i < r.cells.size(); ++i) {
            const Truth t = r.cells[i].test(d.inputs[i]);
            o.cells[i] = t;
            if (t == Truth::no) o.outcome = Truth::no;
            else if (t == Truth::unknown && o.outcome == Truth::yes) o.outcome = Truth::unknown;
        }
        if (o.outcome == Truth::yes) {
            switch (policy_) {
                case HitPolicy::collect: d.hits.push_back(&r); break;
                case HitPolicy::unique:
                case HitPolicy::first:
                    if (d.hits.empty()) d.hits.push_back(&r);
                    break;
                case HitPolicy::priority:
                    if (!best || r.priority > best->priority) best = &r;
                    break;
            }
        }
    }
    if (best) d.hits.push_back(best);
    return d;
}

}  // namespace ppko::rules
