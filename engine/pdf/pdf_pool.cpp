#include "pdf/pdf_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"

// How the pool talks to LibreOffice (no UNO bindings, only its command line):
//  - an instance: `soffice --headless --invisible --norestore --nologo --nolockcheck
//    -env:UserInstallation=file://<profile> --accept=pipe,name=<n>;urp; private:factory/swriter`.
//    The acceptor's socket (/tmp/OSL_PIPE_<uid>_<n>) appears when the office is initialised: that
//    is the signal it is ready. The hidden empty Writer document keeps it running: an office
//    with no document open shuts down after a forwarded conversion;
//  - a request: `soffice --headless -env:UserInstallation=<the same profile> --convert-to pdf
//    --outdir <out> <files…>`. That process finds the running instance by the profile's
//    single-instance pipe, hands it the files and returns when they are converted;
//  - when an instance did not come up (it exited, or no socket in a minute), the request process
//    does the work itself, as a whole office: slower, same result.
// Children run with TZ=UTC (the PDF's date format does not change length) and in a process group
// of their own, so stopping an instance stops its soffice.bin too; an instance runs under a guard
// process that stops its group when the server goes, however it goes (spawn() below).

namespace ppko::pdf {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kConvertTimeout = std::chrono::minutes(5);
constexpr auto kPoll = std::chrono::milliseconds(20);

}  // namespace

bool can_run(const std::string& program) {
    if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/bin:/bin";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return false;
}

std::string soffice_program(std::string configured) {
    if (!configured.empty()) return configured;
    const char* env = std::getenv("PPKO_SOFFICE");
    return env && *env ? env : "soffice";
}

namespace {

// The environment of a child: this process's with TZ=UTC, built before fork (setenv is not safe
// in the child of a process with threads).
std::vector<std::string> child_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        if (std::strncmp(*e, "TZ=", 3) != 0) env.emplace_back(*e);
    }
    env.emplace_back("TZ=UTC");
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// In a forked child: stdin/stdout/stderr on /dev/null, signals as a fresh program expects them,
// then exec. Only async-signal-safe calls.
[[noreturn]] void exec_child(char* const* argv, char* const* envp) {
    // A server blocks SIGTERM in all its threads (it waits for it with sigwait) and ignores
    // SIGPIPE; both survive exec. The office must get them: SIGTERM is how it is stopped.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGCHLD, SIG_DFL);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
    ::execvpe(argv[0], argv, envp);
    ::_exit(127);
}

constexpr int kGuardGraceSeconds = 5;

// The guard of an office that must not outlive the server: the process group's leader, with the
// office as its child. When the server goes — the kernel's death signal reaches the guard even
// when the server was killed with SIGKILL and ran no code of its own — or stops the instance (a
// SIGTERM to the group), the guard passes SIGTERM to the group and SIGKILLs whatever is left after
// a grace period. LibreOffice's launcher (oosplash) does not always pass a SIGTERM on to
// soffice.bin, nor exit after it: without the guard an office could hold its memory and profile
// long after its server. As a subreaper the guard also collects soffice.bin when the launcher
// exits first. When the office exits by itself, the guard stops the rest of the group and exits
// with the office's status. Only async-signal-safe calls (it is a forked copy of the server).
[[noreturn]] void guard(pid_t parent, char* const* argv, char* const* envp) {
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, SIGTERM);
    ::sigaddset(&set, SIGCHLD);
    ::sigprocmask(SIG_SETMASK, &set, nullptr);  // taken with sigwait below
    ::signal(SIGCHLD, SIG_DFL);
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the server went before the death signal was set
    const pid_t office = ::fork();
    if (office < 0) ::_exit(127);
    if (office == 0) exec_child(argv, envp);
    int code = 0;
    for (;;) {
        int sig = 0;
        if (::sigwait(&set, &sig) != 0) continue;
        if (sig == SIGTERM) {
            code = 128 + SIGTERM;
            break;
        }
        bool office_exited = false;
        for (int status = 0;;) {
            const pid_t r = ::waitpid(-1, &status, WNOHANG);
            if (r <= 0) break;
            if (r == office) {
                office_exited = true;
                code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        if (office_exited) break;
    }
    ::kill(0, SIGTERM);  // the whole group; the guard's own is blocked and never taken
    timespec until{};
    ::clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += kGuardGraceSeconds;
    sigset_t child;
    ::sigemptyset(&child);
    ::sigaddset(&child, SIGCHLD);
    for (;;) {
        int status = 0;
        pid_t r;
        while ((r = ::waitpid(-1, &status, WNOHANG)) > 0) {
        }
        if (r < 0 && errno == ECHILD) ::_exit(code);  // every child gone
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > until.tv_sec || (now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec)) break;
        const timespec step{0, 100'000'000};
        ::sigtimedwait(&child, nullptr, &step);
    }
    ::kill(0, SIGKILL);  // the guard too: the group ends here
    ::_exit(code);
}

// Starts `args` (args[0] looked up on PATH) with stdin/stdout/stderr on /dev/null, TZ=UTC, in a
// process group of its own; `die_with_parent`: under a guard (above) that stops the group when the
// calling thread ends. The pid is the group's (the guard's or the program's). -1 on error.
pid_t spawn(const std::vector<std::string>& args, bool die_with_parent) {
    std::vector<std::string> arg_strings = args, env_strings = child_environment();
    const std::vector<char*> argv = pointers(arg_strings), envp = pointers(env_strings);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    // The child: only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    if (die_with_parent) guard(parent, argv.data(), envp.data());
    exec_child(argv.data(), envp.data());
}

// Waits for `pid` up to `limit`; kills its group when it takes longer. True when it exited.
bool wait_for(pid_t pid, Clock::duration limit) {
    const auto until = Clock::now() + limit;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) return true;
        if (Clock::now() > until) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return false;
        }
        std::this_thread::sleep_for(kPoll);
    }
}

bool exited(pid_t pid) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    return r == pid || (r < 0 && errno == ECHILD);
}

std::string extension(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(dot);
}

// Replaces the bytes from `at` while they are in `keep` with characters of `with`, cycling.
void overwrite_run(std::string& s, std::size_t at, std::string_view keep, std::string_view with) {
    for (std::size_t k = 0; at < s.size() && keep.find(s[at]) != std::string_view::npos; ++at, ++k) s[at] = with[k % with.size()];
}

}  // namespace

void make_reproducible(std::string& pdf, std::string_view digest_hex) {
    static constexpr std::string_view kHex = "0123456789ABCDEFabcdef";
    std::string hex;
    for (char c : digest_hex) hex += static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
    if (hex.empty()) hex = "0";
    for (std::string_view key : {"/CreationDate(D:", "/ModDate(D:"}) {
        for (std::size_t at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
            overwrite_run(pdf, at + key.size(), "0123456789", "20000101000000");
        }
    }
    for (std::size_t at = pdf.find("/ID"); at != std::string::npos; at = pdf.find("/ID", at + 1)) {
        std::size_t p = at + 3;
        while (p < pdf.size() && (pdf[p] == ' ' || pdf[p] == '[' || pdf[p] == '\n' || pdf[p] == '\r')) ++p;
        for (int pair = 0; pair < 2 && p < pdf.size() && pdf[p] == '<'; ++pair) {
            overwrite_run(pdf, p + 1, kHex, hex);
            p = pdf.find('>', p) + 1;
            while (p < pdf.size() && (pdf[p] == ' ' || pdf[p] == '\n' || pdf[p] == '\r')) ++p;
        }
    }
    for (std::size_t at = pdf.find("/DocChecksum /"); at != std::string::npos; at = pdf.find("/DocChecksum /", at + 1)) {
        overwrite_run(pdf, at + 14, kHex, hex);
    }
}

struct Pool::Impl {
    struct Instance {
        pid_t pid = -1;     // the office, -1 when none runs (requests then start their own)
        fs::path profile;   // its user installation
        fs::path work;      // in/ and out/ for its batches
    };

    unsigned max_instances;
    std::string soffice;
    fs::path root;  // private temporary folder, removed with the pool
    std::vector<Instance> instances;

    ~Impl() {
        for (auto& in : instances) {
            if (in.pid <= 0) continue;
            ::kill(-in.pid, SIGTERM);
            wait_for(in.pid, std::chrono::seconds(10));
        }
        std::error_code ec;
        if (!root.empty()) fs::remove_all(root, ec);
    }

    void ensure_root() {
        if (!root.empty()) return;
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ppko-pdf-XXXXXX";
        if (!::mkdtemp(pattern.data())) {
            throw Error(ErrorId::io_write, pattern, {}, "", std::string("не удаётся создать временную папку для PDF: ") + std::strerror(errno));
        }
        root = pattern;
    }

    // Starts instance k and waits until it is ready; on failure the instance runs no office.
    void start(std::size_t k) {
        Instance& in = instances[k];
        in.profile = root / ("profile-" + std::to_string(k));
        in.work = root / ("work-" + std::to_string(k));
        fs::create_directories(in.work);
        const std::string pipe = "ppko_pdf_" + std::to_string(::getpid()) + "_" + std::to_string(k) + "_" +
                                 fs::path(root).filename().string().substr(9);
        in.pid = spawn({soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nolockcheck",
                        "-env:UserInstallation=file://" + in.profile.string(), "--accept=pipe,name=" + pipe + ";urp;",
                        "private:factory/swriter"},
                       true);
        if (in.pid < 0) return;
        const std::string socket = "/tmp/OSL_PIPE_" + std::to_string(::getuid()) + "_" + pipe;
        const std::string alternate = "/var/tmp/OSL_PIPE_" + std::to_string(::getuid()) + "_" + pipe;
        const auto until = Clock::now() + kStartTimeout;
        for (;;) {
            struct stat st {};
            if (::stat(socket.c_str(), &st) == 0 || ::stat(alternate.c_str(), &st) == 0) return;
            if (exited(in.pid)) {
                in.pid = -1;
                return;
            }
            if (Clock::now() > until) {
                ::kill(-in.pid, SIGKILL);
                wait_for(in.pid, std::chrono::seconds(10));
                in.pid = -1;
                return;
            }
            std::this_thread::sleep_for(kPoll);
        }
    }

    // Converts sources[i] for i in `batch` on instance k into out[i]; throws on the first failure.
    void run_batch(std::size_t k, std::span<const Source> sources, const std::vector<std::size_t>& batch,
                   std::vector<std::string>& out) {
        const Instance& in = instances[k];
        const fs::path input = in.work / "in", output = in.work / "out";
        std::error_code ec;
        fs::remove_all(input, ec);
        fs::remove_all(output, ec);
        fs::create_directories(input);
        fs::create_directories(output);
        std::vector<std::string> args = {soffice, "--headless", "--norestore", "--nologo", "--nolockcheck",
                                         "-env:UserInstallation=file://" + in.profile.string(), "--convert-to", "pdf",
                                         "--outdir", output.string()};
        for (std::size_t i : batch) {
            const fs::path file = input / (std::to_string(i) + extension(sources[i].name));
            std::ofstream f(file, std::ios::binary);
            f.write(sources[i].bytes.data(), static_cast<std::streamsize>(sources[i].bytes.size()));
            if (!f.flush()) throw Error(ErrorId::io_write, file.string(), {}, "", "не удаётся записать временный файл для PDF");
            args.push_back(file.string());
        }
        const pid_t client = spawn(args, false);
        if (client < 0) throw Error(ErrorId::pdf_unavailable, sources[batch.front()].name, {}, "", "не удаётся запустить LibreOffice (" + soffice + ")");
        const bool finished = wait_for(client, kConvertTimeout);
        for (std::size_t i : batch) {
            const fs::path pdf = output / (std::to_string(i) + ".pdf");
            std::string bytes;
            if (fs::exists(pdf)) bytes = io::read_file(pdf);
            const bool whole = bytes.size() > 8 && bytes.compare(0, 5, "%PDF-") == 0 &&
                               bytes.find("%%EOF", bytes.size() > 1024 ? bytes.size() - 1024 : 0) != std::string::npos;
            if (!whole) {
                throw Error(ErrorId::pdf_convert, sources[i].name, {}, "",
                            finished ? "LibreOffice не сделал из файла PDF (файл не открылся или LibreOffice завершился с ошибкой)"
                                     : "LibreOffice не сделал PDF за 5 минут; преобразование прервано");
            }
            out[i] = std::move(bytes);
        }
    }
};

Pool::Pool(unsigned instances, std::string soffice) : impl_(std::make_unique<Impl>()) {
    impl_->max_instances = std::max(1u, instances);
    impl_->soffice = soffice_program(std::move(soffice));
}

Pool::~Pool() = default;

unsigned Pool::running() const {
    return static_cast<unsigned>(std::count_if(impl_->instances.begin(), impl_->instances.end(), [](auto& in) { return in.pid > 0; }));
}

void Pool::convert(std::span<const Source> sources, std::vector<std::string>& out) {
    out.assign(sources.size(), std::string());
    if (sources.empty()) return;
    Impl& impl = *impl_;
    if (!can_run(impl.soffice)) {
        throw Error(ErrorId::pdf_unavailable, "", {}, "",
                    "для PDF нужен LibreOffice («" + impl.soffice +
                        "» не найден); установите пакеты libreoffice-writer-nogui, libreoffice-calc-nogui и fonts-liberation");
    }
    impl.ensure_root();
    // Start the instances this batch can use, on this thread (their PR_SET_PDEATHSIG is tied to it).
    const std::size_t n = std::min<std::size_t>(impl.max_instances, sources.size());
    while (impl.instances.size() < n) {
        impl.instances.emplace_back();
        impl.start(impl.instances.size() - 1);
    }
    // Batches: sources dealt round-robin, largest first, so the instances finish together.
    std::vector<std::size_t> order(sources.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sources[a].bytes.size() > sources[b].bytes.size(); });
    std::vector<std::vector<std::size_t>> batches(n);
    for (std::size_t k = 0; k < order.size(); ++k) batches[k % n].push_back(order[k]);
    for (auto& b : batches) std::sort(b.begin(), b.end());

    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    for (std::size_t k = 1; k < n; ++k) {
        threads.emplace_back([&, k] {
            try {
                impl.run_batch(k, sources, batches[k], out);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        });
    }
    try {
        impl.run_batch(0, sources, batches[0], out);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (auto& t : threads) t.join();
    // The error of the earliest failed source, whatever batch it was in.
    std::exception_ptr first;
    std::size_t first_index = sources.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (!errors[k]) continue;
        for (std::size_t i : batches[k]) {
            if (out[i].empty() && i < first_index) {
                first_index = i;
                first = errors[k];
                break;
            }
        }
        if (!first) first = errors[k];
    }
    if (first) std::rethrow_exception(first);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        // Reproducible bytes: a digest of the source (64-bit FNV-1a) stands in for the ID.
        std::uint64_t h = 14695981039346656037ULL;
        for (unsigned char c : sources[i].bytes) h = (h ^ c) * 1099511628211ULL;
        std::string hex;
        for (int shift = 60; shift >= 0; shift -= 4) hex += "0123456789ABCDEF"[(h >> shift) & 0xF];
        make_reproducible(out[i], hex);
    }
}

}  // namespace ppko::pdf
