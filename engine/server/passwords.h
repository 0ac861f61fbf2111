// Passwords: PBKDF2-HMAC-SHA256 through OpenSSL with a random 16-byte salt and a high iteration
// count, stored as (algorithm, iterations, salt, hash) so that the count can be raised later
// without invalidating stored hashes; verification compares in constant time. Also the random
// values and digests the accounts use (session cookies, CSRF tokens, token ids).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ppko::server {

// At least the count OWASP named for PBKDF2-HMAC-SHA256 in 2021 (the brief's floor: 200,000).
inline constexpr int kPasswordIterations = 210000;
inline constexpr std::string_view kPasswordAlgorithm = "pbkdf2-sha256";

struct PasswordHash {
    std::string algorithm;  // kPasswordAlgorithm
    int iterations = 0;
    std::string salt;  // base64
    std::string hash;  // base64 of 32 bytes
};

PasswordHash hash_password(std::string_view password, int iterations = kPasswordIterations);
// False for a wrong password and for a hash this program cannot check (unknown algorithm).
bool verify_password(std::string_view password, const PasswordHash& stored);

// What a new password must be: 10 to 1024 bytes, not only spaces. Returns the Russian reason it is
// refused, or empty when it is fine.
std::string password_problem(std::string_view password);

// `bytes` random bytes from OpenSSL's generator, base64url without padding.
std::string random_token(std::size_t bytes = 32);
// SHA-256 of `text` as lowercase hex.
std::string sha256_hex(std::string_view text);
// Equality of two strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace ppko::server
