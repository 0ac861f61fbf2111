#include "server/csrf.h"

#include "diag/diagnostic.h"
#include "server/passwords.h"

namespace ppko::server {

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

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
