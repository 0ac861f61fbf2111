#include "server/passwords.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "diag/diagnostic.h"

namespace ppko::server {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr int kMaxIterations = 10'000'000;

std::string base64(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

// Decodes standard base64; empty on malformed input.
std::vector<unsigned char> unbase64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return {};
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return {};
    std::size_t size = static_cast<std::size_t>(n);
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) --size;  // EVP counts padding
    out.resize(size);
    return out;
}

void random_bytes(unsigned char* out, std::size_t n) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1) {
        throw Error(ErrorId::internal, "", {}, "", "генератор случайных чисел OpenSSL не выдал данных");
    }
}

std::vector<unsigned char> derive(std::string_view password, const unsigned char* salt, std::size_t salt_len,
                                  int iterations) {
    std::vector<unsigned char> out(kHashBytes);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, static_cast<int>(salt_len),
                          iterations, EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1) {
        throw Error(ErrorId::internal, "", {}, "", "OpenSSL не вычислил PBKDF2");
    }
    return out;
}

}  // namespace

PasswordHash hash_password(std::string_view password, int iterations) {
    unsigned char salt[kSaltBytes];
    random_bytes(salt, sizeof salt);
    const auto hash = derive(password, salt, sizeof salt, iterations);
    return PasswordHash{std::string(kPasswordAlgorithm), iterations, base64(salt, sizeof salt),
                        base64(hash.data(), hash.size())};
}

bool verify_password(std::string_view password, const PasswordHash& stored) {
    if (stored.algorithm != kPasswordAlgorithm || stored.iterations < 1 || stored.iterations > kMaxIterations) {
        return false;
    }
    const auto salt = unbase64(stored.salt);
    const auto expected = unbase64(stored.hash);
    if (salt.empty() || expected.size() != kHashBytes) return false;
    const auto got = derive(password, salt.data(), salt.size(), stored.iterations);
    return CRYPTO_memcmp(got.data(), expected.data(), kHashBytes) == 0;
}

std::string password_problem(std::string_view password) {
    if (password.size() < 10) return "пароль короче 10 символов";
    if (password.size() > 1024) return "пароль длиннее 1024 байт";
    if (std::all_of(password.begin(), password.end(), [](char c) { return c == ' ' || c == '\t'; })) {
        return "пароль состоит из одних пробелов";
    }
    if (password.find('\0') != std::string_view::npos) return "пароль содержит нулевой символ";
    return {};
}

std::string random_token(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    random_bytes(raw.data(), raw.size());
    std::string out = base64(raw.data(), raw.size());
    for (char& c : out) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof digest);
    for (unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ppko::server
