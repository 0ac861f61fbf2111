// The access log: one line per request, written whole (one write() of a line on a file opened
// for appending, so lines of concurrent requests and of several servers sharing a file never
// interleave):
//   2026-11-23T10:15:02.123Z 127.0.0.1 coordinator-1 GET /api/municipalities/demidovsky/programs 200 5312 1.84ms
// Fields: UTC time, client address, login ("-" when anonymous), method, path with the query,
// status, response body bytes, time from the request's first byte being handled to the response
// being sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ppko::server {

struct AccessEntry {
    std::string address, user, method, target;
    int status = 0;
    std::uint64_t bytes = 0;
    double millis = 0;
};

class AccessLog {
public:
    // "-": standard error; "": no log; otherwise a file, created if needed and appended to
    // (io.write when it cannot be opened).
    explicit AccessLog(const std::string& target);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    void write(const AccessEntry& e);

private:
    int fd_ = -1;
    bool owned_ = false;
};

// The line write() puts out, without its time stamp and newline (for tests).
std::string access_line(const AccessEntry& e);

}  // namespace ppko::server
