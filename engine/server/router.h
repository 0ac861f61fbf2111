// Routes: each is a method, a path pattern with {parameters}, the roles that may call it, the
// scope its parameters are checked in (auth.h), and its handler. The router finds the route of a
// request and decodes its parameters; a name that could reach outside what it names (a "/",
// "..", a control character, anything beyond the code alphabet) is refused before any handler
// sees it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth.h"
#include "server/json_api.h"
#include "server/workspace_files.h"

namespace ppko::server {

struct Services;

// One request as a handler sees it.
struct Context {
    const Services& services;
    std::string method;
    std::string path;     // decoded, without the query
    std::string address;  // the client (X-Forwarded-For when the peer is a trusted proxy)
    std::map<std::string, std::string, std::less<>> params;  // from the path, checked
    std::map<std::string, std::string, std::less<>> query;   // decoded
    std::string body;
    std::function<std::string(std::string_view)> header;     // a request header, or ""
    std::optional<Caller> caller;  // set by authorize()
    Headers response_headers;      // extra headers for any answer (Set-Cookie after logout …)
    // A GET of a municipality's domain: its versions, read with the caller (authorize()), for the
    // handler's whole run (shared by a copy of the context, which ends first).
    std::shared_ptr<const KnownVersions> known_versions;

    const std::string& param(std::string_view name) const;
    // A query parameter, or `fallback`; an integer one within [min, max] (else server.bad_request).
    std::string query_text(std::string_view name, std::string fallback = {}) const;
    long long query_integer(std::string_view name, long long fallback, long long min, long long max) const;
    const Caller& who() const;  // the caller (routes that are not public)
};

using Handler = Response (*)(Context&);

struct Route {
    std::string_view method;   // GET, POST, PATCH, DELETE
    std::string_view pattern;  // "/api/municipalities/{municipality}/programs/{school}"
    Roles roles;
    Scope scope;
    Handler handler;
    std::string_view summary;  // Russian, one line (the OpenAPI file says the same)
};

// Every route of the server (routes.cpp).
std::span<const Route> routes();

// Path parameters: {login} is an account name (^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$), {token} a
// token's handle and {job} a batch job's id (^[0-9a-f]{32}$), {file} and {methodology_file} a data
// file's name (workspace_files.h: ^[a-z0-9][a-z0-9_-]{0,63}\.json$), every other one a code of a municipality or school
// (^[a-z0-9][a-z0-9_-]{0,63}$, the store's tenant alphabet).
bool valid_parameter(std::string_view name, std::string_view value);

struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
};

class Router {
public:
    explicit Router(std::span<const Route> routes) : routes_(routes) {}
    // The route for `method` and the raw request target's path (percent-encoded). Throws
    // server.not_found (no pattern matches), server.method_not_allowed (the path matches under
    // other methods; Allow lists them), server.bad_name (a parameter outside its alphabet or an
    // encoded "/", "..", control character in any segment).
    Match match(std::string_view method, std::string_view raw_path) const;

private:
    std::span<const Route> routes_;
};

// Splits a request target into its decoded path and query parameters (server.bad_request for a
// malformed percent-encoding or a query too long).
void parse_target(std::string_view target, std::string& raw_path,
                  std::map<std::string, std::string, std::less<>>& query);

// The fields of a form body (application/x-www-form-urlencoded), decoded like a query
// (server.bad_request for a malformed percent-encoding); its size is bounded by the server's body
// limit only, since a form's text fields (an expert's conclusion) outgrow a query's 4096 bytes.
std::map<std::string, std::string, std::less<>> parse_form(std::string_view body);

}  // namespace ppko::server
