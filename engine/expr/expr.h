// The expression language shared by templates ({{ … }}, {% if … %}) and, later, workflow guards
// and decision-table cells. Parsed once into a compact tree, evaluated many times over JSON
// values. Grammar and semantics: README.md («Выражения»).
//
//   order.items | length > 3 and not order.draft
//   school.kind in ["СШ", "ОШ"]      x in [20..39]      "№ " ~ order.number
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"

namespace ppko::expr {

using data::Json;

// A value during evaluation: either a reference into data that outlives the evaluation (no copy)
// or an owned temporary. A value may also refer into the Expr that produced it (a literal; the
// path of an unknown fact): the scope's data and the Expr must both outlive it.
class Value {
public:
    Value() = default;
    Value(const Value& o) : ref_(o.ref_), own_(o.own_), missing_at_(o.missing_at_), missing_(o.missing_), transient_(o.transient_) {
        if (o.missing_path_) missing_path_ = std::make_unique<std::string>(*o.missing_path_);
    }
    Value& operator=(const Value& o) {
        if (this != &o) *this = Value(o);
        return *this;
    }
    Value(Value&&) noexcept = default;
    Value& operator=(Value&&) noexcept = default;

    static Value ref(const Json& j) {
        Value v;
        v.ref_ = &j;
        return v;
    }
    // A reference into storage its owner changes later (see transient()).
    static Value transient_ref(const Json& j) {
        Value v = ref(j);
        v.transient_ = true;
        return v;
    }
    static Value own(Json j) {
        Value v;
        v.own_ = std::move(j);
        return v;
    }
    // A fact that is not known (facts mode only): not null, not false — unknown. Comparisons,
    // arithmetic and functions of an unknown value are unknown; `and`/`or` follow Kleene's
    // three-valued logic; exists() turns it into false. README.md («Выражения») states the rules.
    static Value missing(std::string path) {
        Value v;
        v.missing_ = true;
        v.missing_path_ = std::make_unique<std::string>(std::move(path));
        return v;
    }
    const Json& get() const { return ref_ ? *ref_ : own_; }
    const Json* operator->() const { return &get(); }
    bool owned() const { return ref_ == nullptr; }
    // A reference into storage that a scope may replace or change while the reference is kept
    // (Scope::transient): whoever keeps the value beyond the current evaluation (a template's
    // {% set %}) copies it.
    bool transient() const { return ref_ != nullptr && transient_; }
    bool is_missing() const { return missing_; }
    const std::string& missing_path() const;

private:
    friend class Evaluator;
    // An unknown fact whose path is a string of the Expr (no copy).
    static Value missing_at(const std::string& path) {
        Value v;
        v.missing_ = true;
        v.missing_at_ = &path;
        return v;
    }

    // Values are made, moved and dropped on every step of an evaluation: an owned path lives
    // on the heap so that moving a Value moves a pointer, not a string.
    const Json* ref_ = nullptr;
    Json own_;
    const std::string* missing_at_ = nullptr;
    bool missing_ = false;
    bool transient_ = false;
    std::unique_ptr<std::string> missing_path_;
};

// How names that are not there are treated.
enum class Mode {
    strict,  // templates: an unknown name or field is an error listing the known ones
    facts,   // guards and rule cells: an unknown fact is a Missing value (see Value::missing)
};

// Every path an evaluation read, with what it saw (for `ppko explain` and the event log).
struct Access {
    std::string path;
    Json value;         // null when missing
    bool missing = false;
};
using AccessLog = std::vector<Access>;

// A problem found by a function or filter; the evaluator adds file and position.
struct Failure {
    ErrorId id;
    std::string message;
};

// Filters (`x | name(args)`) and functions (`name(args)`): args[0] is the filtered value.
struct FunctionSpec {
    std::string name;
    int min_args = 0;  // counting the filtered value for filters
    int max_args = 0;
    std::string usage;  // "date_long", "plural(\"школа\", \"школы\", \"школ\")" — for messages
    std::function<Value(std::span<const Value>)> fn;
    // false: any missing argument makes the result missing without calling fn (the default);
    // true: fn sees missing arguments (exists()).
    bool accepts_missing = false;
};

class FunctionTable {
public:
    void add(FunctionSpec spec);
    const FunctionSpec* find(std::string_view name) const;
    std::vector<std::string> names() const;  // sorted

private:
    std::vector<FunctionSpec> specs_;
};

// Names visible to an expression (data roots, loop variables, macro arguments).
class Scope {
public:
    virtual ~Scope() = default;
    virtual const Json* find(std::string_view name) const = 0;
    virtual void names(std::vector<std::string>& out) const = 0;
    // True when what find(name) points into may be replaced or changed later while the scope
    // lives (a template variable that {% set %} or a loop rebinds): values read through it are
    // then marked Value::transient. Data that stays put for the whole evaluation: false.
    virtual bool transient(std::string_view) const { return false; }
};

struct Node;

class Expr {
public:
    // Limits (errors limit.nesting with the position): brackets, lists, argument lists, `not` and
    // unary minus nested in one another; and the depth of the parsed tree, which evaluation
    // recurses through.
    static constexpr int kMaxNesting = 64;
    static constexpr int kMaxDepth = 256;

    // Parses `source`, which starts at `start` in `file`. Filter and function names are resolved
    // now against the tables (an unknown one is an error listing the known names).
    static Expr parse(std::string_view source, const std::string& file, Position start,
                      const FunctionTable& filters, const FunctionTable& functions);

    // With `log`, appends every path read and what it held (the leaves, each once): only
    // explanations need it, and it costs a string and a JSON copy per read.
    Value evaluate(const Scope& scope, Mode mode = Mode::strict, AccessLog* log = nullptr) const;
    const std::string& file() const { return file_; }
    Position position() const;
    // The expression as written, for messages.
    const std::string& text() const { return text_; }
    // When the expression is a plain path (a.b[0].c) returns it; otherwise "".
    std::string path_text() const;
    // Every plain path the expression may read (facts.final_monitoring.dynamics, params.x), the
    // longest form of each occurrence, with its position: for static checks of names.
    struct PathRef {
        std::string path;
        Position pos;
    };
    std::vector<PathRef> paths() const;

    Expr();
    ~Expr();
    Expr(Expr&&) noexcept;
    Expr& operator=(Expr&&) noexcept;

private:
    std::vector<Node> nodes_;
    int root_ = -1;
    std::string file_;
    std::string text_;
    friend class Parser;
    friend class Evaluator;
};

// Bytes of text and lists built by expressions (`~` and list literals […]) on this thread while
// a BuildMeter is installed — the template renderer installs one per document. Past its limit an
// evaluation stops with limit.size, so that a template cannot double a value in a loop until
// memory runs out. Without a meter nothing is counted (guards and rule cells build little).
class BuildMeter {
public:
    explicit BuildMeter(std::uint64_t limit);
    ~BuildMeter();  // the meter installed before becomes current again
    BuildMeter(const BuildMeter&) = delete;
    BuildMeter& operator=(const BuildMeter&) = delete;

    static BuildMeter* current();
    // Adds `bytes`; false once the total is past the limit.
    bool charge(std::uint64_t bytes) {
        used_ += bytes;
        return used_ <= limit_;
    }
    std::uint64_t limit() const { return limit_; }
    std::uint64_t used() const { return used_; }

private:
    std::uint64_t limit_;
    std::uint64_t used_ = 0;
    BuildMeter* previous_;
};

bool truthy(const Json& v);

// Why a procedure has no value for a school: not held there, no such grade (a basic school has no
// 11th grade, hence no ЕГЭ), cancelled (ОГЭ 2020). An indicator record may hold one of these
// texts instead of a number; applicable([...]) drops them, so a methodology counts only the
// procedures that took place. A value simply absent from the record stays unknown.
const std::array<std::string_view, 3>& absence_marks();
bool is_absence_mark(const Json& v);

// Functions for guards and rule cells: exists, count, sum, avg, min, max, len, count_at_least,
// date_add_days, days_between, years_in_row (functions.cpp; README.md lists them).
FunctionTable make_rule_functions();
// Text of a scalar for output: strings as they are, integers without ".0", booleans «да»/«нет».
// Throws Failure for arrays/objects.
std::string to_text(const Json& v);
std::string describe(const Json& v);  // «текст "…"», «число 5», «список», … for messages

}  // namespace ppko::expr
