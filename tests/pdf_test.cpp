// PDF through LibreOffice (engine/pdf): reproducible bytes, errors that name the file, and — where
// LibreOffice is installed (bash .ci/setup test) — a pool that converts several files per request
// to running instances and gives the same bytes twice.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "docx/docx_writer.h"
#include "pdf/pdf_pool.h"
#include "test_helpers.h"

using namespace ppko;
namespace fs = std::filesystem;

namespace {

bool have_libreoffice() { return ::access("/usr/bin/soffice", X_OK) == 0; }

std::string docx_with(const std::string& text) {
    doc::Document d;
    doc::Paragraph p;
    p.runs.push_back({text});
    d.body.push_back({p});
    docx::DocxWriter w;
    std::string out;
    w.write(d, {}, out);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pdf_pool)

BOOST_AUTO_TEST_CASE(reproducible_bytes_keep_every_offset) {
    std::string a = "%PDF-1.6\n/CreationDate(D:20261202022049Z')>>\n/ID [ <EBFDB5DA01188E8E> <EBFDB5DA01188E8E> ]\n"
                    "/DocChecksum /BDA5C8456EA7B5D0 >>\n%%EOF\n";
    std::string b = a;
    b.replace(b.find("20261202022049"), 14, "20251111111111");
    b.replace(b.find("EBFDB5DA"), 8, "01234567");
    const std::size_t size = a.size();
    pdf::make_reproducible(a, "0a1b");
    pdf::make_reproducible(b, "0a1b");
    BOOST_TEST(a == b);
    BOOST_TEST(a.size() == size);
    BOOST_TEST(a.find("/CreationDate(D:20000101000000Z')") != std::string::npos);
    BOOST_TEST(a.find("/ID [ <0A1B0A1B0A1B0A1B> <0A1B0A1B0A1B0A1B> ]") != std::string::npos);
    BOOST_TEST(a.find("/DocChecksum /0A1B0A1B0A1B0A1B >>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_office_is_pdf_unavailable) {
    pdf::Pool pool(1, "no-such-office-program");
    const std::string bytes = docx_with("Текст");
    const pdf::Source s{"a.docx", bytes};
    std::vector<std::string> out;
    try {
        pool.convert({&s, 1}, out);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST((e.diagnostics().items()[0].id == ErrorId::pdf_unavailable));
    }
}

BOOST_AUTO_TEST_CASE(a_file_that_gives_no_pdf_is_named) {
    pdf::Pool pool(2, "/bin/true");  // starts, converts nothing
    const std::string bytes = docx_with("Текст");
    const pdf::Source s[] = {{"first.docx", bytes}, {"second.docx", bytes}};
    std::vector<std::string> out;
    try {
        pool.convert(s, out);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST((e.diagnostics().items()[0].id == ErrorId::pdf_convert));
        BOOST_TEST(e.diagnostics().items()[0].file == "first.docx");
    }
}

BOOST_AUTO_TEST_CASE(libreoffice_pool_converts_batches_reproducibly) {
    if (!have_libreoffice()) {
        BOOST_TEST_MESSAGE("LibreOffice is not installed: the pool itself is not tested (bash .ci/setup test)");
        return;
    }
    pdf::Pool pool(2);
    const std::string a = docx_with("Первый документ"), b = docx_with("Второй документ"), c = docx_with("Третий");
    const pdf::Source s[] = {{"a.docx", a}, {"b.docx", b}, {"c.docx", c}};
    std::vector<std::string> first, second;
    pool.convert(s, first);
    BOOST_TEST(pool.running() == 2u);  // kept running between batches
    pool.convert(s, second);
    BOOST_TEST(pool.running() == 2u);
    BOOST_TEST_REQUIRE(first.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(first[i].rfind("%PDF-", 0) == 0u);
        BOOST_TEST(first[i] == second[i]);  // the same bytes each time
    }
    BOOST_TEST(first[0] != first[1]);
    // A file LibreOffice cannot open (a broken ZIP: plain text it would still print) is named.
    const std::string junk("PK\x03\x04\x14\x00\x00\x00\x08\x00garbagegarbage", 24);
    const pdf::Source bad[] = {{"a.docx", a}, {"broken.docx", junk}};
    try {
        pool.convert(bad, first);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST((e.diagnostics().items()[0].id == ErrorId::pdf_convert));
        BOOST_TEST(e.diagnostics().items()[0].file == "broken.docx");
    }
}

// An office as LibreOffice's launcher can be at its worst: deaf to SIGTERM, with a child just as
// deaf. A server that runs it and is then killed with SIGKILL (no code of its own runs) must still
// take it along: the instance's guard passes the death signal on and, after its grace period,
// kills the group.
BOOST_AUTO_TEST_CASE(an_office_goes_with_a_server_killed_by_sigkill) {
    ppko::testing::TempDir dir;
    const auto script = dir / "deaf-office";
    {
        std::ofstream f(script);
        f << "#!/bin/sh\n"
             "trap '' TERM\n"
             "case \"$*\" in *--convert-to*) exit 0;; esac\n"
             "for a; do case \"$a\" in --accept=pipe,name=*) n=${a#--accept=pipe,name=}; n=${n%%;*};; esac; done\n"
             "sleep 300 &\n"
             "echo $$ $! > \"$DEAF_OFFICE_PIDS.tmp\" && mv \"$DEAF_OFFICE_PIDS.tmp\" \"$DEAF_OFFICE_PIDS\"\n"
             ": > /tmp/OSL_PIPE_$(id -u)_$n\n"
             "wait\n";
    }
    fs::permissions(script, fs::perms::owner_all);
    const auto pids_file = dir / "pids";
    ::setenv("DEAF_OFFICE_PIDS", pids_file.c_str(), 1);
    const pid_t server = ::fork();
    BOOST_TEST_REQUIRE(server >= 0);
    if (server == 0) {
        // The "server": starts an instance (the conversion itself gives nothing), then waits to be killed.
        ::setenv("TMPDIR", dir.path.c_str(), 1);  // its folders go with the test's
        try {
            pdf::Pool pool(1, script.string());
            const std::string bytes = docx_with("Текст");
            const pdf::Source s{"a.docx", bytes};
            std::vector<std::string> out;
            pool.convert({&s, 1}, out);
        } catch (...) {
        }
        ::pause();
        ::_exit(0);
    }
    std::vector<pid_t> office;
    for (int i = 0; i < 300 && office.empty(); ++i) {
        std::ifstream f(pids_file);
        pid_t a = 0, b = 0;
        if (f >> a >> b) office = {a, b};
        else ::usleep(100'000);
    }
    BOOST_TEST_REQUIRE(office.size() == 2u);
    auto alive = [](pid_t pid) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) return false;
        const auto close = line.rfind(')');
        return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';  // a zombie is gone
    };
    BOOST_TEST(alive(office[0]));
    BOOST_TEST(alive(office[1]));
    ::kill(server, SIGKILL);
    ::waitpid(server, nullptr, 0);
    for (int i = 0; i < 150 && (alive(office[0]) || alive(office[1])); ++i) ::usleep(100'000);
    BOOST_TEST(!alive(office[0]), "the launcher outlived its server");
    BOOST_TEST(!alive(office[1]), "the office outlived its server");
    for (pid_t p : office) ::kill(p, SIGKILL);  // whatever the outcome, nothing left behind
    const std::string socket = "OSL_PIPE_" + std::to_string(::getuid()) + "_ppko_pdf_" + std::to_string(server) + "_";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/tmp", ec)) {
        if (e.path().filename().string().starts_with(socket)) fs::remove(e.path(), ec);
    }
    ::unsetenv("DEAF_OFFICE_PIDS");
}

BOOST_AUTO_TEST_SUITE_END()
