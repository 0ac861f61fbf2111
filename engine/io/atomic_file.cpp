#include "io/atomic_file.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "text/utf8.h"

namespace ppko::io {
namespace fs = std::filesystem;

namespace {

std::string reason(int err, bool writing = true) {
    switch (err) {
        case EACCES:
        case EPERM: return writing ? "нет прав на запись" : "нет прав на чтение";
        case ENOENT: return writing ? "папка не существует" : "файл не существует";
        case ENOSPC: return "на диске нет места";
        case EROFS: return "диск доступен только для чтения";
        case ENOTDIR: return "часть пути — это файл, а не папка";
        case EISDIR: return "по этому пути находится папка";
        case ELOOP: return "по этому пути находится символическая ссылка";
        default: return std::strerror(err);
    }
}

[[noreturn]] void write_error(const fs::path& p, const std::string& what, int err) {
    throw Error(ErrorId::io_write, p.string(), {}, "", what + ": " + reason(err));
}

constexpr std::string_view kTemporaryMark = ".ppko-tmp-";

// The pid in a temporary file's name ("<final>.ppko-tmp-<pid>" as older versions wrote it, or
// "<final>.ppko-tmp-<pid>-<hex>"), or 0 when the name is not one.
pid_t temporary_owner(std::string_view name) {
    const auto at = name.rfind(kTemporaryMark);
    if (at == std::string_view::npos || at == 0) return 0;
    std::string_view rest = name.substr(at + kTemporaryMark.size());
    const auto dash = rest.find('-');
    const std::string_view pid_text = rest.substr(0, dash);
    if (pid_text.empty() || pid_text.size() > 9) return 0;
    pid_t pid = 0;
    for (char c : pid_text) {
        if (c < '0' || c > '9') return 0;
        pid = pid * 10 + (c - '0');
    }
    if (dash != std::string_view::npos) {
        const std::string_view hex = rest.substr(dash + 1);
        if (hex.empty()) return 0;
        for (char c : hex) {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
        }
    }
    return pid;
}

// splitmix64: temporary names need to be unlikely to collide, not secret (O_EXCL guards them).
std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

std::uint64_t random_seed() {
    std::uint64_t seed = 0;
    if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof seed)) {
        seed = static_cast<std::uint64_t>(::getpid()) ^ reinterpret_cast<std::uintptr_t>(&seed);
    }
    return seed;
}

}  // namespace

std::size_t remove_stale_temporaries(const fs::path& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return 0;
    std::size_t removed = 0;
    const pid_t self = ::getpid();
    while (const dirent* e = ::readdir(d)) {
        const pid_t pid = temporary_owner(e->d_name);
        if (pid <= 0 || pid == self) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to signal): keep
        // unlinkat never follows a symlink: a planted link is removed, not its target.
        if (::unlinkat(::dirfd(d), e->d_name, 0) == 0) ++removed;
    }
    ::closedir(d);
    return removed;
}

OutputTransaction::OutputTransaction(bool durable)
    : prefix_(std::string(kTemporaryMark) + std::to_string(::getpid()) + "-"), seed_(random_seed()), durable_(durable) {}

OutputTransaction::~OutputTransaction() {
    for (const auto& p : pending_) {
        if (!p.temporary.empty()) ::unlink(p.temporary.c_str());
    }
}

void OutputTransaction::sweep_once(const fs::path& dir) {
    const std::lock_guard lock(mutex_);
    if (swept_.insert(dir.native()).second) remove_stale_temporaries(dir.empty() ? fs::path(".") : dir);
}

std::size_t OutputTransaction::add_pending(const fs::path& path) {
    const std::lock_guard lock(mutex_);
    if (!finals_.insert(path.native()).second) {
        throw Error(ErrorId::internal, path.string(), {}, "", "файл записывается за один запуск дважды");
    }
    pending_.push_back({path.native(), {}});
    return pending_.size() - 1;
}

void OutputTransaction::write(const fs::path& path, std::string_view bytes) {
    sweep_once(path.parent_path());
    // A folder under the final name would make the rename fail after others were done.
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) write_error(path, "не удаётся сохранить файл", EISDIR);
    const std::size_t index = add_pending(path);
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        {
            const std::lock_guard lock(mutex_);
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(mix(seed_ + ++counter_)));
            tmp = path.native() + prefix_ + hex;
            pending_[index].temporary = tmp;
        }
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && (errno != EEXIST || attempt == 8)) {
            const int err = errno;
            {
                const std::lock_guard lock(mutex_);
                pending_[index].temporary.clear();  // not ours: never unlink it
            }
            write_error(path, "не удаётся создать файл", err);
        }
    }
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
    // The first few files are made durable here (on the writing threads); a big batch at once
    // in commit().
    if (durable_ && index < kSyncEachUpTo && ::fdatasync(fd) != 0 && errno != EINVAL) {
        const int err = errno;
        ::close(fd);
        write_error(path, "не удаётся записать файл", err);
    }
    if (::close(fd) != 0) write_error(path, "не удаётся записать файл", errno);
}

void OutputTransaction::commit() {
    // The folders of the run, once each.
    std::vector<std::string> dirs;
    {
        std::unordered_set<std::string> seen;
        for (const auto& p : pending_) {
            std::string dir = fs::path(p.final_path).parent_path().native();
            if (dir.empty()) dir = ".";
            if (seen.insert(dir).second) dirs.push_back(std::move(dir));
        }
    }
    if (durable_ && pending_.size() > kSyncEachUpTo) {
        std::unordered_set<dev_t> synced;
        for (const auto& dir : dirs) {
            const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            struct stat st{};
            if (fd < 0) write_error(dir, "не удаётся сохранить файлы", errno);
            if (::fstat(fd, &st) == 0 && synced.insert(st.st_dev).second && ::syncfs(fd) != 0) {
                const int err = errno;
                ::close(fd);
                write_error(dir, "не удаётся сохранить файлы", err);
            }
            ::close(fd);
        }
    }
    for (std::size_t k = 0; k < pending_.size(); ++k) {
        if (::rename(pending_[k].temporary.c_str(), pending_[k].final_path.c_str()) != 0) {
            const int err = errno;
            const std::string failed = pending_[k].final_path;
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(k));  // those are in place
            write_error(failed, "не удаётся сохранить файл под окончательным именем", err);
        }
    }
    pending_.clear();
    finals_.clear();
    // The renames themselves durable: each folder's entries synced (best effort: the files are
    // already in place whatever this says).
    for (const auto& dir : dirs) {
        if (!durable_) break;
        const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;
        ::fsync(fd);
        ::close(fd);
    }
}

std::string file_name_problem(std::string_view name) {
    if (name.empty()) return "имя пустое";
    if (name.size() > kMaxFileName) return "имя длиннее " + std::to_string(kMaxFileName) + " байт";
    if (name.front() == '.') return "имя не может начинаться с точки";
    for (unsigned char c : name) {
        if (c == '/' || c == '\\') return "в имени файла не может быть «/» и «\\»";
        if (c < 0x20 || c == 0x7F) return "в имени есть управляющий символ";
    }
    if (!text::is_valid_utf8(name)) return "имя не в кодировке UTF-8";
    return {};
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
        throw Error(ErrorId::io_read, path.string(), {}, "", "не удаётся открыть файл: " + reason(errno, false));
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
