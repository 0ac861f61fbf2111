#include "data/json_source.h"

#include <charconv>
#include <cstdint>
#include <unordered_set>

#include "io/allocator.h"
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

// The character a one-letter JSON escape stands for (\" \\ \/ \b \f \n \r \t), or 0 for any other
// letter (\u is read apart). Shared by the strict parser and the re-scan of accepted text.
constexpr char simple_escape(char e) {
    switch (e) {
        case '"': return '"';
        case '\\': return '\\';
        case '/': return '/';
        case 'b': return '\b';
        case 'f': return '\f';
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        default: return 0;
    }
}

// The code point of a UTF-16 surrogate pair (\uD8xx\uDCxx).
constexpr char32_t from_surrogates(char32_t high, char32_t low) { return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00); }

// Describes the character at the cursor for error messages: «x», «конец файла».
std::string describe_char(std::string_view s, std::size_t i) {
    if (i >= s.size()) return "конец файла";
    std::size_t j = i;
    const char32_t cp = text::decode(s, j);
    if (cp == '\n') return "конец строки";
    if (cp < 0x20) return "управляющий символ";
    return "«" + std::string(s.substr(i, j - i)) + "»";
}

bool has_bom(std::string_view s) { return s.substr(0, 3) == "\xEF\xBB\xBF"; }

// The parser builds each container in a scratch vector of its nesting depth and moves it into
// an exactly sized ordered_json at the closing bracket, so that the workspace's values carry no
// spare capacity; strings are copied from a reused buffer into exactly sized ones. Positions are
// counted as it goes (for its own messages) but not stored: JsonDocument computes them from the
// text when they are asked for.
class Parser {
public:
    Parser(std::string_view text, JsonDocument& doc) : s_(text), doc_(doc), levels_(kMaxDepth + 2) {}

    void parse() {
        if (has_bom(s_)) i_ = 3;
        skip_ws();
        parse_value(doc_.value, 0);
        skip_ws();
        if (i_ < s_.size()) fail("после конца данных JSON идёт лишний текст: " + describe_char(s_, i_));
    }

private:
    static constexpr int kMaxDepth = 256;
    // Objects with more members than this check duplicate keys with a hash set, not a scan.
    static constexpr std::size_t kLinearKeys = 16;

    struct Level {
        std::vector<std::pair<std::string, Json>> members;
        std::vector<Json> items;
        std::unordered_set<std::string> keys;  // only for objects above kLinearKeys members
    };

    [[noreturn]] void fail(std::string message) const { fail_at(pos(), std::move(message)); }
    [[noreturn]] void fail_at(Position p, std::string message) const {
        throw Error(ErrorId::json_syntax, doc_.file, p, "", "ошибка в записи JSON: " + std::move(message));
    }

    Position pos() const { return Position{line_, column_}; }

    void advance_char() { text::step(s_, i_, line_, column_); }
    // Past one ASCII character that is not a line break (brackets, quotes, punctuation).
    void bump() {
        ++i_;
        ++column_;
    }

    // The hot loops work on local pointers: stores through a char* may alias the members, so
    // the compiler would reload s_ and i_ for every byte.
    void skip_ws() {
        const char* p = s_.data() + i_;
        const char* const end = s_.data() + s_.size();
        for (;;) {
            const char* const b = p;
            while (p != end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
            column_ += static_cast<int>(p - b);
            if (p == end || *p != '\n') break;
            ++p;
            ++line_;
            column_ = 1;
        }
        i_ = static_cast<std::size_t>(p - s_.data());
    }

    void expect(char c, const char* what) {
        if (i_ >= s_.size() || s_[i_] != c) fail(std::string("ожидалось ") + what + ", а встретилось " + describe_char(s_, i_));
        bump();
    }

    void parse_value(Json& out, int depth) {
        if (depth > kMaxDepth) {
            throw Error(ErrorId::limit_nesting, doc_.file, pos(), "",
                        "списки и объекты JSON вложены друг в друга глубже " + std::to_string(kMaxDepth) + " уровней");
        }
        if (i_ >= s_.size()) fail("ожидалось значение, а файл закончился");
        switch (s_[i_]) {
            case '{': parse_object(out, depth); return;
            case '[': parse_array(out, depth); return;
            case '"':
                parse_string(buf_);
                out = buf_;  // an exactly sized copy; buf_ keeps its capacity for the next one
                return;
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
        i_ += word.size();
        column_ += static_cast<int>(word.size());
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
        const std::size_t int_end = i_;
        std::size_t fraction = 0;  // digits after the point
        bool is_float = false, has_exponent = false;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            is_float = true;
            fraction = digits();
            if (fraction == 0) fail_at(at, "после десятичной точки ожидалась цифра");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            is_float = has_exponent = true;
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
        } else if (!has_exponent && (int_end - int_start) + fraction <= 15) {
            // Up to 15 digits without exponent (percentages, «4.8»): the digits as an integer are
            // exact in a double, and so is 10^fraction, so one IEEE division gives the correctly
            // rounded value — the same double as from_chars, without its general machinery.
            static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
            std::uint64_t m = 0;
            for (const char* p = s_.data() + int_start; p != e; ++p) {
                if (*p != '.') m = m * 10 + static_cast<std::uint64_t>(*p - '0');
            }
            const double d = static_cast<double>(m) / kPow10[fraction];
            out = *b == '-' ? -d : d;
            return;
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

    // Replaces `out` with the string at the cursor (which is on its opening quote). Runs of
    // characters without escapes are copied in one piece, and their columns counted at the end
    // of the run: column_ is behind by (i_ - mark) code points minus `extra` continuation bytes.
    void parse_string(std::string& out) {
        out.clear();
        const Position start = pos();
        bump();  // opening quote
        std::size_t run = i_;   // start of the bytes not yet copied to `out`
        std::size_t mark = i_;  // where column_ was last brought up to date
        std::size_t extra = 0;
        auto sync = [&] {
            column_ += static_cast<int>(i_ - mark - extra);
            mark = i_;
            extra = 0;
        };
        const char* const end = s_.data() + s_.size();
        for (;;) {
            const char* p = s_.data() + i_;
            while (p != end && static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x80 && *p != '"' && *p != '\\') ++p;
            i_ = static_cast<std::size_t>(p - s_.data());
            if (i_ >= s_.size()) fail_at(start, "текст в кавычках не закрыт: не хватает закрывающей \"");
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                out.append(s_.data() + run, i_ - run);
                sync();
                bump();
                return;
            }
            if (c == '\n') fail_at(start, "текст в кавычках не закрыт до конца строки: не хватает закрывающей \"");
            if (c < 0x20) {
                sync();
                fail("управляющий символ внутри текста; табуляцию пишите как \\t");
            }
            if (c == '\\') {
                out.append(s_.data() + run, i_ - run);
                sync();
                parse_escape(out, start);
                run = mark = i_;
                continue;
            }
            const std::size_t b = i_;
            if (text::decode(s_, i_) == text::kReplacement && i_ == b + 1) {
                i_ = b;
                sync();
                throw Error(ErrorId::json_encoding, doc_.file, pos(), "",
                            "файл не в кодировке UTF-8 (неверный байт); сохраните его как UTF-8");
            }
            extra += i_ - b - 1;
        }
    }

    // The escape at the cursor (on its backslash), appended to `out` decoded.
    void parse_escape(std::string& out, Position start) {
        advance_char();  // backslash
        if (i_ >= s_.size()) fail_at(start, "текст в кавычках не закрыт");
        const char e = s_[i_];
        advance_char();
        if (const char c = simple_escape(e)) {
            out += c;
            return;
        }
        if (e != 'u') fail("неизвестная escape-последовательность «\\" + std::string(1, e) + "»; обратную косую черту пишите как \\\\");
        char32_t cp = read_hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(i_, 2) != "\\u") fail("после старшей половины суррогатной пары \\uD8xx ожидалась младшая");
            i_ += 2;
            column_ += 2;
            const char32_t lo = read_hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("неверная суррогатная пара в \\u");
            cp = from_surrogates(cp, lo);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("одинокая младшая половина суррогатной пары в \\u");
        }
        text::append_utf8(out, cp);
    }

    // Called once per container: every few hundred, the heap pages malloc has just added are
    // mapped in at once (io::prefault_heap_growth) rather than faulted in one by one.
    void grown() {
        if (++containers_ % 256 == 0) io::prefault_heap_growth();
    }

    // True when `key` is already among the members of the object being read at this level.
    static bool duplicate(Level& level, const std::string& key) {
        auto& m = level.members;
        if (m.size() < kLinearKeys) {
            for (const auto& [k, v] : m) {
                if (k == key) return true;
            }
            return false;
        }
        if (level.keys.empty()) {
            for (const auto& [k, v] : m) level.keys.insert(k);
        }
        return !level.keys.insert(key).second;
    }

    void parse_object(Json& out, int depth) {
        bump();  // {
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') {
            bump();
            out = Json::object();
            return;
        }
        Level& level = levels_[static_cast<std::size_t>(depth)];
        level.members.clear();
        level.keys.clear();
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"') {
                if (i_ < s_.size() && s_[i_] == '}') fail("лишняя запятая перед «}»");
                fail("ожидалось имя поля в двойных кавычках, а встретилось " + describe_char(s_, i_));
            }
            const Position key_pos = pos();
            parse_string(buf_);
            if (duplicate(level, buf_)) fail_at(key_pos, "поле «" + buf_ + "» встречается в этом объекте дважды");
            level.members.emplace_back(buf_, Json());
            skip_ws();
            expect(':', "«:» после имени поля");
            skip_ws();
            parse_value(level.members.back().second, depth + 1);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                bump();
                continue;
            }
            if (i_ < s_.size() && s_[i_] == '}') {
                bump();
                break;
            }
            fail("ожидалась «,» или «}», а встретилось " + describe_char(s_, i_));
        }
        grown();
        out = Json::object();
        auto& object = out.get_ref<Json::object_t&>();
        object.reserve(level.members.size());
        for (auto& [k, v] : level.members) object.emplace_back(std::move(k), std::move(v));
        level.members.clear();
    }

    void parse_array(Json& out, int depth) {
        bump();  // [
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') {
            bump();
            out = Json::array();
            return;
        }
        Level& level = levels_[static_cast<std::size_t>(depth)];
        level.items.clear();
        for (;;) {
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ']') fail("лишняя запятая перед «]»");
            parse_value(level.items.emplace_back(), depth + 1);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                bump();
                continue;
            }
            if (i_ < s_.size() && s_[i_] == ']') {
                bump();
                break;
            }
            fail("ожидалась «,» или «]», а встретилось " + describe_char(s_, i_));
        }
        grown();
        out = Json::array();
        auto& array = out.get_ref<Json::array_t&>();
        array.reserve(level.items.size());
        for (auto& v : level.items) array.push_back(std::move(v));
        level.items.clear();
    }

    std::string_view s_;
    JsonDocument& doc_;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
    std::size_t containers_ = 0;  // objects and arrays read so far
    std::string buf_;             // the string being read
    std::vector<Level> levels_;   // by depth; sized once, so references into it stay valid
};

// Appends the JSON string literal starting at text[at] (its opening quote; already validated by
// the parser) to `out`, decoded.
void decode_string(std::string_view text, std::size_t at, std::string& out) {
    std::size_t i = at + 1;
    auto hex4 = [&] {
        unsigned v = 0;
        for (int k = 0; k < 4; ++k, ++i) {
            const char c = text[i];
            v = (v << 4) | static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return static_cast<char32_t>(v);
    };
    for (;;) {
        const char c = text[i];
        if (c == '"') return;
        if (c != '\\') {
            out += c;
            ++i;
            continue;
        }
        const char e = text[i + 1];
        i += 2;
        if (e != 'u') {
            out += simple_escape(e);  // the parser accepted it
            continue;
        }
        char32_t cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            i += 2;
            cp = from_surrogates(cp, hex4());
        }
        text::append_utf8(out, cp);
    }
}

// True when the key whose opening quote is at text[at] reads `name` once decoded.
bool key_equals(std::string_view text, std::size_t at, std::string_view name) {
    const std::size_t b = at + 1;
    const std::size_t end = text.find_first_of("\"\\", b);
    if (end == std::string_view::npos) return false;
    if (text[end] == '"') return text.substr(b, end - b) == name;  // no escapes: the raw bytes are the key
    std::string decoded;
    decode_string(text, at, decoded);
    return decoded == name;
}

}  // namespace

// --- positions ------------------------------------------------------------------------------------

// One scan of a text that the parser accepted: a node per value in document order, with the
// positions counted as the parser counts them (columns in code points; a BOM does not count).
class IndexBuilder {
public:
    IndexBuilder(std::string_view s, PositionIndex& ix) : s_(s), ix_(ix) {}

    void build() {
        if (has_bom(s_)) i_ = 3;
        value();
    }

private:
    using Node = PositionIndex::Node;

    Position pos() const { return Position{line_, column_}; }

    // Past one byte; a UTF-8 continuation byte adds no column.
    void advance() {
        const auto c = static_cast<unsigned char>(s_[i_++]);
        if (c == '\n') {
            ++line_;
            column_ = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column_;
        }
    }

    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) advance();
    }

    void skip_string() {
        advance();  // opening quote
        for (;;) {
            const char c = s_[i_];
            if (c == '"') break;
            if (c == '\\') advance();  // escapes are ASCII: the escaped character never ends the string
            advance();
        }
        advance();  // closing quote
    }

    std::uint32_t value() {
        skip_ws();
        const auto index = static_cast<std::uint32_t>(ix_.nodes_.size());
        ix_.nodes_.push_back(Node{pos(), {}, PositionIndex::kNone, 0, 0, 0});
        const char c = s_[i_];
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ix_.nodes_[index].kind = c;
            advance();
            const std::size_t base = stack_.size();
            skip_ws();
            while (s_[i_] != close) {
                skip_ws();
                Position key_pos;
                std::uint32_t key_offset = PositionIndex::kNone;
                if (c == '{') {
                    key_pos = pos();
                    key_offset = static_cast<std::uint32_t>(i_);
                    skip_string();
                    skip_ws();
                    advance();  // :
                }
                const std::uint32_t child = value();
                ix_.nodes_[child].key_pos = key_pos;
                ix_.nodes_[child].key_offset = key_offset;
                stack_.push_back(child);
                skip_ws();
                if (s_[i_] == ',') advance();
            }
            advance();  // } or ]
            Node& n = ix_.nodes_[index];
            n.first_child = static_cast<std::uint32_t>(ix_.children_.size());
            n.child_count = static_cast<std::uint32_t>(stack_.size() - base);
            ix_.children_.insert(ix_.children_.end(), stack_.begin() + static_cast<std::ptrdiff_t>(base), stack_.end());
            stack_.resize(base);
        } else if (c == '"') {
            skip_string();
        } else {
            while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ']' && s_[i_] != '}' && s_[i_] != ' ' && s_[i_] != '\t' &&
                   s_[i_] != '\r' && s_[i_] != '\n') {
                advance();
            }
        }
        return index;
    }

    std::string_view s_;
    PositionIndex& ix_;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
    std::vector<std::uint32_t> stack_;  // children of the open containers, innermost last
};

PositionIndex::PositionIndex(std::string_view text) {
    if (text.empty() || text.size() >= kNone) return;  // offsets are 32-bit: no positions past 4 GB
    IndexBuilder(text, *this).build();
    nodes_.shrink_to_fit();
}

Position PositionIndex::find(std::string_view text, std::string_view path, bool key) const {
    if (nodes_.empty() || path.empty() || path[0] != '$') return {};
    std::uint32_t node = 0;
    bool complete = true;  // every step of the path was found
    std::string name;
    for (std::size_t p = 1; p < path.size() && complete;) {
        const Node& n = nodes_[node];
        std::uint32_t next = kNone;
        auto member = [&](std::string_view want) {
            if (n.kind != '{') return;
            for (std::uint32_t k = 0; k < n.child_count; ++k) {
                const std::uint32_t child = children_[n.first_child + k];
                if (key_equals(text, nodes_[child].key_offset, want)) {
                    next = child;
                    return;
                }
            }
        };
        if (path[p] == '.') {  // .identifier
            const std::size_t end = std::min(path.find_first_of(".[", p + 1), path.size());
            if (end > p + 1) member(path.substr(p + 1, end - p - 1));
            p = end;
        } else if (path.substr(p, 2) == "[\"") {  // ["key"], with \" and \\ escaped
            name.clear();
            std::size_t q = p + 2;
            for (; q < path.size() && path[q] != '"'; ++q) {
                if (path[q] == '\\' && q + 1 < path.size()) ++q;
                name += path[q];
            }
            if (path.substr(q, 2) == "\"]") member(name);
            p = q + 2;
        } else if (path[p] == '[') {  // [index]
            std::size_t index = 0;
            const auto r = std::from_chars(path.data() + p + 1, path.data() + path.size(), index);
            const std::size_t end = static_cast<std::size_t>(r.ptr - path.data());
            if (r.ec == std::errc() && end < path.size() && path[end] == ']' && n.kind == '[' && index < n.child_count) {
                next = children_[n.first_child + index];
            }
            p = end + 1;
        }
        if (next == kNone) complete = false;
        else node = next;
    }
    const Node& n = nodes_[node];
    return key && complete && n.key_offset != kNone ? n.key_pos : n.pos;
}

const PositionIndex* JsonDocument::index() const {
    if (!lazy_ || text_.empty()) return nullptr;
    std::call_once(lazy_->once, [this] { lazy_->index = std::make_unique<const PositionIndex>(text_); });
    return lazy_->index.get();
}

const PositionIndex* JsonDocument::position_index() const { return lazy_ ? lazy_->index.get() : nullptr; }

Position JsonDocument::position_of(std::string_view path) const {
    const PositionIndex* ix = index();
    return ix ? ix->find(text_, path, false) : Position{};
}

Position JsonDocument::key_position_of(std::string_view path) const {
    const PositionIndex* ix = index();
    return ix ? ix->find(text_, path, true) : Position{};
}

JsonDocument parse_json(std::string&& text, std::string file) {
    JsonDocument doc;
    doc.file = std::move(file);
    doc.text_ = std::move(text);
    Parser(doc.text_, doc).parse();
    return doc;
}

JsonDocument parse_json(std::string_view text, std::string file) { return parse_json(std::string(text), std::move(file)); }

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
