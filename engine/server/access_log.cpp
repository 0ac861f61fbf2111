#include "server/access_log.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "text/utf8.h"

namespace ppko::server {
namespace {

std::string utc_now() {
    const auto t = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

// A field without spaces or control characters, so a line always splits into its fields.
std::string field(std::string_view s) {
    if (s.empty()) return "-";
    std::string out;
    text::append_sanitized(out, text::utf8_prefix(s, 512));
    for (char& c : out) {
        if (c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '_';
    }
    return out;
}

}  // namespace

AccessLog::AccessLog(const std::string& target) {
    if (target.empty()) return;
    if (target == "-") {
        fd_ = STDERR_FILENO;
        return;
    }
    fd_ = ::open(target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) {
        throw Error(ErrorId::io_write, target, {}, "",
                    std::string("не удаётся открыть журнал запросов для записи: ") + std::strerror(errno));
    }
    owned_ = true;
}

AccessLog::~AccessLog() {
    if (owned_) ::close(fd_);
}

std::string access_line(const AccessEntry& e) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.2fms", e.millis);
    return field(e.address) + " " + field(e.user) + " " + field(e.method) + " " + field(e.target) + " " +
           std::to_string(e.status) + " " + std::to_string(e.bytes) + " " + ms;
}

void AccessLog::write(const AccessEntry& e) {
    if (fd_ < 0) return;
    const std::string line = utc_now() + " " + access_line(e) + "\n";
    // One write of the whole line: O_APPEND makes it land whole at the end of the file.
    const ssize_t n = ::write(fd_, line.data(), line.size());
    (void)n;  // a full disk must not fail the request that was already answered
}

}  // namespace ppko::server
