#include "server/config.h"

#include <charconv>
#include <climits>
#include <filesystem>
#include <functional>
#include <map>

#include "data/json_source.h"
#include "data/schema.h"
#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "store/database.h"
#include "store/store.h"

namespace ppko::server {
namespace {

using data::Json;

// Reads the members of one JSON object into fields, reporting problems at their positions.
class Reader {
public:
    Reader(const data::JsonDocument& doc, std::string file) : doc_(doc), file_(std::move(file)) {}

    void object(const Json& obj, const std::string& path,
                const std::map<std::string, std::function<void(const Json&, const std::string&)>>& fields) {
        if (!obj.is_object()) wrong(path, "объект { … }", obj);
        std::vector<std::string> names;
        for (const auto& [k, f] : fields) names.push_back(k);
        for (const auto& [k, v] : obj.items()) {
            const std::string p = data::path_member(path, k);
            auto it = fields.find(k);
            if (it == fields.end()) {
                std::string msg = "поле «" + k + "» здесь не предусмотрено";
                if (auto near = data::nearest(k, names); !near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                throw Error(ErrorId::data_unknown_key, file_, doc_.key_position_of(p), p, msg);
            }
            it->second(v, p);
        }
    }
    void text(const Json& v, const std::string& path, std::string& out) {
        if (!v.is_string()) wrong(path, "текст в кавычках", v);
        out = v.get<std::string>();
    }
    void boolean(const Json& v, const std::string& path, bool& out) {
        if (!v.is_boolean()) wrong(path, "true или false", v);
        out = v.get<bool>();
    }
    template <class T>
    void number(const Json& v, const std::string& path, T& out, long long min, long long max) {
        if (!v.is_number_integer()) wrong(path, "целое число", v);
        const long long n = v.is_number_unsigned() && v.get<unsigned long long>() > LLONG_MAX ? LLONG_MAX : v.get<long long>();
        if (n < min || n > max) {
            throw Error(ErrorId::data_bad_value, file_, doc_.position_of(path), path,
                        "число " + std::to_string(n) + " вне допустимых границ " + std::to_string(min) + "…" +
                            std::to_string(max));
        }
        out = static_cast<T>(n);
    }
    void texts(const Json& v, const std::string& path, std::vector<std::string>& out) {
        if (!v.is_array()) wrong(path, "список текстов [\"…\"]", v);
        out.clear();
        for (std::size_t i = 0; i < v.size(); ++i) text(v[i], data::path_index(path, i), out.emplace_back());
    }

private:
    [[noreturn]] void wrong(const std::string& path, const std::string& expected, const Json& v) {
        throw Error(ErrorId::data_wrong_type, file_, doc_.position_of(path), path,
                    "ожидалось: " + expected + ", а записано: " + data::describe_value(v));
    }
    const data::JsonDocument& doc_;
    std::string file_;
};

[[noreturn]] void bad_option(const std::string& option, const std::string& message) {
    throw Error(ErrorId::cli_usage, "", {}, "", option + ": " + message + "; подробнее: ppko serve --help");
}

}  // namespace

void load_config_file(const std::string& path, ServerConfig& c) {
    const auto doc = data::parse_json(io::read_file(path), path);
    Reader r(doc, path);
    Limits& l = c.limits;
    r.object(doc.value, "$",
             {{"listen", [&](const Json& v, const std::string& p) { r.text(v, p, c.listen); }},
              {"database", [&](const Json& v, const std::string& p) { r.text(v, p, c.database); }},
              {"secret_file", [&](const Json& v, const std::string& p) { r.text(v, p, c.secret_file); }},
              {"threads", [&](const Json& v, const std::string& p) { r.number(v, p, c.threads, 1, 1024); }},
              {"access_log", [&](const Json& v, const std::string& p) { r.text(v, p, c.access_log); }},
              {"work_dir", [&](const Json& v, const std::string& p) { r.text(v, p, c.work_dir); }},
              {"max_jobs", [&](const Json& v, const std::string& p) { r.number(v, p, c.max_jobs, 1, 1000); }},
              {"pdf_instances", [&](const Json& v, const std::string& p) { r.number(v, p, c.pdf_instances, 0, 16); }},
              {"pdf_queue", [&](const Json& v, const std::string& p) { r.number(v, p, c.pdf_queue, 1, 1000); }},
              {"cookie_secure", [&](const Json& v, const std::string& p) { r.boolean(v, p, c.cookie_secure); }},
              {"trusted_proxies", [&](const Json& v, const std::string& p) { r.texts(v, p, c.trusted_proxies); }},
              {"password_iterations",
               [&](const Json& v, const std::string& p) { r.number(v, p, c.password_iterations, 200000, 10000000); }},
              {"limits", [&](const Json& v, const std::string& p) {
                   r.object(v, p,
                            {{"max_body", [&](const Json& x, const std::string& q) { r.number(x, q, l.max_body, 1024, 1LL << 30); }},
                             {"max_upload", [&](const Json& x, const std::string& q) { r.number(x, q, l.max_upload, 1024, 1LL << 34); }},
                             {"request_timeout", [&](const Json& x, const std::string& q) { r.number(x, q, l.request_timeout, 1, 3600); }},
                             {"keep_alive_timeout", [&](const Json& x, const std::string& q) { r.number(x, q, l.keep_alive_timeout, 1, 3600); }},
                             {"max_keep_alive_requests", [&](const Json& x, const std::string& q) { r.number(x, q, l.max_keep_alive_requests, 1, 1000000); }},
                             {"max_queued", [&](const Json& x, const std::string& q) { r.number(x, q, l.max_queued, 1, 100000); }},
                             {"session_hours", [&](const Json& x, const std::string& q) { r.number(x, q, l.session_hours, 1, 24 * 31); }},
                             {"token_max_days", [&](const Json& x, const std::string& q) { r.number(x, q, l.token_max_days, 1, 3660); }},
                             {"login_failures_per_login", [&](const Json& x, const std::string& q) { r.number(x, q, l.login_failures_per_login, 1, 1000); }},
                             {"login_failures_per_address", [&](const Json& x, const std::string& q) { r.number(x, q, l.login_failures_per_address, 1, 100000); }},
                             {"job_stale_seconds", [&](const Json& x, const std::string& q) { r.number(x, q, l.job_stale_seconds, 2, 3600); }}});
               }}});
    c.file = path;
}

void check_config(const ServerConfig& c) {
    const auto colon = c.listen.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        bad_option("--listen", "адрес «" + c.listen + "» записан неверно; ожидалось АДРЕС:ПОРТ, например 127.0.0.1:8080");
    }
    int port = -1;
    const std::string p = c.listen.substr(colon + 1);
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
        bad_option("--listen", "порт «" + p + "» должен быть числом от 0 до 65535");
    }
    if (c.threads < 1 || c.threads > 1024) bad_option("--threads", "число потоков должно быть от 1 до 1024");
    if (c.limits.max_body < 1024) bad_option("--max-body", "наибольший размер запроса должен быть не меньше 1024 байт");
}

std::string default_database_path() {
    // default_state_path names "<name>.sqlite" in the state folder; its folder is what we need.
    const auto any = store::default_state_path("region");
    return (any.parent_path() / "server" / "region.sqlite").string();
}

std::string default_work_dir(const ServerConfig& c) {
    if (!c.work_dir.empty()) return c.work_dir;
    // Beside an SQLite database ("<folder>/region.sqlite" → "<folder>/work"); for PostgreSQL the
    // state folder's server/work.
    const std::string db = c.database.empty() ? default_database_path() : c.database;
    if (store::is_postgres_location(db)) return (std::filesystem::path(default_database_path()).parent_path() / "work").string();
    std::string file = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
    return (std::filesystem::absolute(file).parent_path() / "work").string();
}

}  // namespace ppko::server
