// The SQLite schema of the state store and its migration steps (implements the file format that
// open_sqlite_store in store.h reads and writes).
//
// File format:
// - PRAGMA application_id = kApplicationId marks the file as ppko's state; a file with another id,
//   or with tables but no id, belongs to another program and is refused (store.not_database).
// - PRAGMA user_version is the schema version. migrations() lists the steps in ascending order;
//   opening a file of version v runs the steps v+1 … kLatestSchemaVersion inside one
//   transaction (together with the new user_version), so a crash mid-migration leaves version v.
//   A file whose version is above kLatestSchemaVersion is refused (store.too_new).
// - events is append-only: triggers abort UPDATE and DELETE, and an INSERT whose seq is not above
//   every existing one of its tenant (INSERT OR REPLACE would otherwise delete a row without
//   firing the DELETE trigger).
// - Since version 3 every table has a tenant column (a municipality id; "" for a CLI workspace's
//   own file) leading its primary key; seqs count per tenant. A server's file holds many tenants
//   and, beside them, the server's tables (engine/server/schema.h; their version is in
//   ppko_schema, not in user_version).
//
// Durability: rollback journal (journal_mode=DELETE) with synchronous=FULL. A transaction is
// durable once COMMIT returns, across a killed process and a power loss; an interrupted one is
// rolled back from the hot journal by the next opener. At rest the state is a single file that a
// user can copy as a backup; WAL would keep recent commits in a -wal file beside it and needs
// shared memory, which network folders lack. The price — a few fsyncs per commit — does not
// matter at one transaction per `ppko advance` run. Readers in other processes see the last
// committed state while a transaction is open, except while SQLite writes pages into the file
// (a transaction larger than the page cache, and the commit itself): then they wait (busy timeout).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "store/database.h"

namespace ppko::store::sqlite {

inline constexpr std::int32_t kApplicationId = 0x50504B4F;  // "PPKO"

// Every step from version 1 to kLatestSchemaVersion, ascending and without gaps (user_version
// after each step).
std::span<const Migration> migrations();

}  // namespace ppko::store::sqlite
