// The frame every web page shares: the layout (Russian, a header with who is signed in, sign-out
// and navigation by role), the security headers of every HTML answer, POST-redirect-GET, forms
// with the session's CSRF token, error pages, and calls into the JSON API's own handlers so that a
// form runs the same checks, audit and messages as the API and the command line.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "server/router.h"
#include "web/html.h"

namespace ppko::server {
struct LoadedMunicipality;
}

namespace ppko::web {

using server::Context;
using server::Response;

// Content-Security-Policy (no inline script or style, nothing from elsewhere), X-Frame-Options,
// Referrer-Policy, X-Content-Type-Options: added to every HTML answer and asset.
void add_security_headers(server::Headers& h);

// A full page: the layout around `content`, which writes what follows the <h1>title</h1>.
Response page(const Context& ctx, std::string_view title, const std::function<void(Html&)>& content, int status = 200);

// An embedded asset (web/assets.h) with its type, the security headers and an hour's caching;
// internal error when the build lacks it.
Response asset(std::string_view name, std::string_view content_type);

// 303 See Other to `location` (a path of this server) with the security headers.
Response redirect(std::string location, server::Headers extra = {});

// The page for an error of a page route: auth.required and auth.bad_token send the browser to the
// sign-in page (with where it was going); other errors show their message and id with the HTTP
// status of the API.
Response error_page(const Error& e, const Context& ctx);

// Opens <form method="post" action=…> with the session's CSRF token as its first field; close it
// with h.close().
void open_post_form(Html& h, const Context& ctx, std::string_view action, std::string_view css_class = {});

// Runs the API route `method path` (with its query string, if any) with `body` as the signed-in caller of `ctx` (the same router,
// authorisation and handler as an API request; the page's own CSRF check stands for the API's).
// Errors propagate as thrown.
Response call_api(const Context& ctx, std::string_view method, std::string_view path, const nlohmann::ordered_json& body);

// Text for a query string: everything but unreserved ASCII as %XX (UTF-8 bytes).
std::string percent_encode(std::string_view s);

// A form's fields (server::parse_form) with "" for a field the form did not send.
class Form {
public:
    explicit Form(std::string_view body) : fields_(server::parse_form(body)) {}
    std::string operator[](std::string_view key) const {
        auto it = fields_.find(key);
        return it == fields_.end() ? std::string() : it->second;
    }

private:
    std::map<std::string, std::string, std::less<>> fields_;
};

// The id of an error's first diagnostic.
ErrorId error_id(const Error& e);

// The municipality's loaded data, or null when it has no data files on the server yet (the page
// then says so); every other error (data that do not load) is thrown.
std::shared_ptr<const server::LoadedMunicipality> loaded_or_none(const Context& ctx, const std::string& municipality);

// A form field's error shown next to it: "message [id]".
std::string field_message(const Error& e);
// The JSON field ("$.old_password" → "old_password") an API error is about, or "".
std::string error_field(const Error& e);

// Who made a change, as people read it: the account's name with its login («Иванова И.И.
// (moc.smolensk)»), the login alone for an account without a name or no longer there, and
// «администратор сервера (с командной строки)» for the command line's changes ("cli:<user>").
std::string actor_title(const Context& ctx, const std::string& actor);

// Russian name of a role: "координатор муниципалитета (МОЦ)".
std::string_view role_title(server::Role r);
// The page a caller starts on: its region, municipality, school or the accounts.
std::string home_of(const server::Caller& c);

// A labelled text-like input inside a .field block, with its error (if any) next to it and tied
// to it by aria-describedby.
void input_field(Html& h, std::string_view name, std::string_view label, std::string_view type,
                 std::string_view value, std::string_view error, std::string_view autocomplete);

}  // namespace ppko::web
