#include "template/lexer.h"

#include "text/utf8.h"

namespace ppko::tpl {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

class Lexer {
public:
    Lexer(std::string_view s, const std::string& file) : s_(s), file_(file) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        std::size_t text_start = 0;
        Position text_pos = pos();
        auto flush_text = [&] {
            if (i_ > text_start) out.push_back(Token{Token::Kind::text, text_pos, s_.substr(text_start, i_ - text_start), text_pos, {}});
        };
        while (i_ < s_.size()) {
            if (starts("{{") || starts("{%") || starts("{#") || tag_starts()) {
                flush_text();
                if (starts("{#")) {
                    skip_comment();
                } else if (starts("{{")) {
                    out.push_back(braced("}}", Token::Kind::output, "{{", "}}"));
                } else if (starts("{%")) {
                    out.push_back(braced("%}", Token::Kind::statement, "{%", "%}"));
                } else {
                    out.push_back(tag());
                }
                text_start = i_;
                text_pos = pos();
                continue;
            }
            bump();
        }
        flush_text();
        return out;
    }

private:
    Position pos() const { return {line_, col_}; }
    bool starts(std::string_view t) const { return s_.substr(i_, t.size()) == t; }
    bool tag_starts() const {
        if (s_[i_] != '<' || i_ + 1 >= s_.size()) return false;
        const char c = s_[i_ + 1];
        return (c >= 'a' && c <= 'z') || c == '/';
    }
    void bump() { text::step(s_, i_, line_, col_); }
    void bump_n(std::size_t n) {
        for (std::size_t k = 0; k < n; ++k) bump();
    }
    [[noreturn]] void fail(ErrorId id, Position p, const std::string& msg) const { throw Error(id, file_, p, "", msg); }

    void skip_comment() {
        const Position start = pos();
        bump_n(2);
        while (i_ < s_.size() && !starts("#}")) bump();
        if (i_ >= s_.size()) fail(ErrorId::template_unclosed, start, "комментарий {# не закрыт: не хватает #}");
        bump_n(2);
    }

    Token braced(std::string_view close, Token::Kind kind, const char* open_text, const char* close_text) {
        Token t;
        t.kind = kind;
        t.pos = pos();
        bump_n(2);
        const std::size_t b = i_;
        t.body_pos = pos();
        while (i_ < s_.size() && !starts(close)) {
            if (starts("{{") || starts("{%")) {
                fail(ErrorId::template_unclosed, t.pos,
                     std::string(open_text) + " не закрыт: не хватает " + close_text + " до следующего " + std::string(s_.substr(i_, 2)));
            }
            bump();
        }
        if (i_ >= s_.size()) fail(ErrorId::template_unclosed, t.pos, std::string(open_text) + " не закрыт: не хватает " + close_text);
        t.body = s_.substr(b, i_ - b);
        bump_n(2);
        return t;
    }

    void skip_spaces() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) bump();
    }

    Token tag() {
        Token t;
        t.pos = pos();
        bump();  // <
        bool closing = false;
        if (s_[i_] == '/') {
            closing = true;
            bump();
        }
        const std::size_t b = i_;
        t.body_pos = pos();
        while (i_ < s_.size() && is_name_char(s_[i_])) bump();
        t.body = s_.substr(b, i_ - b);
        if (t.body.empty()) fail(ErrorId::template_syntax, t.pos, "после «<» ожидалось имя элемента");
        t.kind = closing ? Token::Kind::close_tag : Token::Kind::open_tag;
        for (;;) {
            skip_spaces();
            if (i_ >= s_.size()) fail(ErrorId::template_unclosed, t.pos, "элемент <" + std::string(t.body) + " не закрыт: не хватает «>»");
            if (s_[i_] == '>') {
                bump();
                return t;
            }
            if (starts("/>") && !closing) {
                bump_n(2);
                t.kind = Token::Kind::empty_tag;
                return t;
            }
            if (closing) fail(ErrorId::template_syntax, pos(), "в закрывающем элементе </" + std::string(t.body) + "> не бывает атрибутов");
            Attribute a;
            a.pos = pos();
            const std::size_t nb = i_;
            while (i_ < s_.size() && is_name_char(s_[i_])) bump();
            a.name = std::string(s_.substr(nb, i_ - nb));
            if (a.name.empty()) {
                std::size_t j = i_;
                text::decode(s_, j);
                fail(ErrorId::template_syntax, pos(), "в элементе <" + std::string(t.body) + "> ожидалось имя атрибута, а встретилось «" +
                                                          std::string(s_.substr(i_, j - i_)) + "»");
            }
            skip_spaces();
            if (i_ < s_.size() && s_[i_] == '=') {
                bump();
                skip_spaces();
                if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) {
                    fail(ErrorId::template_syntax, pos(), "значение атрибута «" + a.name + "» пишется в кавычках");
                }
                const char q = s_[i_];
                const Position qpos = pos();
                bump();
                const std::size_t vb = i_;
                while (i_ < s_.size() && s_[i_] != q) bump();
                if (i_ >= s_.size()) fail(ErrorId::template_unclosed, qpos, "значение атрибута «" + a.name + "» не закрыто кавычкой");
                a.value = std::string(s_.substr(vb, i_ - vb));
                bump();
            } else {
                a.value = "true";
            }
            t.attrs.push_back(std::move(a));
        }
    }

    std::string_view s_;
    const std::string& file_;
    std::size_t i_ = 0;
    int line_ = 1, col_ = 1;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source, const std::string& file) {
    // Templates are UTF-8 (their literals reach documents and messages as they are).
    if (std::size_t bad = 0; !text::is_valid_utf8(source, &bad)) {
        Position p{1, 1};
        for (std::size_t i = 0; i < bad;) text::step(source, i, p.line, p.column);
        throw Error(ErrorId::json_encoding, file, p, "", "шаблон не в кодировке UTF-8 (неверный байт); сохраните его как UTF-8");
    }
    return Lexer(source, file).run();
}

}  // namespace ppko::tpl
