#include "expr/expr.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>

#include "data/schema.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::expr {

enum class Kind : std::uint8_t {
    literal,   // value
    name,      // name
    member,    // children[0] . name
    index,     // children[0] [ children[1] ]
    array,     // [children…]
    range,     // [children[0] .. children[1]]
    unary,     // op children[0]
    binary,    // children[0] op children[1]
    filter,    // children[0] | fn(children[1…])
    call,      // fn(children…)
};

// Operators of unary and binary nodes, resolved from `op` once when parsing.
enum class Op : std::uint8_t { none, or_, and_, eq, ne, lt, le, gt, ge, in, not_in, concat, add, sub, mul, div, mod, neg, not_ };

Op op_code(std::string_view op) {
    static constexpr std::pair<std::string_view, Op> table[] = {
        {"or", Op::or_}, {"and", Op::and_}, {"==", Op::eq},  {"!=", Op::ne},      {"<", Op::lt},      {"<=", Op::le},
        {">", Op::gt},   {">=", Op::ge},    {"in", Op::in},  {"not in", Op::not_in}, {"~", Op::concat}, {"+", Op::add},
        {"-", Op::sub},  {"*", Op::mul},    {"/", Op::div},  {"%", Op::mod}};
    for (const auto& [text, code] : table) {
        if (text == op) return code;
    }
    return Op::none;
}

struct Node {
    Kind kind = Kind::literal;
    Op code = Op::none;  // unary and binary
    Position pos;
    std::string op;    // operator, or the name for name/member
    std::string path;  // this node as a path, for messages and the access log: "a.b[0].c", "a[…]", "выражения"
    bool plain = false;  // a name, or a member of a plain node: a.b.c
    int slot = -1;       // names: the same for every occurrence of one name in the expression
    Json value;
    std::vector<int> children;
    const FunctionSpec* fn = nullptr;
};

Expr::Expr() = default;
Expr::~Expr() = default;
Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;

Position Expr::position() const { return root_ >= 0 ? nodes_[static_cast<std::size_t>(root_)].pos : Position{}; }

const std::string& Value::missing_path() const {
    static const std::string none;
    return missing_at_ ? *missing_at_ : missing_path_ ? *missing_path_ : none;
}

// --- function tables ----------------------------------------------------------------------------

void FunctionTable::add(FunctionSpec spec) { specs_.push_back(std::move(spec)); }

const FunctionSpec* FunctionTable::find(std::string_view name) const {
    for (const auto& s : specs_) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

std::vector<std::string> FunctionTable::names() const {
    std::vector<std::string> out;
    for (const auto& s : specs_) out.push_back(s.name);
    std::sort(out.begin(), out.end());
    return out;
}

// --- helpers ------------------------------------------------------------------------------------

namespace {
thread_local BuildMeter* current_meter = nullptr;
}  // namespace

BuildMeter::BuildMeter(std::uint64_t limit) : limit_(limit), previous_(current_meter) { current_meter = this; }
BuildMeter::~BuildMeter() { current_meter = previous_; }
BuildMeter* BuildMeter::current() { return current_meter; }

bool truthy(const Json& v) {
    switch (v.type()) {
        case Json::value_t::null: return false;
        case Json::value_t::boolean: return v.get<bool>();
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned: return v.get<std::int64_t>() != 0;
        case Json::value_t::number_float: return v.get<double>() != 0.0;
        case Json::value_t::string: return !v.get_ref<const std::string&>().empty();
        case Json::value_t::array:
        case Json::value_t::object: return !v.empty();
        default: return false;
    }
}

std::string to_text(const Json& v) {
    switch (v.type()) {
        case Json::value_t::string: return v.get<std::string>();
        case Json::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
        case Json::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
        case Json::value_t::number_float: {
            return text::format_decimal(v.get<double>());  // Russian decimal comma
        }
        case Json::value_t::boolean: return v.get<bool>() ? "да" : "нет";
        default: throw Failure{ErrorId::expr_type, "нельзя вывести как текст: это " + describe(v)};
    }
}

std::string describe(const Json& v) { return data::describe_value(v); }

namespace {

// A value as JSON text for a message; bytes that are not UTF-8 (a template's literal may hold
// them) become U+FFFD instead of throwing.
std::string shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

bool is_ident_start(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char32_t c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

// --- parser -------------------------------------------------------------------------------------

class Parser {
public:
    Parser(std::string_view src, const std::string& file, Position start, const FunctionTable& filters,
           const FunctionTable& functions, Expr& out)
        : s_(src), file_(file), line_(start.line), col_(start.column), filters_(filters), functions_(functions), e_(out) {}

    void parse() {
        skip_ws();
        if (i_ >= s_.size()) fail("пустое выражение");
        e_.root_ = parse_or();
        skip_ws();
        if (i_ < s_.size()) fail("лишний текст в выражении: «" + std::string(s_.substr(i_)) + "»");
    }

private:
    [[noreturn]] void fail(const std::string& msg) const { fail_at(pos(), msg); }
    [[noreturn]] void fail_at(Position p, const std::string& msg) const {
        throw Error(ErrorId::expr_syntax, file_, p, "", msg);
    }
    Position pos() const { return {line_, col_}; }

    void bump() { text::step(s_, i_, line_, col_); }
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) bump();
    }
    bool peek(std::string_view t) const { return s_.substr(i_, t.size()) == t; }
    // Keyword `w` followed by a non-identifier character.
    bool peek_word(std::string_view w) const {
        if (!peek(w)) return false;
        const std::size_t j = i_ + w.size();
        return j >= s_.size() || !is_ident_char(static_cast<unsigned char>(s_[j]));
    }
    bool accept(std::string_view t) {
        skip_ws();
        if (!peek(t)) return false;
        for (std::size_t k = 0; k < t.size(); ++k) bump();
        return true;
    }
    bool accept_word(std::string_view w) {
        skip_ws();
        if (!peek_word(w)) return false;
        for (std::size_t k = 0; k < w.size(); ++k) bump();
        return true;
    }
    void expect(std::string_view t, const char* what) {
        if (!accept(t)) {
            skip_ws();
            fail(std::string("ожидалось ") + what + (i_ < s_.size() ? ", а встретилось «" + std::string(s_.substr(i_, 1)) + "»" : ", а выражение закончилось"));
        }
    }

    int add(Node n) {
        e_.nodes_.push_back(std::move(n));
        return static_cast<int>(e_.nodes_.size() - 1);
    }
    int binary(std::string op, Position p, int l, int r) {
        Node n;
        n.kind = Kind::binary;
        n.code = op_code(op);
        n.op = std::move(op);
        n.pos = p;
        n.children = {l, r};
        return add(std::move(n));
    }

    // Recursion guard: each nested (…), […], argument list, `not` or unary minus goes one level
    // deeper; beyond Expr::kMaxNesting the expression is refused instead of overflowing the stack.
    struct Nest {
        Parser& p;
        explicit Nest(Parser& parser) : p(parser) {
            if (++p.nesting_ > Expr::kMaxNesting) {
                p.skip_ws();
                throw Error(ErrorId::limit_nesting, p.file_, p.pos(), "",
                            "выражение вложено слишком глубоко (больше " + std::to_string(Expr::kMaxNesting) + " уровней скобок, списков и not)");
            }
        }
        ~Nest() { --p.nesting_; }
    };

    int parse_or() {
        const Nest nest(*this);
        int l = parse_and();
        for (;;) {
            skip_ws();
            const Position p = pos();
            if (!accept_word("or")) return l;
            l = binary("or", p, l, parse_and());
        }
    }
    int parse_and() {
        int l = parse_not();
        for (;;) {
            skip_ws();
            const Position p = pos();
            if (!accept_word("and")) return l;
            l = binary("and", p, l, parse_not());
        }
    }
    int parse_not() {
        skip_ws();
        const Position p = pos();
        if (accept_word("not")) {
            const Nest nest(*this);
            Node n;
            n.kind = Kind::unary;
            n.code = Op::not_;
            n.op = "not";
            n.pos = p;
            n.children = {parse_not()};
            return add(std::move(n));
        }
        return parse_comparison();
    }
    int parse_comparison() {
        int l = parse_additive();
        for (;;) {
            skip_ws();
            const Position p = pos();
            std::string op;
            for (const char* candidate : {"==", "!=", "<=", ">=", "<", ">"}) {
                if (accept(candidate)) {
                    op = candidate;
                    break;
                }
            }
            if (op.empty()) {
                if (accept_word("in")) {
                    op = "in";
                } else if (peek_word("not")) {
                    const std::size_t save_i = i_;
                    const int save_l = line_, save_c = col_;
                    accept_word("not");
                    if (accept_word("in")) {
                        op = "not in";
                    } else {
                        i_ = save_i, line_ = save_l, col_ = save_c;
                    }
                }
            }
            if (op.empty()) return l;
            l = binary(op, p, l, parse_additive());
        }
    }
    int parse_additive() {
        int l = parse_multiplicative();
        for (;;) {
            skip_ws();
            const Position p = pos();
            std::string op;
            if (peek("+") || peek("-") || peek("~")) {
                op = std::string(1, s_[i_]);
                bump();
            } else {
                return l;
            }
            l = binary(op, p, l, parse_multiplicative());
        }
    }
    int parse_multiplicative() {
        int l = parse_unary();
        for (;;) {
            skip_ws();
            const Position p = pos();
            if (!(peek("*") || peek("/") || peek("%"))) return l;
            std::string op(1, s_[i_]);
            bump();
            l = binary(op, p, l, parse_unary());
        }
    }
    int parse_unary() {
        skip_ws();
        const Position p = pos();
        if (peek("-") ) {
            bump();
            const Nest nest(*this);
            Node n;
            n.kind = Kind::unary;
            n.code = Op::neg;
            n.op = "-";
            n.pos = p;
            n.children = {parse_unary()};
            return add(std::move(n));
        }
        return parse_postfix(parse_primary());
    }

    std::vector<int> parse_args() {  // after '('
        std::vector<int> args;
        skip_ws();
        if (accept(")")) return args;
        for (;;) {
            args.push_back(parse_or());
            if (accept(")")) return args;
            expect(",", "«,» или «)» в списке аргументов");
        }
    }

    std::string parse_ident() {
        skip_ws();
        std::string out;
        while (i_ < s_.size() && is_ident_char(static_cast<unsigned char>(s_[i_]))) {
            out += s_[i_];
            bump();
        }
        return out;
    }

    [[noreturn]] void unknown_function(const std::string& what, const std::string& name, Position p,
                                       const FunctionTable& table) const {
        std::string msg = "неизвестный " + what + " «" + name + "»";
        const auto names = table.names();
        const auto near = data::nearest(name, names);
        if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
        msg += "; известные: " + (names.empty() ? std::string("нет") : join(names));
        throw Error(ErrorId::expr_unknown_filter, file_, p, "", msg);
    }

    void check_arity(const FunctionSpec& fn, std::size_t n, Position p, const char* what) const {
        if (static_cast<int>(n) < fn.min_args || static_cast<int>(n) > fn.max_args) {
            throw Error(ErrorId::expr_bad_argument, file_, p, "",
                        std::string(what) + " «" + fn.name + "»: неверное число аргументов; пишется так: " + fn.usage);
        }
    }

    int parse_postfix(int node) {
        for (;;) {
            skip_ws();
            const Position p = pos();
            if (peek("..")) return node;  // range separator, handled by the array literal
            if (accept(".")) {
                const std::string name = parse_ident();
                if (name.empty()) fail("после точки ожидалось имя поля");
                Node n;
                n.kind = Kind::member;
                n.op = name;
                n.pos = p;
                n.children = {node};
                node = add(std::move(n));
            } else if (accept("[")) {
                Node n;
                n.kind = Kind::index;
                n.pos = p;
                n.children = {node, parse_or()};
                expect("]", "«]»");
                node = add(std::move(n));
            } else if (peek("|")) {
                bump();
                skip_ws();
                const Position fp = pos();
                const std::string name = parse_ident();
                if (name.empty()) fail("после «|» ожидалось имя фильтра");
                const FunctionSpec* fn = filters_.find(name);
                if (!fn) unknown_function("фильтр", name, fp, filters_);
                Node n;
                n.kind = Kind::filter;
                n.pos = fp;
                n.op = name;
                n.fn = fn;
                n.children = {node};
                skip_ws();
                if (accept("(")) {
                    for (int a : parse_args()) n.children.push_back(a);
                }
                check_arity(*fn, n.children.size(), fp, "фильтр");
                node = add(std::move(n));
            } else {
                return node;
            }
        }
    }

    int parse_primary() {
        skip_ws();
        const Position p = pos();
        if (i_ >= s_.size()) fail("выражение оборвалось: ожидалось значение");
        const char c = s_[i_];
        Node n;
        n.pos = p;
        if (c == '(') {
            bump();
            const int inner = parse_or();
            expect(")", "«)»");
            return inner;
        }
        if (c == '"' || c == '\'') {
            bump();
            std::string str;
            for (;;) {
                if (i_ >= s_.size()) fail_at(p, "текст в кавычках не закрыт");
                if (s_[i_] == c) {
                    bump();
                    break;
                }
                if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
                    bump();
                    const char e = s_[i_];
                    str += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                    bump();
                    continue;
                }
                const std::size_t b = i_;
                bump();
                str.append(s_.data() + b, i_ - b);
            }
            n.kind = Kind::literal;
            n.value = std::move(str);
            return add(std::move(n));
        }
        if (c >= '0' && c <= '9') {
            const std::size_t b = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') bump();
            bool is_float = false;
            if (i_ + 1 < s_.size() && s_[i_] == '.' && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') {
                is_float = true;
                bump();
                while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') bump();
            }
            n.kind = Kind::literal;
            if (is_float) {
                double d = 0;
                std::from_chars(s_.data() + b, s_.data() + i_, d);
                n.value = d;
            } else {
                std::int64_t v = 0;
                if (std::from_chars(s_.data() + b, s_.data() + i_, v).ec != std::errc()) fail_at(p, "слишком большое число");
                n.value = v;
            }
            return add(std::move(n));
        }
        if (c == '[') {
            bump();
            n.kind = Kind::array;
            skip_ws();
            if (accept("]")) return add(std::move(n));
            const int first = parse_or();
            if (accept("..")) {
                n.kind = Kind::range;
                n.children = {first, parse_or()};
                expect("]", "«]» после диапазона");
                return add(std::move(n));
            }
            n.children.push_back(first);
            while (!accept("]")) {
                expect(",", "«,» или «]» в списке");
                n.children.push_back(parse_or());
            }
            return add(std::move(n));
        }
        if (is_ident_start(static_cast<unsigned char>(c))) {
            const std::string name = parse_ident();
            if (name == "true" || name == "false") {
                n.kind = Kind::literal;
                n.value = name == "true";
                return add(std::move(n));
            }
            if (name == "null" || name == "none") {
                n.kind = Kind::literal;
                return add(std::move(n));
            }
            if (name == "and" || name == "or" || name == "not" || name == "in") {
                fail_at(p, "ожидалось значение, а встретилось слово «" + name + "»");
            }
            skip_ws();
            if (peek("(")) {
                const FunctionSpec* fn = functions_.find(name);
                if (!fn) unknown_function("функция", name, p, functions_);
                bump();
                n.kind = Kind::call;
                n.fn = fn;
                n.op = name;
                n.children = parse_args();
                check_arity(*fn, n.children.size(), p, "функция");
                return add(std::move(n));
            }
            n.kind = Kind::name;
            n.op = name;
            return add(std::move(n));
        }
        std::size_t j = i_;
        text::decode(s_, j);
        fail("ожидалось значение, а встретилось «" + std::string(s_.substr(i_, j - i_)) + "»");
    }

    std::string_view s_;
    const std::string& file_;
    std::size_t i_ = 0;
    int line_, col_;
    int nesting_ = 0;
    const FunctionTable& filters_;
    const FunctionTable& functions_;
    Expr& e_;
};

Expr Expr::parse(std::string_view source, const std::string& file, Position start, const FunctionTable& filters,
                 const FunctionTable& functions) {
    if (std::size_t bad = 0; !text::is_valid_utf8(source, &bad)) {
        throw Error(ErrorId::expr_syntax, file, start, "", "выражение не в кодировке UTF-8 (неверный байт на " + std::to_string(bad + 1) + "-м месте)");
    }
    Expr e;
    e.file_ = file;
    e.text_ = std::string(source);
    Parser(source, file, start, filters, functions, e).parse();
    // Children come before their parents, so one pass in order builds every path from its parts.
    // The same pass bounds the tree's depth (evaluation recurses once per level): a long chain
    // like 1 + 1 + … + 1 nests no brackets but is as deep as it is long.
    std::vector<std::string_view> names;
    std::vector<int> depth(e.nodes_.size(), 1);
    for (std::size_t at = 0; at < e.nodes_.size(); ++at) {
        Node& n = e.nodes_[at];
        for (int c : n.children) depth[at] = std::max(depth[at], depth[static_cast<std::size_t>(c)] + 1);
        if (depth[at] > kMaxDepth) {
            throw Error(ErrorId::limit_nesting, file, n.pos, "",
                        "выражение слишком сложное: больше " + std::to_string(kMaxDepth) + " операций друг в друге (например, a + b + … подряд)");
        }
        auto child = [&](std::size_t c) -> const Node& { return e.nodes_[static_cast<std::size_t>(n.children[c])]; };
        switch (n.kind) {
            case Kind::name: {
                n.path = n.op;
                n.plain = true;
                auto it = std::find(names.begin(), names.end(), std::string_view(n.op));
                n.slot = static_cast<int>(it - names.begin());
                if (it == names.end()) names.push_back(n.op);
                break;
            }
            case Kind::member:
                n.path = child(0).path + "." + n.op;
                n.plain = child(0).plain;
                break;
            case Kind::index: {
                const Node& k = child(1);
                n.path = child(0).path + "[" + (k.kind == Kind::literal ? (k.value.is_string() ? k.value.get<std::string>() : shown(k.value)) : "…") + "]";
                break;
            }
            default: n.path = "выражения";
        }
    }
    return e;
}

// --- evaluation ---------------------------------------------------------------------------------

namespace {

// Lists built for a function's arguments (the [a, b, c] of max([a, b, c])) are handed back after
// the call and reused by the next list built on the same thread, so that evaluating a rule input
// allocates nothing. A list that outlives its call (a result) is simply not handed back.
class SpareLists {
public:
    Json take(std::size_t size) {
        if (spare_.empty()) {
            Json list = Json::array();
            list.get_ref<Json::array_t&>().reserve(size);
            return list;
        }
        Json list = std::move(spare_.back());
        spare_.pop_back();
        list.get_ref<Json::array_t&>().reserve(size);
        return list;
    }
    void give(Json&& list) {
        auto& items = list.get_ref<Json::array_t&>();
        items.clear();
        if (spare_.size() < kKept && items.capacity() <= kLargest) spare_.push_back(std::move(list));
    }

private:
    static constexpr std::size_t kKept = 8, kLargest = 256;
    std::vector<Json> spare_;
};

thread_local SpareLists spare_lists;

// About how many bytes `v` takes (16 a value, plus its text) and how deeply it nests, counted
// without recursion; counting stops past `cap` bytes.
std::pair<std::uint64_t, int> measure(const Json& v, std::uint64_t cap) {
    std::uint64_t bytes = 0;
    int deepest = 0;
    std::vector<std::pair<const Json*, int>> todo{{&v, 1}};
    while (!todo.empty() && bytes <= cap) {
        const auto [j, depth] = todo.back();
        todo.pop_back();
        deepest = std::max(deepest, depth);
        bytes += 16;
        if (j->is_string()) {
            bytes += j->get_ref<const std::string&>().size();
        } else if (j->is_array() || j->is_object()) {
            for (const auto& x : *j) todo.emplace_back(&x, depth + 1);
        }
    }
    return {bytes, deepest};
}

}  // namespace

class Evaluator {
public:
    Evaluator(const Expr& e, const Scope& scope, Mode mode, AccessLog* log) : e_(e), scope_(scope), mode_(mode), log_(log) {}

    Value eval(int index) {
        const Node& n = node(index);
        switch (n.kind) {
            case Kind::literal: return Value::ref(n.value);
            case Kind::name: {
                if (const Json* v = find_name(n)) return noted(n, reference(*v, n));
                if (mode_ == Mode::facts) return noted(n, Value::missing_at(n.path));
                std::vector<std::string> names;
                scope_.names(names);
                std::sort(names.begin(), names.end());
                names.erase(std::unique(names.begin(), names.end()), names.end());
                std::string msg = "неизвестная переменная «" + n.op + "»";
                const auto near = data::nearest(n.op, names);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                msg += "; известные имена: " + join(names);
                fail(n, ErrorId::expr_unknown_name, msg);
            }
            case Kind::member: {
                if (n.plain && !log_) {
                    if (const Json* j = find_path(n)) return reference(*j, root_name(n));
                }
                Value base = eval(n.children[0]);
                const std::string& where = node(n.children[0]).path;
                if (base.is_missing()) {
                    // The unknown part's path, continued: the node's own path when the base is a path.
                    const std::string& from = base.missing_path();
                    return noted(n, &from == &where || from == where ? Value::missing_at(n.path) : Value::missing(from + "." + n.op));
                }
                const Json& b = base.get();
                if (b.is_object()) {
                    auto it = b.find(n.op);
                    if (it != b.end()) return noted(n, derive(base, *it));
                    if (mode_ == Mode::facts) return noted(n, Value::missing_at(n.path));
                    std::vector<std::string> names;
                    for (const auto& [k, v] : b.items()) names.push_back(k);
                    std::string msg = "у «" + where + "» нет поля «" + n.op + "»";
                    const auto near = data::nearest(n.op, names);
                    if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                    msg += "; есть поля: " + join(names);
                    fail(n, ErrorId::expr_unknown_name, msg);
                }
                if (b.is_null() && mode_ == Mode::facts) return noted(n, Value::missing_at(n.path));
                if (b.is_null()) fail(n, ErrorId::expr_type, "«" + where + "» не заполнено, поэтому у него нет поля «" + n.op + "»");
                fail(n, ErrorId::expr_type, "«" + where + "» — это " + describe(b) + ", у него нет полей");
            }
            case Kind::index: {
                Value base = eval(n.children[0]);
                Value key = eval(n.children[1]);
                if (base.is_missing() || key.is_missing()) return Value::missing_at(n.path);
                const Json& b = base.get();
                const Json& k = key.get();
                const std::string& where = node(n.children[0]).path;
                if (b.is_array() && k.is_number_integer()) {
                    auto i = k.get<std::int64_t>();
                    if (i < 0) i += static_cast<std::int64_t>(b.size());
                    if (i < 0 || i >= static_cast<std::int64_t>(b.size())) {
                        fail(n, ErrorId::expr_bad_argument, "в «" + where + "» " + std::to_string(b.size()) + " элем., номера [" + k.dump() + "] нет");
                    }
                    return derive(base, b[static_cast<std::size_t>(i)]);
                }
                if (b.is_object() && k.is_string()) {
                    auto it = b.find(k.get_ref<const std::string&>());
                    if (it == b.end()) fail(n, ErrorId::expr_unknown_name, "у «" + where + "» нет поля «" + k.get<std::string>() + "»");
                    return derive(base, *it);
                }
                fail(n, ErrorId::expr_type, "нельзя взять элемент [" + to_text_safe(k) + "] у значения: " + describe(b));
            }
            case Kind::array: {
                // A list with an unknown element is unknown as a whole.
                Json arr = spare_lists.take(n.children.size());
                auto& items = arr.get_ref<Json::array_t&>();
                BuildMeter* meter = BuildMeter::current();
                for (int c : n.children) {
                    Value v = eval(c);
                    if (v.is_missing()) return v;
                    const Json& x = v.get();
                    if (meter && (x.is_array() || x.is_object() || x.is_string())) {
                        // Lists of lists can double in a loop; their copies are counted, and
                        // their depth bounded (comparing and printing values recurse).
                        const auto [bytes, depth] = measure(x, meter->limit());
                        if (depth >= kMaxValueDepth) {
                            fail(n, ErrorId::limit_nesting, "список вложен в список глубже " + std::to_string(kMaxValueDepth) + " уровней");
                        }
                        if (!meter->charge(bytes)) over_budget(n, *meter);
                    }
                    items.push_back(x);
                }
                return Value::own(std::move(arr));
            }
            case Kind::range: {
                Value lo = eval(n.children[0]);
                Value hi = eval(n.children[1]);
                if (lo.is_missing()) return lo;
                if (hi.is_missing()) return hi;
                if (!lo->is_number() || !hi->is_number()) fail(n, ErrorId::expr_type, "границы диапазона должны быть числами");
                return Value::own(Json{{"$range", Json::array({lo.get(), hi.get()})}});
            }
            case Kind::unary: {
                Value v = eval(n.children[0]);
                if (v.is_missing()) return v;
                if (n.code == Op::not_) return Value::own(!truthy(v.get()));
                if (!v->is_number()) fail(n, ErrorId::expr_type, "минус применим только к числу, а здесь " + describe(v.get()));
                if (v->is_number_integer()) {
                    const auto x = v->get<std::int64_t>();
                    if (x == INT64_MIN) fail(n, ErrorId::expr_overflow, "−(" + std::to_string(x) + ") не помещается в целое число");
                    return Value::own(-x);
                }
                return Value::own(-v->get<double>());
            }
            case Kind::binary: return binary(n);
            case Kind::filter:
            case Kind::call: {
                // Up to four arguments live on the stack.
                const std::size_t count = n.children.size();
                std::array<Value, 4> small;
                std::vector<Value> large;
                Value* args = small.data();
                if (count > small.size()) {
                    large.resize(count);
                    args = large.data();
                }
                for (std::size_t i = 0; i < count; ++i) {
                    args[i] = eval(n.children[i]);
                    if (args[i].is_missing() && !n.fn->accepts_missing) return std::move(args[i]);
                }
                try {
                    Value result = n.fn->fn(std::span<const Value>(args, count));
                    for (std::size_t i = 0; i < count; ++i) {
                        if (node(n.children[i]).kind == Kind::array && !args[i].is_missing() && args[i].owned()) {
                            spare_lists.give(std::move(args[i].own_));
                        }
                    }
                    return result;
                } catch (const Failure& f) {
                    fail(n, f.id, (n.kind == Kind::filter ? "фильтр «" : "функция «") + n.op + "»: " + f.message);
                }
            }
        }
        fail(n, ErrorId::internal, "неизвестный узел выражения");
    }

private:
    const Node& node(int index) const { return e_.nodes_[static_cast<std::size_t>(index)]; }

    // Scope::find, asked once per name and evaluation (the scope does not change meanwhile).
    const Json* find_name(const Node& n) {
        const auto slot = static_cast<std::size_t>(n.slot);
        if (slot >= found_.size()) return scope_.find(n.op);
        if (!(asked_ & (1u << slot))) {
            found_[slot] = scope_.find(n.op);
            asked_ |= 1u << slot;
        }
        return found_[slot];
    }

    // What a plain path (a.b.c) refers to in the scope's data, without a Value per step; nullptr
    // when a step is missing, null or not an object: then eval() goes step by step and says why.
    const Json* find_path(const Node& n) {
        if (n.kind == Kind::name) return find_name(n);
        const Json* base = find_path(node(n.children[0]));
        if (!base || !base->is_object()) return nullptr;
        auto it = base->find(n.op);
        return it == base->end() ? nullptr : &*it;
    }

    // A member of a referenced value is itself a reference (transient like its base); of an
    // owned temporary, a copy.
    static Value derive(const Value& base, const Json& member) {
        if (base.owned()) return Value::own(member);
        Value v = Value::ref(member);
        v.transient_ = base.transient_;
        return v;
    }

    // A reference to what the name at the root of plain path `n` found.
    Value reference(const Json& j, const Node& name) {
        Value v = Value::ref(j);
        v.transient_ = scope_.transient(name.op);
        return v;
    }
    const Node& root_name(const Node& n) const { return n.kind == Kind::name ? n : root_name(node(n.children[0])); }

    static std::string to_text_safe(const Json& v) { return v.is_string() ? v.get<std::string>() : shown(v); }

    Value binary(const Node& n) {
        // Kleene logic: false and unknown = false; true or unknown = true; otherwise unknown wins.
        if (n.code == Op::and_ || n.code == Op::or_) {
            const bool is_and = n.code == Op::and_;
            Value l = eval(n.children[0]);
            if (!l.is_missing() && truthy(l.get()) != is_and) return Value::own(!is_and);
            Value r = eval(n.children[1]);
            if (!r.is_missing() && truthy(r.get()) != is_and) return Value::own(!is_and);
            if (l.is_missing()) return l;
            if (r.is_missing()) return r;
            return Value::own(is_and);
        }
        if (n.code == Op::in || n.code == Op::not_in) {
            const Node& right = node(n.children[1]);
            if (right.kind == Kind::range) return in_range(n, right);
            if (right.kind == Kind::array) return in_list(n, right);
        }
        Value lv = eval(n.children[0]);
        Value rv = eval(n.children[1]);
        if (lv.is_missing()) return lv;
        if (rv.is_missing()) return rv;
        const Json& l = lv.get();
        const Json& r = rv.get();
        switch (n.code) {
            case Op::eq: return Value::own(equal(l, r));
            case Op::ne: return Value::own(!equal(l, r));
            case Op::in:
            case Op::not_in: {
                bool found = false;
                if (r.is_object() && r.contains("$range")) {
                    const Json& range = r["$range"];
                    found = within(n, l, range[0], range[1]);
                } else if (r.is_array()) {
                    found = std::any_of(r.begin(), r.end(), [&](const Json& e) { return equal(l, e); });
                } else if (r.is_string() && l.is_string()) {
                    found = r.get_ref<const std::string&>().find(l.get_ref<const std::string&>()) != std::string::npos;
                } else if (r.is_object() && l.is_string()) {
                    found = r.contains(l.get_ref<const std::string&>());
                } else {
                    fail(n, ErrorId::expr_type, "«in» ищет в списке, диапазоне или тексте, а справа " + describe(r));
                }
                return Value::own(n.code == Op::in ? found : !found);
            }
            case Op::concat: {
                try {
                    std::string joined = to_text(l) + to_text(r);
                    if (BuildMeter* meter = BuildMeter::current(); meter && !meter->charge(joined.size())) over_budget(n, *meter);
                    return Value::own(std::move(joined));
                } catch (const Failure& f) {
                    fail(n, f.id, f.message);
                }
            }
            case Op::lt:
            case Op::le:
            case Op::gt:
            case Op::ge: {
                int c = 0;
                if (l.is_number() && r.is_number()) {
                    const double a = l.get<double>(), b = r.get<double>();
                    c = a < b ? -1 : a > b ? 1 : 0;
                } else if (l.is_string() && r.is_string()) {
                    c = l.get_ref<const std::string&>().compare(r.get_ref<const std::string&>());
                } else {
                    fail(n, ErrorId::expr_type, "сравнивать можно числа с числами и текст с текстом, а здесь " + describe(l) +
                                                    " и " + describe(r));
                }
                const bool res = n.code == Op::lt ? c < 0 : n.code == Op::le ? c <= 0 : n.code == Op::gt ? c > 0 : c >= 0;
                return Value::own(res);
            }
            default: return arithmetic(n, l, r);
        }
    }

    Value arithmetic(const Node& n, const Json& l, const Json& r) const {
        if (!l.is_number() || !r.is_number()) {
            fail(n, ErrorId::expr_type, "«" + n.op + "» применимо к числам, а здесь " + describe(l) + " и " + describe(r) +
                                            (n.code == Op::add ? " (текст соединяется знаком ~)" : ""));
        }
        if (l.is_number_integer() && r.is_number_integer() && n.code != Op::div) {
            const auto a = l.get<std::int64_t>(), b = r.get<std::int64_t>();
            std::int64_t out = 0;
            bool overflow = false;
            if (n.code == Op::add) overflow = __builtin_add_overflow(a, b, &out);
            else if (n.code == Op::sub) overflow = __builtin_sub_overflow(a, b, &out);
            else if (n.code == Op::mul) overflow = __builtin_mul_overflow(a, b, &out);
            else if (b == 0) fail(n, ErrorId::expr_bad_argument, "деление на ноль");
            else out = b == -1 ? 0 : a % b;  // INT64_MIN % -1 traps on x86
            if (overflow) {
                fail(n, ErrorId::expr_overflow, "результат «" + n.op + "» не помещается в целое число (от " + std::to_string(INT64_MIN) + " до " +
                                                    std::to_string(INT64_MAX) + ")");
            }
            return Value::own(out);
        }
        const double a = l.get<double>(), b = r.get<double>();
        if (n.code == Op::add) return Value::own(a + b);
        if (n.code == Op::sub) return Value::own(a - b);
        if (n.code == Op::mul) return Value::own(a * b);
        if (b == 0) fail(n, ErrorId::expr_bad_argument, "деление на ноль");
        if (n.code == Op::div) return Value::own(a / b);
        return Value::own(std::fmod(a, b));
    }

    // `x in [lo..hi]` without building the range: evaluates and checks in the same order as the
    // general case (x, lo, hi; then the bounds' types; then unknowns; then x's type).
    Value in_range(const Node& n, const Node& range) {
        Value lv = eval(n.children[0]);
        Value lo = eval(range.children[0]);
        Value hi = eval(range.children[1]);
        if (!lo.is_missing() && !hi.is_missing() && (!lo->is_number() || !hi->is_number())) {
            fail(range, ErrorId::expr_type, "границы диапазона должны быть числами");
        }
        if (lv.is_missing()) return lv;
        if (lo.is_missing()) return lo;
        if (hi.is_missing()) return hi;
        const bool found = within(n, lv.get(), lo.get(), hi.get());
        return Value::own(n.code == Op::in ? found : !found);
    }

    // `x in [a, b, …]` without building the list: elements are evaluated in order up to the
    // first unknown one, as the list literal does.
    Value in_list(const Node& n, const Node& list) {
        Value lv = eval(n.children[0]);
        bool found = false;
        for (int c : list.children) {
            Value v = eval(c);
            if (v.is_missing()) return lv.is_missing() ? lv : v;
            found = found || (!lv.is_missing() && equal(lv.get(), v.get()));
        }
        if (lv.is_missing()) return lv;
        return Value::own(n.code == Op::in ? found : !found);
    }

    bool within(const Node& n, const Json& x, const Json& lo, const Json& hi) const {
        if (!x.is_number()) fail(n, ErrorId::expr_type, "в диапазоне можно искать только число, а здесь " + describe(x));
        const double v = x.get<double>();
        return v >= lo.get<double>() && v <= hi.get<double>();
    }

    static bool equal(const Json& a, const Json& b) {
        if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
        return a == b;
    }

    [[noreturn]] void fail(const Node& n, ErrorId id, const std::string& msg) const {
        throw Error(id, e_.file_, n.pos, "", msg);
    }
    [[noreturn]] void over_budget(const Node& n, const BuildMeter& meter) const {
        fail(n, ErrorId::limit_size, "выражения документа построили больше " + std::to_string(meter.limit() >> 20) +
                                         " МБ текста и списков (~ и […]); вероятно, значение удваивается в цикле");
    }
    static constexpr int kMaxValueDepth = 64;

    // Passes `v` on, recording it in the log when there is one.
    Value noted(const Node& n, Value&& v) {
        if (log_) record(n, v);
        return std::move(v);
    }

    // Records what a path evaluated to (scalars and lists of scalars in full, objects as {}).
    void record(const Node& n, const Value& v) {
        Access a;
        a.path = n.path;
        a.missing = v.is_missing();
        if (!a.missing) {
            const Json& j = v.get();
            // Small objects (a fact with its date and value) in full; large ones (a whole
            // record) as {} so explanations stay readable.
            a.value = j.is_object() && j.size() > 4 ? Json::object() : j;
        }
        log_->push_back(std::move(a));
    }

    const Expr& e_;
    const Scope& scope_;
    Mode mode_;
    AccessLog* log_;
    std::array<const Json*, 8> found_;  // by Node::slot, valid where asked_ has the slot's bit
    unsigned asked_ = 0;
};

Value Expr::evaluate(const Scope& scope, Mode mode, AccessLog* log) const {
    const std::size_t first = log ? log->size() : 0;
    Value v = Evaluator(*this, scope, mode, log).eval(root_);
    if (log) {
        // Keep the leaves: drop a path that another one extends (facts → facts.x → facts.x.y),
        // and repeats.
        auto extends = [](const std::string& longer, const std::string& prefix) {
            return longer.size() > prefix.size() && longer.compare(0, prefix.size(), prefix) == 0 &&
                   (longer[prefix.size()] == '.' || longer[prefix.size()] == '[');
        };
        AccessLog kept;
        for (std::size_t i = first; i < log->size(); ++i) {
            const auto& a = (*log)[i];
            bool drop = false;
            for (std::size_t j = first; j < log->size() && !drop; ++j) drop = extends((*log)[j].path, a.path);
            for (const auto& k : kept) drop = drop || k.path == a.path;
            if (!drop) kept.push_back(a);
        }
        log->resize(first);
        log->insert(log->end(), kept.begin(), kept.end());
    }
    return v;
}

std::string Expr::path_text() const {
    std::string out;
    std::function<bool(int)> walk = [&](int i) -> bool {
        const Node& n = nodes_[static_cast<std::size_t>(i)];
        if (n.kind == Kind::name) {
            out += n.op;
            return true;
        }
        if (n.kind == Kind::member) {
            if (!walk(n.children[0])) return false;
            out += "." + n.op;
            return true;
        }
        return false;
    };
    return root_ >= 0 && walk(root_) ? out : std::string();
}

std::vector<Expr::PathRef> Expr::paths() const {
    std::vector<PathRef> out;
    // A plain node whose parent is not a member of it is a maximal path (a.b.c, not a.b).
    std::vector<bool> inner(nodes_.size(), false);
    for (const auto& n : nodes_) {
        if (n.kind == Kind::member && !n.children.empty()) inner[static_cast<std::size_t>(n.children[0])] = true;
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const Node& n = nodes_[i];
        if (n.plain && !inner[i]) out.push_back({n.path, n.pos});
    }
    return out;
}

}  // namespace ppko::expr
