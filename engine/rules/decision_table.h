// Decision tables (DMN-like) read from workflows/*.json: inputs computed by expressions over a
// school's facts, rules whose cells are unary tests on the inputs, outputs, and a hit policy
// (unique, first, collect, priority). Loading checks the file and, statically, overlapping rules
// under `unique` and gaps where the inputs are numeric ranges. Every evaluation explains itself.
// File format: README.md («Таблицы решений»).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "expr/expr.h"

namespace ppko::rules {

using data::Json;

enum class HitPolicy { unique, first, collect, priority };
enum class Truth { yes, no, unknown };

// One cell: "-" (any), "< 5", ">= 30", "2", "\"СШ\"", "[20..39]", "[40..80)" (half-open),
// "[\"СШ\", \"ОШ\"]". A range's operand is [low, high, low included, high included].
struct Cell {
    enum class Op { any, eq, ne, lt, le, gt, ge, in_list, in_range };
    Op op = Op::any;
    Json operand;          // the constant the input is compared with
    std::string text;      // as written, for explanations
    Truth test(const expr::Value& input) const;
};

struct Input {
    std::string id, title;
    expr::Expr expr;
    bool has_domain = false;
    double lo = 0, hi = 0;
};

// An indicator the methodology names, with the threshold that makes it a problem
// ("measures" in the table file): used to say in documents which measures fell where.
// The measures are also the vocabulary of indicator records: a record may hold only the values
// named here (results.<name>, context.<name>), each a number within [min, max] or, for results,
// one of the absence marks (not held, no such grade, cancelled) — see domain/indicators.h.
struct Measure {
    std::string path;       // "results.ege_math_fail"
    std::string group, name;  // "results", "ege_math_fail"
    std::string title;      // «ЕГЭ по математике: доля участников ниже минимального порога»
    std::string unit;       // "%"
    double threshold = 0;
    bool above = true;      // a problem when value >= threshold (false: when value <= threshold)
    bool has_min = false, has_max = false;
    double min = 0, max = 0;  // the range a value must lie in
};

// A named constant of the methodology ("parameters": {"fail_share": {"value": 30, "title": …}}):
// expressions read it as params.<id>, cells as "params.<id>", texts as "{<id>}".
struct Parameter {
    std::string id, title;
    double value = 0;
};

struct OutputValue {
    std::string id;     // "low_results" (never shown in documents)
    std::string title;  // «школа с низкими результатами обучения»
    std::string abbr;   // «ШНРО»; may be empty
};

struct Output {
    std::string id, title;
    std::vector<std::string> values;  // allowed values, when listed
    std::vector<OutputValue> value_titles;  // the same values with their titles (title = id when not given)
};

struct Rule {
    std::string id;
    std::vector<Cell> cells;  // one per input, Op::any where the rule does not mention it
    Json then;                // output id → value
    double priority = 0;
};

// The truth of each cell of a rule, in input order: inline for tables of up to eight inputs (no
// allocation per rule and school), on the heap beyond.
class CellTruths {
public:
    CellTruths() = default;
    explicit CellTruths(std::size_t n) : size_(n) {
        if (n > inline_.size()) heap_.resize(n);
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Truth operator[](std::size_t i) const { return data()[i]; }
    Truth& operator[](std::size_t i) { return heap_.empty() ? inline_[i] : heap_[i]; }
    const Truth* begin() const { return data(); }
    const Truth* end() const { return data() + size_; }

private:
    const Truth* data() const { return heap_.empty() ? inline_.data() : heap_.data(); }

    std::array<Truth, 8> inline_{};
    std::vector<Truth> heap_;
    std::size_t size_ = 0;
};

struct RuleOutcome {
    const Rule* rule = nullptr;
    CellTruths cells;
    Truth outcome = Truth::no;
};

// What the table decided for one school, with everything an explanation shows. It points into
// the table (its rules, and the paths of unknown inputs): the table must outlive it.
struct Decision {
    std::vector<expr::Value> inputs;  // values (copies), or missing
    std::vector<expr::AccessLog> input_reads;  // per input, when evaluated with Reads::record; else empty
    std::vector<RuleOutcome> rules;   // every rule, in order, with every cell
    std::vector<const Rule*> hits;    // the rules the hit policy selected

    Json outputs() const;  // the `then` objects of the hits, as an array (a copy)
};

// Whether an evaluation records the paths each input read (Decision::input_reads). Only
// explanations want them; recording costs a string and a JSON copy per read.
enum class Reads { skip, record };

class DecisionTable {
public:
    // Reads and checks a table. Throws ppko::Error with every problem found (file, line:column).
    static DecisionTable load(const data::JsonDocument& doc, const expr::FunctionTable& functions);

    // Static checks: overlaps under `unique`, gaps for complete tables. Empty when fine.
    Diagnostics check() const;

    Decision evaluate(const expr::Scope& facts, Reads reads = Reads::skip) const;

    const std::string& id() const { return id_; }
    int version() const { return version_; }
    const std::string& title() const { return title_; }
    HitPolicy hit_policy() const { return policy_; }
    const std::vector<Input>& inputs() const { return inputs_; }
    const std::vector<Rule>& rules() const { return rules_; }
    const std::vector<Measure>& measures() const { return measures_; }
    const std::vector<Parameter>& parameters() const { return parameters_; }
    const std::vector<Output>& outputs() const { return outputs_; }
    // {"<id>": value, …}: what expressions see as `params`.
    const Json& params() const { return params_; }
    // The title of an output's value («low_results» → «школа с низкими результатами обучения»), or
    // nullptr when the table does not list it.
    const OutputValue* value_title(std::string_view output, std::string_view value) const;
    const std::string& basis() const { return basis_; }
    const std::string& file() const { return file_; }

    // Limits of a table (limit.size at load or check): inputs, rules, and the steps of the
    // search for gaps.
    static constexpr std::size_t kMaxInputs = 64;
    static constexpr std::size_t kMaxRules = 2000;
    static constexpr std::uint64_t kMaxGapSteps = 5'000'000;

private:
    std::string id_, title_, file_, basis_;
    std::vector<Parameter> parameters_;
    Json params_ = Json::object();
    int version_ = 0;
    HitPolicy policy_ = HitPolicy::unique;
    bool complete_ = false;
    std::vector<Input> inputs_;
    std::vector<Output> outputs_;
    std::vector<Rule> rules_;
    std::vector<Measure> measures_;
    std::vector<Position> rule_positions_;
};

const char* truth_word(Truth t);  // «да», «нет», «нет данных»

}  // namespace ppko::rules
