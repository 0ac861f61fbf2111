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

constexpr Migration kMigrations[] = {
    {1, "programs, events (append-only), meta", kV1},
    {2, "index for one school's history (ppko history --school)", kV2},
};

static_assert(std::size(kMigrations) == kLatestSchemaVersion,
              "kLatestSchemaVersion must name the last migration step");
static_assert(kApplicationId == 1347439439, "the v1 step spells kApplicationId in decimal");

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace ppko::store::sqlite
