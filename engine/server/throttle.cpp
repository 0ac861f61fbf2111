#include "server/throttle.h"

#include <algorithm>

#include "server/accounts.h"

namespace ppko::server {
namespace {

using namespace Poco::Data::Keywords;
using store::Access;

std::string login_key(const std::string& login) { return "login:" + login; }
std::string address_key(const std::string& address) { return "address:" + address; }

std::int64_t wait_of(store::Connection& c, const std::string& key, std::int64_t at) {
    std::vector<Poco::Int64> until;
    std::string k = key;
    auto st = c.statement("SELECT blocked_until FROM login_failures WHERE key = $1");
    c.run(Access::read, [&] { st, use(k), into(until), now; });
    return until.empty() ? 0 : std::max<std::int64_t>(0, until[0] - at);
}

// One more failure of `key` (atomic across servers), and its new wait once past `limit`.
void fail(store::Connection& c, const std::string& key, int limit, std::int64_t at) {
    std::string k = key;
    Poco::Int64 t = at, forget = at - kThrottleWindow;
    std::vector<Poco::Int64> failures;
    auto st = c.statement(
        "INSERT INTO login_failures (key, failures, last_at, blocked_until) VALUES ($1, 1, $2, 0)"
        " ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_at < $3 THEN 1"
        " ELSE login_failures.failures + 1 END, last_at = excluded.last_at RETURNING failures");
    c.run(Access::write, [&] { st, use(k), use(t), use(forget), into(failures), now; });
    const std::int64_t n = failures.empty() ? 0 : failures[0];
    if (n < limit) return;
    const std::int64_t wait =
        std::min<std::int64_t>(kThrottleWindow, kFirstWait << std::min<std::int64_t>(20, n - limit));
    Poco::Int64 until = at + wait;
    auto up = c.statement("UPDATE login_failures SET blocked_until = $1 WHERE key = $2");
    c.run(Access::write, [&] { up, use(until), use(k), now; });
}

}  // namespace

std::int64_t login_wait(store::Connection& c, const std::string& login, const std::string& address) {
    const std::int64_t at = now_seconds();
    return std::max(wait_of(c, login_key(login), at), wait_of(c, address_key(address), at));
}

void record_login_failure(store::Connection& c, const std::string& login, const std::string& address,
                          const ThrottleLimits& limits) {
    const std::int64_t at = now_seconds();
    fail(c, login_key(login), limits.per_login, at);
    fail(c, address_key(address), limits.per_address, at);
}

void record_login_success(store::Connection& c, const std::string& login) {
    std::string k = login_key(login);
    auto st = c.statement("DELETE FROM login_failures WHERE key = $1");
    c.run(Access::write, [&] { st, use(k), now; });
}

}  // namespace ppko::server
