// io: parallel_for, and the atomic output transaction (temporary files, cleanup of killed runs,
// refusals before commit, output names).
#include "io/parallel.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "io/resources.h"

using namespace ppko;

BOOST_AUTO_TEST_SUITE(io_parallel)

BOOST_AUTO_TEST_CASE(every_item_runs_once_on_the_given_threads) {
    for (unsigned threads : {1u, 2u, 4u}) {
        std::vector<std::atomic<int>> runs(1000);
        std::atomic<unsigned> highest_thread{0};
        io::parallel_for(runs.size(), threads, [&](unsigned t, std::size_t k) {
            ++runs[k];
            for (unsigned seen = highest_thread; t > seen && !highest_thread.compare_exchange_weak(seen, t);) {
            }
        });
        for (const auto& r : runs) BOOST_TEST(r.load() == 1);
        BOOST_TEST(highest_thread.load() < threads);
    }
}

BOOST_AUTO_TEST_CASE(the_error_of_the_lowest_failing_item_is_reported) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        try {
            io::parallel_for(200, threads, [](unsigned, std::size_t k) {
                if (k == 37 || k == 38 || k == 150) throw std::runtime_error(std::to_string(k));
            });
            BOOST_FAIL("no exception with " << threads << " threads");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "37");
        }
    }
}

BOOST_AUTO_TEST_CASE(no_item_starts_after_a_failure_on_one_thread) {
    std::size_t ran = 0;
    BOOST_CHECK_THROW(io::parallel_for(100, 1, [&](unsigned, std::size_t k) {
                          ++ran;
                          if (k == 9) throw std::runtime_error("stop");
                      }),
                      std::runtime_error);
    BOOST_TEST(ran == 10u);
}

BOOST_AUTO_TEST_CASE(thread_count_is_bounded_by_the_items) {
    BOOST_TEST(io::thread_count(4, 2) == 2u);
    BOOST_TEST(io::thread_count(3, 100) == 3u);
    BOOST_TEST(io::thread_count(5, 0) == 1u);
    BOOST_TEST(io::thread_count(0, 1) == 1u);
    BOOST_TEST(io::thread_count(0, 1000) >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// --- atomic output -------------------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

struct Scratch {
    fs::path dir;
    Scratch() {
        char tmpl[] = "/tmp/ppko-io-test-XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~Scratch() { fs::remove_all(dir); }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The pid of a process that has just ended (never running again soon: pids are not reused at once).
pid_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_output_transaction)

BOOST_AUTO_TEST_CASE(planted_links_at_temporary_names_are_never_followed) {
    // The old temporary name was <file>.ppko-tmp-<pid>: an attacker could plant a symlink there.
    Scratch s;
    const fs::path victim = s.dir / "victim";
    std::ofstream(victim) << "intact";
    const fs::path out = s.dir / "doc.docx";
    fs::create_symlink(victim, out.string() + ".ppko-tmp-" + std::to_string(::getpid()));
    {
        io::OutputTransaction tx;
        tx.write(out, "document");
        tx.commit();
    }
    BOOST_TEST(slurp(victim) == "intact");
    BOOST_TEST(fs::is_regular_file(fs::symlink_status(out)));
    BOOST_TEST(slurp(out) == "document");
}

BOOST_AUTO_TEST_CASE(temporaries_of_killed_runs_are_removed_those_of_live_ones_kept) {
    Scratch s;
    const std::string dead = std::to_string(dead_pid()), live = std::to_string(::getppid());
    const std::vector<std::string> stale = {"a.docx.ppko-tmp-" + dead, "b.xlsx.ppko-tmp-" + dead + "-00ff00ff00ff00ff"};
    const std::vector<std::string> kept = {"c.docx.ppko-tmp-" + live + "-0123456789abcdef", "notes.txt", "x.ppko-tmp-", "y.ppko-tmp-12ab"};
    for (const auto& n : stale) std::ofstream(s.dir / n) << "x";
    for (const auto& n : kept) std::ofstream(s.dir / n) << "x";
    fs::create_symlink("/nonexistent", s.dir / ("d.docx.ppko-tmp-" + dead));  // a planted link goes too
    {
        io::OutputTransaction tx;
        tx.write(s.dir / "new.docx", "n");
        tx.commit();
    }
    for (const auto& n : stale) BOOST_TEST(!fs::exists(s.dir / n), n);
    BOOST_TEST(!fs::is_symlink(s.dir / ("d.docx.ppko-tmp-" + dead)));
    for (const auto& n : kept) BOOST_TEST(fs::exists(s.dir / n), n);
    BOOST_TEST(fs::exists(s.dir / "new.docx"));
}

BOOST_AUTO_TEST_CASE(a_path_twice_or_a_folder_in_the_way_fails_before_anything_is_replaced) {
    Scratch s;
    std::ofstream(s.dir / "a.docx") << "old";
    fs::create_directory(s.dir / "b.docx");
    {
        io::OutputTransaction tx;
        tx.write(s.dir / "a.docx", "new");
        BOOST_TEST(message_of([&] { tx.write(s.dir / "a.docx", "again"); }) ==
                   (s.dir / "a.docx").string() + ": файл записывается за один запуск дважды [internal]\n");
        BOOST_TEST(message_of([&] { tx.write(s.dir / "b.docx", "x"); }) ==
                   (s.dir / "b.docx").string() + ": не удаётся сохранить файл: по этому пути находится папка [io.write]\n");
    }  // not committed
    BOOST_TEST(slurp(s.dir / "a.docx") == "old");
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(s.dir)) files += e.path().filename() != "b.docx";
    BOOST_TEST(files == 1u);  // a.docx only: no temporary left
}

BOOST_AUTO_TEST_CASE(a_big_batch_is_synced_once_and_committed) {
    Scratch s;
    {
        io::OutputTransaction tx;
        for (std::size_t k = 0; k < io::OutputTransaction::kSyncEachUpTo + 10; ++k) tx.write(s.dir / (std::to_string(k) + ".txt"), "x");
        tx.commit();
    }
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(s.dir)) files += e.path().extension() == ".txt";
    BOOST_TEST(files == io::OutputTransaction::kSyncEachUpTo + 10);
}

// A scratch transaction (the server's packages, zipped and removed at once) skips the syncs
// but stays all-or-nothing: committed, every file is in place; not committed, none is.
BOOST_AUTO_TEST_CASE(a_scratch_batch_is_all_or_nothing_without_syncs) {
    Scratch s;
    const std::size_t n = io::OutputTransaction::kSyncEachUpTo + 10;
    auto files_in = [&](const fs::path& dir) {
        std::size_t files = 0;
        for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
        return files;
    };
    fs::create_directory(s.dir / "kept");
    fs::create_directory(s.dir / "dropped");
    {
        io::OutputTransaction tx(false);
        for (std::size_t k = 0; k < n; ++k) tx.write(s.dir / "kept" / (std::to_string(k) + ".txt"), std::to_string(k));
        tx.commit();
    }
    {
        io::OutputTransaction tx(false);
        for (std::size_t k = 0; k < n; ++k) tx.write(s.dir / "dropped" / (std::to_string(k) + ".txt"), "x");
    }  // not committed
    BOOST_TEST(files_in(s.dir / "kept") == n);
    BOOST_TEST(slurp(s.dir / "kept" / "70.txt") == "70");
    BOOST_TEST(files_in(s.dir / "dropped") == 0u);
}

BOOST_AUTO_TEST_CASE(output_names_are_checked) {
    BOOST_TEST(io::file_name_problem("prikaz-43").empty());
    BOOST_TEST(io::file_name_problem("школа-1").empty());
    BOOST_TEST(io::file_name_problem("") == "имя пустое");
    BOOST_TEST(io::file_name_problem("..") == "имя не может начинаться с точки");
    BOOST_TEST(io::file_name_problem("../escape") == "имя не может начинаться с точки");
    BOOST_TEST(io::file_name_problem("a/b") == "в имени файла не может быть «/» и «\\»");
    BOOST_TEST(io::file_name_problem("/tmp/x") == "в имени файла не может быть «/» и «\\»");
    BOOST_TEST(io::file_name_problem("a\\b") == "в имени файла не может быть «/» и «\\»");
    BOOST_TEST(io::file_name_problem("a\nb") == "в имени есть управляющий символ");
    BOOST_TEST(io::file_name_problem("a\xff") == "имя не в кодировке UTF-8");
    BOOST_TEST(io::file_name_problem(std::string(181, 'a')) == "имя длиннее 180 байт");
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_read_says_why) {
    Scratch s;
    BOOST_TEST(message_of([&] { io::read_file(s.dir / "none.json"); }) ==
               (s.dir / "none.json").string() + ": не удаётся открыть файл: файл не существует [io.read]\n");
}

BOOST_AUTO_TEST_CASE(a_templates_folder_that_cannot_be_read_is_an_error_not_ignored) {
    // An unreadable subfolder once ended the scan quietly and the built-in templates were used.
    // Permissions do not stop root: then the check runs in a child process as user nobody.
    Scratch s;
    fs::create_directories(s.dir / "templates" / "schemas");
    std::ofstream(s.dir / "templates" / "schemas" / "order.schema.json") << "{}";
    fs::permissions(s.dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    fs::permissions(s.dir / "templates", fs::perms::owner_all | fs::perms::group_exec | fs::perms::group_read |
                                             fs::perms::others_exec | fs::perms::others_read);
    fs::permissions(s.dir / "templates" / "schemas", fs::perms::none);
    auto check = [&] {
        io::Resources res;
        const std::string msg = message_of([&] { res.add_override_dir(s.dir / "templates"); });
        return msg == (s.dir / "templates" / "schemas").string() + ": не удаётся прочитать папку шаблонов: нет прав на чтение [io.read]\n";
    };
    bool ok = false;
    if (::geteuid() != 0) {
        ok = check();
    } else {
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
            ::_exit(check() ? 0 : 1);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    fs::permissions(s.dir / "templates" / "schemas", fs::perms::owner_all);
    BOOST_TEST(ok);
}

BOOST_AUTO_TEST_SUITE_END()
