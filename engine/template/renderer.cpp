// Template renderer: walks a compiled template with data and builds the document model.
// Structure comes only from the template's markup; values from data are appended as run text
// (sanitised: control characters replaced, line breaks kept as breaks inside the paragraph), so
// no value can open a paragraph, a table cell or inject XML.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>

#include "template/template.h"
#include "text/utf8.h"

namespace ppko::tpl {
namespace {

using data::Json;

struct Binding {
    std::string name;
    expr::Value value;
};

// Names resolve in the innermost frame first (up to a macro's barrier), then in the data layers
// in order: the first layer that has the name wins.
class RenderScope final : public expr::Scope {
public:
    explicit RenderScope(std::span<const Json* const> layers) : layers_(layers) {}

    const Json* find(std::string_view name) const override {
        for (std::size_t f = frames_.size(); f-- > 0;) {
            for (auto it = frames_[f].bindings.rbegin(); it != frames_[f].bindings.rend(); ++it) {
                if (it->name == name) return &it->value.get();
            }
            if (frames_[f].barrier) break;
        }
        for (const Json* layer : layers_) {
            auto it = layer->find(name);
            if (it != layer->end()) return &*it;
        }
        return nullptr;
    }
    // A variable of the template (not a data root): its storage may be replaced by a later
    // {% set %} in its frame, or changed (a loop's counters).
    bool transient(std::string_view name) const override {
        for (std::size_t f = frames_.size(); f-- > 0;) {
            for (auto it = frames_[f].bindings.rbegin(); it != frames_[f].bindings.rend(); ++it) {
                if (it->name == name) return it->value.owned() || it->value.transient();
            }
            if (frames_[f].barrier) break;
        }
        return false;
    }
    void names(std::vector<std::string>& out) const override {
        for (std::size_t f = frames_.size(); f-- > 0;) {
            for (const auto& b : frames_[f].bindings) out.push_back(b.name);
            if (frames_[f].barrier) break;
        }
        for (const Json* layer : layers_) {
            for (const auto& [k, v] : layer->items()) {
                if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
            }
        }
    }

    void push(bool barrier = false) { frames_.push_back(Frame{{}, barrier}); }
    void pop() { frames_.pop_back(); }
    // Binds `name` in the innermost frame (replacing its value there, if any).
    void bind(std::string name, expr::Value v) {
        auto& b = frames_.back().bindings;
        for (auto& x : b) {
            if (x.name == name) {
                x.value = std::move(v);
                return;
            }
        }
        b.push_back(Binding{std::move(name), std::move(v)});
    }

private:
    struct Frame {
        std::vector<Binding> bindings;
        bool barrier = false;  // a macro body does not see its caller's variables
    };
    std::span<const Json* const> layers_;
    std::vector<Frame> frames_;
};

// Literal template text: entities decoded, runs of whitespace collapsed by the caller.
struct Entity {
    std::string_view name;
    std::string_view text;
};
constexpr Entity kEntities[] = {{"lt", "<"},      {"gt", ">"},       {"amp", "&"},      {"quot", "\""},
                                {"apos", "'"},    {"nbsp", "\xC2\xA0"}, {"laquo", "«"},  {"raquo", "»"},
                                {"ndash", "–"},   {"mdash", "—"},    {"lbrace", "{"},   {"rbrace", "}"}};

}  // namespace

class Renderer {
public:
    Renderer(const Template& t, std::span<const Json* const> layers, std::vector<doc::Block>& out)
        : t_(t), scope_(layers), blocks_(&out) {}

    void run() {
        next_list_id_ = max_list_id(*blocks_) + 1;
        const expr::BuildMeter meter(Limits::kMaxBuiltBytes);
        scope_.push();
        render_all(t_.root_);
        close_paragraph();
    }

private:
    enum class Mode { flow, table, row, list };
    struct ListFrame {
        doc::ListRef::Kind kind;
        int list;
        int level;
        int start;
    };

    // List ids must stay unique in a document assembled from several templates (appendices).
    static int max_list_id(const std::vector<doc::Block>& blocks) {
        int m = -1;
        for (const auto& b : blocks) {
            if (const auto* p = std::get_if<doc::Paragraph>(&b.value)) {
                m = std::max(m, p->list.list);
            } else if (const auto* t = std::get_if<doc::Table>(&b.value)) {
                for (const auto& r : t->rows) {
                    for (const auto& c : r.cells) m = std::max(m, max_list_id(c.blocks));
                }
            }
        }
        return m;
    }

    // --- errors -----------------------------------------------------------------------------

    [[noreturn]] void fail(const TNode& n, ErrorId id, const std::string& msg) const {
        throw Error(id, t_.files_[static_cast<std::size_t>(n.file)], n.pos, "", msg);
    }
    [[noreturn]] void fail_attr(const TNode& n, const Attribute& a, const std::string& msg) const {
        throw Error(ErrorId::template_syntax, t_.files_[static_cast<std::size_t>(n.file)], a.pos, "", msg);
    }

    // --- paragraphs and runs ------------------------------------------------------------------

    void close_paragraph() {
        if (!para_) return;
        // Trailing literal whitespace never reaches the document.
        pending_space_ = false;
        para_ = nullptr;
    }

    doc::Paragraph& open_paragraph(doc::Role role) {
        close_paragraph();
        doc::Paragraph p;
        p.role = role;
        switch (role) {
            case doc::Role::body: break;
            case doc::Role::plain:
            case doc::Role::cell:
                p.align = doc::Align::left;
                p.first_line_indent = false;
                break;
            case doc::Role::doc_type:
            case doc::Role::title:
            case doc::Role::heading1:
            case doc::Role::heading2:
            case doc::Role::heading:
            case doc::Role::date_number:
            case doc::Role::place:
                p.align = doc::Align::center;
                p.first_line_indent = false;
                p.keep_with_next = true;
                break;
            case doc::Role::stamp:
            case doc::Role::signature:
            case doc::Role::approval:
            case doc::Role::agreement:
            case doc::Role::toc:
                p.align = doc::Align::left;
                p.first_line_indent = false;
                break;
            case doc::Role::list_item: break;
        }
        if (role == doc::Role::cell) {
            p.align = cell_align_;
        }
        blocks_->push_back(doc::Block{std::move(p)});
        para_ = &std::get<doc::Paragraph>(blocks_->back().value);
        pending_space_ = false;
        return *para_;
    }

    void ensure_paragraph(const TNode& n) {
        if (para_) return;
        if (mode_ != Mode::flow) {
            fail(n, ErrorId::template_syntax, std::string("текст здесь недопустим: внутри ") +
                                                  (mode_ == Mode::table ? "<table> допускаются только <tr>"
                                                   : mode_ == Mode::row ? "<tr> допускаются только <td> и <th>"
                                                                        : "списка допускаются только <li>"));
        }
        open_paragraph(default_role_);
    }

    struct Format {
        bool bold = false, italic = false, underline = false;
        bool operator==(const Format&) const = default;
    };
    Format current_format() const { return Format{bold_ > 0, italic_ > 0, underline_ > 0}; }

    void append_run_text(std::string_view s, Format f) {
        text_bytes_ += s.size();
        auto& runs = para_->runs;
        if (runs.empty() || Format{runs.back().bold, runs.back().italic, runs.back().underline} != f ||
            !runs.back().page_ref.empty()) {
            doc::Run r;
            r.bold = f.bold;
            r.italic = f.italic;
            r.underline = f.underline;
            runs.push_back(std::move(r));
        }
        runs.back().text.append(s);
    }

    // A space that separated literal text keeps the formatting it was written in: the space in
    // «<b>жирный</b> текст» is not bold.
    void set_pending_space() {
        pending_space_ = true;
        pending_format_ = current_format();
    }

    void append_text(std::string_view s) {
        if (s.empty()) return;
        if (pending_space_) {
            pending_space_ = false;
            if (!after_break()) append_run_text(" ", pending_format_);
        }
        append_run_text(s, current_format());
    }

    // True when the paragraph is empty or ends with a line break or tab: no space goes there.
    bool after_break() const {
        for (auto it = para_->runs.rbegin(); it != para_->runs.rend(); ++it) {
            if (!it->text.empty()) return it->text.back() == '\n' || it->text.back() == '\t';
        }
        return true;
    }

    void literal_text(const TNode& n) {
        const std::string& s = n.text;
        scratch_.clear();
        bool space = false;
        for (std::size_t i = 0; i < s.size();) {
            const char c = s[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                space = true;
                ++i;
                continue;
            }
            if (space) {
                scratch_ += ' ';
                space = false;
            }
            if (c == '&') {
                bool matched = false;
                for (const auto& e : kEntities) {
                    if (s.compare(i + 1, e.name.size(), e.name) == 0 && i + 1 + e.name.size() < s.size() &&
                        s[i + 1 + e.name.size()] == ';') {
                        scratch_ += e.text;
                        i += e.name.size() + 2;
                        matched = true;
                        break;
                    }
                }
                if (matched) continue;
            }
            scratch_ += c;
            ++i;
        }
        if (scratch_.empty() && !space) return;
        if (scratch_.empty() || scratch_ == " ") {  // whitespace only
            if (para_ && !para_->runs.empty()) set_pending_space();
            return;
        }
        ensure_paragraph(n);
        std::string_view v = scratch_;
        if (v.front() == ' ') {
            if (!para_->runs.empty()) set_pending_space();
            v.remove_prefix(1);
        }
        const bool trailing = !v.empty() && v.back() == ' ';
        if (trailing) v.remove_suffix(1);
        append_text(v);
        check_size(n);
        if (trailing || space) set_pending_space();
    }

    void output(const TNode& n) {
        const expr::Expr& e = n.exprs[0];
        expr::Value v = e.evaluate(scope_);
        const Json& j = v.get();
        if (j.is_null()) {
            const std::string shown = e.path_text().empty() ? e.text() : e.path_text();
            fail(n, ErrorId::template_empty_value,
                 "значение «" + shown + "» не заполнено; если оно может быть пустым, напишите {{ " + shown + " | default(\"\") }}");
        }
        std::string s;
        try {
            s = expr::to_text(j);
        } catch (const expr::Failure& f) {
            fail(n, f.id, "«" + e.text() + "»: " + f.message);
        }
        if (s.empty()) return;
        ensure_paragraph(n);
        scratch_.clear();
        text::append_sanitized(scratch_, s);
        append_text(scratch_);
        check_size(n);
    }

    void check_size(const TNode& n) const {
        if (text_bytes_ > Limits::kMaxTextBytes) {
            fail(n, ErrorId::limit_size, "в документе больше " + std::to_string(Limits::kMaxTextBytes >> 20) + " МБ текста");
        }
    }

    // --- statements ---------------------------------------------------------------------------

    // Runs the statements of `nodes` (if/for/set/call) and hands every other node — text,
    // {{ output }}, element — to `leaf`. The one place where control flow is interpreted, for
    // flowing content and for structural containers alike.
    // Counts one level of nesting while it lives (visit() recurses through blocks, elements and
    // macro bodies); past the limit the node being entered is reported.
    struct Level {
        int& depth;
        Level(int& d, int limit, const Renderer& r, const TNode& at, const char* what) : depth(d) {
            if (++depth > limit) {
                --depth;
                r.fail(at, ErrorId::limit_nesting, std::string(what) + std::to_string(limit));
            }
        }
        ~Level() { --depth; }
    };

    template <class Leaf>
    void visit(const TNodes& nodes, Leaf&& leaf) {
        if (nodes.empty()) return;
        const Level level(depth_, Limits::kMaxRenderDepth, *this, nodes.front(),
                          "шаблон вложен слишком глубоко при построении (блоки, элементы и макросы друг в друге): больше ");
        for (const auto& n : nodes) {
            switch (n.kind) {
                case TNode::Kind::if_: {
                    std::size_t k = 0;
                    while (k < n.exprs.size() && !expr::truthy(n.exprs[k].evaluate(scope_).get())) ++k;
                    if (k < n.branches.size()) visit(n.branches[k], leaf);
                    break;
                }
                case TNode::Kind::for_: loop(n, leaf); break;
                case TNode::Kind::set: {
                    // Kept beyond this evaluation, so never a reference into another variable's
                    // storage, which a later {% set %} or loop step may free or change.
                    expr::Value v = n.exprs[0].evaluate(scope_);
                    if (v.transient()) v = expr::Value::own(v.get());
                    scope_.bind(n.text, std::move(v));
                    break;
                }
                case TNode::Kind::call: {
                    const Level calls(call_depth_, Limits::kMaxCallDepth, *this, n,
                                      ("макрос «" + n.text + "» вызывается внутри вызовов макросов слишком глубоко (вызывает сам себя?): больше ").c_str());
                    const Macro& m = t_.macros_.find(n.text)->second;
                    std::vector<expr::Value> args;
                    args.reserve(n.exprs.size());
                    for (const auto& e : n.exprs) args.push_back(e.evaluate(scope_));
                    scope_.push(true);
                    for (std::size_t i = 0; i < m.params.size(); ++i) scope_.bind(m.params[i], std::move(args[i]));
                    visit(m.body, leaf);
                    scope_.pop();
                    break;
                }
                default: leaf(n);
            }
        }
    }

    template <class Leaf>
    void loop(const TNode& n, Leaf& leaf) {
        expr::Value seq = n.exprs[0].evaluate(scope_);
        const Json& arr = seq.get();
        if (!arr.is_null() && !arr.is_array()) {
            fail(n, ErrorId::expr_type, "{% for %} перебирает список, а «" + n.exprs[0].text() + "» — это " + expr::describe(arr));
        }
        if (arr.is_null() || arr.empty()) {
            if (n.branches.size() > 1) visit(n.branches[1], leaf);
            return;
        }
        scope_.push();
        const std::size_t count = arr.size();
        // loop.index … are updated in place (a transient reference: {% set %} copies what it
        // reads from them); the item is a reference into the sequence, which `seq` keeps alive
        // for as long as the loop's frame lives.
        Json info = Json{{"index", 0}, {"index0", 0}, {"first", true}, {"last", false}, {"length", count}};
        scope_.bind("loop", expr::Value::transient_ref(info));
        for (std::size_t i = 0; i < count; ++i) {
            if (++iterations_ > Limits::kMaxLoopIterations) {
                fail(n, ErrorId::limit_size, "циклы {% for %} документа повторились больше " + std::to_string(Limits::kMaxLoopIterations) +
                                                 " раз (вложенные циклы перемножают повторения)");
            }
            info["index"] = i + 1;
            info["index0"] = i;
            info["first"] = i == 0;
            info["last"] = i + 1 == count;
            scope_.bind(n.text, expr::Value::ref(arr[i]));
            visit(n.branches[0], leaf);
        }
        scope_.pop();
    }

    // Flowing content: paragraphs, inline text and values.
    void render_all(const TNodes& nodes) {
        visit(nodes, [this](const TNode& n) {
            switch (n.kind) {
                case TNode::Kind::text: literal_text(n); break;
                case TNode::Kind::output: output(n); break;
                default: element(n);
            }
        });
    }

    // Structural containers (table, tr, list, signature): only elements; whitespace is ignored.
    template <class F>
    void walk_structure(const TNodes& nodes, F&& on_element) {
        visit(nodes, [&](const TNode& c) {
            if (c.kind == TNode::Kind::text) {
                if (c.text.find_first_not_of(" \t\r\n") != std::string::npos) {
                    fail(c, ErrorId::template_syntax, "здесь допустимы только вложенные элементы, а не текст");
                }
            } else if (c.kind == TNode::Kind::output) {
                fail(c, ErrorId::template_syntax, "здесь допустимы только вложенные элементы, а не {{ … }}");
            } else {
                on_element(c);
            }
        });
    }

    // --- elements -----------------------------------------------------------------------------

    static bool attr_flag(const TNode& n, std::string_view name) {
        const Attribute* a = n.attr(name);
        return a && a->value != "false";
    }

    doc::Align parse_align(const TNode& n, doc::Align fallback) const {
        const Attribute* a = n.attr("align");
        if (!a) return fallback;
        if (a->value == "left") return doc::Align::left;
        if (a->value == "center") return doc::Align::center;
        if (a->value == "right") return doc::Align::right;
        if (a->value == "justify") return doc::Align::justify;
        fail_attr(n, *a, "align: ожидалось left, center, right или justify, а указано «" + a->value + "»");
    }

    // An integer attribute in its range (int_attribute: the compiler has checked it already).
    int parse_int(const TNode& n, std::string_view name, int fallback) const {
        const Attribute* a = n.attr(name);
        if (!a) return fallback;
        const IntAttribute* spec = int_attribute(n.text, name);
        int v = 0;
        auto [p, ec] = std::from_chars(a->value.data(), a->value.data() + a->value.size(), v);
        if (!spec || ec != std::errc() || p != a->value.data() + a->value.size() || v < spec->min || v > spec->max) {
            fail_attr(n, *a, std::string(name) + ": ожидалось целое число" +
                                 (spec ? " от " + std::to_string(spec->min) + " до " + std::to_string(spec->max) : std::string()) + ", а указано «" +
                                 a->value + "»");
        }
        return v;
    }

    void inline_children(const TNode& n) { render_all(n.branches[0]); }

    // The text of an attribute: fixed, or its {{ expression }} evaluated (sanitised like values).
    std::string attr_text(const TNode& n, const Attribute& a) {
        if (!a.dynamic) return a.value;
        const expr::Value v = a.dynamic->evaluate(scope_);
        std::string out;
        try {
            text::append_sanitized(out, v->is_null() ? std::string() : expr::to_text(v.get()));
        } catch (const expr::Failure& f) {
            fail(n, f.id, "«" + a.name + "»: " + f.message);
        }
        return out;
    }

    void paragraph_element(const TNode& n, doc::Role role) {
        if (mode_ != Mode::flow) fail(n, ErrorId::template_syntax, "<" + n.text + "> здесь недопустим");
        const Mode saved_mode = mode_;
        if (const Attribute* a = n.attr("role")) {
            static const std::pair<std::string_view, doc::Role> roles[] = {
                {"body", doc::Role::body},         {"plain", doc::Role::plain},       {"title", doc::Role::title},
                {"doc_type", doc::Role::doc_type}, {"heading1", doc::Role::heading1}, {"heading2", doc::Role::heading2},
                {"stamp", doc::Role::stamp},       {"heading", doc::Role::heading},   {"date_number", doc::Role::date_number},
                {"place", doc::Role::place},       {"approval", doc::Role::approval}, {"agreement", doc::Role::agreement},
                {"toc", doc::Role::toc}};
            auto it = std::find_if(std::begin(roles), std::end(roles), [&](auto& r) { return r.first == a->value; });
            if (it == std::end(roles)) {
                fail_attr(n, *a, "role: ожидалось body, plain, title, doc_type, heading1, heading2, stamp, heading, date_number, place, approval, agreement или toc");
            }
            role = it->second;
        }
        doc::Paragraph& p = open_paragraph(role);  // the role's defaults first, then the attributes
        p.align = parse_align(n, p.align);
        if (const Attribute* a = n.attr("indent")) {
            if (a->value != "none" && a->value != "first") fail_attr(n, *a, "indent: ожидалось none или first");
            p.first_line_indent = a->value == "first";
        }
        p.indent_left_mm = parse_int(n, "left", 0);
        if (attr_flag(n, "keep")) p.keep_with_next = true;
        if (const Attribute* a = n.attr("bookmark")) p.bookmark = a->value;
        const bool b = attr_flag(n, "bold"), it = attr_flag(n, "italic");
        bold_ += b;
        italic_ += it;
        inline_children(n);
        bold_ -= b;
        italic_ -= it;
        close_paragraph();
        mode_ = saved_mode;
    }

    void element(const TNode& n) {
        const std::string& tag = n.text;
        if (tag == "p") return paragraph_element(n, default_role_ == doc::Role::cell ? doc::Role::cell : doc::Role::body);
        if (tag == "h1") return paragraph_element(n, doc::Role::heading1);
        if (tag == "h2") return paragraph_element(n, doc::Role::heading2);
        if (tag == "doctype") return paragraph_element(n, doc::Role::doc_type);
        if (tag == "doctitle") return paragraph_element(n, doc::Role::title);
        if (tag == "stamp") return paragraph_element(n, doc::Role::stamp);
        if (tag == "b" || tag == "i" || tag == "u") {
            int& counter = tag == "b" ? bold_ : tag == "i" ? italic_ : underline_;
            ++counter;
            inline_children(n);
            --counter;
            return;
        }
        if (tag == "br" || tag == "tab") {
            ensure_paragraph(n);
            pending_space_ = false;  // no space before a break
            append_text(tag == "br" ? "\n" : "\t");
            return;
        }
        if (tag == "pageref") {
            // The page number of the paragraph with bookmark `to`, filled in by doc::paginate.
            const Attribute* to = n.attr("to");
            if (!to || to->value.empty()) fail(n, ErrorId::template_syntax, "<pageref/>: укажите закладку абзаца: <pageref to=\"имя\"/>");
            ensure_paragraph(n);
            if (pending_space_) {
                pending_space_ = false;
                if (!after_break()) append_run_text(" ", pending_format_);
            }
            doc::Run r;
            r.text = "?";
            r.page_ref = to->value;
            r.bold = bold_ > 0, r.italic = italic_ > 0, r.underline = underline_ > 0;
            para_->runs.push_back(std::move(r));
            return;
        }
        if (tag == "pagebreak") {
            if (mode_ != Mode::flow) fail(n, ErrorId::template_syntax, "<pagebreak/> здесь недопустим");
            close_paragraph();
            blocks_->push_back(doc::Block{doc::PageBreak{}});
            return;
        }
        if (tag == "table") return table(n);
        if (tag == "tr") return row(n);
        if (tag == "td" || tag == "th") return cell(n);
        if (tag == "ol" || tag == "ul") return list(n);
        if (tag == "li") return list_item(n);
        if (tag == "signature") return signature(n);
        if (tag == "line" || tag == "name") fail(n, ErrorId::template_syntax, "<" + tag + "> допустим только внутри <signature>");
        fail(n, ErrorId::internal, "элемент <" + tag + "> не поддержан отрисовщиком");
    }

    // Renders the children of `n` into a detached paragraph and returns its plain text.
    std::string capture_text(const TNode& n) {
        std::vector<doc::Block> tmp;
        auto* saved_blocks = blocks_;
        auto* saved_para = para_;
        const Mode saved_mode = mode_;
        const doc::Role saved_role = default_role_;
        blocks_ = &tmp;
        para_ = nullptr;
        mode_ = Mode::flow;
        default_role_ = doc::Role::plain;
        inline_children(n);
        close_paragraph();
        blocks_ = saved_blocks;
        para_ = saved_para;
        mode_ = saved_mode;
        default_role_ = saved_role;
        std::string out;
        for (const auto& b : tmp) {
            if (const auto* p = std::get_if<doc::Paragraph>(&b.value)) {
                if (!out.empty()) out += '\n';
                for (const auto& r : p->runs) out += r.text;
            } else {
                fail(n, ErrorId::template_syntax, "внутри <" + n.text + "> допустим только текст");
            }
        }
        return out;
    }

    void signature(const TNode& n) {
        if (mode_ != Mode::flow) fail(n, ErrorId::template_syntax, "<signature> здесь недопустим");
        close_paragraph();
        doc::Signature sig;
        walk_structure(n.branches[0], [&](const TNode& c) {
            if (c.kind == TNode::Kind::element && c.text == "line") {
                sig.position_lines.push_back(capture_text(c));
            } else if (c.kind == TNode::Kind::element && c.text == "name") {
                sig.name = capture_text(c);
            } else {
                fail(c, ErrorId::template_syntax, "внутри <signature> допускаются только <line> (строки должности) и <name>");
            }
        });
        blocks_->push_back(doc::Block{std::move(sig)});
    }

    // Calls fn(parsed, value) for each comma-separated item of `list` (spaces around items
    // ignored); `parsed` is false for an empty item or one that is not a whole number of type T.
    template <class T, class Fn>
    static void for_each_number(std::string_view list, Fn&& fn) {
        for (;;) {
            const auto comma = list.find(',');
            std::string_view part = list.substr(0, comma);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
            T value{};
            const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
            fn(!part.empty() && ec == std::errc() && p == part.data() + part.size(), value);
            if (comma == std::string_view::npos) return;
            list.remove_prefix(comma + 1);
        }
    }

    void table(const TNode& n) {
        if (mode_ != Mode::flow) fail(n, ErrorId::template_syntax, "<table> здесь недопустим");
        close_paragraph();
        doc::Table t;
        if (const Attribute* a = n.attr("widths")) {
            if (!a->value.empty()) for_each_number<double>(a->value, [&](bool ok, double w) {
                if (!ok || !std::isfinite(w) || w <= 0 || w > kMaxRelativeWidth ||
                    t.widths.size() >= static_cast<std::size_t>(Limits::kMaxColumns)) {
                    fail_attr(n, *a, "widths: ожидались положительные числа через запятую, например \"1,6,2,3\"");
                }
                t.widths.push_back(w);
            });
        }
        if (const Attribute* a = n.attr("borders")) t.borders = a->value != "none";
        if (const Attribute* a = n.attr("sheet")) t.sheet_name = attr_text(n, *a);
        if (const Attribute* a = n.attr("caption")) t.caption = attr_text(n, *a);
        blocks_->push_back(doc::Block{std::move(t)});
        doc::Table* saved_table = table_;
        table_ = &std::get<doc::Table>(blocks_->back().value);
        const Mode saved_mode = mode_;
        mode_ = Mode::table;
        walk_structure(n.branches[0], [&](const TNode& c) {
            if (c.text != "tr") fail(c, ErrorId::template_syntax, "внутри <table> допускаются только <tr>, а не <" + c.text + ">");
            row(c);
        });
        normalise_table(n, *table_);
        table_chart(n, *table_);
        mode_ = saved_mode;
        table_ = saved_table;
    }

    // chart="column|line" with chart_values="2,5" (required), chart_categories="1" (default 1)
    // and chart_title: a chart per table; chart_values="5;6" makes one chart per group (values
    // of different kinds — counts, percentages — never share an axis), chart_title="A;B" their
    // titles in the same order. Column numbers count from 1, as a methodologist
    // counts them, and must lie inside the table (its column count is known only here, after
    // normalise_table). The chart_* attributes without chart are an error, not ignored.
    void table_chart(const TNode& n, doc::Table& t) const {
        const Attribute* kind = n.attr("chart");
        if (!kind) {
            for (const char* name : {"chart_title", "chart_categories", "chart_values"}) {
                if (const Attribute* a = n.attr(name)) {
                    fail_attr(n, *a, std::string(name) + ": без атрибута chart диаграмма не строится; добавьте chart=\"column\" или chart=\"line\"");
                }
            }
            return;
        }
        doc::Chart chart;
        if (kind->value == "column") {
            chart.kind = doc::Chart::Kind::column;
        } else if (kind->value == "line") {
            chart.kind = doc::Chart::Kind::line;
        } else {
            fail_attr(n, *kind, "chart: ожидалось column (столбцы) или line (линии), а указано «" + kind->value + "»");
        }
        const int columns = static_cast<int>(t.widths.size());
        auto check_column = [&](const Attribute& a, int column) {
            if (column > columns) {
                fail_attr(n, a, a.name + ": в таблице " + std::to_string(columns) + " столбц., а указан столбец " + std::to_string(column));
            }
        };
        chart.categories_column = parse_int(n, "chart_categories", 1);
        if (const Attribute* a = n.attr("chart_categories")) check_column(*a, chart.categories_column);
        --chart.categories_column;
        const Attribute* values = n.attr("chart_values");
        if (!values) fail_attr(n, *kind, "chart: укажите столбцы с данными в chart_values, например chart_values=\"2,5\"");
        const Attribute* title = n.attr("chart_title");
        std::string_view titles = title ? std::string_view(title->value) : std::string_view();
        std::string_view groups = values->value;
        for (;;) {
            const auto semicolon = groups.find(';');
            std::string_view v = groups.substr(0, semicolon);
            doc::Chart c = chart;
            for_each_number<int>(v, [&](bool ok, int column) {
                if (!ok || column < 1) {
                    fail_attr(n, *values, "chart_values: ожидались номера столбцов через запятую (считая с 1), диаграммы — через «;», например \"2,5\" или \"5;6\", а указано «" +
                                              values->value + "»");
                }
                check_column(*values, column);
                c.value_columns.push_back(column - 1);
            });
            const auto title_end = titles.find(';');
            c.title = std::string(titles.substr(0, title_end));
            titles = title_end == std::string_view::npos ? std::string_view() : titles.substr(title_end + 1);
            t.charts.push_back(std::move(c));
            if (semicolon == std::string_view::npos) break;
            groups.remove_prefix(semicolon + 1);
        }
    }

    void row(const TNode& n) {
        if (mode_ != Mode::table) fail(n, ErrorId::template_syntax, "<tr> допустим только внутри <table>");
        table_->rows.emplace_back();
        doc::Row* saved_row = row_;
        row_ = &table_->rows.back();
        row_->header = attr_flag(n, "header");
        mode_ = Mode::row;
        walk_structure(n.branches[0], [&](const TNode& c) {
            if (c.text != "td" && c.text != "th") fail(c, ErrorId::template_syntax, "внутри <tr> допускаются только <td> и <th>, а не <" + c.text + ">");
            cell(c);
        });
        mode_ = Mode::table;
        row_ = saved_row;
    }

    void cell(const TNode& n) {
        if (mode_ != Mode::row) fail(n, ErrorId::template_syntax, "<" + n.text + "> допустим только внутри <tr>");
        doc::Cell c;
        const bool th = n.text == "th";
        c.col_span = parse_int(n, "colspan", 1);
        c.row_span = parse_int(n, "rowspan", 1);
        c.align = parse_align(n, th ? doc::Align::center : doc::Align::left);
        c.bold = th || attr_flag(n, "bold");
        row_->cells.push_back(std::move(c));
        doc::Cell& cell = row_->cells.back();

        auto* saved_blocks = blocks_;
        const doc::Role saved_role = default_role_;
        const doc::Align saved_align = cell_align_;
        blocks_ = &cell.blocks;
        default_role_ = doc::Role::cell;
        cell_align_ = cell.align;
        mode_ = Mode::flow;
        bold_ += cell.bold;
        inline_children(n);
        bold_ -= cell.bold;
        close_paragraph();
        mode_ = Mode::row;
        blocks_ = saved_blocks;
        default_role_ = saved_role;
        cell_align_ = saved_align;
    }

    // Grid bookkeeping: a cell spanning rows gets placeholder cells (merged_below) in the rows it
    // covers; every cell gets at least one paragraph; the column count is checked.
    void normalise_table(const TNode& n, doc::Table& t) {
        std::vector<int> pending(0);  // remaining rows covered per grid column
        std::vector<int> pending_span;
        std::size_t columns = t.widths.size();
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            auto& cells = t.rows[r].cells;
            std::vector<doc::Cell> out;
            std::size_t col = 0, k = 0;
            auto fill_pending = [&] {
                while (col < pending.size() && pending[col] > 0) {
                    doc::Cell ph;
                    ph.merged_below = true;
                    ph.col_span = pending_span[col];
                    --pending[col];
                    out.push_back(std::move(ph));
                    col += static_cast<std::size_t>(pending_span[col]);
                }
            };
            fill_pending();
            for (; k < cells.size(); ++k) {
                doc::Cell c = std::move(cells[k]);
                if (c.row_span > 1) {
                    if (pending.size() < col + 1) pending.resize(col + 1, 0), pending_span.resize(col + 1, 1);
                    pending[col] = c.row_span - 1;
                    pending_span[col] = c.col_span;
                }
                col += static_cast<std::size_t>(c.col_span);
                out.push_back(std::move(c));
                fill_pending();
            }
            cells = std::move(out);
            if (col > static_cast<std::size_t>(Limits::kMaxColumns)) {
                fail(n, ErrorId::limit_size, "в строке " + std::to_string(r + 1) + " таблицы " + std::to_string(col) + " столбц., а Word допускает не больше " +
                                                 std::to_string(Limits::kMaxColumns));
            }
            if (columns == 0) columns = col;
            if (col != columns) {
                fail(n, ErrorId::template_syntax, "в строке " + std::to_string(r + 1) + " таблицы " + std::to_string(col) +
                                                      " столбц., а ожидалось " + std::to_string(columns) +
                                                      " (по атрибуту widths или первой строке)");
            }
        }
        if (t.widths.empty()) t.widths.assign(columns, 1.0);
        for (auto& row : t.rows) {
            for (auto& c : row.cells) {
                if (c.blocks.empty()) {
                    doc::Paragraph p;
                    p.role = doc::Role::cell;
                    p.align = c.align;
                    p.first_line_indent = false;
                    c.blocks.push_back(doc::Block{std::move(p)});
                }
            }
        }
    }

    void list(const TNode& n) {
        if (mode_ != Mode::flow && mode_ != Mode::list) fail(n, ErrorId::template_syntax, "<" + n.text + "> здесь недопустим");
        close_paragraph();
        const auto kind = n.text == "ol" ? doc::ListRef::Kind::numbered : doc::ListRef::Kind::bulleted;
        ListFrame f;
        f.kind = kind;
        f.start = parse_int(n, "start", 1);
        if (!lists_.empty() && lists_.back().kind == kind) {
            f.list = lists_.back().list;  // a nested list of the same kind continues the numbering levels
            f.level = std::min(lists_.back().level + 1, 2);
        } else {
            f.list = next_list_id_++;
            f.level = 0;
        }
        lists_.push_back(f);
        const Mode saved_mode = mode_;
        mode_ = Mode::list;
        // A nested list does not inherit the formatting of the item it is in (<li bold> makes
        // the item's own line bold, not its sub-items).
        const int saved_bold = bold_, saved_italic = italic_, saved_underline = underline_;
        bold_ = italic_ = underline_ = 0;
        walk_structure(n.branches[0], [&](const TNode& c) {
            if (c.text != "li") fail(c, ErrorId::template_syntax, "внутри <" + n.text + "> допускаются только <li>, а не <" + c.text + ">");
            list_item(c);
        });
        bold_ = saved_bold, italic_ = saved_italic, underline_ = saved_underline;
        mode_ = saved_mode;
        lists_.pop_back();
    }

    void list_item(const TNode& n) {
        if (mode_ != Mode::list || lists_.empty()) fail(n, ErrorId::template_syntax, "<li> допустим только внутри <ol> или <ul>");
        const ListFrame& f = lists_.back();
        // role="heading1|heading2": a numbered heading («1. Общие положения») — the heading's
        // style (bold, centred, spaced, kept with the next paragraph) with the list's number.
        doc::Role role = doc::Role::list_item;
        if (const Attribute* a = n.attr("role")) {
            if (a->value == "heading1") role = doc::Role::heading1;
            else if (a->value == "heading2") role = doc::Role::heading2;
            else fail_attr(n, *a, "role: у <li> бывает heading1 или heading2 (пункт списка — заголовок)");
        }
        doc::Paragraph& p = open_paragraph(role);
        p.list.kind = f.kind;
        p.list.list = f.list;
        p.list.level = f.level;
        p.list.start = f.start;
        p.align = parse_align(n, p.align);
        if (attr_flag(n, "keep")) p.keep_with_next = true;
        if (const Attribute* a = n.attr("indent")) p.first_line_indent = a->value != "none";
        const bool b = attr_flag(n, "bold");
        bold_ += b;
        // Inline content forms the item's paragraph; nested lists and paragraphs follow it.
        mode_ = Mode::flow;
        const doc::Role saved_role = default_role_;
        default_role_ = doc::Role::body;
        render_all(n.branches[0]);
        default_role_ = saved_role;
        bold_ -= b;
        close_paragraph();
        mode_ = Mode::list;
    }

    const Template& t_;
    RenderScope scope_;
    std::vector<doc::Block>* blocks_;
    doc::Paragraph* para_ = nullptr;
    bool pending_space_ = false;
    Format pending_format_;
    int bold_ = 0, italic_ = 0, underline_ = 0;
    Mode mode_ = Mode::flow;
    doc::Role default_role_ = doc::Role::body;
    doc::Align cell_align_ = doc::Align::left;
    doc::Table* table_ = nullptr;
    doc::Row* row_ = nullptr;
    std::vector<ListFrame> lists_;
    int next_list_id_ = 0;
    std::string scratch_;
    // Limits (node.h, Limits): nesting while rendering, macro calls inside calls, loop iterations
    // and bytes of text in the document so far.
    int depth_ = 0;
    int call_depth_ = 0;
    std::uint64_t iterations_ = 0;
    std::uint64_t text_bytes_ = 0;
};

void Environment::render(const Template& t, std::span<const Json* const> layers, std::vector<doc::Block>& out) const {
    Renderer(t, layers, out).run();
}

void Environment::render(const Template& t, const Json& context, std::vector<doc::Block>& out) const {
    const Json* const layers[] = {&context};
    Renderer(t, std::span<const Json* const>(layers), out).run();
}

}  // namespace ppko::tpl
