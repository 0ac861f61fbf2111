#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "diag/diagnostic.h"

namespace ppko::io {
namespace fs = std::filesystem;

namespace {

std::string reason(int err) {
    switch (err) {
        case EACCES:
        case EPERM: return "нет прав на запись";
        case ENOENT: return "папка не существует";
        case ENOSPC: return "на диске нет места";
        case EROFS: return "диск доступен только для чтения";
        case ENOTDIR: return "часть пути — это файл, а не папка";
        case EISDIR: return "по этому пути находится папка";
        default: return std::strerror(err);
    }
}

[[noreturn]] void write_error(const fs::path& p, const std::string& what, int err) {
    throw Error(ErrorId::io_write, p.string(), {}, "", what + ": " + reason(err));
}

}  // namespace

OutputTransaction::~OutputTransaction() {
    for (const auto& p : pending_) {
        std::error_code ec;
        fs::remove(p.temporary, ec);
    }
}

fs::path OutputTransaction::temporary_for(const fs::path& path) {
    fs::path tmp = path;
    tmp += ".ppko-tmp-" + std::to_string(::getpid());
    pending_.push_back({tmp, path});
    return tmp;
}

void OutputTransaction::write(const fs::path& path, std::string_view bytes) {
    const fs::path tmp = temporary_for(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) write_error(path, "не удаётся создать файл", errno);
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            write_error(path, "не удаётся записать файл", err);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) write_error(path, "не удаётся записать файл", errno);
}

void OutputTransaction::commit() {
    for (const auto& p : pending_) {
        if (::rename(p.temporary.c_str(), p.final_path.c_str()) != 0) {
            write_error(p.final_path, "не удаётся сохранить файл под окончательным именем", errno);
        }
        committed_.push_back(p.final_path);
    }
    pending_.clear();
}

void ensure_directory(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) write_error(dir, "не удаётся создать папку", ec.value());
    if (::access(dir.c_str(), W_OK) != 0) write_error(dir, "в папку нельзя записывать", errno);
}

std::string read_file(const fs::path& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        throw Error(ErrorId::io_read, path.string(), {}, "", "не удаётся открыть файл: " + reason(errno));
    }
    std::string out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    const bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) throw Error(ErrorId::io_read, path.string(), {}, "", "ошибка чтения файла");
    return out;
}

}  // namespace ppko::io
