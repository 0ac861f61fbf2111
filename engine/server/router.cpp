#include "server/router.h"
#include "server/workspace_files.h"

#include <algorithm>
#include <charconv>

#include "diag/diagnostic.h"
#include "server/services.h"
#include "text/utf8.h"

namespace ppko::server {
namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding; `plus_is_space` for query strings. nullopt for a malformed escape.
std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return std::nullopt;
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 1;  // after the leading '/'
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool code_char(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
}

[[noreturn]] void bad_name(const std::string& segment) {
    std::string shown;
    text::append_sanitized(shown, text::utf8_prefix(segment, 80));
    throw Error(ErrorId::server_bad_name, "", {}, "",
                "недопустимое имя «" + shown +
                    "» в адресе запроса: коды муниципалитетов и школ — строчные латинские буквы, цифры, «-» и "
                    "«_», не длиннее 64 символов");
}

}  // namespace

bool valid_parameter(std::string_view name, std::string_view v) {
    if (v.empty() || v.size() > 64) return false;
    if (name == "login") {
        return std::all_of(v.begin(), v.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '_' || c == '@' || c == '-';
               }) &&
               v.front() != '.' && v.front() != '-' && v.front() != '@' && v.front() != '_';
    }
    if (name == "file" || name == "methodology_file") return valid_file_name(v);
    if (name == "token" || name == "job") {
        return v.size() == 32 && std::all_of(v.begin(), v.end(), [](char c) {
                   return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9');
               });
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!code_char(v[i], i == 0)) return false;
    }
    return true;
}

namespace {

// name=value pairs joined by "&", percent-decoded ("+" is a space).
void parse_pairs(std::string_view rest, std::map<std::string, std::string, std::less<>>& query) {
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto key = decode(pair.substr(0, eq), true);
        auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!key || !value) throw Error(ErrorId::server_bad_request, "", {}, "", "неверная %-кодировка в параметрах запроса");
        query[*key] = *value;
    }
}

}  // namespace

void parse_target(std::string_view target, std::string& raw_path, std::map<std::string, std::string, std::less<>>& query) {
    const auto q = target.find('?');
    raw_path = std::string(target.substr(0, q));
    query.clear();
    if (q == std::string_view::npos) return;
    std::string_view rest = target.substr(q + 1);
    if (rest.size() > 4096) throw Error(ErrorId::server_bad_request, "", {}, "", "строка параметров запроса длиннее 4096 байт");
    parse_pairs(rest, query);
}

std::map<std::string, std::string, std::less<>> parse_form(std::string_view body) {
    std::map<std::string, std::string, std::less<>> fields;
    parse_pairs(body, fields);
    return fields;
}

Match Router::match(std::string_view method, std::string_view raw_path) const {
    if (raw_path.empty() || raw_path.front() != '/') {
        throw Error(ErrorId::server_not_found, "", {}, "", "адрес запроса должен начинаться с «/»");
    }
    // Every segment is decoded once and checked: nothing encoded may turn into a separator, a
    // parent reference or a control character, whatever route it would have matched.
    std::vector<std::string> segments;
    for (std::string_view raw : split(raw_path)) {
        auto seg = decode(raw, false);
        if (!seg) bad_name(std::string(raw));
        if (*seg == "." || *seg == ".." || seg->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos ||
            std::any_of(seg->begin(), seg->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
            bad_name(*seg);
        }
        segments.push_back(std::move(*seg));
    }
    std::vector<std::string_view> allowed;
    for (const Route& r : routes_) {
        const auto pattern = split(r.pattern);
        if (pattern.size() != segments.size()) continue;
        Match m;
        bool ok = true;
        std::vector<std::pair<std::string, std::string>> params;
        for (std::size_t i = 0; i < pattern.size() && ok; ++i) {
            const std::string_view p = pattern[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
                if (segments[i].empty()) ok = false;
                else params.emplace_back(std::string(p.substr(1, p.size() - 2)), segments[i]);
            } else {
                ok = p == segments[i];
            }
        }
        if (!ok) continue;
        if (r.method != method) {
            allowed.push_back(r.method);
            continue;
        }
        for (auto& [name, value] : params) {
            if (!valid_parameter(name, value)) bad_name(value);
            m.params.emplace(std::move(name), std::move(value));
        }
        m.route = &r;
        return m;
    }
    if (!allowed.empty()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        throw HttpError(ErrorId::server_method_not_allowed,
                        "метод " + std::string(method) + " не поддерживается по этому адресу; допустимы: " + list,
                        Json::object(), Headers{{"Allow", list}});
    }
    throw Error(ErrorId::server_not_found, "", {}, "", "нет такого адреса: " + std::string(raw_path));
}

const std::string& Context::param(std::string_view name) const {
    auto it = params.find(name);
    if (it == params.end()) throw Error(ErrorId::internal, "", {}, "", "у маршрута нет параметра " + std::string(name));
    return it->second;
}

std::string Context::query_text(std::string_view name, std::string fallback) const {
    auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
}

long long Context::query_integer(std::string_view name, long long fallback, long long min, long long max) const {
    auto it = query.find(name);
    if (it == query.end()) return fallback;
    long long v = 0;
    const auto& s = it->second;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
        throw Error(ErrorId::server_bad_request, "", {}, "",
                    "параметр «" + std::string(name) + "» должен быть целым числом от " + std::to_string(min) + " до " +
                        std::to_string(max));
    }
    return v;
}

const Caller& Context::who() const {
    if (!caller) throw Error(ErrorId::internal, "", {}, "", "маршрут без входа спрашивает, кто вызывает");
    return *caller;
}

}  // namespace ppko::server
