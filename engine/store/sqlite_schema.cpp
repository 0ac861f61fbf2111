#include "store/sqlite_schema.h"

#include "store/store.h"

namespace ppko::store::sqlite {
namespace {

// A released step never changes: files in users' hands were made by it. Change the schema by
// appending a step.
constexpr std::string_view kV1[] = {
    "PRAGMA application_id = 1347439439",  // kApplicationId
    "CREATE TABLE programs ("
    " school TEXT NOT NULL PRIMARY KEY,"
    " workflow TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " stage TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " started_on TEXT NOT NULL,"
    " academic_year TEXT NOT NULL,"
    " data_json TEXT NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE events ("
    " seq INTEGER PRIMARY KEY CHECK (seq > 0),"
    " school TEXT NOT NULL,"
    " workflow TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " date TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " from_stage TEXT NOT NULL,"
    " to_stage TEXT NOT NULL,"
    " guard TEXT NOT NULL,"
    " facts_json TEXT NOT NULL,"
    " note TEXT NOT NULL"
    ")",
    "CREATE TABLE meta ("
    " key TEXT NOT NULL PRIMARY KEY,"
    " value TEXT NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_seq_grows BEFORE INSERT ON events"
    " WHEN NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM events)"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only: seq must grow'); END",
};

constexpr std::string_view kV2[] = {
    "CREATE INDEX events_by_school ON events (school, seq)",
};

// Tenants: a server's file holds many municipalities; a CLI workspace's file has the one implicit
// tenant "" (rows of older files move to it). SQLite cannot change a primary key in place, so
// each table is rebuilt; the append-only triggers are dropped first (DROP TABLE would otherwise
// run into them) and made again, the seq check now per tenant.
constexpr std::string_view kV3[] = {
    "CREATE TABLE programs_v3 ("
    " tenant TEXT NOT NULL,"
    " school TEXT NOT NULL,"
    " workflow TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " stage TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " started_on TEXT NOT NULL,"
    " academic_year TEXT NOT NULL,"
    " data_json TEXT NOT NULL,"
    " PRIMARY KEY (tenant, school)"
    ") WITHOUT ROWID",
    "INSERT INTO programs_v3 SELECT '', school, workflow, workflow_version, stage, status, started_on,"
    " academic_year, data_json FROM programs",
    "DROP TABLE programs",
    "ALTER TABLE programs_v3 RENAME TO programs",
    "DROP TRIGGER events_no_update",
    "DROP TRIGGER events_no_delete",
    "DROP TRIGGER events_seq_grows",
    "DROP INDEX events_by_school",
    "CREATE TABLE events_v3 ("
    " tenant TEXT NOT NULL,"
    " seq INTEGER NOT NULL CHECK (seq > 0),"
    " school TEXT NOT NULL,"
    " workflow TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " date TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " from_stage TEXT NOT NULL,"
    " to_stage TEXT NOT NULL,"
    " guard TEXT NOT NULL,"
    " facts_json TEXT NOT NULL,"
    " note TEXT NOT NULL,"
    " PRIMARY KEY (tenant, seq)"
    ") WITHOUT ROWID",
    "INSERT INTO events_v3 SELECT '', seq, school, workflow, workflow_version, date, kind, from_stage, to_stage,"
    " guard, facts_json, note FROM events",
    "DROP TABLE events",
    "ALTER TABLE events_v3 RENAME TO events",
    "CREATE INDEX events_by_school ON events (tenant, school, seq)",
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_seq_grows BEFORE INSERT ON events"
    " WHEN NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM events WHERE tenant = NEW.tenant)"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only: seq must grow'); END",
    "CREATE TABLE meta_v3 ("
    " tenant TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY (tenant, key)"
    ") WITHOUT ROWID",
    "INSERT INTO meta_v3 SELECT '', key, value FROM meta",
    "DROP TABLE meta",
    "ALTER TABLE meta_v3 RENAME TO meta",
};

constexpr Migration kMigrations[] = {
    {1, "programs, events (append-only), meta", kV1},
    {2, "index for one school's history (ppko history --school)", kV2},
    {3, "tenant (municipality) key in programs, events and meta; seqs per tenant", kV3},
};

static_assert(std::size(kMigrations) == kLatestSchemaVersion,
              "kLatestSchemaVersion must name the last migration step");
static_assert(kApplicationId == 1347439439, "the v1 step spells kApplicationId in decimal");

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace ppko::store::sqlite
