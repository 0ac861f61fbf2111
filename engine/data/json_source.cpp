#include "data/json_source.h"

#include <charconv>
#include <cstdint>

#include "text/utf8.h"

namespace ppko::data {
namespace {

bool is_identifier(std::string_view key) {
    if (key.empty()) return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

// Describes the character at the cursor for error messages: «x», «конец файла».
std::string describe_char(std::string_view s, std::size_t i) {
    if (i >= s.size()) return "конец файла";
    std::size_t j = i;
    const char32_t cp = text::decode(s, j);
    if (cp == '\n') return "конец строки";
    if (cp < 0x20) return "управляющий символ";
    return "«" + std::string(s.substr(i, j - i)) + "»";
}

class Parser {
public:
    Parser(std::string_view text, JsonDocument& doc) : s_(text), doc_(doc) {}

    void parse() {
        skip_bom();
        skip_ws();
        parse_value("$", doc_.value, 0);
        skip_ws();
        if (i_ < s_.size()) fail("после конца данных JSON идёт лишний текст: " + describe_char(s_, i_));
    }

private:
    static constexpr int kMaxDepth = 256;

    [[noreturn]] void fail(std::string message) const { fail_at(pos(), std::move(message)); }
    [[noreturn]] void fail_at(Position p, std::string message) const {
        throw Error(ErrorId::json_syntax, doc_.file, p, "", "ошибка в записи JSON: " + std::move(message));
    }

    Position pos() const { return Position{line_, column_}; }

    void advance_char() { text::step(s_, i_, line_, column_); }

    void skip_bom() {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    }

    void skip_ws() {
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance_char();
            } else {
                break;
            }
        }
    }

    void expect(char c, const char* what) {
        if (i_ >= s_.size() || s_[i_] != c) fail(std::string("ожидалось ") + what + ", а встретилось " + describe_char(s_, i_));
        advance_char();
    }

    void parse_value(const std::string& path, Json& out, int depth) {
        if (depth > kMaxDepth) fail("слишком глубокая вложенность");
        doc_.positions[path] = pos();
        if (i_ >= s_.size()) fail("ожидалось значение, а файл закончился");
        switch (s_[i_]) {
            case '{': parse_object(path, out, depth); return;
            case '[': parse_array(path, out, depth); return;
            case '"': {
                std::string str;
                parse_string(str);
                out = std::move(str);
                return;
            }
            case 't': parse_literal("true"), out = true; return;
            case 'f': parse_literal("false"), out = false; return;
            case 'n': parse_literal("null"), out = nullptr; return;
            default:
                if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) {
                    parse_number(out);
                    return;
                }
                if (s_[i_] == '\'') fail("строки в JSON пишутся в двойных кавычках \"…\", а не в одинарных");
                fail("ожидалось значение (текст в кавычках, число, true, false, null, [ или {), а встретилось " +
                     describe_char(s_, i_));
        }
    }

    void parse_literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) {
            fail("ожидалось значение (текст в кавычках, число, true, false, null, [ или {), а встретилось " +
                 describe_char(s_, i_));
        }
        for (std::size_t k = 0; k < word.size(); ++k) advance_char();
    }

    void parse_number(Json& out) {
        const std::size_t start = i_;
        const Position at = pos();
        if (s_[i_] == '-') ++i_;
        auto digits = [&] {
            const std::size_t b = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ - b;
        };
        const std::size_t int_start = i_;
        if (digits() == 0) fail_at(at, "после «-» ожидалась цифра");
        if (s_[int_start] == '0' && i_ - int_start > 1) fail_at(at, "число не может начинаться с нуля");
        bool is_float = false;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            is_float = true;
            if (digits() == 0) fail_at(at, "после десятичной точки ожидалась цифра");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            is_float = true;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (digits() == 0) fail_at(at, "в показателе степени ожидалась цифра");
        }
        column_ += static_cast<int>(i_ - start);
        const char* b = s_.data() + start;
        const char* e = s_.data() + i_;
        if (!is_float) {
            std::int64_t v = 0;
            if (std::from_chars(b, e, v).ec == std::errc()) {
                out = v;
                return;
            }
        }
        double d = 0;
        if (std::from_chars(b, e, d).ec != std::errc()) fail_at(at, "число вне допустимого диапазона");
        out = d;
    }

    unsigned read_hex4() {
        if (i_ + 4 > s_.size()) fail("после \\u ожидались четыре шестнадцатеричные цифры");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else fail("после \\u ожидались четыре шестнадцатеричные цифры");
            ++i_;
            ++column_;
        }
        return v;
    }

    void parse_string(std::string& out) {
        const Position start = pos();
        advance_char();  // opening quote
        for (;;) {
            if (i_ >= s_.size()) fail_at(start, "текст в кавычках не закрыт: не хватает закрывающей \"");
            const char c = s_[i_];
            if (c == '"') {
                advance_char();
                return;
            }
            if (c == '\n') fail_at(start, "текст в кавычках не закрыт до конца строки: не хватает закрывающей \"");
            if (static_cast<unsigned char>(c) < 0x20) fail("управляющий символ внутри текста; табуляцию пишите как \\t");
            if (c == '\\') {
                advance_char();
                if (i_ >= s_.size()) fail_at(start, "текст в кавычках не закрыт");
                const char e = s_[i_];
                advance_char();
                switch (e) {
                    case '"': out += '"'; break;
                    case '\\': out += '\\'; break;
                    case '/': out += '/'; break;
                    case 'b': out += '\b'; break;
                    case 'f': out += '\f'; break;
                    case 'n': out += '\n'; break;
                    case 'r': out += '\r'; break;
                    case 't': out += '\t'; break;
                    case 'u': {
                        char32_t cp = read_hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            if (s_.substr(i_, 2) != "\\u") fail("после старшей половины суррогатной пары \\uD8xx ожидалась младшая");
                            i_ += 2;
                            column_ += 2;
                            const char32_t lo = read_hex4();
                            if (lo < 0xDC00 || lo > 0xDFFF) fail("неверная суррогатная пара в \\u");
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            fail("одинокая младшая половина суррогатной пары в \\u");
                        }
                        text::append_utf8(out, cp);
                        break;
                    }
                    default:
                        fail("неизвестная escape-последовательность «\\" + std::string(1, e) +
                             "»; обратную косую черту пишите как \\\\");
                }
                continue;
            }
            const std::size_t b = i_;
            if (text::decode(s_, i_) == text::kReplacement && i_ == b + 1) {
                throw Error(ErrorId::json_encoding, doc_.file, pos(), "",
                            "файл не в кодировке UTF-8 (неверный байт); сохраните его как UTF-8");
            }
            out.append(s_.data() + b, i_ - b);
            ++column_;
        }
    }

    void parse_object(const std::string& path, Json& out, int depth) {
        out = Json::object();
        advance_char();  // {
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') {
            advance_char();
            return;
        }
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"') {
                if (i_ < s_.size() && s_[i_] == '}') fail("лишняя запятая перед «}»");
                fail("ожидалось имя поля в двойных кавычках, а встретилось " + describe_char(s_, i_));
            }
            const Position key_pos = pos();
            std::string key;
            parse_string(key);
            const std::string child = path_member(path, key);
            if (out.contains(key)) fail_at(key_pos, "поле «" + key + "» встречается в этом объекте дважды");
            doc_.positions[child + "#key"] = key_pos;
            skip_ws();
            expect(':', "«:» после имени поля");
            skip_ws();
            parse_value(child, out[key], depth + 1);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                advance_char();
                continue;
            }
            if (i_ < s_.size() && s_[i_] == '}') {
                advance_char();
                return;
            }
            fail("ожидалась «,» или «}», а встретилось " + describe_char(s_, i_));
        }
    }

    void parse_array(const std::string& path, Json& out, int depth) {
        out = Json::array();
        advance_char();  // [
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') {
            advance_char();
            return;
        }
        for (std::size_t index = 0;; ++index) {
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ']') fail("лишняя запятая перед «]»");
            out.push_back(nullptr);
            parse_value(path_index(path, index), out.back(), depth + 1);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                advance_char();
                continue;
            }
            if (i_ < s_.size() && s_[i_] == ']') {
                advance_char();
                return;
            }
            fail("ожидалась «,» или «]», а встретилось " + describe_char(s_, i_));
        }
    }

    std::string_view s_;
    JsonDocument& doc_;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
};

Position lookup(const JsonDocument& doc, std::string path, const char* suffix) {
    for (;;) {
        auto it = doc.positions.find(path + suffix);
        if (it != doc.positions.end()) return it->second;
        if (*suffix) {  // a key position falls back to the value's own position chain
            suffix = "";
            continue;
        }
        const auto cut = path.find_last_of(".[");
        if (cut == std::string::npos || path == "$") return {};
        path.resize(cut);
    }
}

}  // namespace

Position JsonDocument::position_of(const std::string& path) const { return lookup(*this, path, ""); }
Position JsonDocument::key_position_of(const std::string& path) const { return lookup(*this, path, "#key"); }

JsonDocument parse_json(std::string_view text, std::string file) {
    JsonDocument doc;
    doc.file = std::move(file);
    Parser(text, doc).parse();
    return doc;
}

std::string path_member(const std::string& parent, std::string_view key) {
    std::string out = parent;
    if (is_identifier(key)) {
        out += '.';
        out += key;
    } else {
        out += "[\"";
        for (char c : key) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += "\"]";
    }
    return out;
}

std::string describe_value(const Json& v) {
    switch (v.type()) {
        case Json::value_t::null: return "пустое значение (null)";
        case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
        case Json::value_t::string: return "текст «" + v.get<std::string>() + "»";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float: return "число " + v.dump();
        case Json::value_t::array: return "список из " + std::to_string(v.size()) + " элем.";
        case Json::value_t::object: return "объект { … }";
        default: return "значение";
    }
}

std::string path_index(const std::string& parent, std::size_t index) {
    return parent + '[' + std::to_string(index) + ']';
}

}  // namespace ppko::data
