// A database that holds the stores of any number of tenants (municipalities) and the server's own
// tables: an SQLite file or a PostgreSQL database, opened from a location, with a pool of
// connections that threads lease one at a time. SQL is written once, with $1, $2 … placeholders
// numbered in the order they first appear, and runs on both dialects (SQLite reads $1 as a named
// parameter and numbers parameters by first appearance; PostgreSQL reads them by number).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

namespace ppko::store {

class Store;

enum class Dialect { sqlite, postgresql };
enum class Access { read, write };

struct DatabaseOptions {
    // How long a writer waits for another writer's lock (SQLite: the file; PostgreSQL: the
    // advisory lock of the same key) before store.busy.
    std::chrono::milliseconds busy_timeout{10000};
    // Connections kept open for reuse after a lease ends (more are opened when needed).
    std::size_t idle_connections = 8;
};

// One versioned migration step (see Schema).
struct Migration {
    int version;                                   // the component's version after this step
    std::string_view purpose;                      // one line, for readers of the schema file
    std::span<const std::string_view> statements;  // run in order, each a single SQL statement
};

// A component's schema: its steps per dialect, each list ascending from version 1 without gaps.
// A released step never changes: databases in users' hands were made by it. The versions live in
// the table ppko_schema (component, version), except the store's on SQLite, which is the file's
// PRAGMA user_version (files of release 1 have it there; see sqlite_schema.h).
struct Schema {
    std::string_view component;  // "store", "server"
    std::span<const Migration> sqlite;
    std::span<const Migration> postgresql;
};

// Bytes for a BLOB (SQLite) / BYTEA (PostgreSQL) parameter of Connection::query.
struct Blob {
    std::string_view bytes;
};
// A parameter of Connection::query: text, an integer or bytes.
using Param = std::variant<std::string_view, std::int64_t, Blob>;

// The rows of Connection::query, every cell as text (NULL as ""; a BLOB / BYTEA column's cells
// hold its bytes), row by row.
class Rows {
public:
    std::size_t size() const { return columns_ ? cells_.size() / columns_ : 0; }
    bool empty() const { return cells_.empty(); }
    const std::string& at(std::size_t row, std::size_t column) const { return cells_[row * columns_ + column]; }
    // The cell as an integer; ppko::Error [internal] when it is not one.
    std::int64_t integer(std::size_t row, std::size_t column) const;

private:
    friend class Connection;
    std::size_t columns_ = 0;
    std::vector<std::string> cells_;
};

// One open connection (a Poco::Data session). One thread at a time; leased from a Database and
// returned to its pool when the last reference dies (rolled back first if a transaction is open).
// Every method that talks to the database throws ppko::Error naming the database (see fail()).
class Connection {
public:
    Connection(Dialect dialect, std::string shown, Poco::Data::Session session, std::chrono::milliseconds busy);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Dialect dialect() const { return dialect_; }
    const std::string& shown() const { return shown_; }
    Poco::Data::Session& session() { return session_; }

    // A statement for `sql`, whose $N placeholders must first appear in ascending order
    // ($1, then $2 …; a later repeat is fine); throws ppko::Error [internal] otherwise.
    Poco::Data::Statement statement(std::string_view sql);
    // Runs one statement without parameters or results.
    void exec(std::string_view sql, Access access);
    // Runs one statement (placeholders as statement()) for the requests every page makes (token,
    // data version, store meta): the statement is prepared once per connection and kept (libpq's
    // PQprepare on the session's connection, sqlite3 directly), so each later call is one round
    // trip (PQexecPrepared) with no parse or plan, where Poco's PostgreSQL connector prepares,
    // describes, executes and deallocates every time: four. Errors as fail().
    Rows query(std::string_view sql, std::initializer_list<Param> params, Access access = Access::read) {
        return query_as(sql, params, access, false);
    }
    // query() whose PostgreSQL answer comes in libpq's binary format: a BYTEA as its bytes, not
    // as hex text twice its size to unescape. Only for statements that select BYTEA columns
    // alone (other types would come as their binary encodings). SQLite: as query().
    Rows query_bytes(std::string_view sql, std::initializer_list<Param> params) { return query_as(sql, params, Access::read, true); }
    // Runs f() and turns the Poco exceptions it throws into ppko::Error (see fail()).
    template <class F>
    decltype(auto) run(Access access, F&& f) {
        try {
            return f();
        } catch (const Poco::Exception& e) {
            fail(e, access);
        }
    }

    // A write transaction. SQLite takes the file's write lock (BEGIN IMMEDIATE) whatever the key;
    // PostgreSQL takes a transaction-scoped advisory lock on `lock_key` (pg_advisory_xact_lock),
    // or no lock beyond the rows the statements touch when the key is empty. Both wait up to the
    // busy timeout, then throw store.busy. Reads on this connection see the transaction's writes.
    void begin(std::string_view lock_key);
    void commit();
    void rollback() noexcept;  // safe when nothing is open or the server already rolled back
    bool in_transaction() const { return in_transaction_; }
    // The connection cannot be used any more (PostgreSQL: the server went away).
    bool broken() const;

    // Throws the ppko::Error for an exception from Poco::Data: store.busy (a lock not obtained in
    // time), store.unavailable (the PostgreSQL server cannot be reached), store.damaged,
    // store.not_database, io.read / io.write (SQLite: the file), else internal with the message.
    [[noreturn]] void fail(const Poco::Exception& e, Access access) const;
    // Whether `e` is a violation of a UNIQUE or PRIMARY KEY constraint (both dialects).
    static bool is_unique_violation(const Poco::Exception& e);

private:
    void check_placeholders(std::string_view sql) const;
    Dialect dialect_;
    std::string shown_;
    Poco::Data::Session session_;
    std::chrono::milliseconds busy_;
    bool in_transaction_ = false;
    // query()'s prepared statements by their SQL (SQLite: finalised with the connection;
    // PostgreSQL: they live as long as the connection's session).
    struct Prepared;
    std::unordered_map<std::string, std::shared_ptr<Prepared>> prepared_;
    Rows query_as(std::string_view sql, std::initializer_list<Param> params, Access access, bool binary);
};

// The exception-to-error mapping of Connection::fail, for code that has no Connection yet.
// `broken`: the PostgreSQL connection is known to be lost.
[[noreturn]] void fail_database(Dialect dialect, const std::string& shown, const Poco::Exception& e, Access access,
                                bool broken);

// Thread-safe: any thread may lease connections and open stores.
class Database {
public:
    // `location`: "postgresql://[user[:password]@][host][:port][/dbname][?key=value&…]" (libpq's
    // URI form; host=/folder in the query names a Unix socket folder) or "postgres://…", else an
    // SQLite file path (an optional "sqlite:" prefix is removed; the file and its folder are
    // created). Connects once, refuses a database that is not ppko's (store.not_database) or is
    // newer (store.too_new), and applies the store's migrations. Errors as Connection::fail, and
    // cli.usage for a malformed URL.
    static std::shared_ptr<Database> open(std::string_view location, const DatabaseOptions& options = {});

    Dialect dialect() const { return dialect_; }
    // The location for messages: a path as given, or the URL without its password.
    const std::string& shown() const { return shown_; }

    std::shared_ptr<Connection> connect();
    // The store of one tenant: "" is the implicit tenant of a CLI workspace's own file, otherwise a
    // municipality id (^[a-z0-9][a-z0-9_-]{0,63}$, else ppko::Error [internal]). The store keeps
    // one leased connection for its lifetime.
    std::unique_ptr<Store> store(std::string_view tenant);

    // Brings `schema` to its latest version in one transaction (concurrent openers wait for each
    // other); refuses a database whose version of it is newer (store.too_new).
    void migrate(const Schema& schema);
    // The version of `component` in the database; 0 when it was never migrated.
    int version(std::string_view component);

    struct Pool;  // the idle connections, shared with the leases' deleters

private:
    Database(Dialect dialect, std::string shown, std::string target, const DatabaseOptions& options);
    std::unique_ptr<Connection> open_connection() const;
    int version(Connection& c, std::string_view component);

    Dialect dialect_;
    std::string shown_;
    std::string target_;  // SQLite: absolute file path; PostgreSQL: libpq key=value string
    DatabaseOptions options_;
    std::shared_ptr<Pool> pool_;
};

// A PostgreSQL URL as a libpq "key=value …" connection string (exposed for tests). Throws
// ppko::Error [cli.usage] naming `shown` for a malformed URL or a value with white space.
std::string postgres_conninfo(std::string_view url, std::string_view shown);
// The URL with its password replaced by "***" (for messages and logs).
std::string redact_location(std::string_view location);
bool is_postgres_location(std::string_view location);

}  // namespace ppko::store
