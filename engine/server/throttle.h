// Login throttling, kept in the database so that every server of a region counts the same
// failures: after `per_login` failures for one login, or `per_address` from one client address,
// the next attempt waits 30 s × 2^(failures − limit) (capped at 15 minutes), and is refused
// (429 auth.throttled, Retry-After) without checking the password while it waits. Failures older
// than 15 minutes are forgotten; a successful login clears its login's count.
#pragma once

#include <cstdint>
#include <string>

#include "store/database.h"

namespace ppko::server {

struct ThrottleLimits {
    int per_login = 5;
    int per_address = 30;
};

inline constexpr std::int64_t kThrottleWindow = 15 * 60;  // seconds: the longest wait, and the memory
inline constexpr std::int64_t kFirstWait = 30;            // seconds after the limit's failure

// Seconds until `login` from `address` may try again (0: now).
std::int64_t login_wait(store::Connection& c, const std::string& login, const std::string& address);
void record_login_failure(store::Connection& c, const std::string& login, const std::string& address,
                          const ThrottleLimits& limits);
void record_login_success(store::Connection& c, const std::string& login);

}  // namespace ppko::server
