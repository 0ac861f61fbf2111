// Template compiler: tokens → tree (node.h). Checks at compile time everything that does not
// depend on data: markup nesting, known elements and attributes, statement syntax, filter names
// and arities, macro names, include targets and cycles.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "data/schema.h"
#include "template/lexer.h"
#include "template/template.h"
#include "text/utf8.h"

namespace ppko::tpl {

namespace {

struct ElementSpec {
    std::string_view name;
    std::vector<std::string_view> attrs;
    bool empty = false;  // never has children (<br/>)
};

const std::vector<ElementSpec>& element_specs() {
    static const std::vector<ElementSpec> specs = {
        {"p", {"align", "indent", "role", "keep", "left", "bookmark", "bold", "italic"}},
        {"h1", {"align", "keep", "bookmark"}},
        {"h2", {"align", "keep", "bookmark"}},
        {"doctype", {"align"}},
        {"doctitle", {"align"}},
        {"stamp", {}},
        {"signature", {}},
        {"line", {}},
        {"name", {}},
        {"table", {"widths", "borders", "sheet", "caption", "chart", "chart_title", "chart_categories", "chart_values"}},
        {"tr", {"header"}},
        {"td", {"colspan", "rowspan", "align", "bold"}},
        {"th", {"colspan", "rowspan", "align"}},
        {"ol", {"start"}},
        {"ul", {}},
        {"li", {"align", "bold", "keep", "indent", "role"}},
        {"b", {}},
        {"i", {}},
        {"u", {}},
        {"br", {}, true},
        {"tab", {}, true},
        {"pagebreak", {}, true},
        {"pageref", {"to"}, true},
    };
    return specs;
}

const ElementSpec* find_element(std::string_view name) {
    for (const auto& s : element_specs()) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

constexpr IntAttribute kIntAttributes[] = {
    {"colspan", 1, Limits::kMaxColumns}, {"rowspan", 1, 32767}, {"start", 0, 32767},
    {"left", 0, 200},                    {"chart_categories", 1, Limits::kMaxColumns},
};

struct AttributeProblem {
    ErrorId id = ErrorId::template_syntax;
    std::string message;  // empty: no problem
};

// Checks a list of numbers in an attribute ("1,6,2,3"): at most `max_items`, each accepted by
// `valid`; otherwise the attribute's name and `expected` make the message.
template <class Valid>
AttributeProblem check_list(const Attribute& a, std::size_t max_items, const std::string& expected, Valid&& valid) {
    std::string_view v = a.value;
    std::size_t count = 0;
    for (;;) {
        const auto comma = v.find(',');
        std::string_view part = v.substr(0, comma);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (++count > max_items) return {ErrorId::limit_size, a.name + ": больше " + std::to_string(max_items) + " столбцов"};
        if (part.empty() || !valid(part)) return {ErrorId::template_syntax, a.name + ": " + expected};
        if (comma == std::string_view::npos) return {};
        v.remove_prefix(comma + 1);
    }
}

// What is wrong with a numeric attribute's fixed value (other attributes are checked where they
// are rendered).
AttributeProblem attribute_problem(std::string_view element, const Attribute& a) {
    if (const IntAttribute* spec = int_attribute(element, a.name)) {
        int v = 0;
        const auto [p, ec] = std::from_chars(a.value.data(), a.value.data() + a.value.size(), v);
        if (ec != std::errc() || p != a.value.data() + a.value.size() || v < spec->min || v > spec->max) {
            return {ErrorId::template_syntax, a.name + ": ожидалось целое число от " + std::to_string(spec->min) + " до " +
                                                  std::to_string(spec->max) + ", а указано «" + a.value + "»"};
        }
        return {};
    }
    if (a.name == "widths") {
        return check_list(a, Limits::kMaxColumns, "ожидались положительные числа через запятую, например \"1,6,2,3\"", [](std::string_view part) {
            double w = 0;
            const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), w);
            return ec == std::errc() && p == part.data() + part.size() && std::isfinite(w) && w > 0 && w <= kMaxRelativeWidth;
        });
    }
    if (a.name == "chart_values") {
        return check_list(a, Limits::kMaxColumns,
                          "ожидались номера столбцов через запятую (считая с 1), например \"2,5\", а указано «" + a.value + "»",
                          [](std::string_view part) {
                              int c = 0;
                              const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), c);
                              return ec == std::errc() && p == part.data() + part.size() && c >= 1 && c <= Limits::kMaxColumns;
                          });
    }
    return {};
}

// Position of byte `offset` inside a body that starts at `start`.
Position advance(Position start, std::string_view body, std::size_t offset) {
    Position p = start;
    for (std::size_t i = 0; i < offset && i < body.size();) text::step(body, i, p.line, p.column);
    return p;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

class Compiler {
public:
    Compiler(Environment& env, Template& t) : env_(env), t_(t) {}

    void compile(std::string_view source, const std::string& origin, TNodes& out, Position at = {}, const std::string& from = {}) {
        if (!stack_.empty()) {
            if (static_cast<int>(stack_.size()) >= Limits::kMaxIncludeDepth) {
                throw Error(ErrorId::limit_nesting, from, at, "",
                            "шаблоны включены друг в друга глубже " + std::to_string(Limits::kMaxIncludeDepth) + " уровней");
            }
            if (++includes_ > Limits::kMaxIncludes) {
                throw Error(ErrorId::limit_size, from, at, "",
                            "в шаблоне больше " + std::to_string(Limits::kMaxIncludes) + " включений {% include %} (считая включённые в включённые)");
            }
        }
        if (std::find(stack_.begin(), stack_.end(), origin) != stack_.end()) {
            throw Error(ErrorId::template_include_cycle, origin, {}, "",
                        "шаблоны включают друг друга по кругу: " + [&] {
                            std::string s;
                            for (const auto& o : stack_) s += o + " → ";
                            return s + origin;
                        }());
        }
        stack_.push_back(origin);
        const int file = static_cast<int>(t_.files_.size());
        t_.files_.push_back(origin);
        const auto tokens = tokenize(source, origin);
        parse(tokens, file, origin, out);
        stack_.pop_back();
    }

private:
    struct Frame {
        enum class Kind { element, if_, for_, macro } kind;
        TNode* node = nullptr;    // element / if / for
        Macro* macro = nullptr;
        TNodes* target = nullptr;  // where children go now
        Position pos;
        std::string name;          // element name or statement keyword
    };

    [[noreturn]] void fail(ErrorId id, const std::string& file, Position p, const std::string& msg) const {
        throw Error(id, file, p, "", msg);
    }

    // Before opening one more element or block inside `open` ones (plus those open where the
    // current file was included).
    void check_nesting(std::size_t open, const std::string& origin, Position p) const {
        if (outer_depth_ + static_cast<int>(open) >= Limits::kMaxNesting) {
            fail(ErrorId::limit_nesting, origin, p,
                 "элементы и блоки шаблона вложены друг в друга глубже " + std::to_string(Limits::kMaxNesting) + " уровней");
        }
    }

    expr::Expr parse_expr(std::string_view body, std::size_t offset, Position body_pos, const std::string& file) {
        return expr::Expr::parse(body.substr(offset), file, advance(body_pos, body, offset), env_.filters_, env_.functions_);
    }

    static std::string describe_frame(const Frame& f) {
        switch (f.kind) {
            case Frame::Kind::element: return "<" + f.name + ">";
            case Frame::Kind::if_: return "{% if %}";
            case Frame::Kind::for_: return "{% for %}";
            case Frame::Kind::macro: return "{% macro %}";
        }
        return "";
    }
    static std::string closer(const Frame& f) {
        switch (f.kind) {
            case Frame::Kind::element: return "</" + f.name + ">";
            case Frame::Kind::if_: return "{% endif %}";
            case Frame::Kind::for_: return "{% endfor %}";
            case Frame::Kind::macro: return "{% endmacro %}";
        }
        return "";
    }
    static std::string where(Position p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

    void parse(const std::vector<Token>& tokens, int file, const std::string& origin, TNodes& root) {
        std::vector<Frame> frames;
        TNodes* target = &root;
        auto push = [&](Frame f) {
            frames.push_back(std::move(f));
            target = frames.back().target;
        };
        auto pop = [&] {
            frames.pop_back();
            target = frames.empty() ? &root : frames.back().target;
        };
        auto node_at = [&](TNode::Kind k, Position p) {
            TNode n;
            n.kind = k;
            n.file = file;
            n.pos = p;
            return n;
        };

        for (const Token& tok : tokens) {
            switch (tok.kind) {
                case Token::Kind::text: {
                    TNode n = node_at(TNode::Kind::text, tok.pos);
                    n.text = std::string(tok.body);
                    target->push_back(std::move(n));
                    break;
                }
                case Token::Kind::output: {
                    TNode n = node_at(TNode::Kind::output, tok.pos);
                    n.exprs.push_back(parse_expr(tok.body, 0, tok.body_pos, origin));
                    target->push_back(std::move(n));
                    break;
                }
                case Token::Kind::open_tag:
                case Token::Kind::empty_tag: {
                    const std::string name(tok.body);
                    const ElementSpec* spec = find_element(name);
                    if (!spec) {
                        std::vector<std::string> names;
                        for (const auto& s : element_specs()) names.emplace_back(s.name);
                        std::string msg = "неизвестный элемент <" + name + ">";
                        const auto near = data::nearest(name, names);
                        if (!near.empty()) msg += "; возможно, имелось в виду <" + near + ">";
                        fail(ErrorId::template_syntax, origin, tok.pos, msg + "; известные: " + join(names));
                    }
                    TNode n = node_at(TNode::Kind::element, tok.pos);
                    n.text = name;
                    for (const auto& a : tok.attrs) {
                        if (std::find(spec->attrs.begin(), spec->attrs.end(), a.name) == spec->attrs.end()) {
                            std::vector<std::string> allowed(spec->attrs.begin(), spec->attrs.end());
                            fail(ErrorId::template_syntax, origin, a.pos,
                                 "у элемента <" + name + "> нет атрибута «" + a.name + "»" +
                                     (allowed.empty() ? "; у него нет атрибутов" : "; допустимые: " + join(allowed)));
                        }
                    }
                    n.attrs = tok.attrs;
                    for (auto& a : n.attrs) {
                        const auto b = a.value.find("{{");
                        if (b == std::string::npos) {
                            if (const auto problem = attribute_problem(name, a); !problem.message.empty()) fail(problem.id, origin, a.pos, problem.message);
                            continue;
                        }
                        const auto e = a.value.rfind("}}");
                        if (a.name != "sheet" && a.name != "caption") {
                            fail(ErrorId::template_syntax, origin, a.pos, "{{ … }} допустимо только в атрибутах sheet и caption, а не в «" + a.name + "»");
                        }
                        if (b != 0 || e == std::string::npos || e + 2 != a.value.size()) {
                            fail(ErrorId::template_syntax, origin, a.pos, "значение атрибута «" + a.name + "» должно быть целиком {{ выражением }}");
                        }
                        Position p = a.pos;
                        p.column += static_cast<int>(text::count_code_points(a.name)) + 2 + 2;  // name="{{
                        a.dynamic = std::make_shared<const expr::Expr>(
                            expr::Expr::parse(std::string_view(a.value).substr(2, e - 2), origin, p, env_.filters_, env_.functions_));
                    }
                    n.branches.emplace_back();
                    target->push_back(std::move(n));
                    if (tok.kind == Token::Kind::open_tag && !spec->empty) {
                        TNode* el = &target->back();
                        check_nesting(frames.size(), origin, tok.pos);
                        push(Frame{Frame::Kind::element, el, nullptr, &el->branches[0], tok.pos, name});
                    }
                    break;
                }
                case Token::Kind::close_tag: {
                    const std::string name(tok.body);
                    if (frames.empty()) fail(ErrorId::template_syntax, origin, tok.pos, "лишний закрывающий элемент </" + name + ">");
                    const Frame& top = frames.back();
                    if (top.kind != Frame::Kind::element || top.name != name) {
                        fail(ErrorId::template_unclosed, origin, top.pos,
                             describe_frame(top) + " не закрыт: ожидался " + closer(top) + " раньше, чем </" + name + "> на " + where(tok.pos));
                    }
                    pop();
                    break;
                }
                case Token::Kind::statement: statement(tok, file, origin, frames, target, push, pop, node_at); break;
            }
        }
        if (!frames.empty()) {
            const Frame& top = frames.back();
            fail(ErrorId::template_unclosed, origin, top.pos, describe_frame(top) + " не закрыт: до конца шаблона нет " + closer(top));
        }
    }

    template <class Push, class Pop, class NodeAt>
    void statement(const Token& tok, int file, const std::string& origin, std::vector<Frame>& frames, TNodes*& target,
                   Push& push, Pop& pop, NodeAt& node_at) {
        const std::string_view body = tok.body;
        std::size_t i = 0;
        auto skip = [&] {
            while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
        };
        auto word = [&] {
            skip();
            const std::size_t b = i;
            while (i < body.size() && ((body[i] >= 'a' && body[i] <= 'z') || (body[i] >= 'A' && body[i] <= 'Z') ||
                                       (body[i] >= '0' && body[i] <= '9') || body[i] == '_')) {
                ++i;
            }
            return std::string(body.substr(b, i - b));
        };
        auto at = [&](std::size_t off) { return advance(tok.body_pos, body, off); };
        auto rest_empty = [&](const std::string& kw) {
            skip();
            if (i < body.size()) fail(ErrorId::template_syntax, origin, at(i), "после {% " + kw + " лишний текст");
        };
        const std::string kw = word();
        auto expect_top = [&](Frame::Kind k, const std::string& what) -> Frame& {
            if (frames.empty() || frames.back().kind != k) {
                if (!frames.empty()) {
                    const Frame& top = frames.back();
                    fail(ErrorId::template_unclosed, origin, top.pos,
                         describe_frame(top) + " не закрыт: ожидался " + closer(top) + " раньше, чем {% " + what + " %} на " + where(tok.pos));
                }
                fail(ErrorId::template_syntax, origin, tok.pos, "{% " + what + " %} без открывающего блока");
            }
            return frames.back();
        };

        if (kw == "if") {
            TNode n = node_at(TNode::Kind::if_, tok.pos);
            skip();
            n.exprs.push_back(parse_expr(body, i, tok.body_pos, origin));
            n.branches.emplace_back();
            target->push_back(std::move(n));
            TNode* node = &target->back();
            check_nesting(frames.size(), origin, tok.pos);
            push(Frame{Frame::Kind::if_, node, nullptr, &node->branches.back(), tok.pos, "if"});
        } else if (kw == "elif" || kw == "else") {
            if (!frames.empty() && frames.back().kind == Frame::Kind::for_ && kw == "else") {
                Frame& f = frames.back();
                rest_empty(kw);
                f.node->branches.resize(2);
                f.target = &f.node->branches[1];
                target = f.target;
                return;
            }
            Frame& f = expect_top(Frame::Kind::if_, kw);
            if (f.node->branches.size() > f.node->exprs.size()) {
                fail(ErrorId::template_syntax, origin, tok.pos, "{% " + kw + " %} после {% else %}: else должен быть последним");
            }
            if (kw == "elif") {
                skip();
                f.node->exprs.push_back(parse_expr(body, i, tok.body_pos, origin));
            } else {
                rest_empty(kw);
            }
            f.node->branches.emplace_back();
            f.target = &f.node->branches.back();
            target = f.target;
        } else if (kw == "endif") {
            rest_empty(kw);
            expect_top(Frame::Kind::if_, kw);
            pop();
        } else if (kw == "for") {
            TNode n = node_at(TNode::Kind::for_, tok.pos);
            n.text = word();
            if (n.text.empty()) fail(ErrorId::template_syntax, origin, at(i), "после for ожидалось имя переменной цикла");
            if (word() != "in") fail(ErrorId::template_syntax, origin, at(i), "ожидалось: {% for имя in список %}");
            skip();
            n.exprs.push_back(parse_expr(body, i, tok.body_pos, origin));
            n.branches.emplace_back();
            n.branches.reserve(2);
            target->push_back(std::move(n));
            TNode* node = &target->back();
            check_nesting(frames.size(), origin, tok.pos);
            push(Frame{Frame::Kind::for_, node, nullptr, &node->branches[0], tok.pos, "for"});
        } else if (kw == "endfor") {
            rest_empty(kw);
            expect_top(Frame::Kind::for_, kw);
            pop();
        } else if (kw == "set") {
            TNode n = node_at(TNode::Kind::set, tok.pos);
            n.text = word();
            skip();
            if (n.text.empty() || i >= body.size() || body[i] != '=') {
                fail(ErrorId::template_syntax, origin, at(i), "ожидалось: {% set имя = выражение %}");
            }
            ++i;
            skip();
            n.exprs.push_back(parse_expr(body, i, tok.body_pos, origin));
            target->push_back(std::move(n));
        } else if (kw == "macro") {
            if (!frames.empty()) fail(ErrorId::template_syntax, origin, tok.pos, "макрос определяется только на верхнем уровне шаблона");
            Macro m;
            m.name = word();
            m.file = file;
            m.pos = tok.pos;
            skip();
            if (m.name.empty() || i >= body.size() || body[i] != '(') fail(ErrorId::template_syntax, origin, at(i), "ожидалось: {% macro имя(параметры) %}");
            ++i;
            for (;;) {
                const std::string p = word();
                skip();
                if (!p.empty()) m.params.push_back(p);
                if (i < body.size() && body[i] == ',' && !p.empty()) {
                    ++i;
                    continue;
                }
                if (i < body.size() && body[i] == ')') {
                    ++i;
                    break;
                }
                fail(ErrorId::template_syntax, origin, at(i), "в определении макроса ожидалось имя параметра, «,» или «)»");
            }
            rest_empty(kw);
            if (t_.macros_.count(m.name)) fail(ErrorId::template_syntax, origin, tok.pos, "макрос «" + m.name + "» уже определён");
            Macro& stored = t_.macros_[m.name];
            stored = std::move(m);
            push(Frame{Frame::Kind::macro, nullptr, &stored, &stored.body, tok.pos, "macro"});
        } else if (kw == "endmacro") {
            rest_empty(kw);
            expect_top(Frame::Kind::macro, kw);
            pop();
        } else if (kw == "call") {
            TNode n = node_at(TNode::Kind::call, tok.pos);
            const std::size_t name_at = (skip(), i);
            n.text = word();
            skip();
            if (n.text.empty() || i >= body.size() || body[i] != '(') fail(ErrorId::template_syntax, origin, at(i), "ожидалось: {% call имя(аргументы) %}");
            ++i;
            // Arguments: expressions separated by top-level commas.
            for (;;) {
                skip();
                if (i < body.size() && body[i] == ')') {
                    ++i;
                    break;
                }
                std::size_t j = i;
                int depth = 0;
                char quote = 0;
                for (; j < body.size(); ++j) {
                    const char c = body[j];
                    if (quote) {
                        if (c == '\\') ++j;
                        else if (c == quote) quote = 0;
                        continue;
                    }
                    if (c == '"' || c == '\'') quote = c;
                    else if (c == '(' || c == '[') ++depth;
                    else if ((c == ')' || c == ']') && depth > 0) --depth;
                    else if ((c == ',' || c == ')') && depth == 0) break;
                }
                if (j >= body.size()) fail(ErrorId::template_syntax, origin, at(i), "в вызове макроса не хватает «)»");
                n.exprs.push_back(expr::Expr::parse(body.substr(i, j - i), origin, at(i), env_.filters_, env_.functions_));
                i = j;
                if (body[i] == ',') ++i;
            }
            rest_empty(kw);
            calls_.push_back({n.text, origin, at(name_at), n.exprs.size()});
            target->push_back(std::move(n));
        } else if (kw == "include") {
            skip();
            if (i >= body.size() || (body[i] != '"' && body[i] != '\'')) fail(ErrorId::template_syntax, origin, at(i), "ожидалось: {% include \"имя\" %}");
            const char q = body[i];
            const std::size_t b = ++i;
            while (i < body.size() && body[i] != q) ++i;
            const std::string name(body.substr(b, i - b));
            ++i;
            rest_empty(kw);
            std::string file_name = name.ends_with(".tpl") ? name : name + ".tpl";
            const auto r = env_.resources_.find(file_name);
            if (!r) fail(ErrorId::template_not_found, origin, tok.pos, "включаемый шаблон «" + file_name + "» не найден");
            // The included file's elements nest inside the ones open here.
            outer_depth_ += static_cast<int>(frames.size());
            compile(r->text, r->origin, *target, tok.pos, origin);
            outer_depth_ -= static_cast<int>(frames.size());
        } else {
            static const std::vector<std::string> kws = {"if", "elif", "else", "endif", "for", "endfor", "set",
                                                         "macro", "endmacro", "call", "include"};
            std::string msg = kw.empty() ? "пустая инструкция {% %}" : "неизвестная инструкция «" + kw + "»";
            const auto near = data::nearest(kw, kws);
            if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            fail(ErrorId::template_syntax, origin, tok.pos, msg + "; известные: " + join(kws));
        }
    }

public:
    // After the whole tree is built: every {% call %} names a defined macro with the right arity.
    void check_calls() const {
        for (const auto& c : calls_) {
            auto it = t_.macros_.find(c.name);
            if (it == t_.macros_.end()) {
                std::vector<std::string> names;
                for (const auto& [n, m] : t_.macros_) names.push_back(n);
                std::string msg = "неизвестный макрос «" + c.name + "»";
                const auto near = data::nearest(c.name, names);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                throw Error(ErrorId::template_unknown_macro, c.origin, c.pos, "",
                            msg + "; известные: " + (names.empty() ? std::string("нет") : join(names)));
            }
            if (it->second.params.size() != c.args) {
                throw Error(ErrorId::template_bad_argument, c.origin, c.pos, "",
                            "макрос «" + c.name + "» принимает " + std::to_string(it->second.params.size()) + " арг., а передано " +
                                std::to_string(c.args));
            }
        }
    }

private:
    struct CallSite {
        std::string name;
        std::string origin;
        Position pos;
        std::size_t args;
    };
    Environment& env_;
    Template& t_;
    std::vector<std::string> stack_;
    std::vector<CallSite> calls_;
    int outer_depth_ = 0;  // elements and blocks open where the file being compiled was included
    int includes_ = 0;
};

const IntAttribute* int_attribute(std::string_view element, std::string_view name) {
    if (name == "start" && element != "ol") return nullptr;
    for (const auto& a : kIntAttributes) {
        if (a.name == name) return &a;
    }
    return nullptr;
}

Environment::Environment(const io::Resources& resources) : resources_(resources), filters_(make_filters()) {}

std::unique_ptr<Template> Environment::compile(std::string_view source, const std::string& origin) {
    auto t = std::make_unique<Template>();
    t->name_ = origin;
    Compiler c(*this, *t);
    c.compile(source, origin, t->root_);
    c.check_calls();
    return t;
}

const Template& Environment::get(const std::string& name) {
    auto it = cache_.find(name);
    if (it != cache_.end()) return *it->second;
    const std::string file = name + ".tpl";
    const auto r = resources_.find(file);
    if (!r) throw Error(ErrorId::template_not_found, file, {}, "", "шаблон «" + name + "» не найден");
    auto t = compile(r->text, r->origin);
    t->name_ = name;
    return *cache_.emplace(name, std::move(t)).first->second;
}

}  // namespace ppko::tpl
