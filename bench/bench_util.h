// Helpers shared by the benchmarks: timing, CPU and memory figures, a scratch folder, and a
// small ZIP reader (to re-zip the very parts of our output as "the floor"). Benchmarks only.
#pragma once

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The value of --schools: an integer in 1..99999, or std::invalid_argument.
inline int parse_schools(const char* value) {
    char* end = nullptr;
    const long v = std::strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < 1 || v > 99999) throw std::invalid_argument("--schools wants an integer in 1..99999");
    return static_cast<int>(v);
}

inline double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// Nearest-rank percentile (q in [0, 1]) of a non-empty sample; sorts a copy.
inline double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(rank, v.size() - 1)];
}

inline double median(const std::vector<double>& v) { return percentile(v, 0.5); }

inline rusage usage_now() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);  // every thread of the process
    return r;
}

// User + system CPU time between two getrusage() samples, in ms. Unlike the wall times it does
// not grow when other processes share the cores, so it is the figure to compare on a busy machine.
inline double cpu_ms(const rusage& a, const rusage& b) {
    auto us = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
    return (us(b.ru_utime) - us(a.ru_utime) + us(b.ru_stime) - us(a.ru_stime)) / 1000.0;
}

inline double peak_rss_mb() { return static_cast<double>(usage_now().ru_maxrss) / 1024.0; }

// The resident set now (not the peak), from /proc/self/statm; 0 where there is none.
inline double current_rss_mb() {
    std::ifstream in("/proc/self/statm");
    unsigned long long size = 0, resident = 0;
    if (!(in >> size >> resident)) return 0;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// A private folder in /dev/shm (or /tmp), removed on every exit path.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& prefix) {
        const char* base = fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
        std::string tmpl = std::string(base) + "/" + prefix + "-XXXXXX";
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed in " + std::string(base));
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

struct Part {
    std::string name;
    std::string data;  // uncompressed
};

inline std::uint16_t get16(std::string_view s, std::size_t at) {
    if (at + 2 > s.size()) throw std::runtime_error("ZIP: truncated");
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      static_cast<unsigned char>(s[at + 1]) << 8);
}

inline std::uint32_t get32(std::string_view s, std::size_t at) {
    return get16(s, at) | static_cast<std::uint32_t>(get16(s, at + 2)) << 16;
}

// The entries of a ZIP archive in central-directory order, inflated and CRC-checked. Handles
// what docx::ZipWriter and libxlsxwriter's minizip write: stored or deflated entries, with or
// without data descriptors (sizes are taken from the central directory); no ZIP64.
inline std::vector<Part> read_zip(std::string_view zip) {
    constexpr std::size_t kEndRecordSize = 22;
    if (zip.size() < kEndRecordSize) throw std::runtime_error("ZIP: too short");
    std::size_t end = zip.size() - kEndRecordSize;
    while (get32(zip, end) != 0x06054b50) {
        if (end == 0 || zip.size() - end > kEndRecordSize + 0xffff)
            throw std::runtime_error("ZIP: no end record");
        --end;
    }
    const std::uint16_t count = get16(zip, end + 10);
    std::size_t cd = get32(zip, end + 16);

    std::vector<Part> parts;
    for (std::uint16_t i = 0; i < count; ++i) {
        if (get32(zip, cd) != 0x02014b50) throw std::runtime_error("ZIP: bad central header");
        const std::uint16_t method = get16(zip, cd + 10);
        const std::uint32_t crc = get32(zip, cd + 16);
        const std::uint32_t csize = get32(zip, cd + 20);
        const std::uint32_t usize = get32(zip, cd + 24);
        const std::uint16_t name_len = get16(zip, cd + 28);
        const std::uint16_t extra_len = get16(zip, cd + 30);
        const std::uint16_t comment_len = get16(zip, cd + 32);
        const std::uint32_t local = get32(zip, cd + 42);
        Part p;
        p.name = std::string(zip.substr(cd + 46, name_len));
        cd += 46u + name_len + extra_len + comment_len;

        if (get32(zip, local) != 0x04034b50) throw std::runtime_error("ZIP: bad local header");
        const std::size_t data_at = local + 30u + get16(zip, local + 26) + get16(zip, local + 28);
        if (data_at + csize > zip.size()) throw std::runtime_error("ZIP: entry past the end");
        const std::string_view packed = zip.substr(data_at, csize);
        p.data.resize(usize);
        if (method == 0) {
            if (csize != usize) throw std::runtime_error("ZIP: stored sizes differ");
            std::memcpy(p.data.data(), packed.data(), usize);
        } else if (method == 8) {
            z_stream zs{};
            if (inflateInit2(&zs, -15) != Z_OK) throw std::runtime_error("ZIP: inflateInit2");
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
            zs.avail_in = csize;
            zs.next_out = reinterpret_cast<Bytef*>(p.data.data());
            zs.avail_out = usize;
            const int rc = inflate(&zs, Z_FINISH);
            const auto produced = zs.total_out;
            inflateEnd(&zs);
            if (rc != Z_STREAM_END || produced != usize) throw std::runtime_error("ZIP: inflate " + p.name);
        } else {
            throw std::runtime_error("ZIP: unsupported method in " + p.name);
        }
        const auto actual = crc32_z(0, reinterpret_cast<const Bytef*>(p.data.data()), p.data.size());
        if (actual != crc) throw std::runtime_error("ZIP: CRC mismatch in " + p.name);
        parts.push_back(std::move(p));
    }
    return parts;
}

}  // namespace ppko::bench
