#include "data/schema.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::data {
namespace {

using Type = SchemaNode::Type;


// What a value of the type looks like, for «ожидалось …» messages.
std::string expectation(Type t) {
    switch (t) {
        case Type::string: return "текст в кавычках";
        case Type::integer: return "целое число";
        case Type::number: return "число";
        case Type::boolean: return "true или false";
        case Type::date: return "дата в кавычках в виде ДД.ММ.ГГГГ";
        case Type::month: return "месяц в кавычках в виде ГГГГ-ММ";
        case Type::text: return "текст в кавычках или список абзацев [\"…\", \"…\"]";
        case Type::array: return "список [ … ]";
        case Type::object: return "объект { … }";
        case Type::any:
        case Type::ref: return "значение";
    }
    return "значение";
}

// 5 → «5», 2.5 → «2,5» (Russian decimal comma).

std::string join_quoted(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += "«" + n + "»";
    }
    return out;
}

// --- building a schema from JSON ---------------------------------------------------------------

class Builder {
public:
    explicit Builder(const JsonDocument& doc) : doc_(doc) {}

    std::shared_ptr<const SchemaNode> node(const Json& j, const std::string& path) {
        if (!j.is_object()) fail(path, "описание поля должно быть объектом");
        auto n = std::make_shared<SchemaNode>();
        static const std::vector<std::string> keys = {"type", "title", "required", "enum", "pattern",
                                                      "items", "min_items", "min", "max", "fields",
                                                      "shorthand", "ref", "definitions"};
        for (const auto& [k, v] : j.items()) {
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) fail(path_member(path, k), "неизвестный ключ схемы «" + k + "»");
        }
        if (j.contains("ref")) {
            n->type = Type::ref;
            n->ref = j["ref"].get<std::string>();
        } else {
            static const std::vector<std::pair<std::string, Type>> types = {
                {"string", Type::string}, {"integer", Type::integer}, {"number", Type::number},
                {"boolean", Type::boolean}, {"date", Type::date}, {"month", Type::month},
                {"text", Type::text}, {"array", Type::array}, {"object", Type::object}, {"any", Type::any}};
            const auto t = j.value("type", std::string());
            auto it = std::find_if(types.begin(), types.end(), [&](auto& p) { return p.first == t; });
            if (it == types.end()) fail(path_member(path, "type"), "неизвестный тип «" + t + "»");
            n->type = it->second;
        }
        n->title = j.value("title", std::string());
        if (j.contains("enum")) n->enum_values = j["enum"].get<std::vector<std::string>>();
        n->pattern = j.value("pattern", std::string());
        if (!n->pattern.empty()) {
            try {
                n->pattern_regex = std::make_shared<const text::Pattern>(text::Pattern::compile(n->pattern));
            } catch (const text::PatternError& e) {
                fail(path_member(path, "pattern"), "неверное регулярное выражение «" + n->pattern + "»: " + e.what() + " (символ " +
                                                       std::to_string(e.offset() + 1) + ")");
            }
        }
        if (j.contains("min")) n->has_min = true, n->min = j["min"].get<double>();
        if (j.contains("max")) n->has_max = true, n->max = j["max"].get<double>();
        n->min_items = j.value("min_items", std::size_t{0});
        n->shorthand = j.value("shorthand", std::string());
        if (n->type == Type::array) {
            if (!j.contains("items")) fail(path, "у списка нет описания элементов (items)");
            n->items = node(j["items"], path_member(path, "items"));
        }
        if (n->type == Type::object) {
            const std::string fpath = path_member(path, "fields");
            const Json fields = j.value("fields", Json::object());
            for (const auto& [name, f] : fields.items()) {
                SchemaField field;
                field.name = name;
                field.node = node(f, path_member(fpath, name));
                field.required = f.value("required", false);
                n->fields.push_back(std::move(field));
            }
        }
        return n;
    }

    [[noreturn]] void fail(const std::string& path, const std::string& message) {
        throw Error(ErrorId::data_bad_value, doc_.file, doc_.position_of(path), path, "ошибка в схеме: " + message);
    }

private:
    const JsonDocument& doc_;
};

}  // namespace

// --- validation ---------------------------------------------------------------------------------

// A JSON path made into a string only when a message needs it: validation walks every value of
// a file, and most of them are fine.
struct PathLink {
    const PathLink* parent = nullptr;  // null for the root "$"
    std::string_view key;              // member name; must outlive the link
    std::size_t index = 0;
    bool is_index = false;

    PathLink member(std::string_view k) const { return PathLink{this, k, 0, false}; }
    PathLink element(std::size_t i) const { return PathLink{this, {}, i, true}; }
    std::string str() const {
        if (!parent) return "$";
        return is_index ? path_index(parent->str(), index) : path_member(parent->str(), key);
    }
};

class Validator {
public:
    Validator(const Schema& schema, JsonDocument& doc, Diagnostics& out) : schema_(schema), doc_(doc), out_(out) {}

    void check(const SchemaNode& n, Json& v, const PathLink& path) {
        const SchemaNode& node = resolve(n);
        switch (node.type) {
            case Type::string: {
                if (!v.is_string()) return wrong_type(node, v, path);
                const auto& s = v.get_ref<const std::string&>();
                if (!node.enum_values.empty() &&
                    std::find(node.enum_values.begin(), node.enum_values.end(), s) == node.enum_values.end()) {
                    std::string msg = "значение «" + quoted_prefix(s) + "» не из списка допустимых: " + join_quoted(node.enum_values);
                    const auto near = nearest(s, node.enum_values);
                    if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                    add(ErrorId::data_bad_value, path, std::move(msg));
                }
                if (!node.pattern.empty()) {
                    const auto m = matches(node, s);
                    if (m == text::PatternMatch::no) {
                        add(ErrorId::data_bad_value, path,
                            "значение «" + quoted_prefix(s) + "» записано неверно" + (node.title.empty() ? "" : " (" + node.title + ")"));
                    } else if (m == text::PatternMatch::too_costly) {
                        add(ErrorId::limit_size, path,
                            "значение длиной " + std::to_string(text::count_code_points(s)) +
                                " симв. слишком длинное, чтобы проверить его по шаблону схемы «" + node.pattern + "»");
                    }
                }
                return;
            }
            case Type::integer:
                if (!v.is_number_integer()) return wrong_type(node, v, path);
                return check_range(node, v.get<double>(), path);
            case Type::number:
                if (!v.is_number()) return wrong_type(node, v, path);
                return check_range(node, v.get<double>(), path);
            case Type::boolean:
                if (!v.is_boolean()) return wrong_type(node, v, path);
                return;
            case Type::date: {
                if (!v.is_string()) return wrong_type(node, v, path);
                const auto& s = v.get_ref<const std::string&>();
                if (!text::parse_date(s)) {
                    add(ErrorId::data_bad_date, path,
                        looks_like_date(s) ? "даты «" + s + "» не существует в календаре"
                                           : "дата «" + s + "» записана неверно; ожидалась дата в виде ДД.ММ.ГГГГ, например «01.03.2018»");
                }
                return;
            }
            case Type::month: {
                if (!v.is_string()) return wrong_type(node, v, path);
                const auto& s = v.get_ref<const std::string&>();
                if (!text::parse_year_month(s)) {
                    add(ErrorId::data_bad_date, path,
                        "месяц «" + s + "» записан неверно; ожидался месяц в виде ГГГГ-ММ, например «2018-03»");
                }
                return;
            }
            case Type::text: {
                if (v.is_string()) {
                    Json arr = Json::array();
                    arr.push_back(std::move(v));
                    v = std::move(arr);
                    return;
                }
                if (!v.is_array()) return wrong_type(node, v, path);
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (!v[i].is_string()) {
                        add(ErrorId::data_wrong_type, path.element(i),
                            "ожидалось: абзац — текст в кавычках, а записано: " + describe_value(v[i]));
                    }
                }
                return;
            }
            case Type::array: {
                if (!v.is_array()) return wrong_type(node, v, path);
                if (v.size() < node.min_items) {
                    add(ErrorId::data_missing_field, path,
                        v.empty() ? "список пуст; нужен хотя бы один элемент"
                                  : "в списке " + std::to_string(v.size()) + " элем., а нужно не меньше " +
                                        std::to_string(node.min_items));
                }
                auto& items = v.get_ref<Json::array_t&>();
                for (std::size_t i = 0; i < items.size(); ++i) check(*node.items, items[i], path.element(i));
                return;
            }
            case Type::object: return check_object(node, v, path);
            case Type::any: return;  // free-form (indicator values): rules treat absent values as unknown
            case Type::ref: return;  // resolved above
        }
    }

private:
    const SchemaNode& resolve(const SchemaNode& n) const {
        const SchemaNode* p = &n;
        for (int guard = 0; p->type == Type::ref && guard < 32; ++guard) {
            auto it = schema_.definitions_.find(p->ref);
            if (it == schema_.definitions_.end()) {
                throw Error(ErrorId::internal, doc_.file, {}, "", "в схеме нет определения «" + p->ref + "»");
            }
            p = it->second.get();
        }
        return *p;
    }

    // The node's pattern against the whole value, remembering values that matched: a file
    // repeats the same few years and fact names thousands of times. The memo is capped so
    // unique values (school ids) cannot grow it.
    text::PatternMatch matches(const SchemaNode& node, const std::string& s) {
        static constexpr std::size_t kMemo = 256;
        auto& memo = matched_[&node];
        if (memo.count(s)) return text::PatternMatch::yes;
        const auto m = node.pattern_regex->match(s);
        if (m == text::PatternMatch::yes && memo.size() < kMemo) memo.insert(s);
        return m;
    }

    // A value in a message: whole when short, its first 200 characters and «…» otherwise.
    static std::string quoted_prefix(const std::string& s) {
        const std::string_view head = text::utf8_prefix(s, 200);
        return head.size() == s.size() ? s : std::string(head) + "…";
    }

    // ДД.ММ.ГГГГ or ГГГГ-ММ-ДД by shape (digits and separators), whatever the numbers.
    static bool looks_like_date(const std::string& s) {
        auto shape = [&](const char* mask) {
            if (s.size() != std::char_traits<char>::length(mask)) return false;
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (mask[i] == '9' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != mask[i]) return false;
            }
            return true;
        };
        return shape("99.99.9999") || shape("9999-99-99");
    }

    void check_range(const SchemaNode& node, double x, const PathLink& path) {
        if ((node.has_min && x < node.min) || (node.has_max && x > node.max)) {
            std::string range;
            if (node.has_min && node.has_max) {
                range = "от " + text::format_decimal(node.min) + " до " + text::format_decimal(node.max);
            } else if (node.has_min) {
                range = "не меньше " + text::format_decimal(node.min);
            } else {
                range = "не больше " + text::format_decimal(node.max);
            }
            add(ErrorId::data_bad_value, path, "значение " + text::format_decimal(x) + " вне допустимого диапазона: " + range);
        }
    }

    static bool declared(const SchemaNode& node, const std::string& key) {
        for (const auto& f : node.fields) {
            if (f.name == key) return true;
        }
        return false;
    }

    void check_object(const SchemaNode& node, Json& v, const PathLink& path) {
        if (v.is_string() && !node.shorthand.empty()) {
            Json obj = Json::object();
            obj[node.shorthand] = std::move(v);
            v = std::move(obj);
        }
        if (!v.is_object()) return wrong_type(node, v, path);
        auto& members = v.get_ref<Json::object_t&>();
        // Unknown keys first (in file order), then each declared field.
        for (const auto& [key, value] : members) {
            if (declared(node, key)) continue;
            std::vector<std::string> names;
            for (const auto& f : node.fields) names.push_back(f.name);
            const std::string kpath = path.member(key).str();
            std::string msg = "поле «" + key + "» здесь не предусмотрено";
            const auto near = nearest(key, names);
            if (!near.empty()) {
                msg += "; возможно, имелось в виду «" + near + "»";
            } else {
                msg += "; допустимые поля: " + join_quoted(names);
            }
            out_.add(ErrorId::data_unknown_key, doc_.file, doc_.key_position_of(kpath), kpath, std::move(msg));
        }
        // Absent fields are added as null below: make room for all of them at once. Not with
        // reserve(): ordered_json's members are pair<const string, Json>, which a growing vector
        // copies (deep) instead of moving; here the values are moved and only the keys copied.
        std::size_t absent = 0;
        for (const auto& f : node.fields) absent += members.find(f.name) == members.end() ? 1 : 0;
        if (absent && members.size() + absent > members.capacity()) {
            Json::object_t grown;
            grown.reserve(members.size() + absent);
            for (auto& [k, value] : members) grown.emplace_back(k, std::move(value));
            members.swap(grown);
        }
        for (const auto& f : node.fields) {
            auto it = members.find(f.name);
            if (it == members.end() || it->second.is_null()) {
                if (f.required) {
                    const SchemaNode& fn = resolve(*f.node);
                    const std::string& title = f.node->title.empty() ? fn.title : f.node->title;
                    const std::string at = path.str();
                    out_.add(ErrorId::data_missing_field, doc_.file, doc_.position_of(at), path_member(at, f.name),
                             "не заполнено обязательное поле «" + f.name + "»" + (title.empty() ? "" : " — " + title));
                }
                if (it == members.end()) members.emplace_back(f.name, nullptr);
                continue;
            }
            check(*f.node, it->second, path.member(f.name));
        }
    }

    void wrong_type(const SchemaNode& node, const Json& v, const PathLink& path) {
        add(ErrorId::data_wrong_type, path, "ожидалось: " + expectation(node.type) + ", а записано: " + describe_value(v));
    }

    void add(ErrorId id, const PathLink& link, std::string message) {
        const std::string path = link.str();
        out_.add(id, doc_.file, doc_.position_of(path), path, std::move(message));
    }

    const Schema& schema_;
    JsonDocument& doc_;
    Diagnostics& out_;
    std::unordered_map<const SchemaNode*, std::unordered_set<std::string>> matched_;
};

Schema Schema::from_json(const JsonDocument& doc) {
    Builder b(doc);
    Schema s;
    try {
        if (doc.value.contains("definitions")) {
            for (const auto& [name, def] : doc.value["definitions"].items()) {
                s.definitions_[name] = b.node(def, path_member("$.definitions", name));
            }
        }
        s.root_ = b.node(doc.value, "$");
    } catch (const Json::exception& e) {
        throw Error(ErrorId::data_wrong_type, doc.file, {}, "", std::string("ошибка в схеме: ") + e.what());
    }
    return s;
}

void Schema::validate(JsonDocument& doc, Diagnostics& out) const {
    Validator(*this, doc, out).check(*root_, doc.value, PathLink{});
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    auto decode_all = [](std::string_view s) {
        std::u32string r;
        for (std::size_t i = 0; i < s.size();) r += text::decode(s, i);
        return r;
    };
    const std::u32string w = decode_all(word);
    std::string best;
    std::size_t best_d = static_cast<std::size_t>(-1);
    int ties = 0;  // candidates at the best distance
    for (const auto& c : candidates) {
        const std::u32string t = decode_all(c);
        // Optimal string alignment distance: insertions, deletions, substitutions and swaps of
        // two neighbouring letters («wrok» → «work») each cost one.
        std::vector<std::size_t> before(t.size() + 1), prev(t.size() + 1), cur(t.size() + 1);
        for (std::size_t j = 0; j <= t.size(); ++j) prev[j] = j;
        for (std::size_t i = 1; i <= w.size(); ++i) {
            cur[0] = i;
            for (std::size_t j = 1; j <= t.size(); ++j) {
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (w[i - 1] == t[j - 1] ? 0 : 1)});
                if (i > 1 && j > 1 && w[i - 1] == t[j - 2] && w[i - 2] == t[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
            }
            std::swap(before, prev);
            std::swap(prev, cur);
        }
        const std::size_t d = prev[t.size()];
        if (d < best_d) {
            best_d = d, best = c, ties = 1;
        } else if (d == best_d) {
            ++ties;
        }
    }
    // A one- or two-letter word is suggested only one clear replacement («СЩ» → «СШ»), never a
    // guess among several («c» → «a» or «b»?).
    if (w.size() < 3 && (ties > 1 || best_d > 1)) return {};
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, w.size() / 3));
    return best_d <= limit ? best : std::string();
}

}  // namespace ppko::data
