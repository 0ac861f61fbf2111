// JSON over HTTP for the server: the response a handler returns, errors as JSON with the same ids
// and messages as the command line (engine/diag/catalog.h) and their HTTP status, and a request
// body read field by field, so that a wrong field is reported like a wrong data file: "тело
// запроса:line:column: $.field: message [data.wrong_type]".
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"

namespace ppko::server {

using Json = nlohmann::ordered_json;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
    int status = 200;
    Json body = Json::object();
    std::string text;  // when not empty, the body as JSON text (JsonWriter), and `body` is unused
    Headers headers;   // besides Content-Type: Set-Cookie, Retry-After, Location …
    // When not empty: `text` is sent as it is (a document, a zip, a web page, its style sheet) with
    // this Content-Type.
    std::string content_type;
    // When set (with content_type): the body is written by it instead of `text`, exactly
    // `stream_bytes` bytes (a job's zip, from the database part by part). Headers are sent
    // first, so it cannot change the status any more: a failure midway closes the connection.
    std::function<void(std::ostream&)> stream;
    std::int64_t stream_bytes = 0;
};

// JSON text written straight into a string, for large listings: no document tree to build, walk
// and free (with nlohmann's tree a listing of 100 programs spent most of its time in malloc).
// Strings are escaped as RFC 8259 requires; text that is not valid UTF-8 gets U+FFFD for its bad
// bytes, as Response bodies do.
class JsonWriter {
public:
    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(std::int64_t n);
    JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(bool b);
    // A JSON text inserted as it is when it is valid JSON (what the engine stores), else as a
    // string.
    JsonWriter& json_text(std::string_view text);
    std::string take() { return std::move(out_); }

private:
    JsonWriter& open(char c);
    JsonWriter& close(char c);
    void separate();
    std::string out_;
    std::vector<bool> has_items_;  // per open container: an item was written
    bool after_key_ = false;
};

// An error with an HTTP answer of its own: extra headers (Retry-After) and extra members of the
// JSON body (409's current record).
class HttpError : public Error {
public:
    HttpError(ErrorId id, std::string message, Json extra = Json::object(), Headers headers = {});
    const Json& extra() const { return extra_; }
    const Headers& headers() const { return headers_; }

private:
    Json extra_;
    Headers headers_;
};

// The HTTP status for an error id: 400 for data and usage errors, 401, 403, 404, 405, 409, 413,
// 429 for the server's own, 503 for a busy or unreachable database and for PDF that this server
// cannot make now (no office installed, its queue full), 500 otherwise.
int http_status(ErrorId id);

// {"errors": [{"id", "message", "text", "file", "line", "column", "path"}, …], …extra}; "text" is
// the line the command line would print.
Response error_response(const Error& e);

// The file name request bodies are reported under.
inline constexpr std::string_view kBodyName = "тело запроса";

// A JSON object request body. Getters throw data.missing_field / data.wrong_type /
// data.bad_value at the field's position; text is checked to hold no control characters.
class Body {
public:
    explicit Body(std::string text);  // json.syntax, json.encoding, or data.wrong_type (not an object)

    bool has(std::string_view key) const;
    std::string text(std::string_view key, std::size_t max_chars = 200) const;
    std::optional<std::string> optional_text(std::string_view key, std::size_t max_chars = 200) const;
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    std::optional<bool> optional_boolean(std::string_view key) const;
    // data.unknown_key (with the nearest allowed key) for any other member.
    void allow_only(std::initializer_list<std::string_view> keys) const;

    [[noreturn]] void fail(ErrorId id, std::string_view key, const std::string& message) const;

private:
    const Json* find(std::string_view key) const;
    data::JsonDocument doc_;
};

// A text value from a URL or a body: refuses control characters and text longer than
// `max_chars` characters (data.bad_value at `where`).
void check_text(std::string_view value, std::size_t max_chars, const std::string& where);

}  // namespace ppko::server
