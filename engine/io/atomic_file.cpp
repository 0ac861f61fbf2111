#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "io/allocator.h"

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

OutputTransaction::OutputTransaction() : suffix_(".ppko-tmp-" + std::to_string(::getpid())) {}

OutputTransaction::~OutputTransaction() {
    for (const auto& p : pending_) ::unlink((p + suffix_).c_str());
}

fs::path OutputTransaction::temporary_for(const fs::path& path) {
    const std::lock_guard lock(mutex_);
    pending_.push_back(path.native());
    return pending_.back() + suffix_;
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
    for (std::size_t k = 0; k < pending_.size(); ++k) {
        if (::rename((pending_[k] + suffix_).c_str(), pending_[k].c_str()) != 0) {
            const int err = errno;
            const std::string failed = pending_[k];
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(k));  // those are in place
            write_error(failed, "не удаётся сохранить файл под окончательным именем", err);
        }
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
    // Straight into a string of the file's size: one allocation and no spare capacity (the text
    // of a data file is kept for positions). Then whatever is left: a file that grew meanwhile,
    // or one without a size (a pipe).
    std::string out;
    struct stat st{};
    if (::fstat(::fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        out.reserve(static_cast<std::size_t>(st.st_size));
        prefault(out.data(), out.capacity());
        out.resize(static_cast<std::size_t>(st.st_size));
        out.resize(std::fread(out.data(), 1, out.size(), f));
    }
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    const bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) throw Error(ErrorId::io_read, path.string(), {}, "", "ошибка чтения файла");
    return out;
}

}  // namespace ppko::io
