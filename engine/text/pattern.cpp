#include "text/pattern.h"

#include <algorithm>

#include "text/utf8.h"

namespace ppko::text {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

bool is_line_terminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

// Sorts and merges ranges so that they are disjoint.
void normalise(std::vector<std::pair<char32_t, char32_t>>& r) {
    std::sort(r.begin(), r.end());
    std::vector<std::pair<char32_t, char32_t>> out;
    for (const auto& x : r) {
        if (!out.empty() && x.first <= out.back().second + 1) {
            out.back().second = std::max(out.back().second, x.second);
        } else {
            out.push_back(x);
        }
    }
    r = std::move(out);
}

// The complement of disjoint sorted ranges over all code points.
std::vector<std::pair<char32_t, char32_t>> complement(const std::vector<std::pair<char32_t, char32_t>>& r) {
    std::vector<std::pair<char32_t, char32_t>> out;
    char32_t next = 0;
    for (const auto& [lo, hi] : r) {
        if (lo > next) out.emplace_back(next, lo - 1);
        next = hi + 1;
    }
    if (next <= kMaxCodePoint) out.emplace_back(next, kMaxCodePoint);
    return out;
}

// \d \w \s as ECMAScript defines them.
std::vector<std::pair<char32_t, char32_t>> shorthand_class(char letter) {
    std::vector<std::pair<char32_t, char32_t>> r;
    switch (letter) {
        case 'd':
        case 'D': r = {{'0', '9'}}; break;
        case 'w':
        case 'W': r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; break;
        case 's':
        case 'S':
            r = {{'\t', '\r'}, {' ', ' '}, {0xA0, 0xA0}, {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
                 {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
            break;
        default: break;
    }
    normalise(r);
    if (letter == 'D' || letter == 'W' || letter == 'S') r = complement(r);
    return r;
}

}  // namespace

bool Pattern::Class::contains(char32_t c) const {
    // Ranges are few; a binary search would not pay.
    bool in = false;
    for (const auto& r : ranges) {
        if (c < r.lo) break;
        if (c <= r.hi) {
            in = true;
            break;
        }
    }
    return in != negated;
}

// Parses the pattern into a small tree, then emits the NFA program from it (counted repetitions
// copy their operand's code, which a tree makes easy).
class PatternCompiler {
public:
    explicit PatternCompiler(std::string_view src, Pattern& out) : out_(out) {
        for (std::size_t i = 0; i < src.size();) cps_.push_back(decode(src, i));
        if (cps_.size() > Pattern::kMaxLength) {
            throw PatternError(Pattern::kMaxLength, "регулярное выражение длиннее " + std::to_string(Pattern::kMaxLength) + " символов");
        }
    }

    void run() {
        const int root = parse_alternation(0);
        if (i_ < cps_.size()) fail(i_, "лишняя «)» без открывающей «(»");
        emit(root);
        push({Pattern::Inst::Op::match});
    }

private:
    struct Node {
        enum class Kind { empty, chr, any, cls, cat, alt, repeat, bol, eol } kind = Kind::empty;
        char32_t c = 0;
        int cls = 0;
        int min = 0, max = 0;  // repeat; max < 0: unbounded
        std::vector<int> kids;
    };

    [[noreturn]] void fail(std::size_t at, const std::string& message) const { throw PatternError(at, message); }

    bool more() const { return i_ < cps_.size(); }
    char32_t peek() const { return cps_[i_]; }

    int add(Node n) {
        nodes_.push_back(std::move(n));
        return static_cast<int>(nodes_.size() - 1);
    }

    int parse_alternation(int depth) {
        if (depth > Pattern::kMaxNesting) fail(i_, "слишком глубокая вложенность скобок (больше " + std::to_string(Pattern::kMaxNesting) + ")");
        Node alt;
        alt.kind = Node::Kind::alt;
        alt.kids.push_back(parse_sequence(depth));
        while (more() && peek() == '|') {
            ++i_;
            alt.kids.push_back(parse_sequence(depth));
        }
        return alt.kids.size() == 1 ? alt.kids[0] : add(std::move(alt));
    }

    int parse_sequence(int depth) {
        Node cat;
        cat.kind = Node::Kind::cat;
        while (more() && peek() != '|' && peek() != ')') cat.kids.push_back(parse_repeat(depth));
        if (cat.kids.empty()) return add(Node{});
        return cat.kids.size() == 1 ? cat.kids[0] : add(std::move(cat));
    }

    // A number in a {n,m} quantifier; npos when there are no digits.
    std::size_t number() {
        std::size_t v = 0;
        bool any = false;
        while (more() && peek() >= '0' && peek() <= '9') {
            v = std::min<std::size_t>(v * 10 + (peek() - '0'), 1'000'000);
            ++i_;
            any = true;
        }
        return any ? v : std::string::npos;
    }

    int parse_repeat(int depth) {
        int node = parse_atom(depth);
        while (more()) {
            const std::size_t at = i_;
            int min = 0, max = 0;
            const char32_t q = peek();
            if (q == '*') {
                min = 0, max = -1, ++i_;
            } else if (q == '+') {
                min = 1, max = -1, ++i_;
            } else if (q == '?') {
                min = 0, max = 1, ++i_;
            } else if (q == '{') {
                ++i_;
                const std::size_t lo = number();
                std::size_t hi = lo;
                if (lo == std::string::npos) fail(at, "после «{» ожидалось число повторений: {2}, {2,}, {2,5}");
                if (more() && peek() == ',') {
                    ++i_;
                    hi = number();
                }
                if (!more() || peek() != '}') fail(at, "повторение {…} не закрыто «}»");
                ++i_;
                if (lo > static_cast<std::size_t>(Pattern::kMaxRepeat) || (hi != std::string::npos && hi > static_cast<std::size_t>(Pattern::kMaxRepeat))) {
                    fail(at, "число повторений больше " + std::to_string(Pattern::kMaxRepeat));
                }
                if (hi != std::string::npos && hi < lo) fail(at, "в {n,m} n больше m");
                min = static_cast<int>(lo);
                max = hi == std::string::npos ? -1 : static_cast<int>(hi);
            } else {
                break;
            }
            const Node::Kind k = nodes_[static_cast<std::size_t>(node)].kind;
            if (k == Node::Kind::bol || k == Node::Kind::eol) fail(at, "«^» и «$» нельзя повторять");
            if (more() && peek() == '?') ++i_;  // lazy: the same for a yes/no match
            Node r;
            r.kind = Node::Kind::repeat;
            r.min = min;
            r.max = max;
            r.kids = {node};
            node = add(std::move(r));
        }
        return node;
    }

    int parse_atom(int depth) {
        const std::size_t at = i_;
        const char32_t c = peek();
        ++i_;
        Node n;
        switch (c) {
            case '(': {
                if (more() && peek() == '?') {
                    if (i_ + 1 < cps_.size() && cps_[i_ + 1] == ':') {
                        i_ += 2;
                    } else {
                        fail(at, "проверки вперёд и назад (?=…), (?!…), (?<…) не поддерживаются; для группы пишите (?:…)");
                    }
                }
                const int inner = parse_alternation(depth + 1);
                if (!more() || peek() != ')') fail(at, "скобка «(» не закрыта");
                ++i_;
                return inner;
            }
            case ')': fail(at, "лишняя «)» без открывающей «(»");
            case '*':
            case '+':
            case '?':
            case '{': fail(at, "нечего повторять: перед «" + std::string(1, static_cast<char>(c)) + "» нет символа или группы");
            case '.': n.kind = Node::Kind::any; return add(std::move(n));
            case '^': n.kind = Node::Kind::bol; return add(std::move(n));
            case '$': n.kind = Node::Kind::eol; return add(std::move(n));
            case '[': return parse_class(at);
            case '\\': {
                std::vector<std::pair<char32_t, char32_t>> ranges;
                const char32_t lit = escape(at, &ranges);
                if (!ranges.empty()) return class_node(std::move(ranges), false);
                n.kind = Node::Kind::chr;
                n.c = lit;
                return add(std::move(n));
            }
            default: n.kind = Node::Kind::chr; n.c = c; return add(std::move(n));
        }
    }

    int class_node(std::vector<std::pair<char32_t, char32_t>> ranges, bool negated) {
        normalise(ranges);
        Pattern::Class k;
        k.negated = negated;
        for (const auto& [lo, hi] : ranges) k.ranges.push_back({lo, hi});
        out_.classes_.push_back(std::move(k));
        Node n;
        n.kind = Node::Kind::cls;
        n.cls = static_cast<int>(out_.classes_.size() - 1);
        return add(std::move(n));
    }

    unsigned hex(std::size_t at, int digits) {
        unsigned v = 0;
        for (int k = 0; k < digits; ++k) {
            if (!more()) fail(at, "после \\x или \\u ожидались шестнадцатеричные цифры");
            const char32_t d = peek();
            ++i_;
            v <<= 4;
            if (d >= '0' && d <= '9') v |= d - '0';
            else if (d >= 'a' && d <= 'f') v |= d - 'a' + 10;
            else if (d >= 'A' && d <= 'F') v |= d - 'A' + 10;
            else fail(at, "после \\x или \\u ожидались шестнадцатеричные цифры");
        }
        return v;
    }

    // The escape after a backslash (the cursor is past it): a character, or (for \d \w \s and
    // their negations) fills `ranges` and returns 0.
    char32_t escape(std::size_t at, std::vector<std::pair<char32_t, char32_t>>* ranges) {
        if (!more()) fail(at, "обратная косая черта в конце выражения");
        const char32_t e = peek();
        ++i_;
        switch (e) {
            case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
                *ranges = shorthand_class(static_cast<char>(e));
                return 0;
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'v': return '\v';
            case '0': return 0;
            case 'x': return hex(at, 2);
            case 'u': return hex(at, 4);
            case 'b':
            case 'B': fail(at, "границы слов \\b и \\B не поддерживаются");
            default: break;
        }
        if (e >= '1' && e <= '9') fail(at, "обратные ссылки \\1…\\9 не поддерживаются");
        const bool letter_or_digit = (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') || e == '_';
        if (letter_or_digit) fail(at, "неизвестная escape-последовательность «\\" + std::string(1, static_cast<char>(e)) + "»");
        return e;  // \. \- \/ \\ \[ …: the character itself
    }

    int parse_class(std::size_t at) {
        bool negated = false;
        if (more() && peek() == '^') {
            negated = true;
            ++i_;
        }
        std::vector<std::pair<char32_t, char32_t>> ranges;
        // One member: a character (returned) or a shorthand class (added to `ranges`; nullopt).
        auto member = [&](bool& is_char) -> char32_t {
            const std::size_t m = i_;
            const char32_t c = peek();
            ++i_;
            is_char = true;
            if (c != '\\') return c;
            std::vector<std::pair<char32_t, char32_t>> sub;
            if (more() && peek() == 'b') {  // [\b] is a backspace in ECMAScript
                ++i_;
                return '\b';
            }
            const char32_t lit = escape(m, &sub);
            if (!sub.empty()) {
                ranges.insert(ranges.end(), sub.begin(), sub.end());
                is_char = false;
            }
            return lit;
        };
        while (more() && peek() != ']') {
            bool first_is_char = false;
            const std::size_t from = i_;
            const char32_t lo = member(first_is_char);
            if (!first_is_char) continue;
            if (more() && peek() == '-' && i_ + 1 < cps_.size() && cps_[i_ + 1] != ']') {
                ++i_;
                bool second_is_char = false;
                const char32_t hi = member(second_is_char);
                if (!second_is_char) fail(from, "в диапазоне [a-z] границей не может быть \\d, \\w или \\s");
                if (hi < lo) fail(from, "в диапазоне [a-z] начало больше конца");
                ranges.emplace_back(lo, hi);
            } else {
                ranges.emplace_back(lo, lo);
            }
        }
        if (!more()) fail(at, "набор символов «[» не закрыт «]»");
        ++i_;
        return class_node(std::move(ranges), negated);
    }

    // --- code generation ---------------------------------------------------------------------

    [[noreturn]] void push_limit_failure() const {
        fail(0, "регулярное выражение слишком сложное (больше " + std::to_string(Pattern::kMaxProgram) +
                    " шагов после развёртки повторений {n,m})");
    }
    int push(Pattern::Inst inst) {
        if (out_.program_.size() >= Pattern::kMaxProgram) push_limit_failure();
        out_.program_.push_back(inst);
        return static_cast<int>(out_.program_.size() - 1);
    }
    int here() const { return static_cast<int>(out_.program_.size()); }
    Pattern::Inst& at(int pc) { return out_.program_[static_cast<std::size_t>(pc)]; }

    void emit(int index) {
        using Op = Pattern::Inst::Op;
        // Repetitions of parts that emit nothing ((a{0}){1000}) are bounded by this count, not by
        // the program's size.
        if (++emitted_ > 4 * Pattern::kMaxProgram) push_limit_failure();
        const Node& n = nodes_[static_cast<std::size_t>(index)];
        switch (n.kind) {
            case Node::Kind::empty: return;
            case Node::Kind::chr: push({Op::chr, n.c}); return;
            case Node::Kind::any: push({Op::any}); return;
            case Node::Kind::cls: push({Op::cls, 0, n.cls}); return;
            case Node::Kind::bol: push({Op::bol}); return;
            case Node::Kind::eol: push({Op::eol}); return;
            case Node::Kind::cat:
                for (int k : n.kids) emit(k);
                return;
            case Node::Kind::alt: {
                std::vector<int> ends;
                for (std::size_t k = 0; k < n.kids.size(); ++k) {
                    if (k + 1 == n.kids.size()) {
                        emit(n.kids[k]);
                        break;
                    }
                    const int split = push({Op::split});
                    at(split).x = here();
                    emit(n.kids[k]);
                    ends.push_back(push({Op::jmp}));
                    at(split).y = here();
                }
                for (int e : ends) at(e).x = here();
                return;
            }
            case Node::Kind::repeat: {
                const int body = n.kids[0];
                for (int k = 0; k < n.min; ++k) emit(body);
                if (n.max < 0) {
                    // L: split body, out; body; jmp L
                    const int split = push({Op::split});
                    at(split).x = here();
                    emit(body);
                    push({Op::jmp, 0, split});
                    at(split).y = here();
                    return;
                }
                std::vector<int> outs;
                for (int k = n.min; k < n.max; ++k) {
                    const int split = push({Op::split});
                    at(split).x = here();
                    outs.push_back(split);
                    emit(body);
                }
                for (int s : outs) at(s).y = here();
                return;
            }
        }
    }

    Pattern& out_;
    std::u32string cps_;
    std::size_t i_ = 0;
    std::vector<Node> nodes_;
    std::size_t emitted_ = 0;
};

Pattern Pattern::compile(std::string_view pattern) {
    Pattern p;
    PatternCompiler(pattern, p).run();
    return p;
}

namespace {

// The threads of one step: program counters, each at most once (a sparse set).
class ThreadList {
public:
    explicit ThreadList(std::size_t n) : dense_(n), sparse_(n) {}
    bool contains(int pc) const {
        const std::size_t k = sparse_[static_cast<std::size_t>(pc)];
        return k < size_ && dense_[k] == pc;
    }
    void insert(int pc) {
        sparse_[static_cast<std::size_t>(pc)] = size_;
        dense_[size_++] = pc;
    }
    void clear() { size_ = 0; }
    std::size_t size() const { return size_; }
    int operator[](std::size_t k) const { return dense_[k]; }

private:
    std::vector<int> dense_;
    std::vector<std::size_t> sparse_;
    std::size_t size_ = 0;
};

}  // namespace

PatternMatch Pattern::match(std::string_view text, std::size_t budget) const {
    using Op = Inst::Op;
    if (program_.empty()) return text.empty() ? PatternMatch::yes : PatternMatch::no;
    const std::size_t n = program_.size();
    ThreadList current(n), next(n);
    std::vector<int> stack;
    stack.reserve(n);
    // Adds the thread at `pc` and everything reachable from it without reading a character
    // (jumps, splits, anchors that hold at this position); an explicit stack, not recursion.
    auto add = [&](ThreadList& list, int start, bool at_begin, bool at_end) {
        stack.push_back(start);
        while (!stack.empty()) {
            const int pc = stack.back();
            stack.pop_back();
            if (list.contains(pc)) continue;
            list.insert(pc);
            const Inst& in = program_[static_cast<std::size_t>(pc)];
            switch (in.op) {
                case Op::jmp: stack.push_back(in.x); break;
                case Op::split:
                    stack.push_back(in.y);
                    stack.push_back(in.x);
                    break;
                case Op::bol:
                    if (at_begin) stack.push_back(pc + 1);
                    break;
                case Op::eol:
                    if (at_end) stack.push_back(pc + 1);
                    break;
                default: break;
            }
        }
    };
    add(current, 0, true, text.empty());
    std::size_t steps = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (current.size() == 0) return PatternMatch::no;
        const char32_t c = decode(text, i);
        const bool at_end = i == text.size();
        next.clear();
        for (std::size_t k = 0; k < current.size(); ++k) {
            const int pc = current[k];
            const Inst& in = program_[static_cast<std::size_t>(pc)];
            bool ok = false;
            switch (in.op) {
                case Op::chr: ok = in.c == c; break;
                case Op::any: ok = !is_line_terminator(c); break;
                case Op::cls: ok = classes_[static_cast<std::size_t>(in.x)].contains(c); break;
                default: break;
            }
            if (ok) add(next, pc + 1, false, at_end);
        }
        steps += current.size() + next.size();
        if (steps > budget) return PatternMatch::too_costly;
        std::swap(current, next);
    }
    for (std::size_t k = 0; k < current.size(); ++k) {
        if (program_[static_cast<std::size_t>(current[k])].op == Op::match) return PatternMatch::yes;
    }
    return PatternMatch::no;
}

}  // namespace ppko::text
