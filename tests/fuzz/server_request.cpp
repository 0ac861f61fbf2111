// Fuzz target: what the server parses of a request before any handler runs, and the JSON it
// writes back. Input lines: 1 "METHOD TARGET" (the request line), 2 a Cookie header, 3 a bearer
// token, then the body. Exercised: parse_target (percent-decoding, query), the router's match of
// every route (parameter alphabets, encoded "/" and ".."), cookie_value, token_caller (Poco::JWT
// parsing and the signature check, against a scratch SQLite database with the server's tables),
// Body (JSON with positions, field getters, allow_only), and JsonWriter, whose output must always
// be valid JSON that reads back to the same strings.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fuzz_util.h"
#include "server/json_api.h"
#include "server/router.h"
#include "server/schema.h"
#include "server/session.h"
#include "server/tokens.h"
#include "store/database.h"

using namespace ppko;

namespace {

std::string_view next_line(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    return line;
}

std::filesystem::path scratch_db() {
    return std::filesystem::temp_directory_path() / ("ppko-fuzz-server-" + std::to_string(::getpid()) + ".sqlite");
}

store::Database& database() {
    static const std::shared_ptr<store::Database> db = [] {
        auto d = store::Database::open(scratch_db().string());
        d->migrate(server::server_schema());
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove(scratch_db(), ec);
        });
        return d;
    }();
    return *db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const server::Router router(server::routes());
    std::string_view rest = fuzz::text(data, size);
    const std::string_view request_line = next_line(rest);
    const std::string_view cookie = next_line(rest);
    const std::string_view bearer = next_line(rest);
    const std::string_view body = rest;

    const auto space = request_line.find(' ');
    const std::string_view method = request_line.substr(0, space);
    const std::string_view target = space == std::string_view::npos ? std::string_view{} : request_line.substr(space + 1);
    try {
        std::string raw_path;
        std::map<std::string, std::string, std::less<>> query;
        server::parse_target(target, raw_path, query);
        const server::Match m = router.match(method, raw_path);
        if (m.route == nullptr) std::abort();  // match() throws rather than return nothing
        for (const auto& [name, value] : m.params)
            if (!server::valid_parameter(name, value)) std::abort();  // the router lets no bad name through
    } catch (const Error&) {
    }

    (void)server::cookie_value(cookie, server::kSessionCookie);

    if (!bearer.empty()) {
        try {
            auto c = database().connect();
            (void)server::token_caller(*c, "fuzz-secret-0123456789abcdef0123456789", bearer);
            std::abort();  // no input can carry a valid signature for this secret
        } catch (const Error&) {
        }
    }

    try {
        const server::Body b{std::string(body)};
        for (const char* key : {"name", "title", "login", "password", "version", "active", "role"}) {
            try {
                if (b.has(key)) {
                    (void)b.optional_text(key, 200);
                }
            } catch (const Error&) {
            }
            try {
                (void)b.optional_integer(key, -1000000, 1000000);
            } catch (const Error&) {
            }
            try {
                (void)b.optional_boolean(key);
            } catch (const Error&) {
            }
        }
        b.allow_only({"name", "title", "login", "password", "version", "active", "role"});
    } catch (const Error&) {
    }

    // Whatever text a handler puts into JSON (a school named by a user), the answer parses.
    server::JsonWriter w;
    w.begin_object().key(body).value(body).key("list").begin_array().value(cookie).value(bearer).value(std::int64_t(size)).end_array().end_object();
    const std::string out = w.take();
    const auto parsed = nlohmann::json::parse(out, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("list") || parsed["list"].size() != 3) std::abort();
    return 0;
}
