// The state store (engine/store): round trips, rollback, seq order, append-only events, tenants,
// schema migration, refusals with their exact messages, the default state path, speed, and crash
// safety (a writer killed with SIGKILL in the middle of a transaction).
//
// One suite, two back-ends: SQLite files (the default), and PostgreSQL when PPKO_STORE_BACKEND is
// "postgresql" — then PPKO_TEST_PG_URL_FILE names a file holding the URL of a test cluster
// (tests/pg/pg_start.sh; ctest starts and stops it), in which the suite makes a database of its
// own. Cases about SQLite's file format only run on SQLite (precondition sqlite_backend).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "test_helpers.h"
#include "store/database.h"
#include "store/pg_schema.h"
#include "store/sqlite_schema.h"
#include "store/store.h"

using namespace ppko;
using namespace ppko::testing;
using namespace ppko::store;
namespace fs = std::filesystem;

namespace {


// ---- The back-end under test

// `url` (postgresql://user@host/db?…) naming database `db` instead.
std::string with_database(const std::string& url, const std::string& db) {
    const auto scheme = url.find("://") + 3;
    const auto path = url.find('/', scheme);
    const auto query = url.find('?', scheme);
    const std::string head = url.substr(0, path == std::string::npos || path > query ? query : path);
    return head + "/" + db + (query == std::string::npos ? "" : url.substr(query));
}

std::string read_line(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    return line;
}

// Runs statements on a PostgreSQL URL through libpq (what the store's API must not do).
std::vector<std::string> pg_exec(const std::string& url, const std::string& sql, std::string* error = nullptr) {
    PGconn* c = PQconnectdb(url.c_str());
    std::vector<std::string> rows;
    if (PQstatus(c) != CONNECTION_OK) {
        const std::string msg = PQerrorMessage(c);
        PQfinish(c);
        if (error) {
            *error = msg;
            return rows;
        }
        throw std::runtime_error("cannot connect to " + url + ": " + msg);
    }
    PGresult* r = PQexec(c, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                                                         : PQerrorMessage(c);
        PQclear(r);
        PQfinish(c);
        if (error) {
            *error = msg;
            return rows;
        }
        throw std::runtime_error(msg);
    }
    for (int i = 0; i < PQntuples(r); ++i) {
        const int last = PQnfields(r) - 1;
        rows.push_back(PQgetisnull(r, i, last) ? "NULL" : PQgetvalue(r, i, last));
    }
    PQclear(r);
    PQfinish(c);
    if (error) *error = "ok";
    return rows;
}

struct Backend {
    bool postgres = false;
    std::string url;  // PostgreSQL: this suite's own database
};

const Backend& backend() {
    static const Backend b = [] {
        Backend out;
        const char* which = std::getenv("PPKO_STORE_BACKEND");
        if (!which || std::string(which) != "postgresql") return out;
        const char* file = std::getenv("PPKO_TEST_PG_URL_FILE");
        if (!file) throw std::runtime_error("PPKO_STORE_BACKEND=postgresql needs PPKO_TEST_PG_URL_FILE");
        const std::string base = read_line(file);
        if (base.empty()) throw std::runtime_error(std::string("no URL in ") + file + " (tests/pg/pg_start.sh)");
        out.postgres = true;
        out.url = with_database(base, "ppko_store_test");
        pg_exec(base, "DROP DATABASE IF EXISTS ppko_store_test WITH (FORCE)");
        pg_exec(base, "CREATE DATABASE ppko_store_test");
        pg_exec(base, "DROP DATABASE IF EXISTS ppko_store_test_foreign WITH (FORCE)");
        pg_exec(base, "CREATE DATABASE ppko_store_test_foreign");
        pg_exec(with_database(base, "ppko_store_test_foreign"), "CREATE TABLE contacts (name TEXT)");
        return out;
    }();
    return b;
}

// Preconditions of the cases about one back-end.
boost::test_tools::assertion_result sqlite_backend(boost::unit_test::test_unit_id) { return !backend().postgres; }
boost::test_tools::assertion_result postgres_backend(boost::unit_test::test_unit_id) { return backend().postgres; }

// Where one test case keeps its state: SQLite — a file of its own (the implicit tenant "", as a
// CLI workspace has); PostgreSQL — the suite's database and a tenant no other case uses.
struct Place {
    std::string location;
    std::string tenant;
    fs::path file;  // SQLite

    std::unique_ptr<Store> open(StoreOptions o = {}) const {
        if (!backend().postgres && tenant.empty()) return open_sqlite_store(file, o);
        return open_store(location, tenant, o);
    }
    // What messages name the database by.
    std::string shown() const { return backend().postgres ? location : file.string(); }
    // SQL text for this place's tenant.
    std::string tenant_sql() const { return "'" + tenant + "'"; }
};

Place fresh_place(const fs::path& file) {
    static int counter = 0;
    Place p;
    if (backend().postgres) {
        p.location = backend().url;
        p.tenant = "t" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    } else {
        p.location = file.string();
        p.file = file;
    }
    return p;
}

// The message of store.busy on this back-end.
std::string busy_message() {
    return backend().postgres ? "база данных занята другим запросом ppko дольше допустимого; повторите позже"
                              : "файл состояния занят другим запуском ppko; дождитесь его окончания и повторите";
}

// The sqlite3 C API directly, for what the store's API must not or cannot do: write old schemas
// by hand, tamper with history, check integrity.
class RawDb {
public:
    explicit RawDb(const fs::path& p) {
        if (sqlite3_open(p.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + p.string());
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    // Runs `sql`; returns the last column of every row, or throws with SQLite's message.
    std::vector<std::string> exec(const std::string& sql) {
        std::vector<std::string> rows;
        char* err = nullptr;
        auto cb = [](void* out, int n, char** values, char**) {
            static_cast<std::vector<std::string>*>(out)->push_back(values[n - 1] ? values[n - 1] : "NULL");
            return 0;
        };
        if (sqlite3_exec(db_, sql.c_str(), cb, &rows, &err) != SQLITE_OK) {
            std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error(msg);
        }
        return rows;
    }
    // The error message of `sql`, or "ok" when it succeeds.
    std::string error_of(const std::string& sql) {
        try {
            exec(sql);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "ok";
    }
    std::string scalar(const std::string& sql) {
        auto rows = exec(sql);
        return rows.empty() ? "" : rows.front();
    }

private:
    sqlite3* db_ = nullptr;
};

// Raw SQL on a place's database, whichever the back-end: sqlite3 or libpq.
class Raw {
public:
    explicit Raw(const Place& p) : place_(p) {
        if (!backend().postgres) sqlite_ = std::make_unique<RawDb>(p.file);
    }
    std::vector<std::string> exec(const std::string& sql) {
        return sqlite_ ? sqlite_->exec(sql) : pg_exec(place_.location, sql);
    }
    std::string error_of(const std::string& sql) {
        if (sqlite_) return sqlite_->error_of(sql);
        std::string err;
        pg_exec(place_.location, sql, &err);
        return err;
    }
    std::string scalar(const std::string& sql) {
        auto rows = exec(sql);
        return rows.empty() ? "" : rows.front();
    }

private:
    Place place_;
    std::unique_ptr<RawDb> sqlite_;
};


ProgramState program_of(std::string school, std::string stage = "preparatory") {
    ProgramState p;
    p.school = std::move(school);
    p.workflow = "ppko";
    p.workflow_version = 3;
    p.stage = std::move(stage);
    p.status = "active";
    p.started_on = "2018-03-01";
    p.academic_year = "2018-2019";
    p.data_json = R"({"done":["analysis"],"note":"«ёлочки» и \"кавычки\""})";
    return p;
}

Event event_of(std::string school, std::string kind = "transition") {
    Event e;
    e.school = std::move(school);
    e.workflow = "ppko";
    e.workflow_version = 3;
    e.date = "2019-05-31";
    e.kind = std::move(kind);
    e.from_stage = "preparatory";
    e.to_stage = "implementation";
    e.guard = "facts.monitoring.input_done and date >= stage.end";
    e.facts_json = R"({"monitoring":{"input_done":true}})";
    e.note = "Подготовительный этап завершён: входной мониторинг проведён 20.05.2019";
    return e;
}

// The v1 schema exactly as release 1 wrote it (frozen: a copy, not a reference to the engine's).
const char* kV1Sql = R"(
PRAGMA application_id = 1347439439;
CREATE TABLE programs ( school TEXT NOT NULL PRIMARY KEY, workflow TEXT NOT NULL, workflow_version INTEGER NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, started_on TEXT NOT NULL, academic_year TEXT NOT NULL, data_json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events ( seq INTEGER PRIMARY KEY CHECK (seq > 0), school TEXT NOT NULL, workflow TEXT NOT NULL, workflow_version INTEGER NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, from_stage TEXT NOT NULL, to_stage TEXT NOT NULL, guard TEXT NOT NULL, facts_json TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE meta ( key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_seq_grows BEFORE INSERT ON events WHEN NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM events) BEGIN SELECT RAISE(ABORT, 'events are append-only: seq must grow'); END;
PRAGMA user_version = 1;
)";

// Sets or unsets environment variables for one scope and restores them afterwards.
class EnvGuard {
public:
    void set(const char* name, const char* value) {
        remember(name);
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~EnvGuard() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second) ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else ::unsetenv(it->first.c_str());
        }
    }

private:
    void remember(const char* name) {
        const char* v = std::getenv(name);
        saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
    }
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(programs_events_and_meta_round_trip) {
    TempDir dir;
    const Place place = fresh_place(dir / "nested/folder/ws.sqlite");  // the folder is created
    std::vector<ProgramState> put = {program_of("sch-3"), program_of("sch-1", "implementation"),
                                     program_of("sch-2")};
    put[2].data_json = "{}";
    put[2].status = "";  // empty strings survive as empty, not NULL
    Event created = event_of("sch-1", "created");
    created.from_stage.clear();
    {
        auto s = place.open();
        BOOST_TEST(s->schema_version() ==
                   (backend().postgres ? static_cast<int>(pg::migrations().size()) : kLatestSchemaVersion));
        BOOST_TEST(s->programs().empty());
        BOOST_TEST(s->events().empty());
        auto tx = s->begin();
        for (const auto& p : put) tx->put_program(p);
        BOOST_TEST(tx->append_event(created) == 1);
        BOOST_TEST(tx->append_event(event_of("sch-2")) == 2);
        BOOST_TEST(tx->append_event(event_of("sch-1")) == 3);
        tx->set_meta("last_run", "2019-05-31");
        tx->set_meta("last_run", "2019-06-01");  // replaced
        tx->commit();
    }
    if (!backend().postgres) BOOST_TEST(fs::is_regular_file(place.file));

    auto s = place.open();
    const auto progs = s->programs();
    BOOST_TEST_REQUIRE(progs.size() == 3u);
    BOOST_TEST((progs[0] == put[1]));  // ordered by school
    BOOST_TEST((progs[1] == put[2]));
    BOOST_TEST((progs[2] == put[0]));
    BOOST_TEST(progs[0].data_json == put[1].data_json);
    BOOST_TEST((s->program("sch-3") == put[0]));
    BOOST_TEST(!s->program("sch-4").has_value());

    const auto all = s->events();
    BOOST_TEST_REQUIRE(all.size() == 3u);
    Event expected = created;
    expected.seq = 1;
    BOOST_TEST((all[0] == expected));
    BOOST_TEST(all[0].note == created.note);
    BOOST_TEST(all[1].school == "sch-2");
    BOOST_TEST(all[2].seq == 3);
    const auto one = s->events("sch-1");
    BOOST_TEST_REQUIRE(one.size() == 2u);
    BOOST_TEST(one[0].seq == 1);
    BOOST_TEST(one[1].seq == 3);
    BOOST_TEST(s->events("nobody").empty());

    BOOST_TEST(s->meta("last_run").value_or("?") == "2019-06-01");
    BOOST_TEST(!s->meta("missing").has_value());

    // put_program replaces by school.
    auto tx = s->begin();
    ProgramState moved = put[1];
    moved.stage = "generalisation";
    moved.academic_year = "2019-2020";
    tx->put_program(moved);
    tx->commit();
    BOOST_TEST(s->programs().size() == 3u);
    BOOST_TEST((s->program("sch-1") == moved));

    // The grouped count: one row per (workflow, stage, status), ordered.
    const auto counts = s->stage_counts();
    std::vector<std::string> rows;
    for (const auto& c : counts) rows.push_back(c.workflow + "/" + c.stage + "/" + c.status + "=" + std::to_string(c.programs));
    std::vector<std::string> want;
    for (const auto& p : s->programs()) want.push_back(p.workflow + "/" + p.stage + "/" + p.status);
    std::sort(want.begin(), want.end());
    std::vector<std::string> grouped;
    for (std::size_t i = 0; i < want.size();) {
        std::size_t j = i;
        while (j < want.size() && want[j] == want[i]) ++j;
        grouped.push_back(want[i] + "=" + std::to_string(j - i));
        i = j;
    }
    BOOST_TEST(rows == grouped, boost::test_tools::per_element());
    BOOST_TEST(rows.size() == 3u);  // generalisation, preparatory with "" and with its status
}

BOOST_AUTO_TEST_CASE(destroying_a_transaction_without_commit_rolls_back) {
    TempDir dir;
    const Place place = fresh_place(dir / "ws.sqlite");
    auto s = place.open();
    {
        auto tx = s->begin();
        tx->put_program(program_of("a"));
        tx->append_event(event_of("a"));
        tx->set_meta("k", "committed");
        tx->commit();
    }
    {
        auto tx = s->begin();
        ProgramState changed = program_of("a", "implementation");
        tx->put_program(changed);
        for (int i = 0; i < 3000; ++i) tx->put_program(program_of("b" + std::to_string(i)));  // several batches
        for (int i = 0; i < 3000; ++i) tx->append_event(event_of("b"));
        tx->set_meta("k", "rolled back");
        // The transaction's own reads see its writes…
        BOOST_TEST(s->programs().size() == 3001u);
        BOOST_TEST(s->program("a")->stage == "implementation");
        BOOST_TEST(s->events().size() == 3001u);
        BOOST_TEST(s->meta("k").value_or("") == "rolled back");
    }  // …and all of them go away with it.
    BOOST_TEST(s->programs().size() == 1u);
    BOOST_TEST(s->program("a")->stage == "preparatory");
    BOOST_TEST(s->events().size() == 1u);
    BOOST_TEST(s->meta("k").value_or("") == "committed");
    // Rolled-back seqs are given back: no gaps among committed events.
    auto tx = s->begin();
    BOOST_TEST(tx->append_event(event_of("a")) == 2);
    tx->commit();

    // The same holds for another process's view of the database.
    s.reset();
    Raw raw(place);
    BOOST_TEST(raw.scalar("SELECT count(*) FROM programs WHERE tenant = " + place.tenant_sql()) == "1");
    BOOST_TEST(raw.scalar("SELECT count(*) || ':' || min(seq) || ',' || max(seq) FROM events WHERE tenant = " +
                          place.tenant_sql()) == "2:1,2");
}

BOOST_AUTO_TEST_CASE(a_transaction_may_outlive_its_store_object) {
    TempDir dir;
    const Place place = fresh_place(dir / "ws.sqlite");
    auto s = place.open();
    auto tx = s->begin();
    s.reset();
    tx->put_program(program_of("a"));
    tx->commit();
    tx.reset();
    BOOST_TEST(place.open()->programs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_write_rolls_the_whole_transaction_back) {
    TempDir dir;
    const Place place = fresh_place(dir / "ws.sqlite");
    place.open().reset();
    {
        Raw raw(place);  // a failure the store cannot cause by itself
        if (backend().postgres) {
            raw.exec("CREATE OR REPLACE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS "
                     "'BEGIN IF NEW.school = ''boom'' THEN RAISE EXCEPTION ''boom''; END IF; RETURN NEW; END'");
            raw.exec("CREATE OR REPLACE TRIGGER boom BEFORE INSERT ON programs FOR EACH ROW EXECUTE FUNCTION boom()");
        } else {
            raw.exec("CREATE TRIGGER boom BEFORE INSERT ON programs WHEN NEW.school = 'boom'"
                     " BEGIN SELECT RAISE(ABORT, 'boom'); END");
        }
    }
    auto s = place.open();
    auto tx = s->begin();
    tx->put_program(program_of("ok"));
    tx->append_event(event_of("ok"));
    tx->put_program(program_of("boom"));
    const std::string err = error_of([&] { tx->commit(); });
    BOOST_TEST(err.find("boom") != std::string::npos, err);
    BOOST_TEST(err.ends_with("[internal]"), err);
    BOOST_TEST(error_of([&] { tx->put_program(program_of("again")); }).ends_with(
        "транзакция с файлом состояния уже завершена; начните новую [internal]"));
    BOOST_TEST(s->programs().empty());
    BOOST_TEST(s->events().empty());
    auto tx2 = s->begin();  // the lock was released
    BOOST_TEST(tx2->append_event(event_of("ok")) == 1);
    tx2->commit();
    if (backend().postgres) Raw(place).exec("DROP TRIGGER boom ON programs");
}

BOOST_AUTO_TEST_CASE(seqs_are_ordered_without_gaps) {
    TempDir dir;
    auto s = fresh_place(dir / "ws.sqlite").open();
    std::int64_t expected = 0;
    for (int run = 0; run < 3; ++run) {
        auto tx = s->begin();
        for (int i = 0; i < 1500; ++i) {  // crosses batch boundaries
            const std::string school = "s" + std::to_string(i % 7);
            BOOST_REQUIRE(tx->append_event(event_of(school)) == ++expected);
        }
        tx->commit();
    }
    const auto all = s->events();
    BOOST_TEST_REQUIRE(all.size() == 4500u);
    for (std::size_t i = 0; i < all.size(); ++i) BOOST_REQUIRE(all[i].seq == static_cast<std::int64_t>(i + 1));
    const auto s3 = s->events("s3");
    BOOST_TEST(s3.size() == 642u);  // i % 7 == 3 for 214 of each run's 1500
    for (std::size_t i = 1; i < s3.size(); ++i) BOOST_REQUIRE(s3[i - 1].seq < s3[i].seq);
    for (const auto& e : s3) BOOST_REQUIRE(e.school == "s3");
}

BOOST_AUTO_TEST_CASE(events_cannot_be_updated_or_deleted) {
    TempDir dir;
    const Place place = fresh_place(dir / "ws.sqlite");
    {
        auto s = place.open();
        auto tx = s->begin();
        tx->append_event(event_of("a"));
        tx->append_event(event_of("b"));
        tx->commit();
    }
    Raw raw(place);
    const std::string t = place.tenant_sql();
    BOOST_TEST(raw.error_of("UPDATE events SET note = 'переписано' WHERE seq = 1 AND tenant = " + t) ==
               "events are append-only");
    BOOST_TEST(raw.error_of("DELETE FROM events WHERE seq = 2 AND tenant = " + t) == "events are append-only");
    BOOST_TEST(raw.error_of("DELETE FROM events") == "events are append-only");
    const std::string row = "'a', 'ppko', 3, '2019-05-31', 'x', '', '', '', '{}', ";
    if (backend().postgres) {
        BOOST_TEST(raw.error_of("TRUNCATE events") == "events are append-only");
        // The conflict makes it an UPDATE, which the UPDATE trigger refuses.
        BOOST_TEST(raw.error_of("INSERT INTO events VALUES (" + t + ", 1, " + row + "'подмена') "
                                "ON CONFLICT (tenant, seq) DO UPDATE SET note = excluded.note") ==
                   "events are append-only");
    } else {
        // REPLACE deletes the old row without firing DELETE triggers; the INSERT trigger stops it.
        BOOST_TEST(raw.error_of("INSERT OR REPLACE INTO events VALUES (" + t + ", 1, " + row + "'подмена')") ==
                   "events are append-only: seq must grow");
    }
    // Appending at the end stays possible; a seq below the last one is refused even where there
    // is a gap, also beside a good one in the same statement.
    BOOST_TEST(raw.error_of("INSERT INTO events VALUES (" + t + ", 3, " + row + "'дописано')") == "ok");
    BOOST_TEST(raw.error_of("INSERT INTO events VALUES (" + t + ", 10, " + row + "'через пропуск')") == "ok");
    BOOST_TEST(raw.error_of("INSERT INTO events VALUES (" + t + ", 7, " + row + "'в пропуск')") ==
               "events are append-only: seq must grow");
    BOOST_TEST(raw.error_of("INSERT INTO events VALUES (" + t + ", 11, " + row + "'верно'), (" + t + ", 8, " + row +
                            "'в пропуск')") == "events are append-only: seq must grow");
    const auto notes = raw.exec("SELECT note FROM events WHERE tenant = " + t + " ORDER BY seq");
    BOOST_TEST(notes == (std::vector<std::string>{event_of("a").note, event_of("b").note, "дописано", "через пропуск"}),
               boost::test_tools::per_element());
}

// Appending an event must not read the tenant's earlier events. The append-only check runs inside
// every INSERT; PostgreSQL caches its plan per session, planned when the table looked empty (here:
// ANALYZE of a new database, as autovacuum does on a new server). The first schema's per-row
// MAX(seq) was then aggregated over an index scan of every earlier event of the tenant, for each
// new one: quadratic (a region's first advance, 65,000 events: 56 s instead of 5). Counted by
// PostgreSQL itself (pg_stat_xact_user_tables: the rows of events this transaction's scans read),
// not timed.
BOOST_AUTO_TEST_CASE(appending_events_does_not_read_the_earlier_ones, *boost::unit_test::precondition(postgres_backend)) {
    const std::string base = read_line(std::getenv("PPKO_TEST_PG_URL_FILE"));
    pg_exec(base, "DROP DATABASE IF EXISTS ppko_store_test_append WITH (FORCE)");
    pg_exec(base, "CREATE DATABASE ppko_store_test_append");
    const std::string url = with_database(base, "ppko_store_test_append");
    open_store(url, "a");  // migrated
    constexpr int kBatches = 4, kRows = 1000;
    std::string sql = "ANALYZE events;";
    for (int b = 0; b < kBatches; ++b) {
        sql += "INSERT INTO events SELECT 'a', g, 's', 'ppko', 3, '2019-05-31', 'x', '', '', '', '{}', 'n' "
               "FROM generate_series(" + std::to_string(b * kRows + 1) + ", " + std::to_string((b + 1) * kRows) + ") AS g;";
    }
    sql += "SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables WHERE relname = 'events'";
    const long long read = std::stoll(pg_exec(url, sql).at(0));
    BOOST_TEST_MESSAGE("rows of events read for " << kBatches * kRows << " appended events: " << read);
    BOOST_TEST(read <= 4LL * kBatches * kRows);  // linear; the quadratic check read about 8,000,000
    BOOST_TEST(pg_exec(url, "SELECT count(*) FROM events").at(0) == std::to_string(kBatches * kRows));
    pg_exec(base, "DROP DATABASE ppko_store_test_append WITH (FORCE)");
}

// A PostgreSQL database of store schema version 1 (the servers of release 1) is brought to the
// latest at open: its events kept, the per-row seq check replaced by the per-statement one, and
// appends still checked.
BOOST_AUTO_TEST_CASE(a_v1_postgres_database_is_migrated_and_keeps_its_events, *boost::unit_test::precondition(postgres_backend)) {
    const std::string base = read_line(std::getenv("PPKO_TEST_PG_URL_FILE"));
    pg_exec(base, "DROP DATABASE IF EXISTS ppko_store_test_v1 WITH (FORCE)");
    pg_exec(base, "CREATE DATABASE ppko_store_test_v1");
    const std::string url = with_database(base, "ppko_store_test_v1");
    {
        auto s = open_store(url, "a");
        auto tx = s->begin();
        tx->append_event(event_of("x"));
        tx->append_event(event_of("y"));
        tx->commit();
    }
    // Back to version 1 as its own steps made it.
    std::string back = "DROP TRIGGER events_seq_grow ON events; DROP FUNCTION ppko_events_seq_grow();";
    for (std::string_view st : pg::migrations()[0].statements) {
        if (st.find("seq_grows") != std::string_view::npos) back += std::string(st) + ";";
    }
    back += "UPDATE ppko_schema SET version = 1 WHERE component = 'store'";
    pg_exec(url, back);
    const auto triggers = [&] {
        return pg_exec(url, "SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger "
                            "WHERE tgrelid = 'events'::regclass AND NOT tgisinternal").at(0);
    };
    BOOST_TEST(triggers() == "events_no_change,events_no_truncate,events_seq_grows");

    BOOST_TEST(open_store(url, "a")->events().size() == 2u);
    BOOST_TEST(pg_exec(url, "SELECT version FROM ppko_schema WHERE component = 'store'").at(0) ==
               std::to_string(pg::migrations().size()));
    BOOST_TEST(triggers() == "events_no_change,events_no_truncate,events_seq_grow");
    const std::string row = "'a', 'ppko', 3, '2019-05-31', 'x', '', '', '', '{}', 'n')";
    std::string err;
    pg_exec(url, "INSERT INTO events VALUES ('a', 5, " + row, &err);
    BOOST_TEST(err == "ok");
    pg_exec(url, "INSERT INTO events VALUES ('a', 4, " + row, &err);
    BOOST_TEST(err == "events are append-only: seq must grow");
    pg_exec(base, "DROP DATABASE ppko_store_test_v1 WITH (FORCE)");
}

BOOST_AUTO_TEST_CASE(a_v1_database_is_migrated_and_keeps_its_data, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    const fs::path file = dir / "old.sqlite";
    {
        RawDb raw(file);
        raw.exec(kV1Sql);
        raw.exec("INSERT INTO programs VALUES ('sch-1', 'ppko', 1, 'implementation', 'active', '2018-03-01', "
                 "'2018-2019', '{\"done\":[\"a\"]}')");
        raw.exec("INSERT INTO events VALUES (1, 'sch-1', 'ppko', 1, '2018-09-01', 'created', '', 'preparatory', "
                 "'', '{}', 'Программа начата')");
        raw.exec("INSERT INTO meta VALUES ('last_run', '2018-09-01')");
        BOOST_TEST(raw.scalar("PRAGMA user_version") == "1");
        BOOST_TEST(raw.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'events_by_school'") == "0");
    }
    auto s = open_sqlite_store(file);
    BOOST_TEST(s->schema_version() == kLatestSchemaVersion);
    BOOST_TEST(kLatestSchemaVersion == 3);
    const auto p = s->program("sch-1");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->stage == "implementation");
    BOOST_TEST(p->data_json == "{\"done\":[\"a\"]}");
    const auto ev = s->events("sch-1");
    BOOST_TEST_REQUIRE(ev.size() == 1u);
    BOOST_TEST(ev[0].note == "Программа начата");
    BOOST_TEST(s->meta("last_run").value_or("") == "2018-09-01");
    {
        auto tx = s->begin();
        BOOST_TEST(tx->append_event(event_of("sch-1")) == 2);
        tx->commit();
    }
    s.reset();
    RawDb raw(file);
    BOOST_TEST(raw.scalar("PRAGMA user_version") == "3");
    BOOST_TEST(raw.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_by_school'") ==
               "1");
    BOOST_TEST(raw.scalar("SELECT group_concat(tenant || '/' || school) FROM programs") == "/sch-1");
    // The index is what a school's history uses.
    const auto plan = raw.exec(
        "EXPLAIN QUERY PLAN SELECT * FROM events INDEXED BY events_by_school WHERE tenant = '' AND school = 'x' "
        "ORDER BY seq");
    BOOST_TEST_REQUIRE(plan.size() == 1u);  // one step, no separate sort
    BOOST_TEST(plan[0].find("USING INDEX events_by_school") != std::string::npos, plan[0]);
    BOOST_TEST(raw.scalar("PRAGMA integrity_check") == "ok");
}

// A file of release 2 (the last before tenants), as `ppko advance` left it, stays readable: its
// rows become the implicit tenant's, seqs continue, history stays append-only.
BOOST_AUTO_TEST_CASE(a_v2_database_is_migrated_to_tenants_and_keeps_its_data, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    const fs::path file = dir / "v2.sqlite";
    {
        RawDb raw(file);
        raw.exec(kV1Sql);
        raw.exec("CREATE INDEX events_by_school ON events (school, seq); PRAGMA user_version = 2;");
        raw.exec("INSERT INTO programs VALUES ('sch-2', 'ppko', 1, 'preparatory', 'active', '2019-09-01', "
                 "'2019-2020', '{}'), ('sch-1', 'ppko', 1, 'implementation', 'active', '2018-09-01', '2019-2020', "
                 "'{\"done\":[\"a\"]}')");
        raw.exec("INSERT INTO events VALUES (1, 'sch-1', 'ppko', 1, '2018-09-01', 'created', '', 'preparatory', '', "
                 "'{}', 'Программа начата'), (2, 'sch-2', 'ppko', 1, '2019-09-01', 'created', '', 'preparatory', '', "
                 "'{}', 'Программа начата'), (3, 'sch-1', 'ppko', 1, '2019-05-31', 'transition', 'preparatory', "
                 "'implementation', 'facts.x', '{\"x\":true}', 'Переход')");
        raw.exec("INSERT INTO meta VALUES ('advanced_through', '2019-09-01')");
    }
    {
        auto s = open_sqlite_store(file);
        BOOST_TEST(s->schema_version() == 3);
        const auto progs = s->programs();
        BOOST_TEST_REQUIRE(progs.size() == 2u);
        BOOST_TEST(progs[0].school == "sch-1");
        BOOST_TEST(progs[0].data_json == "{\"done\":[\"a\"]}");
        const auto ev = s->events("sch-1");
        BOOST_TEST_REQUIRE(ev.size() == 2u);
        BOOST_TEST(ev[1].seq == 3);
        BOOST_TEST(ev[1].guard == "facts.x");
        BOOST_TEST(s->meta("advanced_through").value_or("") == "2019-09-01");
        auto tx = s->begin();
        BOOST_TEST(tx->append_event(event_of("sch-2")) == 4);
        tx->commit();
        // Another tenant in the same file starts its own count.
        auto other = open_store(file.string(), "smolensk");
        BOOST_TEST(other->programs().empty());
        auto tx2 = other->begin();
        BOOST_TEST(tx2->append_event(event_of("sch-1")) == 1);
        tx2->commit();
        BOOST_TEST(s->events().size() == 4u);
    }
    RawDb raw(file);
    BOOST_TEST(raw.scalar("PRAGMA user_version") == "3");
    BOOST_TEST(raw.scalar("PRAGMA application_id") == "1347439439");
    BOOST_TEST(raw.scalar("PRAGMA integrity_check") == "ok");
    BOOST_TEST(raw.error_of("DELETE FROM events WHERE seq = 1") == "events are append-only");
    BOOST_TEST(raw.error_of("UPDATE events SET note = '' WHERE seq = 1") == "events are append-only");
    BOOST_TEST(raw.scalar("SELECT count(*) FROM events WHERE tenant = ''") == "4");
}

BOOST_AUTO_TEST_CASE(migration_steps_are_ascending_without_gaps) {
    int v = 0;
    for (const auto& m : sqlite::migrations()) {
        BOOST_TEST(m.version == ++v);
        BOOST_TEST(!m.statements.empty());
    }
    BOOST_TEST(v == kLatestSchemaVersion);
    v = 0;
    for (const auto& m : pg::migrations()) {
        BOOST_TEST(m.version == ++v);
        BOOST_TEST(!m.statements.empty());
    }
    BOOST_TEST(v >= 1);
}

BOOST_AUTO_TEST_CASE(a_newer_database_is_refused_with_a_clear_message) {
    TempDir dir;
    const Place place = fresh_place(dir / "new.sqlite");
    place.open().reset();
    Raw raw(place);
    if (backend().postgres) {
        const int latest = static_cast<int>(pg::migrations().size());
        raw.exec("UPDATE ppko_schema SET version = " + std::to_string(latest + 1) + " WHERE component = 'store'");
        const std::string err = error_of([&] { place.open(); });
        raw.exec("UPDATE ppko_schema SET version = " + std::to_string(latest) + " WHERE component = 'store'");
        BOOST_TEST(err == place.shown() + ": база данных записана более новой версией ppko (версия схемы " +
                              std::to_string(latest + 1) + ", эта программа знает версии до " +
                              std::to_string(latest) + "); обновите ppko [store.too_new]");
        return;
    }
    raw.exec("PRAGMA user_version = 4");
    BOOST_TEST(error_of([&] { place.open(); }) ==
               place.shown() +
                   ": файл состояния записан более новой версией ppko (версия схемы 4, эта программа знает "
                   "версии до 3); обновите ppko [store.too_new]");
    BOOST_TEST(raw.scalar("PRAGMA user_version") == "4");  // untouched
}

BOOST_AUTO_TEST_CASE(a_postgres_database_of_another_program_is_refused,
                     *boost::unit_test::precondition(postgres_backend)) {
    const std::string foreign = with_database(backend().url, "ppko_store_test_foreign");
    BOOST_TEST(error_of([&] { open_store(foreign, "x"); }) ==
               foreign + ": в базе данных PostgreSQL уже есть таблицы другой программы; укажите пустую базу данных "
                         "или базу ppko [store.not_database]");
    BOOST_TEST(pg_exec(foreign, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") ==
               std::vector<std::string>{"1"});  // nothing was added
}

BOOST_AUTO_TEST_CASE(files_that_are_not_ppko_state_are_refused, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    const fs::path text = dir / "notes.sqlite";
    {
        std::ofstream(text) << "Это не база данных, а заметки методиста о школах района.\n"
                            << std::string(2000, 'x');
    }
    BOOST_TEST(error_of([&] { open_sqlite_store(text); }) ==
               text.string() +
                   ": файл не является файлом состояния ppko (это не база данных SQLite); укажите другой файл в "
                   "--state [store.not_database]");

    const fs::path foreign = dir / "foreign.sqlite";
    {
        RawDb raw(foreign);
        raw.exec("CREATE TABLE contacts (name TEXT)");
    }
    BOOST_TEST(error_of([&] { open_sqlite_store(foreign); }) ==
               foreign.string() +
                   ": файл не является файлом состояния ppko (это база данных SQLite другой программы); укажите "
                   "другой файл в --state [store.not_database]");
    {
        RawDb raw(foreign);
        BOOST_TEST(raw.scalar("SELECT count(*) FROM sqlite_master") == "1");  // nothing was added
    }

    BOOST_TEST(error_of([&] { open_sqlite_store(dir.path); }) ==
               dir.path.string() + ": по этому пути находится папка, а не файл состояния [io.read]");
}

BOOST_AUTO_TEST_CASE(commands_that_only_read_never_create_or_write_a_state, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    SqliteOptions read_only;
    read_only.create = false;
    BOOST_TEST(open_sqlite_store(dir / "none.sqlite", read_only) == nullptr);
    BOOST_TEST(!fs::exists(dir / "none.sqlite"));
    BOOST_TEST(!fs::exists(dir.path / "none.sqlite-journal"));
    std::ofstream(dir / "empty.sqlite").flush();
    BOOST_TEST(open_sqlite_store(dir / "empty.sqlite", read_only) == nullptr);
    BOOST_TEST(fs::file_size(dir / "empty.sqlite") == 0u);  // not turned into a database
    {
        auto st = open_sqlite_store(dir / "state.sqlite");
        auto tx = st->begin();
        tx->put_program(program_of("a"));
        tx->commit();
    }
    auto st = open_sqlite_store(dir / "state.sqlite", read_only);
    BOOST_REQUIRE(st != nullptr);
    BOOST_TEST(st->programs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(devices_pipes_and_sockets_are_not_state_files, *boost::unit_test::precondition(sqlite_backend)) {
    // --state /dev/null left /dev/null-journal behind.
    BOOST_TEST(error_of([] { open_sqlite_store("/dev/null"); }) ==
               "/dev/null: по этому пути находится не обычный файл (устройство, канал или сокет), а не файл состояния [io.read]");
    BOOST_TEST(!fs::exists("/dev/null-journal"));
}

BOOST_AUTO_TEST_CASE(a_state_edited_by_hand_is_reported_not_computed_with, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    const fs::path file = dir / "state.sqlite";
    {
        auto st = open_sqlite_store(file);
        auto tx = st->begin();
        tx->put_program(program_of("a"));
        tx->commit();
    }
    RawDb(file).exec("UPDATE programs SET academic_year = 'xyz' WHERE school = 'a'");
    auto st = open_sqlite_store(file);
    const std::string expected = file.string() +
                                 ": в состоянии программы школы «a» учебный год «xyz» записан неверно (файл изменён не программой ppko?); "
                                 "восстановите файл из резервной копии [store.damaged]";
    BOOST_TEST(error_of([&] { st->programs(); }) == expected);
    BOOST_TEST(error_of([&] { st->program("a"); }) == expected);
    RawDb(file).exec("UPDATE programs SET academic_year = '2019-2020', started_on = '1 марта' WHERE school = 'a'");
    BOOST_TEST(error_of([&] { st->programs(); }).find("день начала «1 марта» записан неверно") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_damaged_file_is_reported_as_damaged, *boost::unit_test::precondition(sqlite_backend)) {
    TempDir dir;
    const fs::path file = dir / "ws.sqlite";
    {
        auto s = open_sqlite_store(file);
        auto tx = s->begin();
        tx->put_program(program_of("a"));
        tx->commit();
    }
    long page_size = 0, root = 0;
    {
        RawDb raw(file);
        page_size = std::stol(raw.scalar("PRAGMA page_size"));
        root = std::stol(raw.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'programs'"));
    }
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp((root - 1) * page_size);
        const std::string garbage(64, '\xEE');  // not a b-tree page type
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    auto s = open_sqlite_store(file);  // the header page is intact
    BOOST_TEST(error_of([&] { s->programs(); }) ==
               file.string() +
                   ": файл состояния повреждён; восстановите его из резервной копии (SQLite: database disk image is "
                   "malformed) [store.damaged]");
}

BOOST_AUTO_TEST_CASE(one_writer_at_a_time) {
    TempDir dir;
    const Place place = fresh_place(dir / "ws.sqlite");
    const std::string file = place.shown();
    auto a = place.open();
    auto b = place.open(StoreOptions{std::chrono::milliseconds(100)});
    auto tx = a->begin();
    tx->put_program(program_of("a"));
    BOOST_TEST(error_of([&] { a->begin(); }) ==
               file + ": предыдущая транзакция с файлом состояния ещё не завершена [internal]");
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(error_of([&] { b->begin(); }) == file + ": " + busy_message() + " [store.busy]");
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(90)));  // it waited
    BOOST_TEST(b->programs().empty());  // a reader sees only committed state
    tx->commit();
    BOOST_TEST(b->programs().size() == 1u);
    auto tx2 = b->begin();  // the lock is free again
    tx2->commit();
    BOOST_TEST(error_of([&] { tx2->put_program(program_of("late")); }) ==
               file + ": транзакция с файлом состояния уже завершена; начните новую [internal]");
}

// A server's database holds many municipalities: each store sees only its tenant, seqs count per
// tenant, and a writer of one tenant does not wait for another's on PostgreSQL.
BOOST_AUTO_TEST_CASE(tenants_share_a_database_without_seeing_each_other) {
    TempDir dir;
    const fs::path file = dir / "region.sqlite";
    const std::string location = backend().postgres ? backend().url : file.string();
    const std::string suffix = std::to_string(::getpid());
    auto db = Database::open(location);
    auto a = db->store("demidovsky-" + suffix);
    auto b = db->store("smolensk-" + suffix);
    {
        auto tx = a->begin();
        tx->put_program(program_of("sh-1"));
        BOOST_TEST(tx->append_event(event_of("sh-1")) == 1);
        BOOST_TEST(tx->append_event(event_of("sh-1")) == 2);
        tx->set_meta("advanced_through", "2019-05-31");
        tx->commit();
    }
    if (backend().postgres) {
        auto ta = a->begin();  // held while b writes: other tenants' locks are independent
        auto tb = b->begin();
        BOOST_TEST(tb->append_event(event_of("sh-1")) == 1);
        tb->commit();
        ta->commit();
    } else {
        auto tb = b->begin();
        BOOST_TEST(tb->append_event(event_of("sh-1")) == 1);
        tb->commit();
    }
    BOOST_TEST(a->programs().size() == 1u);
    BOOST_TEST(b->programs().empty());
    BOOST_TEST(!b->program("sh-1").has_value());
    BOOST_TEST(a->events().size() == 2u);
    BOOST_TEST(b->events().size() == 1u);
    BOOST_TEST(b->events("sh-1").size() == 1u);
    BOOST_TEST(!b->meta("advanced_through").has_value());
    BOOST_TEST(a->meta("advanced_through").value_or("") == "2019-05-31");
    BOOST_TEST(error_of([&] { db->store("../etc"); }).ends_with("недопустимый код муниципалитета: «../etc» [internal]"));
    BOOST_TEST(error_of([&] { db->store("Москва"); }).ends_with("[internal]"));
    // Strings go in and come out verbatim, SQL metacharacters included.
    ProgramState odd = program_of("x'; DROP TABLE programs; --");
    odd.data_json = R"({"q":"\"'; --","nul":"\\0","u":"Ёё ✓"})";
    odd.stage = "$1 $2 ? :name @p";
    {
        auto tx = b->begin();
        tx->put_program(odd);
        Event e = event_of(odd.school);
        e.note = "' OR 1=1 -- \\ %s %n ${x}";
        tx->append_event(e);
        tx->set_meta("k'; --", "v\"'");
        tx->commit();
    }
    BOOST_TEST((b->program(odd.school) == odd));
    BOOST_TEST(b->events(odd.school).at(0).note == "' OR 1=1 -- \\ %s %n ${x}");
    BOOST_TEST(b->meta("k'; --").value_or("") == "v\"'");
    BOOST_TEST(a->programs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(postgres_urls_become_libpq_connection_strings) {
    BOOST_TEST(postgres_conninfo("postgresql://ppko@/ppko?host=/tmp/pg.x&port=55432", "u") ==
               "application_name=ppko client_encoding=UTF8 dbname=ppko host=/tmp/pg.x port=55432 user=ppko");
    BOOST_TEST(postgres_conninfo("postgres://app:s%40cret@db.local:5433/region", "u") ==
               "application_name=ppko client_encoding=UTF8 dbname=region host=db.local password=s@cret port=5433 "
               "user=app");
    BOOST_TEST(postgres_conninfo("postgresql://[::1]:5432/x?sslmode=require", "u") ==
               "application_name=ppko client_encoding=UTF8 dbname=x host=::1 port=5432 sslmode=require");
    BOOST_TEST(redact_location("postgresql://app:s%40cret@db.local:5433/region?password=x&sslmode=require") ==
               "postgresql://app:***@db.local:5433/region?password=***&sslmode=require");
    BOOST_TEST(redact_location("/var/lib/ppko/region.sqlite") == "/var/lib/ppko/region.sqlite");
    BOOST_TEST(error_of([] { postgres_conninfo("postgresql://h:port/x", "shown"); }) ==
               "shown: неверный адрес базы данных PostgreSQL: порт «port» не число; ожидалось "
               "postgresql://пользователь@сервер:порт/база (или ?host=/папка/сокета) [cli.usage]");
    BOOST_TEST(error_of([] { postgres_conninfo("postgresql://h/x?application_name=a%20b", "shown"); })
                   .find("значение параметра «application_name» пустое или содержит пробел") != std::string::npos);
    BOOST_TEST(error_of([] { postgres_conninfo("postgresql://h/x%zz", "shown"); })
                   .find("после «%» ожидались две шестнадцатеричные цифры") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreachable_postgres_server_is_reported) {
    TempDir dir;
    const std::string url = "postgresql://ppko@/ppko?host=" + dir.path.string() + "&port=1";
    const std::string err = error_of([&] { open_store(url, "x"); });
    BOOST_TEST(err.rfind(url + ": не удаётся подключиться к серверу базы данных PostgreSQL (", 0) == 0, err);
    BOOST_TEST(err.ends_with(") [store.unavailable]"), err);
}

BOOST_AUTO_TEST_CASE(default_state_path_follows_the_environment) {
    EnvGuard env;
    env.set("PPKO_STATE_DIR", "/srv/ppko-state");
    env.set("XDG_STATE_HOME", "/home/m/.state");
    env.set("HOME", "/home/m");
    BOOST_TEST(default_state_path("demidovsky") == fs::path("/srv/ppko-state/demidovsky.sqlite"));
    env.set("PPKO_STATE_DIR", "");  // empty counts as unset
    BOOST_TEST(default_state_path("demidovsky") == fs::path("/home/m/.state/ppko/demidovsky.sqlite"));
    env.set("PPKO_STATE_DIR", nullptr);
    BOOST_TEST(default_state_path("smolensk-2017") == fs::path("/home/m/.state/ppko/smolensk-2017.sqlite"));
    env.set("XDG_STATE_HOME", "relative/state");  // not absolute: ignored (XDG spec)
    BOOST_TEST(default_state_path("demidovsky") == fs::path("/home/m/.local/state/ppko/demidovsky.sqlite"));
    env.set("XDG_STATE_HOME", nullptr);
    BOOST_TEST(default_state_path("demidovsky") == fs::path("/home/m/.local/state/ppko/demidovsky.sqlite"));
    env.set("HOME", nullptr);
    BOOST_TEST(error_of([] { default_state_path("demidovsky"); }) ==
               "не удаётся выбрать папку для файла состояния: не задана переменная окружения HOME; укажите файл в "
               "--state или папку в PPKO_STATE_DIR [io.write]");
    env.set("PPKO_STATE_DIR", "/srv/s");
    BOOST_TEST(error_of([] { default_state_path("../x"); }) ==
               "недопустимое имя папки данных для файла состояния: «../x» [internal]");
    BOOST_TEST(error_of([] { default_state_path(""); }).ends_with("[internal]"));
}

// One transaction putting 40,000 programs and appending 40,000 events (the brief's bar: well under
// 1 s on the 2-core development machine, for SQLite).
BOOST_AUTO_TEST_CASE(forty_thousand_programs_and_events_in_one_transaction) {
    TempDir dir;
    auto s = fresh_place(dir / "big.sqlite").open();
    std::vector<ProgramState> progs;
    std::vector<Event> events;
    for (int i = 0; i < 40000; ++i) {
        progs.push_back(program_of("school-" + std::to_string(100000 + i), i % 2 ? "implementation" : "preparatory"));
        events.push_back(event_of(progs.back().school));
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto tx = s->begin();
    for (const auto& p : progs) tx->put_program(p);
    for (const auto& e : events) tx->append_event(e);
    tx->commit();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Timing is printed, never asserted (tests do not depend on speed; bench/ measures it).
    BOOST_TEST_MESSAGE("40000 programs + 40000 events in one transaction: " << seconds * 1000 << " ms");

    const auto t1 = std::chrono::steady_clock::now();
    const auto back = s->programs();
    const auto log = s->events();
    const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    BOOST_TEST_MESSAGE("reading them back: " << read_s * 1000 << " ms");
    BOOST_TEST_REQUIRE(back.size() == 40000u);
    BOOST_TEST_REQUIRE(log.size() == 40000u);
    BOOST_TEST((back[123] == progs[123]));  // names sort like the insertion order here
    BOOST_TEST(log.back().seq == 40000);
    BOOST_TEST(s->events("school-100007").size() == 1u);
}


// ---- Crash safety: a writer killed with SIGKILL leaves the database readable, intact, and
// holding either none or all of its transaction's rows; the next writer goes on at once.

namespace {

constexpr int kCrashRows = 20000;  // per table; several MB, more than SQLite's page cache holds

enum class CrashMode {
    pause_midway,  // write half the rows, report 'm', wait to be killed: deterministic "none"
    run_on,        // report 'm' halfway, 'p' just before commit(), 'c' after it; killed at some moment
};

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The child process: never returns, never touches Boost.Test.
[[noreturn]] void crash_writer(const Place& place, int iteration, CrashMode mode, int report, int hold) {
    try {
        auto s = place.open();
        auto tx = s->begin();
        const std::string prefix = "it" + std::to_string(iteration) + "-";
        for (int i = 0; i < kCrashRows; ++i) {
            ProgramState p = program_of(prefix + std::to_string(100000 + i));
            p.data_json = R"({"payload":")" + std::string(40, 'x') + R"("})";
            tx->put_program(p);
            tx->append_event(event_of(p.school));
            if (i == kCrashRows / 2) {
                if (::write(report, "m", 1) != 1) ::_exit(4);
                if (mode == CrashMode::pause_midway) {
                    char c;
                    while (::read(hold, &c, 1) != 0) {
                    }  // the parent never writes; it kills us
                    ::_exit(5);
                }
            }
        }
        tx->set_meta("last_crash_run", std::to_string(iteration));
        if (::write(report, "p", 1) != 1) ::_exit(4);
        tx->commit();
        if (::write(report, "c", 1) != 1) ::_exit(4);
        for (;;) ::pause();
    } catch (...) {
        ::_exit(3);
    }
}

struct CrashOutcome {
    bool committed = false;
    bool journal_left = false;  // a hot journal was beside the file right after the kill
    bool file_touched = false;  // the killed transaction had already written pages into the file
};

// Forks a writer, kills it `delay` after it reports `mark` ('m' halfway, 'p' entering commit(),
// 'c' committed), then reopens the file and checks it. `base` is the committed row count.
CrashOutcome crash_once(const Place& place, int iteration, CrashMode mode, char mark,
                        std::chrono::microseconds delay, std::size_t& base) {
    const bool sqlite = !backend().postgres;
    const fs::path& file = place.file;
    const std::string before = sqlite ? read_bytes(file) : std::string();
    int report[2], hold[2];
    BOOST_REQUIRE(::pipe(report) == 0);
    BOOST_REQUIRE(::pipe(hold) == 0);
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(report[0]);
        ::close(hold[1]);
        crash_writer(place, iteration, mode, report[1], hold[0]);
    }
    ::close(report[1]);
    ::close(hold[0]);
    for (char c = 0; c != mark;) {
        BOOST_REQUIRE_MESSAGE(::read(report[0], &c, 1) == 1, "the writer stopped before reporting '" << mark << "'");
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    ::close(report[0]);
    ::close(hold[1]);
    BOOST_REQUIRE_MESSAGE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                          "the writer ended by itself (status " << status << ") instead of being killed");

    CrashOutcome out;
    if (sqlite) {
        out.journal_left = fs::exists(file.string() + "-journal");
        out.file_touched = read_bytes(file) != before;
    }
    {
        auto s = place.open();  // as the next `ppko advance` would
        s->begin()->commit();   // the killed writer's lock is gone (PostgreSQL: at once, not after a timeout)
        const std::size_t programs = s->programs().size();
        const auto events = s->events();
        BOOST_TEST_REQUIRE((programs == base || programs == base + kCrashRows),
                           "programs: " << programs << ", committed before: " << base);
        out.committed = programs == base + kCrashRows;
        BOOST_TEST_REQUIRE(events.size() == programs, "events and programs disagree: " << events.size());
        BOOST_TEST(events.back().seq == static_cast<std::int64_t>(events.size()));
        if (out.committed) {
            BOOST_TEST(events.back().school == "it" + std::to_string(iteration) + "-" + std::to_string(100000 + kCrashRows - 1));
            BOOST_TEST(s->meta("last_crash_run").value_or("") == std::to_string(iteration));
        } else {
            BOOST_TEST(s->meta("last_crash_run").value_or("") != std::to_string(iteration));
        }
        base = programs;
    }
    if (sqlite) {
        RawDb raw(file);
        BOOST_TEST(raw.scalar("PRAGMA integrity_check") == "ok");
        BOOST_TEST(!fs::exists(file.string() + "-journal"));  // the hot journal was rolled back and removed
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_writer_killed_mid_transaction_leaves_none_or_all_of_its_rows) {
    TempDir dir;
    const Place place = fresh_place(dir / "crash.sqlite");
    const bool sqlite = !backend().postgres;
    std::size_t base = 0;
    {
        auto s = place.open();
        auto tx = s->begin();
        tx->put_program(program_of("baseline"));
        tx->append_event(event_of("baseline"));
        tx->commit();
        base = 1;
    }  // no connection may be open across fork()

    int none = 0, all = 0, hot_journals = 0;
    int iteration = 0;
    // Killed while paused mid-transaction: the file already holds uncommitted pages.
    for (int k = 0; k < 3; ++k) {
        const auto o = crash_once(place, ++iteration, CrashMode::pause_midway, 'm', {}, base);
        BOOST_TEST(!o.committed);
        if (sqlite) {
            BOOST_TEST(o.journal_left);
            BOOST_TEST(o.file_touched);  // so the reopen really had to undo pages on disk
        }
        none += !o.committed;
        hot_journals += o.journal_left;
    }
    // Killed while running, at moments spread over the rest of the writes…
    for (int us : {0, 1000, 5000, 15000, 30000, 60000}) {
        const auto o = crash_once(place, ++iteration, CrashMode::run_on, 'm', std::chrono::microseconds(us), base);
        (o.committed ? all : none) += 1;
        hot_journals += o.journal_left;
    }
    // …and over commit(): the last batches, the journal's fsync, the pages, the file's fsync.
    for (int us : {0, 500, 1000, 2000, 4000, 7000, 10000, 15000, 25000, 40000, 60000, 100000}) {
        const auto o = crash_once(place, ++iteration, CrashMode::run_on, 'p', std::chrono::microseconds(us), base);
        (o.committed ? all : none) += 1;
        hot_journals += o.journal_left;
    }
    // Killed right after commit() returned: everything is there.
    for (int k = 0; k < 2; ++k) {
        const auto o = crash_once(place, ++iteration, CrashMode::run_on, 'c', {}, base);
        BOOST_TEST(o.committed);
        BOOST_TEST(!o.journal_left);
        all += o.committed;
    }
    BOOST_TEST_MESSAGE("crash runs: " << iteration << ", none of the rows: " << none << ", all of them: " << all
                                      << ", hot journals rolled back: " << hot_journals);
    BOOST_TEST(none + all == iteration);
    BOOST_TEST(none >= 3);
    BOOST_TEST(all >= 2);
}

// Connection::query, the one-round-trip path of the hot requests: text, integers and bytes go in
// and come out verbatim (metacharacters, UTF-8, NUL bytes in a BLOB / BYTEA), NULL reads as "",
// a statement kept prepared (SQLite) runs again with other parameters, and errors are the store's.
BOOST_AUTO_TEST_CASE(query_round_trips_text_integers_and_bytes) {
    TempDir dir;
    const std::string location = backend().postgres ? backend().url : (dir / "q.sqlite").string();
    auto db = Database::open(location);
    auto c = db->connect();
    const std::string table = "q" + std::to_string(::getpid());
    c->exec("CREATE TABLE " + table + " (k TEXT PRIMARY KEY, n BIGINT, b " +
                (backend().postgres ? "BYTEA" : "BLOB") + ", t TEXT)",
            Access::write);
    const std::string bytes("PK\x03\x04\0\xff\x80 '\\x00", 12);
    const std::string odd = "x'; DROP TABLE programs; -- «Ёё» $1 ?";
    c->query("INSERT INTO " + table + " (k, n, b, t) VALUES ($1, $2, $3, NULL)", {odd, std::int64_t{-5}, Blob{bytes}},
             Access::write);
    c->query("INSERT INTO " + table + " (k, n, b, t) VALUES ($1, $2, $3, $1)", {"b", std::int64_t{1} << 40, Blob{""}},
             Access::write);
    const Rows r = c->query("SELECT k, n, b, t FROM " + table + " WHERE n < $1 ORDER BY n", {std::int64_t{0}});
    BOOST_TEST(r.size() == 1u);
    BOOST_TEST(r.at(0, 0) == odd);
    BOOST_TEST(r.integer(0, 1) == -5);
    BOOST_TEST(r.at(0, 2) == bytes);
    BOOST_TEST(r.at(0, 3) == "");
    const Rows all = c->query("SELECT k, n, b, t FROM " + table + " WHERE n < $1 ORDER BY n", {std::int64_t{1} << 41});
    BOOST_TEST(all.size() == 2u);
    BOOST_TEST(all.integer(1, 1) == (std::int64_t{1} << 40));
    BOOST_TEST(all.at(1, 2) == "");
    BOOST_TEST(all.at(1, 3) == "b");
    BOOST_TEST(c->query("SELECT k FROM " + table + " WHERE k = $1", {"absent"}).empty());
    // query_bytes: the BYTEA in libpq's binary format (no hex to unescape), the same bytes.
    const Rows raw = c->query_bytes("SELECT b FROM " + table + " WHERE k = $1", {odd});
    BOOST_TEST(raw.size() == 1u);
    BOOST_TEST(raw.at(0, 0) == bytes);
    BOOST_TEST(c->query_bytes("SELECT b FROM " + table + " WHERE k = $1", {"b"}).at(0, 0) == "");
    BOOST_TEST(c->query("SELECT b FROM " + table + " WHERE k = $1", {odd}).at(0, 0) == bytes);  // text again after it
    BOOST_TEST(error_of([&] { all.integer(0, 0); }).ends_with("[internal]"));
    BOOST_TEST(error_of([&] { c->query("SELECT $2, $1", {"a", "b"}); }).ends_with("[internal]"));
    BOOST_TEST(error_of([&] { c->query("SELECT * FROM no_such_table_here", {}); }).ends_with("[internal]"));
    try {
        c->query("INSERT INTO " + table + " (k, n, b, t) VALUES ($1, 0, $2, '')", {"b", Blob{"x"}}, Access::write);
        BOOST_FAIL("a duplicate key was accepted");
    } catch (const Error&) {
    }
    c->exec("DROP TABLE " + table, Access::write);
}

BOOST_AUTO_TEST_SUITE_END()
