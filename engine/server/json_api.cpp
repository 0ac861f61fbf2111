#include "server/json_api.h"

#include <algorithm>
#include <climits>

#include "data/schema.h"
#include "text/utf8.h"

namespace ppko::server {

HttpError::HttpError(ErrorId id, std::string message, Json extra, Headers headers)
    : Error(id, "", {}, "", std::move(message)), extra_(std::move(extra)), headers_(std::move(headers)) {}

int http_status(ErrorId id) {
    switch (id) {
        case ErrorId::auth_required:
        case ErrorId::auth_bad_credentials:
        case ErrorId::auth_bad_token: return 401;
        case ErrorId::auth_forbidden:
        case ErrorId::auth_csrf: return 403;
        case ErrorId::server_not_found:
        case ErrorId::workspace_not_found: return 404;
        case ErrorId::server_method_not_allowed: return 405;
        case ErrorId::record_conflict:
        case ErrorId::record_exists: return 409;
        case ErrorId::server_too_large: return 413;
        case ErrorId::auth_throttled:
        case ErrorId::server_busy: return 429;
        case ErrorId::store_busy:
        case ErrorId::store_unavailable:
        case ErrorId::pdf_unavailable:
        case ErrorId::pdf_busy: return 503;
        default: break;
    }
    switch (error_info(id).error_class) {
        case ErrorClass::data:
        case ErrorClass::usage: return 400;
        case ErrorClass::interrupted: return 503;
        case ErrorClass::io:
        case ErrorClass::internal: return 500;
    }
    return 500;
}

Response error_response(const Error& e) {
    Response r;
    const auto& items = e.diagnostics().items();
    r.status = items.empty() ? 500 : http_status(items.front().id);
    Json list = Json::array();
    for (const auto& d : items) {
        Json one = {{"id", error_info(d.id).code}, {"message", d.message}, {"text", d.format()}};
        if (!d.file.empty()) one["file"] = d.file;
        if (d.pos.line > 0) one["line"] = d.pos.line;
        if (d.pos.column > 0) one["column"] = d.pos.column;
        if (!d.json_path.empty()) one["path"] = d.json_path;
        list.push_back(std::move(one));
    }
    r.body["errors"] = std::move(list);
    if (const auto* h = dynamic_cast<const HttpError*>(&e)) {
        for (const auto& [k, v] : h->extra().items()) r.body[k] = v;
        r.headers = h->headers();
    }
    return r;
}

void check_text(std::string_view value, std::size_t max_chars, const std::string& where) {
    if (!text::is_valid_utf8(value)) {
        throw Error(ErrorId::data_bad_value, "", {}, where, "текст не в кодировке UTF-8");
    }
    if (text::count_code_points(value) > max_chars) {
        throw Error(ErrorId::data_bad_value, "", {}, where,
                    "текст длиннее " + std::to_string(max_chars) + " символов");
    }
    for (unsigned char c : value) {
        if (c < 0x20 || c == 0x7F) {
            throw Error(ErrorId::data_bad_value, "", {}, where, "текст содержит управляющий символ (код " +
                                                                   std::to_string(static_cast<int>(c)) + ")");
        }
    }
}

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_items_.empty()) {
        if (has_items_.back()) out_ += ',';
        has_items_.back() = true;
    }
}

JsonWriter& JsonWriter::open(char c) {
    separate();
    out_ += c;
    has_items_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::close(char c) {
    out_ += c;
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    value(k);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    separate();
    if (!text::is_valid_utf8(s)) {
        out_ += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
        return *this;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out_ += '\\';
            out_ += ch;
        } else if (c < 0x20) {
            switch (c) {
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default:
                    out_ += "\\u00";
                    out_ += kHex[c >> 4];
                    out_ += kHex[c & 15];
            }
        } else {
            out_ += ch;
        }
    }
    out_ += '"';
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
    separate();
    out_ += std::to_string(n);
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::json_text(std::string_view text) {
    if (!Json::accept(text)) return value(text);
    separate();
    out_ += text;
    return *this;
}

Body::Body(std::string text) : doc_(data::parse_json(std::move(text), std::string(kBodyName))) {
    if (!doc_.value.is_object()) {
        throw Error(ErrorId::data_wrong_type, std::string(kBodyName), doc_.position_of("$"), "$",
                    "ожидался объект JSON { … }, а записано: " + data::describe_value(doc_.value));
    }
}

const Json* Body::find(std::string_view key) const {
    auto it = doc_.value.find(std::string(key));
    return it == doc_.value.end() || it->is_null() ? nullptr : &*it;
}

bool Body::has(std::string_view key) const { return find(key) != nullptr; }

void Body::fail(ErrorId id, std::string_view key, const std::string& message) const {
    const std::string path = data::path_member("$", key);
    throw Error(id, std::string(kBodyName), doc_.position_of(path), path, message);
}

std::optional<std::string> Body::optional_text(std::string_view key, std::size_t max_chars) const {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(ErrorId::data_wrong_type, key, "ожидался текст в кавычках, а записано: " + data::describe_value(*v));
    const std::string s = v->get<std::string>();
    try {
        check_text(s, max_chars, data::path_member("$", key));
    } catch (const Error& e) {
        fail(ErrorId::data_bad_value, key, e.diagnostics().items().front().message);
    }
    return s;
}

std::string Body::text(std::string_view key, std::size_t max_chars) const {
    auto v = optional_text(key, max_chars);
    if (!v) fail(ErrorId::data_missing_field, key, "не заполнено обязательное поле «" + std::string(key) + "»");
    return *v;
}

std::optional<std::int64_t> Body::optional_integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) fail(ErrorId::data_wrong_type, key, "ожидалось целое число, а записано: " + data::describe_value(*v));
    const std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                               ? INT64_MAX
                               : v->get<std::int64_t>();
    if (n < min || n > max) {
        fail(ErrorId::data_bad_value, key,
             "число " + std::to_string(n) + " вне допустимых границ " + std::to_string(min) + "…" + std::to_string(max));
    }
    return n;
}

std::int64_t Body::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    auto v = optional_integer(key, min, max);
    if (!v) fail(ErrorId::data_missing_field, key, "не заполнено обязательное поле «" + std::string(key) + "»");
    return *v;
}

std::optional<bool> Body::optional_boolean(std::string_view key) const {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail(ErrorId::data_wrong_type, key, "ожидалось true или false, а записано: " + data::describe_value(*v));
    return v->get<bool>();
}

void Body::allow_only(std::initializer_list<std::string_view> keys) const {
    std::vector<std::string> allowed(keys.begin(), keys.end());
    for (const auto& [k, v] : doc_.value.items()) {
        if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
        std::string msg = "поле «" + k + "» здесь не предусмотрено";
        if (auto near = data::nearest(k, allowed); !near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
        const std::string path = data::path_member("$", k);
        throw Error(ErrorId::data_unknown_key, std::string(kBodyName), doc_.key_position_of(path), path, msg);
    }
}

}  // namespace ppko::server
