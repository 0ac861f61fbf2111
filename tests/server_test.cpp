// The server's parts without a network (engine/server): the OpenAPI file against the routes the
// server really has (both ways), the router and its refusal of names that could leave what they
// name, passwords, cookies, CSRF, request bodies and the configuration file with positions, the
// access log line, accounts and the optimistic concurrency of edits on an SQLite database.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <unistd.h>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "test_helpers.h"
#include "io/atomic_file.h"
#include "server/access_log.h"
#include "server/accounts.h"
#include "server/config.h"
#include "server/csrf.h"
#include "server/json_api.h"
#include "server/municipality_service.h"
#include "server/passwords.h"
#include "server/pdf_service.h"
#include "server/router.h"
#include "server/schema.h"
#include "server/session.h"
#include "server/tokens.h"
#include "server/workspace_files.h"
#include "store/database.h"

using namespace ppko;
using namespace ppko::testing;
using namespace ppko::server;
namespace fs = std::filesystem;

namespace {



std::string roles_text(const Roles& r) {
    if (r.is_public()) return "public";
    std::vector<std::string> names;
    for (Role x : kAllRoles) {
        if (r.has(x)) names.emplace_back(role_name(x));
    }
    return names.size() == std::size(kAllRoles) ? "any" : nlohmann::json(names).dump();
}

std::string scope_text(Scope s) {
    switch (s) {
        case Scope::none: return "none";
        case Scope::municipality: return "municipality";
        case Scope::school: return "school";
    }
    return "?";
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::shared_ptr<store::Database> server_database(const fs::path& file) {
    auto db = store::Database::open(file.string());
    db->migrate(server_schema());
    return db;
}

// A fresh SQLite database with the server's tables and the municipality "smolensk".
struct SmolenskDatabase {
    TempDir dir;
    std::shared_ptr<store::Database> db = server_database(dir.path / "r.sqlite");
    Accounts accounts{db, 1000};
    Actor who{"tester", "local"};
    WorkspaceFiles files{db};
    SmolenskDatabase() { accounts.create_municipality("smolensk", "Смоленск", who); }
};

void put_text(const fs::path& p, std::string_view text) {
    io::OutputTransaction t;
    t.write(p, text);
    t.commit();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server)

// engine/server/openapi.json is the reviewed description of the API: every route the server has is
// in it with the same roles, scope and summary, and it has nothing the server lacks.
BOOST_AUTO_TEST_CASE(openapi_describes_exactly_the_routes_the_server_has) {
    const auto doc = data::parse_json(io::read_file(fs::path(PPKO_SOURCE_DIR) / "engine/server/openapi.json"), "openapi.json");
    const auto& paths = doc.value.at("paths");
    std::set<std::pair<std::string, std::string>> in_code, in_file;
    for (const Route& r : routes()) {
        if (!r.pattern.starts_with("/api/")) continue;  // a web page (engine/web), not the API
        const std::string method = lower(r.method), pattern(r.pattern);
        BOOST_TEST_CONTEXT(r.method << " " << r.pattern) {
            BOOST_TEST(in_code.emplace(method, pattern).second);  // no route twice
            BOOST_TEST_REQUIRE(paths.contains(pattern));
            BOOST_TEST_REQUIRE(paths.at(pattern).contains(method));
            const auto& op = paths.at(pattern).at(method);
            const auto& roles = op.at("x-roles");
            BOOST_TEST((roles.is_string() ? roles.get<std::string>() : roles.dump()) == roles_text(r.roles));
            BOOST_TEST(op.at("x-scope").get<std::string>() == scope_text(r.scope));
            BOOST_TEST(op.at("summary").get<std::string>() == std::string(r.summary));
            // Every {parameter} of the path is declared.
            std::set<std::string> declared;
            for (const auto& p : op.value("parameters", data::Json::array())) {
                const std::string ref = p.value("$ref", "");
                declared.insert(ref.empty() ? p.at("name").get<std::string>() : ref.substr(ref.rfind('/') + 1));
            }
            for (std::size_t at = pattern.find('{'); at != std::string::npos; at = pattern.find('{', at + 1)) {
                const std::string name = pattern.substr(at + 1, pattern.find('}', at) - at - 1);
                BOOST_TEST(declared.count(name) == 1u, "parameter " << name);
            }
            if (!r.roles.is_public()) BOOST_TEST(op.at("responses").contains("401"));
        }
    }
    for (const auto& [pattern, ops] : paths.items()) {
        for (const auto& [method, op] : ops.items()) in_file.emplace(method, pattern);
    }
    for (const auto& f : in_file) BOOST_TEST(in_code.count(f) == 1u, "in openapi.json but not a route: " << f.first << " " << f.second);
    BOOST_TEST(in_file.size() == in_code.size());
}

BOOST_AUTO_TEST_CASE(the_router_finds_routes_and_decodes_parameters) {
    Router router(routes());
    const auto m = router.match("GET", "/api/municipalities/demidovsky/programs/sh-15");
    BOOST_TEST(m.route->pattern == "/api/municipalities/{municipality}/programs/{school}");
    BOOST_TEST(m.params.at("municipality") == "demidovsky");
    BOOST_TEST(m.params.at("school") == "sh-15");
    BOOST_TEST(router.match("GET", "/api/municipalities/sm%6flensk").params.at("municipality") == "smolensk");
    BOOST_TEST(router.match("PATCH", "/api/users/ivanova.i%40school.ru").params.at("login") == "ivanova.i@school.ru");
    BOOST_TEST(error_of([&] { router.match("GET", "/api/nothing"); }) == "нет такого адреса: /api/nothing [server.not_found]");
    BOOST_TEST(error_of([&] { router.match("DELETE", "/api/users"); }) ==
               "метод DELETE не поддерживается по этому адресу; допустимы: GET, POST [server.method_not_allowed]");
}

// Path traversal and its disguises are refused in every position, whatever route they aim at.
BOOST_AUTO_TEST_CASE(names_that_could_leave_what_they_name_are_refused) {
    Router router(routes());
    const std::string tail =
        "» в адресе запроса: коды муниципалитетов и школ — строчные латинские буквы, цифры, «-» и «_», не длиннее 64 "
        "символов [server.bad_name]";
    for (const char* target : {"/api/municipalities/../programs", "/api/municipalities/%2e%2e/programs",
                               "/api/municipalities/%2E%2E", "/api/municipalities/a%2fb/programs",
                               "/api/municipalities/a%5cb", "/api/municipalities/demidovsky/programs/..%2f..%2fetc",
                               "/api/municipalities/%00", "/api/municipalities/Demidovsky",
                               "/api/municipalities/demidovsky/programs/sh%20-1", "/api/users/..",
                               "/api/municipalities/%zz", "/api/municipalities/" "\xd0\x94" "emidovsky"}) {
        BOOST_TEST_CONTEXT(target) {
            const std::string err = error_of([&] { router.match("GET", target); });
            BOOST_TEST(err.rfind("недопустимое имя «", 0) == 0, err);
            BOOST_TEST(err.ends_with(tail), err);
        }
    }
    BOOST_TEST(!valid_parameter("municipality", std::string(65, 'a')));
    BOOST_TEST(valid_parameter("municipality", std::string(64, 'a')));
    BOOST_TEST(!valid_parameter("school", "-sh"));
    BOOST_TEST(!valid_parameter("login", ".hidden"));
    BOOST_TEST(valid_parameter("token", "0123456789abcdef0123456789abcdef"));
}

// A data file's record name is one file inside the municipality's folder, nothing else.
BOOST_AUTO_TEST_CASE(data_file_names_are_one_json_file) {
    for (const char* good : {"facts.json", "workspace.json", "a.json", "sh-1_x.json"}) BOOST_TEST(valid_file_name(good), good);
    for (const char* bad : {"", ".json", "../facts.json", "a/b.json", "Facts.json", "facts.JSON", "facts.json.bak",
                            "-x.json", "_x.json", "facts", "README.md", "фак.json", "a b.json"}) {
        BOOST_TEST(!valid_file_name(bad), bad);
    }
    BOOST_TEST(!valid_file_name(std::string(65, 'a') + ".json"));
    // The municipality's own methodology: one file in workflows/, nothing deeper or elsewhere.
    BOOST_TEST(valid_file_name("workflows/identification.json"));
    BOOST_TEST(valid_file_name("workflows/ppko-v1.json"));
    for (const char* bad : {"workflows/", "workflows/.json", "workflows/../facts.json", "workflows/a/b.json",
                            "workflows/workflows/a.json", "templates/order.json", "Workflows/a.json", "/workflows/a.json",
                            "workflows//a.json", "workflows\\a.json"}) {
        BOOST_TEST(!valid_file_name(bad), bad);
    }
    Router router(routes());
    BOOST_TEST(router.match("GET", "/api/municipalities/smolensk/files/facts.json").params.at("file") == "facts.json");
    BOOST_TEST(error_of([&] { router.match("GET", "/api/municipalities/smolensk/files/..%2ffacts.json"); }).ends_with("[server.bad_name]"));
    const auto m = router.match("PUT", "/api/municipalities/smolensk/files/workflows/identification.json");
    BOOST_TEST(m.params.at("methodology_file") == "identification.json");
    BOOST_TEST(error_of([&] { router.match("GET", "/api/municipalities/smolensk/files/workflows%2fppko.json"); }).ends_with("[server.bad_name]"));
    BOOST_TEST(error_of([&] { router.match("GET", "/api/municipalities/smolensk/files/workflows/..%2f..%2fx.json"); }).ends_with("[server.bad_name]"));
    BOOST_TEST(error_of([&] { router.match("GET", "/api/municipalities/smolensk/files/workflows/a/b.json"); }).ends_with("[server.not_found]"));
}

// The region's zip has a folder per municipality named by its title: Russian kept, nothing that
// leaves the folder or that a system refuses, and two titles never one folder.
BOOST_AUTO_TEST_CASE(region_folders_are_safe_and_distinct) {
    const auto repeat = [](std::string_view part, int n) {
        std::string out;
        for (int k = 0; k < n; ++k) out += part;
        return out;
    };
    const std::vector<RegionMember> members{
        {"a", "город Смоленск"},       {"b", "ГОРОД СМОЛЕНСК"},  {"c", "город смоленск"},
        {"d", "../Демидовский/район"}, {"e", " .Сасово. "},       {"f", "a\tb:c*d?e\"f<g>h|i\\j"},
        {"g", "..."},                  {"h", "con"},             {"i", "ОШИБКИ.txt"},
        {"j", std::string(150, 'x')},  {"k", "я" + std::string(99, 'x') + "я"}, {"l", repeat("я", 100)}};
    const std::vector<std::string> want{"город Смоленск", "ГОРОД СМОЛЕНСК (2)", "город смоленск (3)",
                                        "_Демидовский_район",  // the dots before «_» are outer: dropped
                                        "Сасово",         "a_b_c_d_e_f_g_h_i_j", "муниципалитет", "con_", "ОШИБКИ.txt (2)",
                                        std::string(100, 'x'), "я" + std::string(99, 'x'), repeat("я", 75)};
    BOOST_TEST(region_folder_names(members) == want, boost::test_tools::per_element());
    for (const auto& f : region_folder_names(members)) BOOST_TEST(io::file_name_problem(f).empty(), f);
}

// Records keep their exact text and a version; a stale version loses with 409 naming what differs.
BOOST_AUTO_TEST_CASE(data_files_are_versioned_and_a_stale_edit_conflicts) {
    SmolenskDatabase region;
    auto& files = region.files;
    const Actor& who = region.who;
    BOOST_TEST(files.data_version("smolensk") == 0);
    const std::string text = "{\r\n  \"a\": 1,\t\"b\": \"«ё»\"\n}\n";
    const DataFile made = files.put("smolensk", "x.json", text, 0, who);
    BOOST_TEST(made.version == 1);
    BOOST_TEST(files.get("smolensk", "x.json")->content == text);  // byte for byte
    BOOST_TEST(files.put("smolensk", "x.json", "{\"a\": 2, \"b\": \"«ё»\"}", 1, who).version == 2);
    try {
        files.put("smolensk", "x.json", "{\"a\": 3, \"b\": \"«ё»\"}", 1, who);
        BOOST_FAIL("a stale version was accepted");
    } catch (const HttpError& e) {
        BOOST_TEST((e.diagnostics().items()[0].id == ErrorId::record_conflict));
        BOOST_TEST(e.extra()["current"]["version"].get<int>() == 2);
        BOOST_TEST(e.extra()["changed"].dump() == R"(["a"])");
        BOOST_TEST(e.extra()["changed_by"].dump() == R"(["tester"])");
    }
    BOOST_TEST(error_of([&] { files.put("smolensk", "x.json", "{}", 0, who); }).ends_with("[record.conflict]"));
    BOOST_TEST(error_of([&] { files.put("smolensk", "x.json", std::string("{\"a\": \"\xff\"}"), 2, who); }).ends_with("[json.encoding]"));
    BOOST_TEST(error_of([&] { files.put("smolensk", "../x.json", "{}", 0, who); }).ends_with("[data.bad_value]"));
    files.remove("smolensk", "x.json", 2, who);
    BOOST_TEST(!files.get("smolensk", "x.json"));
    BOOST_TEST(files.data_version("smolensk") == 3);
    BOOST_TEST(region.accounts.audit(0, 100).dump().find("file.delete") != std::string::npos);
}

// Importing a folder raises the data version only when a file changed, so an import of the same
// folder keeps every server's loaded model (their caches are keyed by the version).
BOOST_AUTO_TEST_CASE(an_import_that_changes_nothing_keeps_the_data_version) {
    SmolenskDatabase region;
    auto& files = region.files;
    const Actor& who = region.who;
    const fs::path src = region.dir.path / "src";
    fs::create_directories(src);
    put_text(src / "a.json", "{\"a\": 1}\n");
    put_text(src / "b.json", "{\"b\": 1}\n");
    const ImportResult first = files.import_folder("smolensk", src, who);
    BOOST_TEST(first.created == 2u);
    BOOST_TEST(first.data_version == 1);
    const ImportResult again = files.import_folder("smolensk", src, who);
    BOOST_TEST(again.unchanged == 2u);
    BOOST_TEST(again.created + again.updated + again.removed == 0u);
    BOOST_TEST(again.data_version == 1);
    BOOST_TEST(files.data_version("smolensk") == 1);
    put_text(src / "b.json", "{\"b\": 2}\n");
    BOOST_TEST(files.import_folder("smolensk", src, who).data_version == 2);  // one file changed: once
    fs::remove(src / "a.json");
    const ImportResult removed = files.import_folder("smolensk", src, who);
    BOOST_TEST(removed.removed == 1u);
    BOOST_TEST(removed.data_version == 3);
    BOOST_TEST(files.import_folder("smolensk", src, who).data_version == 3);
    BOOST_TEST(error_of([&] { files.import_folder("nowhere", src, who); }).ends_with("[server.not_found]"));
}

// Two databases whose municipality has the same code and data version, their servers (wrongly)
// given one work folder: each loads its own files, not the folder the other materialised.
BOOST_AUTO_TEST_CASE(a_data_version_is_materialised_by_its_content) {
    SmolenskDatabase a, b;
    const fs::path work = a.dir.path / "shared-work";
    const fs::path samples = fs::path(PPKO_SOURCE_DIR) / "samples";
    // b's copy differs in one school's short name only.
    const fs::path copy = b.dir.path / "copy";
    fs::copy(samples / "smolensk", copy, fs::copy_options::recursive);
    std::string schools = io::read_file(copy / "schools.json");
    const auto at = schools.find("МБОУ «СШ № 1»");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    schools.replace(at, std::string("МБОУ «СШ № 1»").size(), "МБОУ «СШ № 1» (копия)");
    put_text(copy / "schools.json", schools);
    BOOST_TEST(a.files.import_folder("smolensk", samples / "smolensk", a.who).data_version == 1);
    BOOST_TEST(b.files.import_folder("smolensk", copy, b.who).data_version == 1);
    PdfSettings no_pdf;
    no_pdf.instances = 0;
    MunicipalityService sa(a.db, work, 1, 30, no_pdf), sb(b.db, work, 1, 30, no_pdf);
    auto first_name = [](const LoadedMunicipality& l) {
        for (const auto& school : l.workspace.data["schools"]["schools"]) {
            if (school["id"] == "sh-1") return school["short_name"].get<std::string>();
        }
        return std::string();
    };
    BOOST_TEST(first_name(*sa.load("smolensk")) == "МБОУ «СШ № 1»");
    BOOST_TEST(first_name(*sb.load("smolensk")) == "МБОУ «СШ № 1» (копия)");
    BOOST_TEST(first_name(*sa.load("smolensk")) == "МБОУ «СШ № 1»");  // from a's cache, still its own
}

// A municipality's own methodology travels with its data: imported from and exported to the
// folder's workflows/, materialised where the workspace loader reads it (so the loaded model uses
// it), and a file that does not load is refused before anything is stored.
BOOST_AUTO_TEST_CASE(a_municipality_s_own_methodology_is_a_data_file) {
    SmolenskDatabase region;
    const fs::path src = region.dir.path / "src";
    fs::copy(fs::path(PPKO_SOURCE_DIR) / "samples/smolensk", src, fs::copy_options::recursive);
    std::string table = io::read_file(fs::path(PPKO_SOURCE_DIR) / "workflows/identification.json");
    const auto title = table.find("\"title\": \"");
    BOOST_TEST_REQUIRE(title != std::string::npos);
    table.insert(title + 10, "Смоленская редакция: ");
    fs::create_directories(src / "workflows");
    put_text(src / "workflows/identification.json", table);
    put_text(src / "workflows/notes.txt", "not a data file");
    fs::create_directories(src / "templates");
    const ImportResult r = region.files.import_folder("smolensk", src, region.who);
    BOOST_TEST(region.files.get("smolensk", "workflows/identification.json")->content == table);
    BOOST_TEST(r.skipped == (std::vector<std::string>{"README.md", "templates/", "workflows/notes.txt"}), boost::test_tools::per_element());
    const auto change = region.files.last_change("smolensk", "workflows/identification.json");
    BOOST_TEST_REQUIRE(change.has_value());
    BOOST_TEST(change->actor == "tester");
    BOOST_TEST(!region.files.last_change("smolensk", "workflows/ppko.json"));

    const fs::path out = region.dir.path / "out";
    region.files.export_folder("smolensk", out);
    BOOST_TEST(io::read_file(out / "workflows/identification.json") == table);
    BOOST_TEST(io::read_file(out / "facts.json") == io::read_file(src / "facts.json"));
    BOOST_TEST(region.files.import_folder("smolensk", out, region.who).unchanged == r.created);  // the round trip changes nothing

    PdfSettings no_pdf;
    no_pdf.instances = 0;
    MunicipalityService service(region.db, region.dir.path / "work", 1, 30, no_pdf);
    const auto loaded = service.load("smolensk");
    BOOST_TEST(loaded->model->table()->title().starts_with("Смоленская редакция: "));
    // A methodology file that does not load is refused with the loader's message, named by the record.
    const std::string broken = table.substr(0, table.size() / 2);
    const std::string err = error_of([&] { service.check_change("smolensk", "workflows/identification.json", broken); });
    BOOST_TEST(err.starts_with("workflows/identification.json:"), err);
    BOOST_TEST(err.find("/work/") == std::string::npos, err);
}

// Who recorded a fact is kept with the change that adds it, by the fact's school, date and kind:
// an edit of facts.json attributes only the facts it adds; a fact already there keeps its author.
BOOST_AUTO_TEST_CASE(facts_keep_who_recorded_them) {
    SmolenskDatabase region;
    const Actor first{"first", "127.0.0.1"}, second{"second", "127.0.0.1"};
    const std::string one = R"({"facts": [{"date": "2020-10-01", "school": "sh-1", "fact": "program_approved"}]})";
    const std::string two = R"({"facts": [{"date": "2020-10-01", "school": "sh-1", "fact": "program_approved", "note": "изменено"},
        {"date": "2020-10-20", "school": "sh-1", "fact": "input_monitoring"},
        {"date": "2020-10-20", "school": "sh-2", "fact": "input_monitoring"}]})";
    region.files.put("smolensk", "facts.json", one, 0, first);
    region.files.put("smolensk", "facts.json", two, 1, second);
    const auto sh1 = region.files.fact_authors("smolensk", "sh-1");
    BOOST_TEST_REQUIRE(sh1.size() == 2u);
    BOOST_TEST(sh1.at({"2020-10-01", "program_approved"}).actor == "first");  // its note changed: still first's
    BOOST_TEST(sh1.at({"2020-10-20", "input_monitoring"}).actor == "second");
    BOOST_TEST(sh1.at({"2020-10-20", "input_monitoring"}).at > 0);
    BOOST_TEST(region.files.fact_authors("smolensk", "sh-2").size() == 1u);
    BOOST_TEST(region.files.fact_authors("smolensk", "sh-3").empty());
    // Another file's change records nothing; another municipality's facts are its own.
    region.files.put("smolensk", "x.json", one, 0, second);
    BOOST_TEST(region.files.fact_authors("smolensk", "sh-1").at({"2020-10-01", "program_approved"}).actor == "first");
}

BOOST_AUTO_TEST_CASE(query_strings_are_decoded_or_refused) {
    std::string path;
    std::map<std::string, std::string, std::less<>> query;
    parse_target("/api/audit?limit=5&before=10&x=%D0%B0+b", path, query);
    BOOST_TEST(path == "/api/audit");
    BOOST_TEST(query.at("limit") == "5");
    BOOST_TEST(query.at("x") == "а b");
    BOOST_TEST(error_of([&] { parse_target("/api/audit?x=%g1", path, query); }) ==
               "неверная %-кодировка в параметрах запроса [server.bad_request]");
}

BOOST_AUTO_TEST_CASE(passwords_are_salted_slow_hashes) {
    const auto a = hash_password("correct horse battery", 1000);
    const auto b = hash_password("correct horse battery", 1000);
    BOOST_TEST(a.algorithm == "pbkdf2-sha256");
    BOOST_TEST(a.salt != b.salt);  // salted: the same password, different hashes
    BOOST_TEST(a.hash != b.hash);
    BOOST_TEST(verify_password("correct horse battery", a));
    BOOST_TEST(!verify_password("correct horse batterY", a));
    BOOST_TEST(!verify_password("", a));
    PasswordHash tampered = a;
    tampered.iterations = 999;
    BOOST_TEST(!verify_password("correct horse battery", tampered));
    tampered = a;
    tampered.algorithm = "md5";
    BOOST_TEST(!verify_password("correct horse battery", tampered));
    tampered = a;
    tampered.hash = "not base64!";
    BOOST_TEST(!verify_password("correct horse battery", tampered));
    BOOST_TEST(kPasswordIterations >= 200000);
    // The known answer of PBKDF2-HMAC-SHA256 (RFC 7914, section 11: "passwd", salt "salt", c = 1).
    PasswordHash known{"pbkdf2-sha256", 1, "c2FsdA==", "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw="};
    BOOST_TEST(verify_password("passwd", known));
    BOOST_TEST(password_problem("short") == "пароль короче 10 символов");
    BOOST_TEST(password_problem("          ") == "пароль состоит из одних пробелов");
    BOOST_TEST(password_problem("длинный пароль").empty());
    BOOST_TEST(random_token().size() == 43u);
    BOOST_TEST(random_token() != random_token());
    BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(constant_time_equal("abc", "abc"));
    BOOST_TEST(!constant_time_equal("abc", "abd"));
    BOOST_TEST(!constant_time_equal("abc", "ab"));
}

BOOST_AUTO_TEST_CASE(session_cookies_are_httponly_and_strict) {
    BOOST_TEST(session_cookie("v", 3600, false) == "ppko_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
    BOOST_TEST(session_cookie("", 0, true) == "ppko_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
    BOOST_TEST(cookie_value("a=1; ppko_session=xyz; b=2", "ppko_session") == "xyz");
    BOOST_TEST(cookie_value("ppko_session_old=1", "ppko_session") == "");
    BOOST_TEST(cookie_value("", "ppko_session") == "");
}

BOOST_AUTO_TEST_CASE(state_changing_requests_of_a_session_need_its_csrf_token) {
    Caller c;
    c.via = Caller::Via::session;
    c.csrf = "token-of-the-session";
    check_csrf(c, "GET", "");  // reading needs none
    BOOST_TEST(error_of([&] { check_csrf(c, "POST", ""); }).ends_with("[auth.csrf]"));
    BOOST_TEST(error_of([&] { check_csrf(c, "PATCH", "token-of-the-sessioN"); }) ==
               "токен CSRF не совпадает с токеном сеанса [auth.csrf]");
    check_csrf(c, "DELETE", "token-of-the-session");
    c.via = Caller::Via::token;  // a bearer token carries no cookie a browser could send for it
    check_csrf(c, "POST", "");
}

BOOST_AUTO_TEST_CASE(request_bodies_report_fields_with_positions) {
    BOOST_TEST(error_of([] { Body b("{\"login\": 5}"); b.text("login"); }) ==
               "тело запроса:1:11: $.login: ожидался текст в кавычках, а записано: число 5 [data.wrong_type]");
    BOOST_TEST(error_of([] { Body b("{\n  \"nmae\": \"x\"\n}"); b.allow_only({"name", "login"}); }) ==
               "тело запроса:2:3: $.nmae: поле «nmae» здесь не предусмотрено; возможно, имелось в виду «name» "
               "[data.unknown_key]");
    BOOST_TEST(error_of([] { Body b("{}"); b.text("password"); }) ==
               "тело запроса:1:1: $.password: не заполнено обязательное поле «password» [data.missing_field]");
    BOOST_TEST(error_of([] { Body b("[1]"); }).ends_with("ожидался объект JSON { … }, а записано: список из 1 элем. [data.wrong_type]"));
    BOOST_TEST(error_of([] { Body b("{\"a\": "); }).ends_with("[json.syntax]"));
    BOOST_TEST(error_of([] { Body b("{\"name\": \"a\\u0007b\"}"); b.text("name"); }) ==
               "тело запроса:1:10: $.name: текст содержит управляющий символ (код 7) [data.bad_value]");
    BOOST_TEST(error_of([] { Body b("{\"days\": 400}"); b.integer("days", 1, 366); }) ==
               "тело запроса:1:10: $.days: число 400 вне допустимых границ 1…366 [data.bad_value]");
    const Body ok("{\"name\": \"Школа «№ 1»; DROP TABLE users; --\", \"n\": null}");
    BOOST_TEST(ok.text("name") == "Школа «№ 1»; DROP TABLE users; --");
    BOOST_TEST(!ok.optional_text("n").has_value());  // null counts as absent
}

BOOST_AUTO_TEST_CASE(errors_become_json_with_the_cli_text_and_a_status) {
    const Response r = error_response(Error(ErrorId::data_wrong_type, "тело запроса", {1, 11}, "$.login", "м"));
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.body.dump() ==
               R"({"errors":[{"id":"data.wrong_type","message":"м","text":"тело запроса:1:11: $.login: м [data.wrong_type]","file":"тело запроса","line":1,"column":11,"path":"$.login"}]})");
    BOOST_TEST(http_status(ErrorId::auth_required) == 401);
    BOOST_TEST(http_status(ErrorId::auth_bad_token) == 401);
    BOOST_TEST(http_status(ErrorId::auth_forbidden) == 403);
    BOOST_TEST(http_status(ErrorId::auth_csrf) == 403);
    BOOST_TEST(http_status(ErrorId::server_not_found) == 404);
    BOOST_TEST(http_status(ErrorId::record_conflict) == 409);
    BOOST_TEST(http_status(ErrorId::server_too_large) == 413);
    BOOST_TEST(http_status(ErrorId::auth_throttled) == 429);
    BOOST_TEST(http_status(ErrorId::store_unavailable) == 503);
    BOOST_TEST(http_status(ErrorId::internal) == 500);
    const Response t = error_response(HttpError(ErrorId::auth_throttled, "подождите", {{"retry_after", 30}},
                                                {{"Retry-After", "30"}}));
    BOOST_TEST(t.status == 429);
    BOOST_TEST(t.body.at("retry_after") == 30);
    BOOST_TEST(t.headers.at(0).second == "30");
}

// The converter's answers that need no office: why it makes no PDF (words for users, no program
// names) and the bound on requests; the conversions themselves are tested over HTTP (test_server.py).
BOOST_AUTO_TEST_CASE(the_pdf_service_says_why_it_makes_no_pdf_and_bounds_its_requests) {
    PdfService missing({1, 8, "/nonexistent/soffice"});
    BOOST_TEST(missing.unavailable_reason() ==
               "PDF на этом сервере не формируется: не установлен офисный пакет LibreOffice; обратитесь к администратору сервера");
    BOOST_TEST(error_of([&] { missing.admit(); }) ==
               "PDF на этом сервере не формируется: не установлен офисный пакет LibreOffice; обратитесь к администратору "
               "сервера [pdf.unavailable]");
    std::vector<std::string> out;
    const std::string docx = "PK";
    const pdf::Source one{"a.docx", docx};
    BOOST_TEST(error_of([&] { missing.convert({&one, 1}, out); }).find("[pdf.unavailable]") != std::string::npos);
    PdfService off({0, 8, ""});
    BOOST_TEST(off.unavailable_reason().find("выключен в настройках сервера") != std::string::npos);

    // /bin/sh stands for an installed office: admitted while tickets are free, then pdf.busy (503).
    PdfService bounded({1, 2, "/bin/sh"});
    BOOST_REQUIRE(bounded.available());
    {
        auto a = bounded.admit();
        auto b = bounded.admit();
        try {
            bounded.admit();
            BOOST_FAIL("a third request admitted");
        } catch (const HttpError& e) {
            const Response r = error_response(e);
            BOOST_TEST(r.status == 503);
            BOOST_TEST(r.body.at("errors").at(0).at("id") == "pdf.busy");
            BOOST_TEST(r.headers.at(0).first == "Retry-After");
        }
    }
    auto again = bounded.admit();  // the tickets went with their requests
    BOOST_TEST(http_status(ErrorId::pdf_unavailable) == 503);
}

BOOST_AUTO_TEST_CASE(the_configuration_file_is_checked_with_positions) {
    TempDir dir;
    const fs::path file = dir.path / "server.json";
    {
        std::ofstream(file) << "{\n  \"listen\": \"0.0.0.0:9000\",\n  \"limits\": {\"max_body\": 2048, \"sesion_hours\": 2}\n}\n";
    }
    ServerConfig c;
    BOOST_TEST(error_of([&] { load_config_file(file.string(), c); }) ==
               file.string() + ":3:32: $.limits.sesion_hours: поле «sesion_hours» здесь не предусмотрено; возможно, "
                               "имелось в виду «session_hours» [data.unknown_key]");
    {
        std::ofstream(file) << "{\"threads\": \"8\"}";
    }
    BOOST_TEST(error_of([&] { load_config_file(file.string(), c); }) ==
               file.string() + ":1:13: $.threads: ожидалось: целое число, а записано: текст «8» [data.wrong_type]");
    {
        std::ofstream(file) << "{\"listen\": \"0.0.0.0:9000\", \"threads\": 8, \"cookie_secure\": true,"
                               " \"trusted_proxies\": [\"127.0.0.1\"], \"limits\": {\"max_body\": 2048}}";
    }
    load_config_file(file.string(), c);
    BOOST_TEST(c.listen == "0.0.0.0:9000");
    BOOST_TEST(c.threads == 8);
    BOOST_TEST(c.cookie_secure);
    BOOST_TEST(c.trusted_proxies.at(0) == "127.0.0.1");
    BOOST_TEST(c.limits.max_body == 2048u);
    BOOST_TEST(c.limits.session_hours == 12);  // absent keys keep their defaults
    c.listen = "localhost";
    BOOST_TEST(error_of([&] { check_config(c); }) ==
               "--listen: адрес «localhost» записан неверно; ожидалось АДРЕС:ПОРТ, например 127.0.0.1:8080; подробнее: "
               "ppko serve --help [cli.usage]");
}

BOOST_AUTO_TEST_CASE(access_log_lines_split_into_their_fields) {
    BOOST_TEST(access_line({"127.0.0.1", "moc-1", "GET", "/api/municipalities/demidovsky/programs", 200, 5312, 1.8399}) ==
               "127.0.0.1 moc-1 GET /api/municipalities/demidovsky/programs 200 5312 1.84ms");
    BOOST_TEST(access_line({"10.0.0.1", "", "GET", "/api/x y\n", 404, 10, 0.5}) == "10.0.0.1 - GET /api/x_y_ 404 10 0.50ms");
}

// A token's signature is checked once per text and secret (then remembered); what a remembered
// token gets is still checked every time: another secret, a changed character, revocation.
BOOST_AUTO_TEST_CASE(a_remembered_token_is_still_checked) {
    SmolenskDatabase region;
    const User u = region.accounts.create_user(
        {"moc-t", "Петрова П.П.", Role::coordinator, "smolensk", "", "пароль-достаточной-длины"}, region.who);
    auto& db = region.db;
    Caller owner;
    owner.user_id = u.id;
    owner.login = u.login;
    owner.role = u.role;
    owner.municipality = u.municipality;
    const std::string secret(40, 's'), other(40, 'o');
    auto c = db->connect();
    const IssuedToken t = issue_token(*c, secret, owner, "скрипт", 1);
    BOOST_TEST(token_caller(*c, secret, t.token).login == "moc-t");
    BOOST_TEST(token_caller(*c, secret, t.token).login == "moc-t");  // the remembered check
    BOOST_TEST(error_of([&] { token_caller(*c, other, t.token); }).find("подпись неверна") != std::string::npos);
    std::string forged = t.token;
    forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
    BOOST_TEST(error_of([&] { token_caller(*c, secret, forged); }).ends_with("[auth.bad_token]"));
    const auto listed = list_tokens(*c, u.id);
    BOOST_TEST_REQUIRE(listed.size() == 1u);
    BOOST_TEST(revoke_token(*c, listed[0]["id"].get<std::string>(), u.id, false));
    BOOST_TEST(error_of([&] { token_caller(*c, secret, t.token); }).find("отозван") != std::string::npos);
}

// A GET of a municipality's domain reads the municipality's versions in the statement that finds
// its caller (token or session); inside a KnownVersions scope, versions() answers them with no
// statement, only for that municipality and that WorkspaceFiles, innermost scope first.
BOOST_AUTO_TEST_CASE(a_read_learns_the_versions_with_its_caller) {
    SmolenskDatabase region;
    region.accounts.create_municipality("vyazma", "Вязьма", region.who);
    const User u = region.accounts.create_user(
        {"moc-v", "Петрова П.П.", Role::coordinator, "smolensk", "", "пароль-достаточной-длины"}, region.who);
    Caller owner;
    owner.user_id = u.id;
    owner.login = u.login;
    owner.role = u.role;
    owner.municipality = u.municipality;
    auto c = region.db->connect();
    const std::string secret(40, 's');
    const IssuedToken t = issue_token(*c, secret, owner, "скрипт", 1);
    const NewSession s = create_session(*c, u.id, "127.0.0.1", 1);

    region.files.put("smolensk", "x.json", "{}", 0, region.who);
    c->exec("INSERT INTO meta (tenant, key, value) VALUES ('smolensk', 'state_version', '7')", store::Access::write);
    std::optional<WorkspaceFiles::Versions> by_token, by_session, of_none;
    BOOST_TEST(token_caller(*c, secret, t.token, "smolensk", &by_token).login == "moc-v");
    BOOST_TEST(session_caller(*c, s.cookie_value, "smolensk", &by_session)->login == "moc-v");
    BOOST_TEST_REQUIRE(by_token.has_value());
    BOOST_TEST_REQUIRE(by_session.has_value());
    BOOST_TEST(by_token->data == 1);
    BOOST_TEST(by_token->state == "7");
    BOOST_TEST(by_session->data == 1);
    BOOST_TEST(by_session->state == "7");
    const auto fresh = region.files.versions("vyazma");
    BOOST_TEST(fresh.data == 0);
    BOOST_TEST(fresh.state == "0");
    of_none = WorkspaceFiles::Versions{};
    token_caller(*c, secret, t.token, "nowhere", &of_none);
    BOOST_TEST(!of_none.has_value());  // no such municipality
    BOOST_TEST(error_of([&] { region.files.versions("nowhere"); }).ends_with("[server.not_found]"));

    WorkspaceFiles other(region.db);
    {
        const KnownVersions known(region.files, "smolensk", {41, "42"});
        BOOST_TEST(region.files.versions("smolensk").data == 41);  // no statement: not the stored 1
        BOOST_TEST(region.files.versions("smolensk").state == "42");
        BOOST_TEST(region.files.versions("vyazma").data == 0);  // another municipality: read
        BOOST_TEST(other.versions("smolensk").data == 1);       // another server's files: read
        {
            const KnownVersions inner(region.files, "smolensk", {43, "44"});
            BOOST_TEST(region.files.versions("smolensk").data == 43);
        }
        BOOST_TEST(region.files.versions("smolensk").data == 41);
    }
    BOOST_TEST(region.files.versions("smolensk").data == 1);  // the scope ended: read again
}

// Accounts on an SQLite database: scopes fit roles, logins are unique, a stale edit loses with the
// current record and what changed, and every change is in the audit log.
BOOST_AUTO_TEST_CASE(accounts_scopes_versions_and_audit) {
    TempDir dir;
    auto db = store::Database::open((dir.path / "region.sqlite").string());
    db->migrate(server_schema());
    Accounts acc(db, 1000);
    const Actor admin{"admin", "127.0.0.1"};
    acc.create_municipality("demidovsky", "Демидовский район", admin);
    BOOST_TEST(error_of([&] { acc.create_municipality("demidovsky", "x", admin); }) ==
               "$.id: муниципалитет «demidovsky» уже есть [record.exists]");
    NewUser u{"moc-1", "Иванова И.И.", Role::coordinator, "demidovsky", "", "пароль-достаточной-длины"};
    const User made = acc.create_user(u, admin);
    BOOST_TEST(made.version == 1);
    BOOST_TEST(error_of([&] { acc.create_user(u, admin); }) == "$.login: учётная запись «moc-1» уже есть [record.exists]");
    NewUser bad = u;
    bad.login = "moc-2";
    bad.municipality = "smolensk";
    BOOST_TEST(error_of([&] { acc.create_user(bad, admin); }) == "$.municipality: муниципалитета «smolensk» нет [data.bad_value]");
    bad.municipality.clear();
    BOOST_TEST(error_of([&] { acc.create_user(bad, admin); }) ==
               "$.municipality: роли «coordinator» нужен муниципалитет [data.missing_field]");
    bad.role = Role::region;
    bad.school = "sh-1";
    BOOST_TEST(error_of([&] { acc.create_user(bad, admin); }).ends_with("она охватывает весь регион [data.bad_value]"));
    bad = u;
    bad.login = "moc-3";
    bad.password = "short";
    BOOST_TEST(error_of([&] { acc.create_user(bad, admin); }) == "пароль не подходит: пароль короче 10 символов [auth.weak_password]");

    UserChanges ch;
    ch.name = "Иванова Ирина Ивановна";
    BOOST_TEST(acc.update_user("moc-1", ch, 1, admin).version == 2);
    UserChanges other;
    other.disabled = true;
    try {
        acc.update_user("moc-1", other, 1, admin);  // read version 1, but 2 is there
        BOOST_FAIL("a stale edit was accepted");
    } catch (const HttpError& e) {
        BOOST_TEST(e.diagnostics().format() ==
                   "запись «user:moc-1» изменена другим пользователем: в запросе версия 1, а сейчас 2; изменены поля: "
                   "name; перечитайте запись и повторите изменение [record.conflict]\n");
        BOOST_TEST(e.extra().at("current").at("name") == "Иванова Ирина Ивановна");
        BOOST_TEST(e.extra().at("changed") == nlohmann::ordered_json::array({"name"}));
    }
    BOOST_TEST(!acc.user("moc-1")->disabled);

    BOOST_TEST(acc.check_password("moc-1", "пароль-достаточной-длины").has_value());
    BOOST_TEST(!acc.check_password("moc-1", "пароль-достаточной-длинЫ").has_value());
    BOOST_TEST(!acc.check_password("nobody", "пароль-достаточной-длины").has_value());
    acc.set_password("moc-1", "другой-пароль-123", admin);
    BOOST_TEST(!acc.check_password("moc-1", "пароль-достаточной-длины").has_value());
    UserChanges off;
    off.disabled = true;
    acc.update_user("moc-1", off, acc.user("moc-1")->version, admin);
    BOOST_TEST(!acc.check_password("moc-1", "другой-пароль-123").has_value());  // a disabled account cannot log in

    const auto log = acc.audit(0, 100);
    std::vector<std::string> actions;
    for (const auto& e : log) actions.push_back(e.at("action"));
    BOOST_TEST(actions == (std::vector<std::string>{"user.update", "user.password", "user.update", "user.create",
                                                    "municipality.create"}),
               boost::test_tools::per_element());
    BOOST_TEST(log[2].at("before").at("name") == "Иванова И.И.");
    BOOST_TEST(log[2].at("after").at("name") == "Иванова Ирина Ивановна");
    BOOST_TEST(log.back().at("actor") == "admin");
    BOOST_TEST(acc.stored_secret() == acc.stored_secret());
    BOOST_TEST(acc.stored_secret().size() >= 32u);
}

BOOST_AUTO_TEST_SUITE_END()
