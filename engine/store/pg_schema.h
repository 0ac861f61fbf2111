// The PostgreSQL schema of the state store and its migration steps (the same tables, columns and
// contracts as the SQLite file of sqlite_schema.h at its version 3, for a server's database).
//
// - Versions live in ppko_schema (component "store"); Database::open applies the missing steps in
//   one transaction under an advisory lock, so servers starting together migrate once.
// - Every table has tenant (a municipality id) leading its primary key; text keys use the "C"
//   collation, so listings are ordered by bytes exactly as in SQLite.
// - events is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and an INSERT whose
//   seqs are not all above every event its tenant had before it (checked once per statement,
//   over the rows it added: version 2).
// - Writers of one tenant are serialised by a transaction-scoped advisory lock
//   (pg_advisory_xact_lock(kApplicationId, hashtext(tenant)), Connection::begin), taken before
//   the transaction reads the last seq; so seqs have no gaps among committed events.
#pragma once

#include <span>

#include "store/database.h"

namespace ppko::store::pg {

// Every step from version 1 on, ascending and without gaps.
std::span<const Migration> migrations();

}  // namespace ppko::store::pg
