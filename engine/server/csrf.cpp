#include "server/csrf.h"

#include "diag/diagnostic.h"
#include "server/multipart.h"
#include "server/passwords.h"
#include "server/router.h"

namespace ppko::server {

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

std::string presented_csrf(std::string_view header, std::string_view content_type, std::string_view body) {
    if (header.empty() && !multipart_boundary(content_type).empty()) {  // an upload form
        try {
            const auto parts = parse_multipart(content_type, body);
            const FormPart* p = find_part(parts, kCsrfField);
            return p ? p->data : std::string();
        } catch (const Error&) {
            return "";
        }
    }
    if (!header.empty() || content_type.rfind("application/x-www-form-urlencoded", 0) != 0) return std::string(header);
    try {
        const auto fields = parse_form(body);
        auto it = fields.find(kCsrfField);
        return it == fields.end() ? std::string() : it->second;
    } catch (const Error&) {
        return "";  // a form too long or badly encoded presents no token
    }
}

void check_csrf(const Caller& caller, std::string_view method, std::string_view presented) {
    if (caller.via != Caller::Via::session || !is_state_changing(method)) return;
    if (presented.empty()) {
        throw Error(ErrorId::auth_csrf, "", {}, "",
                    "изменяющему запросу из браузера нужен заголовок " + std::string(kCsrfHeader) +
                        " с токеном из ответа на вход (или /api/whoami)");
    }
    if (!constant_time_equal(presented, caller.csrf)) {
        throw Error(ErrorId::auth_csrf, "", {}, "", "токен CSRF не совпадает с токеном сеанса");
    }
}

}  // namespace ppko::server
