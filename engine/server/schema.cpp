#include "server/schema.h"

namespace ppko::server {
namespace {

// A released step never changes; change the schema by appending a step to both lists.
constexpr std::string_view kSqliteV1[] = {
    "CREATE TABLE region ("
    " id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),"
    " name TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ")",
    "INSERT INTO region (id, name, version, updated_at) VALUES (1, '', 1, 0)",
    "CREATE TABLE municipalities ("
    " id TEXT NOT NULL PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE users ("
    " id INTEGER NOT NULL PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN ('region', 'coordinator', 'school', 'expert', 'admin')),"
    " municipality TEXT NOT NULL,"
    " school TEXT NOT NULL,"
    " password_algorithm TEXT NOT NULL,"
    " password_iterations INTEGER NOT NULL,"
    " password_salt TEXT NOT NULL,"
    " password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL,"
    " version INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL"
    ")",
    "CREATE TABLE sessions ("
    " token_hash TEXT NOT NULL PRIMARY KEY,"
    " user_id INTEGER NOT NULL,"
    " csrf TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE INDEX sessions_by_user ON sessions (user_id)",
    "CREATE TABLE api_tokens ("
    " id TEXT NOT NULL PRIMARY KEY,"
    " user_id INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_id)",
    "CREATE TABLE login_failures ("
    " key TEXT NOT NULL PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL,"
    " blocked_until INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE audit ("
    " id INTEGER NOT NULL PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " before_json TEXT NOT NULL,"
    " after_json TEXT NOT NULL"
    ")",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
    "CREATE TABLE server_meta ("
    " key TEXT NOT NULL PRIMARY KEY,"
    " value TEXT NOT NULL"
    ") WITHOUT ROWID",
};

constexpr std::string_view kPostgresV1[] = {
    "CREATE TABLE region ("
    " id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),"
    " name TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL"
    ")",
    "INSERT INTO region (id, name, version, updated_at) VALUES (1, '', 1, 0)",
    "CREATE TABLE municipalities ("
    " id TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL"
    ")",
    "CREATE TABLE users ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " login TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN ('region', 'coordinator', 'school', 'expert', 'admin')),"
    " municipality TEXT NOT NULL,"
    " school TEXT NOT NULL,"
    " password_algorithm TEXT NOT NULL,"
    " password_iterations INTEGER NOT NULL,"
    " password_salt TEXT NOT NULL,"
    " password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL,"
    " version BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL"
    ")",
    "CREATE TABLE sessions ("
    " token_hash TEXT NOT NULL PRIMARY KEY,"
    " user_id BIGINT NOT NULL,"
    " csrf TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL"
    ")",
    "CREATE INDEX sessions_by_user ON sessions (user_id)",
    "CREATE TABLE api_tokens ("
    " id TEXT NOT NULL PRIMARY KEY,"
    " user_id BIGINT NOT NULL,"
    " name TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL,"
    " revoked INTEGER NOT NULL"
    ")",
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_id)",
    "CREATE TABLE login_failures ("
    " key TEXT NOT NULL PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " last_at BIGINT NOT NULL,"
    " blocked_until BIGINT NOT NULL"
    ")",
    "CREATE TABLE audit ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " at BIGINT NOT NULL,"
    " actor TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " before_json TEXT NOT NULL,"
    " after_json TEXT NOT NULL"
    ")",
    "CREATE FUNCTION ppko_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "'BEGIN RAISE EXCEPTION ''audit is append-only''; END'",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION ppko_audit_append_only()",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
    " FOR EACH STATEMENT EXECUTE FUNCTION ppko_audit_append_only()",
    "CREATE TABLE server_meta ("
    " key TEXT NOT NULL PRIMARY KEY,"
    " value TEXT NOT NULL"
    ")",
};

// Version 2: each municipality's data files (workspace_files.h) and its data version.
constexpr std::string_view kSqliteV2[] = {
    "CREATE TABLE workspace_files ("
    " municipality TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " PRIMARY KEY (municipality, name)"
    ") WITHOUT ROWID",
    "ALTER TABLE municipalities ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0",
};

constexpr std::string_view kPostgresV2[] = {
    "CREATE TABLE workspace_files ("
    " municipality TEXT COLLATE \"C\" NOT NULL,"
    " name TEXT COLLATE \"C\" NOT NULL,"
    " content TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (municipality, name)"
    ")",
    "ALTER TABLE municipalities ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0",
};

// Version 3: batch render jobs (municipality_service.h) in the database, so that any server
// answers their polls and downloads: the job's row, and its zip in parts of at most 8 MiB.
constexpr std::string_view kSqliteV3[] = {
    "CREATE TABLE jobs ("
    " id TEXT NOT NULL PRIMARY KEY,"
    " municipality TEXT NOT NULL,"
    " owner TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),"
    " done INTEGER NOT NULL,"
    " total INTEGER NOT NULL,"
    " error TEXT NOT NULL,"
    " request_json TEXT NOT NULL,"
    " server TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " heartbeat_at INTEGER NOT NULL,"
    " result_bytes INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE INDEX jobs_by_server ON jobs (server, state)",
    "CREATE TABLE job_results ("
    " job TEXT NOT NULL,"
    " part INTEGER NOT NULL,"
    " bytes BLOB NOT NULL,"
    " PRIMARY KEY (job, part)"
    ") WITHOUT ROWID",
};

constexpr std::string_view kPostgresV3[] = {
    "CREATE TABLE jobs ("
    " id TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,"
    " municipality TEXT COLLATE \"C\" NOT NULL,"
    " owner TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),"
    " done BIGINT NOT NULL,"
    " total BIGINT NOT NULL,"
    " error TEXT NOT NULL,"
    " request_json TEXT NOT NULL,"
    " server TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " heartbeat_at BIGINT NOT NULL,"
    " result_bytes BIGINT NOT NULL"
    ")",
    "CREATE INDEX jobs_by_server ON jobs (server, state)",
    "CREATE TABLE job_results ("
    " job TEXT COLLATE \"C\" NOT NULL,"
    " part INTEGER NOT NULL,"
    " bytes BYTEA NOT NULL,"
    " PRIMARY KEY (job, part)"
    ")",
};

// Version 4: uploads waiting for their confirmation (upload_store.h), so that any server confirms
// or cancels what another received.
constexpr std::string_view kSqliteV4[] = {
    "CREATE TABLE pending_uploads ("
    " id TEXT NOT NULL PRIMARY KEY,"
    " municipality TEXT NOT NULL,"
    " owner TEXT NOT NULL,"
    " filename TEXT NOT NULL,"
    " options_json TEXT NOT NULL,"
    " bytes BLOB NOT NULL,"
    " created_at INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE INDEX pending_uploads_by_age ON pending_uploads (created_at)",
};

constexpr std::string_view kPostgresV4[] = {
    "CREATE TABLE pending_uploads ("
    " id TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,"
    " municipality TEXT COLLATE \"C\" NOT NULL,"
    " owner TEXT NOT NULL,"
    " filename TEXT NOT NULL,"
    " options_json TEXT NOT NULL,"
    " bytes BYTEA NOT NULL,"
    " created_at BIGINT NOT NULL"
    ")",
    "CREATE INDEX pending_uploads_by_age ON pending_uploads (created_at)",
};

// Version 5: who recorded each fact and when (workspace_files.h: written with every change of
// facts.json that adds a fact), by the fact's natural key — the school, the date and the fact.
constexpr std::string_view kSqliteV5[] = {
    "CREATE TABLE fact_authors ("
    " municipality TEXT NOT NULL,"
    " school TEXT NOT NULL,"
    " date TEXT NOT NULL,"
    " fact TEXT NOT NULL,"
    " actor TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY (municipality, school, date, fact)"
    ") WITHOUT ROWID",
};

constexpr std::string_view kPostgresV5[] = {
    "CREATE TABLE fact_authors ("
    " municipality TEXT COLLATE \"C\" NOT NULL,"
    " school TEXT COLLATE \"C\" NOT NULL,"
    " date TEXT COLLATE \"C\" NOT NULL,"
    " fact TEXT COLLATE \"C\" NOT NULL,"
    " actor TEXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " PRIMARY KEY (municipality, school, date, fact)"
    ")",
};

constexpr store::Migration kSqlite[] = {
    {1, "region, municipalities, users, sessions, API tokens, failed logins, audit, server meta", kSqliteV1},
    {2, "municipalities' data files with a version each; the municipality's data version", kSqliteV2},
    {3, "batch render jobs and their zips, shared by every server of the database", kSqliteV3},
    {4, "uploads waiting for their confirmation, shared by every server of the database", kSqliteV4},
    {5, "who recorded each fact and when", kSqliteV5},
};
constexpr store::Migration kPostgres[] = {
    {1, "region, municipalities, users, sessions, API tokens, failed logins, audit, server meta", kPostgresV1},
    {2, "municipalities' data files with a version each; the municipality's data version", kPostgresV2},
    {3, "batch render jobs and their zips, shared by every server of the database", kPostgresV3},
    {4, "uploads waiting for their confirmation, shared by every server of the database", kPostgresV4},
    {5, "who recorded each fact and when", kPostgresV5},
};

constexpr store::Schema kSchema{"server", kSqlite, kPostgres};

}  // namespace

const store::Schema& server_schema() { return kSchema; }

}  // namespace ppko::server
