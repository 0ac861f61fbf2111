#include "store/pg_schema.h"

namespace ppko::store::pg {
namespace {

// A released step never changes: databases in users' hands were made by it. Change the schema by
// appending a step.
constexpr std::string_view kV1[] = {
    "CREATE TABLE programs ("
    " tenant TEXT COLLATE \"C\" NOT NULL,"
    " school TEXT COLLATE \"C\" NOT NULL,"
    " workflow TEXT NOT NULL,"
    " workflow_version INTEGER NOT NULL,"
    " stage TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " started_on TEXT NOT NULL,"
    " academic_year TEXT NOT NULL,"
    " data_json TEXT NOT NULL,"
    " PRIMARY KEY (tenant, school)"
    ")",
    "CREATE TABLE events ("
    " tenant TEXT COLLATE \"C\" NOT NULL,"
    " seq BIGINT NOT NULL CHECK (seq > 0),"
    " school TEXT COLLATE \"C\" NOT NULL,"
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
    ")",
    "CREATE INDEX events_by_school ON events (tenant, school, seq)",
    "CREATE TABLE meta ("
    " tenant TEXT COLLATE \"C\" NOT NULL,"
    " key TEXT COLLATE \"C\" NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY (tenant, key)"
    ")",
    "CREATE FUNCTION ppko_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "'BEGIN RAISE EXCEPTION ''events are append-only''; END'",
    "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events"
    " FOR EACH ROW EXECUTE FUNCTION ppko_events_append_only()",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
    " FOR EACH STATEMENT EXECUTE FUNCTION ppko_events_append_only()",
    "CREATE FUNCTION ppko_events_seq_grows() RETURNS trigger LANGUAGE plpgsql AS "
    "'BEGIN"
    " IF NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM events WHERE tenant = NEW.tenant) THEN"
    "  RAISE EXCEPTION ''events are append-only: seq must grow'';"
    " END IF;"
    " RETURN NEW;"
    " END'",
    "CREATE TRIGGER events_seq_grows BEFORE INSERT ON events"
    " FOR EACH ROW EXECUTE FUNCTION ppko_events_seq_grows()",
};

// The seq check once per statement instead of once per row. The row trigger's MAX(seq) was planned
// once per session, and when the table looked empty at that moment (a new database just analysed
// by autovacuum) the plan aggregated over every earlier event of the tenant for each new one:
// quadratic (a region's first advance of 65,000 events took 56 s instead of 5). Now, after each
// INSERT, the tenant's events at or above the lowest new seq must be exactly the new ones — an
// index range read of about the batch's size whatever the plan. Seqs of one statement may come
// in any order; an upsert of an existing seq is an UPDATE, refused by events_no_change.
constexpr std::string_view kV2[] = {
    "DROP TRIGGER events_seq_grows ON events",
    "DROP FUNCTION ppko_events_seq_grows()",
    "CREATE FUNCTION ppko_events_seq_grow() RETURNS trigger LANGUAGE plpgsql AS "
    "'BEGIN"
    " IF EXISTS (SELECT 1 FROM (SELECT tenant, MIN(seq) AS low, COUNT(*) AS n FROM added GROUP BY tenant) AS a"
    "            WHERE (SELECT COUNT(*) FROM events AS e WHERE e.tenant = a.tenant AND e.seq >= a.low) > a.n) THEN"
    "  RAISE EXCEPTION ''events are append-only: seq must grow'';"
    " END IF;"
    " RETURN NULL;"
    " END'",
    "CREATE TRIGGER events_seq_grow AFTER INSERT ON events REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION ppko_events_seq_grow()",
};

constexpr Migration kMigrations[] = {
    {1, "programs, events (append-only, seqs per tenant), meta; tenant keys", kV1},
    {2, "events: the seq check once per statement, over the rows it added", kV2},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace ppko::store::pg
