// The state store: each school's program as the workflow engine last left it, and the append-only
// event log of every transition, of one tenant (a municipality; a CLI workspace has one implicit
// tenant), behind one interface with two implementations over Poco::Data: an embedded SQLite file
// (the default; schema and durability in engine/store/sqlite_schema.h) and a PostgreSQL database
// that many servers share (engine/store/pg_schema.h). Both run on engine/store/database.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::store {

// One school's program as the workflow engine last left it.
struct ProgramState {
    std::string school;            // school id (workspace schools.json)
    std::string workflow;          // workflow definition id, e.g. "ppko"
    int workflow_version = 0;      // the version the program started with (kept for its lifetime)
    std::string stage;             // current stage id
    std::string status;            // "active", "completed", "continued", … (engine's vocabulary)
    std::string started_on;        // ISO date "2018-03-01"
    std::string academic_year;     // current academic year "2019-2020"
    std::string data_json = "{}";  // engine-owned JSON text (done tasks, due documents, …)

    bool operator==(const ProgramState&) const = default;
};

struct Event {
    std::int64_t seq = 0;          // assigned by the store on append: 1, 2, 3 … (global order)
    std::string school;
    std::string workflow;
    int workflow_version = 0;
    std::string date;              // ISO date the run was made for (--date)
    std::string kind;              // "created", "transition", "outcome", …
    std::string from_stage, to_stage;
    std::string guard;             // the guard expression that held (text)
    std::string facts_json = "{}"; // the facts the guard used, JSON text
    std::string note;              // Russian explanation for `ppko history`

    bool operator==(const Event&) const = default;
};

// All writes of one `advance` run. Destroying it without commit() rolls everything back.
//
// Contracts (all implementations):
// - The transaction holds its tenant's single write lock from Store::begin() until commit() or
//   destruction; no other writer of the tenant (in this or another process or server) can
//   interleave. (SQLite: the file's lock, so every tenant of the file; PostgreSQL: an advisory
//   lock per tenant.)
// - Reads made through the Store while the transaction is open see its own writes
//   (read-your-writes), so the engine can begin(), read, decide and write under one lock.
// - append_event ignores e.seq and returns the assigned one; seqs count per tenant (1, 2, 3 …) and
//   have no gaps among committed events (a rolled-back transaction gives its numbers back).
// - Strings are stored as given (UTF-8 text without NUL characters).
// - Writes may reach the database in batches, so an error such as a full disk can surface on a
//   later call or on commit(). Any call that throws has rolled the whole transaction back.
// - After commit(), or after a call that threw, the object accepts no more writes: further calls
//   throw ppko::Error [internal].
// - The transaction may outlive its Store object; it keeps the connection open until it dies.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual void put_program(const ProgramState& p) = 0;   // insert or replace by school
    virtual std::int64_t append_event(const Event& e) = 0; // returns the assigned seq
    virtual void set_meta(std::string_view key, std::string_view value) = 0;
    virtual void commit() = 0;
};

// Everything a Store reads and writes belongs to its tenant; other tenants of the same database
// are invisible to it.
// Errors of every operation are ppko::Error naming the store's file or database: io.read /
// io.write, or store.busy (another writer held the lock past the busy timeout), store.damaged,
// store.not_database, store.too_new, store.unavailable (PostgreSQL cannot be reached).
// Not thread-safe: one thread at a time uses a Store and its Transaction; other processes may
// read the same database while a transaction is open and see only committed state.
class Store {
public:
    virtual ~Store() = default;
    virtual std::vector<ProgramState> programs() = 0;                  // ordered by school
    virtual std::optional<ProgramState> program(std::string_view school) = 0;
    // How many programs are at each (workflow, stage, status): one grouped COUNT in the database,
    // for summaries over many schools (the region page); ordered by workflow, stage, status.
    struct StageCount {
        std::string workflow, stage, status;
        std::int64_t programs = 0;
    };
    virtual std::vector<StageCount> stage_counts() = 0;
    virtual std::vector<Event> events(std::string_view school = {}) = 0; // by seq; empty = all
    virtual std::optional<std::string> meta(std::string_view key) = 0;
    // One writer at a time: waits up to the busy timeout for another process's transaction, and
    // throws ppko::Error [internal] if this Store already has an open transaction.
    virtual std::unique_ptr<Transaction> begin() = 0;
    virtual int schema_version() = 0;
};

// The newest version of the SQLite file this program knows (see sqlite_schema.h for the steps;
// the PostgreSQL schema has its own, pg_schema.h).
inline constexpr int kLatestSchemaVersion = 3;

struct StoreOptions {
    // How long begin() and reads wait for another process that holds the lock (SQLite: the
    // file's; PostgreSQL: the tenant's).
    std::chrono::milliseconds busy_timeout{10000};
    // false for commands that only read: a missing or empty (0-byte) file is then "no state
    // yet" — open_sqlite_store returns null and creates or writes nothing.
    bool create = true;
};
using SqliteOptions = StoreOptions;

// Opens (creating the file and its folder if needed, unless options.create is false) and migrates
// to the latest schema, in one transaction. Throws ppko::Error naming the path: io.write (the
// folder cannot be created or written), io.read (the file cannot be opened, or the path is a
// folder, a device such as /dev/null, a pipe or a socket — SQLite would create its journal
// beside it), store.not_database (not an SQLite file, or one of another program),
// store.damaged (SQLite reports it corrupt; or a program's academic year or start date is not
// well formed — the file was edited by hand), store.too_new (written by a newer ppko: its schema
// version is above kLatestSchemaVersion), store.busy.
//
//   auto store = ppko::store::open_sqlite_store(ppko::store::default_state_path("demidovsky"));
//   auto tx = store->begin();
//   tx->put_program(p);
//   tx->append_event(e);
//   tx->commit();
// The store is the implicit tenant's ("", a CLI workspace's own file).
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path);
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path, const SqliteOptions& options);

// The store of `tenant` ("" or a municipality id) at `location`: a "postgresql://…" URL or an
// SQLite file path (see Database::open in database.h, which a server uses to share connections
// among many tenants' stores). Errors as open_sqlite_store, plus store.unavailable.
//
//   auto store = ppko::store::open_store("postgresql://ppko@db.local/ppko", "demidovsky");
std::unique_ptr<Store> open_store(std::string_view location, std::string_view tenant,
                                  const StoreOptions& options = {});

// Where state lives when --state is not given: $PPKO_STATE_DIR, else $XDG_STATE_HOME/ppko, else
// $HOME/.local/state/ppko; file "<workspace name>.sqlite". Never inside the workspace.
// Empty variables count as unset; XDG_STATE_HOME is used only when absolute (XDG Base Directory
// spec). `workspace_name` is the workspace's short name (^[a-z0-9][a-z0-9_-]*$); a name that is
// empty or holds a path separator throws ppko::Error [internal]; no HOME either throws [io.write].
std::filesystem::path default_state_path(std::string_view workspace_name);
}  // namespace ppko::store
