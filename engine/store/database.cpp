#include "store/database.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>
#include <utility>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/PostgreSQL/Utility.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "store/pg_schema.h"
#include "store/sqlite_schema.h"
#include "store/store.h"

namespace ppko::store {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;

constexpr std::string_view kPostgresPrefixes[] = {"postgresql://", "postgres://"};

// The SQLSTATE of a PostgreSQL error as Poco 1.11 reports it (" State: 23505 " in the message),
// or empty.
std::string sqlstate(const Poco::Exception& e) {
    const std::string& m = e.message();
    const auto at = m.find(" State: ");
    if (at == std::string::npos || at + 13 > m.size()) return {};
    std::string s = m.substr(at + 8, 5);
    return s == "N/A D" ? std::string() : s;
}

// The first line of libpq's message inside a Poco exception (without Poco's decorations).
// The first line of a libpq message, without Poco's severity suffix and trailing blanks.
std::string pg_first_line(std::string m) {
    if (auto nl = m.find('\n'); nl != std::string::npos) m.erase(nl);
    if (auto sev = m.find(" Severity: "); sev != std::string::npos) m.erase(sev);
    while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.pop_back();
    return m;
}

std::string pg_reason(const Poco::Exception& e) {
    std::string m = e.message();
    for (std::string_view prefix : {"postgresql_stmt_execute error: ", "postgresql_stmt_prepare error: ",
                                    "Connection Error: ", "BEGIN statement failed:: ", "COMMIT statement failed:: "}) {
        if (m.rfind(prefix, 0) == 0) m.erase(0, prefix.size());
    }
    return pg_first_line(std::move(m));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void bad_url(std::string_view shown, const std::string& what) {
    throw Error(ErrorId::cli_usage, std::string(shown), {}, "",
                "неверный адрес базы данных PostgreSQL: " + what +
                    "; ожидалось postgresql://пользователь@сервер:порт/база (или ?host=/папка/сокета)");
}

std::string percent_decode(std::string_view s, std::string_view shown) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) bad_url(shown, "после «%» ожидались две шестнадцатеричные цифры");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string_view strip_postgres_prefix(std::string_view url) {
    for (auto p : kPostgresPrefixes) {
        if (url.rfind(p, 0) == 0) return url.substr(p.size());
    }
    return {};
}

// The store's tables on both dialects.
Schema store_schema() { return Schema{"store", sqlite::migrations(), pg::migrations()}; }

}  // namespace

bool is_postgres_location(std::string_view location) {
    return std::any_of(std::begin(kPostgresPrefixes), std::end(kPostgresPrefixes),
                       [&](std::string_view p) { return location.rfind(p, 0) == 0; });
}

std::string redact_location(std::string_view location) {
    std::string s(location);
    if (!is_postgres_location(s)) return s;
    const auto scheme_end = s.find("://") + 3;
    const auto at = s.find('@', scheme_end);
    const auto slash = s.find('/', scheme_end);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        const auto colon = s.find(':', scheme_end);
        if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    // password=… in the query as well
    for (std::size_t p = s.find("password="); p != std::string::npos; p = s.find("password=", p + 1)) {
        const auto end = s.find('&', p);
        s.replace(p + 9, (end == std::string::npos ? s.size() : end) - p - 9, "***");
    }
    return s;
}

std::string postgres_conninfo(std::string_view url, std::string_view shown) {
    std::string_view rest = strip_postgres_prefix(url);
    if (rest.data() == nullptr) bad_url(shown, "адрес должен начинаться с postgresql://");
    std::map<std::string, std::string> kv;
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view authority = rest, path;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
            kv["password"] = percent_decode(userinfo.substr(colon + 1), shown);
            userinfo = userinfo.substr(0, colon);
        }
        if (!userinfo.empty()) kv["user"] = percent_decode(userinfo, shown);
    }
    if (!authority.empty()) {
        std::string_view host = authority, port;
        if (authority.front() == '[') {  // [IPv6]:port
            const auto close = authority.find(']');
            if (close == std::string_view::npos) bad_url(shown, "не закрыта скобка «[» адреса IPv6");
            host = authority.substr(1, close - 1);
            if (close + 1 < authority.size()) {
                if (authority[close + 1] != ':') bad_url(shown, "после «]» ожидалось «:порт»");
                port = authority.substr(close + 2);
            }
        } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
        if (!host.empty()) kv["host"] = percent_decode(host, shown);
        if (!port.empty()) {
            if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                bad_url(shown, "порт «" + std::string(port) + "» не число");
            }
            kv["port"] = std::string(port);
        }
    }
    if (!path.empty()) kv["dbname"] = percent_decode(path, shown);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) bad_url(shown, "параметр «" + std::string(pair) + "» без «=»");
        const std::string key = percent_decode(pair.substr(0, eq), shown);
        if (!std::all_of(key.begin(), key.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; })) {
            bad_url(shown, "неизвестный параметр «" + key + "»");
        }
        kv[key] = percent_decode(pair.substr(eq + 1), shown);
    }
    kv.try_emplace("client_encoding", "UTF8");
    kv.try_emplace("application_name", "ppko");
    std::string out;
    for (const auto& [k, v] : kv) {
        // Poco 1.11 splits the connection string at spaces and cannot pass quoted values.
        if (v.empty() || std::any_of(v.begin(), v.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '\''; })) {
            bad_url(shown, "значение параметра «" + k + "» пустое или содержит пробел или апостроф");
        }
        if (!out.empty()) out += ' ';
        out += k + "=" + v;
    }
    return out;
}

// ---- Connection

Connection::Connection(Dialect dialect, std::string shown, Poco::Data::Session session, std::chrono::milliseconds busy)
    : dialect_(dialect), shown_(std::move(shown)), session_(std::move(session)), busy_(busy) {}

Poco::Data::Statement Connection::statement(std::string_view sql) {
    check_placeholders(sql);
    Poco::Data::Statement st(session_);
    st << std::string(sql);
    return st;
}

// $N placeholders must first appear as $1, $2, … : SQLite numbers named parameters by first
// appearance, PostgreSQL by their digits; this order makes both read them alike.
void Connection::check_placeholders(std::string_view sql) const {
    int next = 1;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql[i] != '$' || i + 1 >= sql.size() || !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) continue;
        int n = 0;
        std::size_t j = i + 1;
        while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) n = n * 10 + (sql[j++] - '0');
        if (n == next) {
            ++next;
        } else if (n > next) {
            throw Error(ErrorId::internal, shown_, {}, "",
                        "параметр $" + std::to_string(n) + " встречается в запросе раньше $" + std::to_string(next) +
                            ": " + std::string(sql));
        }
        i = j - 1;
    }
}

std::int64_t Rows::integer(std::size_t row, std::size_t column) const {
    const std::string& t = at(row, column);
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size() || t.empty()) {
        throw Error(ErrorId::internal, "", {}, "", "в базе данных вместо целого числа «" + t + "»");
    }
    return v;
}

struct Connection::Prepared {
    sqlite3_stmt* stmt = nullptr;  // SQLite
    std::string name;              // PostgreSQL: the prepared statement's name on the connection
    ~Prepared() { sqlite3_finalize(stmt); }
};

Rows Connection::query_as(std::string_view sql, std::initializer_list<Param> params, Access access, bool binary) {
    Rows out;
    if (dialect_ == Dialect::postgresql) {
        PGconn* pg = *Poco::Data::PostgreSQL::Utility::handle(session_);
        std::vector<std::string> texts;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        texts.reserve(params.size());
        for (const Param& p : params) {
            if (const auto* b = std::get_if<Blob>(&p)) {
                texts.emplace_back();
                values.push_back(b->bytes.data());  // binary format: the bytes as they are
                lengths.push_back(static_cast<int>(b->bytes.size()));
                formats.push_back(1);
                continue;
            }
            texts.push_back(std::holds_alternative<std::int64_t>(p) ? std::to_string(std::get<std::int64_t>(p))
                                                                     : std::string(std::get<std::string_view>(p)));
            values.push_back(texts.back().c_str());
            lengths.push_back(0);
            formats.push_back(0);
        }
        using Result = std::unique_ptr<PGresult, void (*)(PGresult*)>;
        // The same text as Poco's connector, so fail() reads the SQLSTATE and the reason alike.
        auto check = [&](const Result& r, ExecStatusType ok) {
            const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
            if (st == ok || st == PGRES_COMMAND_OK) return;
            const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
            std::string why = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(pg);
            fail(Poco::Data::PostgreSQL::StatementException("postgresql_stmt_execute error: " + why + " State: " +
                                                            (state ? state : "N/A D")),
                 access);
        };
        // Prepared once per connection (parsed and planned once), then one round trip a call.
        auto& slot = prepared_[std::string(sql)];
        if (!slot) {
            check_placeholders(sql);
            auto p = std::make_shared<Prepared>();
            p->name = "ppko_q" + std::to_string(prepared_.size());
            const std::string text(sql);
            Result made(PQprepare(pg, p->name.c_str(), text.c_str(), static_cast<int>(values.size()), nullptr), PQclear);
            try {
                check(made, PGRES_COMMAND_OK);
            } catch (...) {
                prepared_.erase(std::string(sql));
                throw;
            }
            slot = std::move(p);
        }
        Result r(PQexecPrepared(pg, slot->name.c_str(), static_cast<int>(values.size()), values.data(), lengths.data(),
                                formats.data(), binary ? 1 : 0),
                 PQclear);
        check(r, PGRES_TUPLES_OK);
        const int rows = PQntuples(r.get()), cols = PQnfields(r.get());
        out.columns_ = static_cast<std::size_t>(cols);
        out.cells_.reserve(static_cast<std::size_t>(rows) * out.columns_);
        constexpr Oid kByteaOid = 17;
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < cols; ++j) {
                const char* v = PQgetvalue(r.get(), i, j);
                if (!binary && PQftype(r.get(), j) == kByteaOid && !PQgetisnull(r.get(), i, j)) {
                    std::size_t n = 0;
                    std::unique_ptr<unsigned char, void (*)(void*)> bytes(
                        PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n), PQfreemem);
                    if (!bytes) throw std::bad_alloc();
                    out.cells_.emplace_back(reinterpret_cast<const char*>(bytes.get()), n);
                } else {
                    out.cells_.emplace_back(v, static_cast<std::size_t>(PQgetlength(r.get(), i, j)));
                }
            }
        }
        return out;
    }
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session_);
    auto& slot = prepared_[std::string(sql)];
    if (!slot) {
        check_placeholders(sql);
        auto p = std::make_shared<Prepared>();
        const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &p->stmt, nullptr);
        if (rc != SQLITE_OK) {
            prepared_.erase(std::string(sql));
            run(access, [&] { Poco::Data::SQLite::Utility::throwException(db, rc); });
        }
        slot = std::move(p);
    }
    sqlite3_stmt* st = slot->stmt;
    struct Reset {
        sqlite3_stmt* s;
        ~Reset() {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
        }
    } reset{st};
    int k = 0;
    for (const Param& p : params) {
        ++k;
        if (std::holds_alternative<std::int64_t>(p)) {
            sqlite3_bind_int64(st, k, std::get<std::int64_t>(p));
        } else if (const auto* b = std::get_if<Blob>(&p)) {
            sqlite3_bind_blob64(st, k, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
        } else {
            const auto v = std::get<std::string_view>(p);
            sqlite3_bind_text(st, k, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        }
    }
    out.columns_ = static_cast<std::size_t>(sqlite3_column_count(st));
    for (int rc; (rc = sqlite3_step(st)) != SQLITE_DONE;) {
        if (rc != SQLITE_ROW) run(access, [&] { Poco::Data::SQLite::Utility::throwException(db, rc); });
        for (int j = 0; j < static_cast<int>(out.columns_); ++j) {
            const auto* t = sqlite3_column_type(st, j) == SQLITE_BLOB
                                ? static_cast<const char*>(sqlite3_column_blob(st, j))
                                : reinterpret_cast<const char*>(sqlite3_column_text(st, j));
            out.cells_.emplace_back(t ? t : "", t ? static_cast<std::size_t>(sqlite3_column_bytes(st, j)) : 0);
        }
    }
    return out;
}

void Connection::exec(std::string_view sql, Access access) {
    run(access, [&] { session_ << std::string(sql), now; });
}

void Connection::begin(std::string_view lock_key) {
    if (in_transaction_) {
        throw Error(ErrorId::internal, shown_, {}, "", "предыдущая транзакция с базой данных ещё не завершена");
    }
    if (dialect_ == Dialect::sqlite) {
        // IMMEDIATE takes the write lock now, so reads inside the transaction cannot be
        // invalidated by another writer before it commits.
        exec("BEGIN IMMEDIATE", Access::write);
        in_transaction_ = true;
        return;
    }
    run(Access::write, [&] { session_.begin(); });
    in_transaction_ = true;
    try {
        exec("SET LOCAL lock_timeout = " + std::to_string(std::max<long long>(1, busy_.count())), Access::write);
        if (!lock_key.empty()) {
            Poco::Int64 got = 0;
            std::string key(lock_key);
            auto st = statement("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" +
                                std::to_string(sqlite::kApplicationId) + ", hashtext($1))) AS l");
            run(Access::write, [&] { st, use(key), into(got), now; });
        }
    } catch (...) {
        rollback();
        throw;
    }
}

void Connection::commit() {
    if (!in_transaction_) {
        throw Error(ErrorId::internal, shown_, {}, "", "транзакция с базой данных уже завершена");
    }
    try {
        if (dialect_ == Dialect::sqlite) {
            exec("COMMIT", Access::write);
        } else {
            run(Access::write, [&] { session_.commit(); });
        }
    } catch (...) {
        rollback();
        throw;
    }
    in_transaction_ = false;
}

void Connection::rollback() noexcept {
    in_transaction_ = false;
    try {
        if (dialect_ == Dialect::sqlite) {
            session_ << "ROLLBACK", now;
        } else {
            session_.rollback();
        }
    } catch (...) {
        // The database may already have rolled back after the error that brought us here, or the
        // connection is gone (then the server rolls back by itself).
    }
}

bool Connection::broken() const {
    if (dialect_ != Dialect::postgresql) return false;
    try {
        auto* h = Poco::Data::PostgreSQL::Utility::handle(const_cast<Poco::Data::Session&>(session_));
        return h == nullptr || PQstatus(*h) != CONNECTION_OK;
    } catch (...) {
        return true;
    }
}

bool Connection::is_unique_violation(const Poco::Exception& e) {
    if (dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&e)) {
        return e.message().find("UNIQUE") != std::string::npos || e.message().find("PRIMARY KEY") != std::string::npos;
    }
    return sqlstate(e) == "23505";
}

void Connection::fail(const Poco::Exception& e, Access access) const {
    fail_database(dialect_, shown_, e, access, dialect_ == Dialect::postgresql && broken());
}

void fail_database(Dialect dialect, const std::string& path, const Poco::Exception& e, Access access, bool broken) {
    if (dialect == Dialect::postgresql) {
        const std::string state = sqlstate(e);
        if (state == "55P03" || state == "40P01" || state == "40001") {
            throw Error(ErrorId::store_busy, path, {}, "",
                        "база данных занята другим запросом ppko дольше допустимого; повторите позже");
        }
        if (state == "53100") {
            throw Error(ErrorId::io_write, path, {}, "", "на сервере базы данных нет места на диске");
        }
        if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) ||
            dynamic_cast<const Poco::Data::NotConnectedException*>(&e) ||
            dynamic_cast<const Poco::Data::PostgreSQL::ConnectionException*>(&e) || state.rfind("08", 0) == 0 ||
            state.rfind("57P", 0) == 0 || (state.empty() && broken)) {
            throw Error(ErrorId::store_unavailable, path, {}, "",
                        "сервер базы данных PostgreSQL недоступен (" + pg_reason(e) + ")");
        }
        throw Error(ErrorId::internal, path, {}, "", "ошибка базы данных: " + pg_reason(e));
    }
    namespace sq = Poco::Data::SQLite;
    const ErrorId io_id = access == Access::read ? ErrorId::io_read : ErrorId::io_write;
    if (dynamic_cast<const sq::DBLockedException*>(&e) || dynamic_cast<const sq::TableLockedException*>(&e)) {
        throw Error(ErrorId::store_busy, path, {}, "",
                    "файл состояния занят другим запуском ppko; дождитесь его окончания и повторите");
    }
    if (dynamic_cast<const sq::CorruptImageException*>(&e)) {
        if (e.message().find("not a database") != std::string::npos) {
            throw Error(ErrorId::store_not_database, path, {}, "",
                        "файл не является файлом состояния ppko (это не база данных SQLite); "
                        "укажите другой файл в --state");
        }
        throw Error(ErrorId::store_damaged, path, {}, "",
                    "файл состояния повреждён; восстановите его из резервной копии (SQLite: " + e.message() + ")");
    }
    if (dynamic_cast<const sq::DatabaseFullException*>(&e)) {
        throw Error(ErrorId::io_write, path, {}, "", "не удаётся записать файл состояния: на диске нет места");
    }
    if (dynamic_cast<const sq::ReadOnlyException*>(&e) || dynamic_cast<const sq::DBAccessDeniedException*>(&e)) {
        throw Error(ErrorId::io_write, path, {}, "", "не удаётся записать файл состояния: нет прав на запись");
    }
    if (dynamic_cast<const sq::CantOpenDBFileException*>(&e) ||
        dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e)) {
        throw Error(ErrorId::io_read, path, {}, "", "не удаётся открыть файл состояния (" + e.message() + ")");
    }
    if (dynamic_cast<const sq::IOErrorException*>(&e)) {
        throw Error(io_id, path, {}, "",
                    std::string(access == Access::read ? "ошибка чтения" : "ошибка записи") +
                        " файла состояния (" + e.message() + ")");
    }
    throw Error(ErrorId::internal, path, {}, "", "ошибка базы данных состояния: " + e.displayText());
}

// ---- Database

struct Database::Pool {
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;
    std::size_t keep = 0;
};

Database::Database(Dialect dialect, std::string shown, std::string target, const DatabaseOptions& options)
    : dialect_(dialect), shown_(std::move(shown)), target_(std::move(target)), options_(options),
      pool_(std::make_shared<Pool>()) {
    pool_->keep = options.idle_connections;
}

std::unique_ptr<Connection> Database::open_connection() const {
    if (dialect_ == Dialect::postgresql) {
        // Poco 1.11 keeps the libpq connection of a failed attempt and never frees it
        // (SessionHandle::connect throws without PQfinish): about 36 KB lost per try, so a server
        // retrying through a database outage would grow with every request. libpq is asked first,
        // and a failure is reported from here with nothing kept; Poco connects only to a server
        // that has just accepted us (the pool keeps connections, so this costs one extra login per
        // opened connection, not per request).
        if (std::unique_ptr<PGconn, decltype(&PQfinish)> probe(PQconnectdb((target_ + " connect_timeout=10").c_str()),
                                                               &PQfinish);
            PQstatus(probe.get()) != CONNECTION_OK) {
            std::string reason = probe ? PQerrorMessage(probe.get()) : "нет памяти";
            throw Error(ErrorId::store_unavailable, shown_, {}, "",
                        "не удаётся подключиться к серверу базы данных PostgreSQL (" + pg_first_line(reason) + ")");
        }
        try {
            // Login timeout 10 s: connect_timeout for libpq.
            Poco::Data::Session s(new Poco::Data::PostgreSQL::SessionImpl(target_, 10));
            // libpq prints the server's NOTICEs to standard error (e.g. "relation … already
            // exists, skipping"): they are not for users.
            if (auto* h = Poco::Data::PostgreSQL::Utility::handle(s)) {
                PQsetNoticeProcessor(*h, [](void*, const char*) {}, nullptr);
            }
            return std::make_unique<Connection>(dialect_, shown_, std::move(s), options_.busy_timeout);
        } catch (const Poco::Exception& e) {
            throw Error(ErrorId::store_unavailable, shown_, {}, "",
                        "не удаётся подключиться к серверу базы данных PostgreSQL (" + pg_reason(e) + ")");
        }
    }
    std::unique_ptr<Connection> c;
    try {
        // Login timeout 0: fail at once instead of retrying the open for a minute.
        Poco::Data::Session s(new Poco::Data::SQLite::SessionImpl(target_, 0));
        c = std::make_unique<Connection>(dialect_, shown_, std::move(s), options_.busy_timeout);
    } catch (const Poco::Exception& e) {
        fail_database(dialect_, shown_, e, Access::read, false);
    }
    std::string journal;
    c->run(Access::read, [&] {
        c->session() << "PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout.count()), now;
        c->session() << "PRAGMA journal_mode = DELETE", into(journal), now;
        c->session() << "PRAGMA synchronous = FULL", now;
    });
    if (journal != "delete") {
        throw Error(ErrorId::io_write, shown_, {}, "",
                    "не удаётся включить журнал отката для файла состояния (режим «" + journal + "»)");
    }
    return c;
}

std::shared_ptr<Connection> Database::connect() {
    std::unique_ptr<Connection> c;
    {
        std::lock_guard lock(pool_->mutex);
        if (!pool_->idle.empty()) {
            c = std::move(pool_->idle.back());
            pool_->idle.pop_back();
        }
    }
    if (!c) c = open_connection();
    return std::shared_ptr<Connection>(c.release(), [pool = pool_](Connection* raw) {
        std::unique_ptr<Connection> conn(raw);
        if (conn->in_transaction()) conn->rollback();
        if (conn->broken()) return;
        std::lock_guard lock(pool->mutex);
        if (pool->idle.size() < pool->keep) pool->idle.push_back(std::move(conn));
    });
}

int Database::version(std::string_view component) {
    auto c = connect();
    return version(*c, component);
}

int Database::version(Connection& c, std::string_view component) {
    int v = 0;
    if (c.dialect() == Dialect::sqlite && component == "store") {
        c.run(Access::read, [&] { c.session() << "PRAGMA user_version", into(v), now; });
        return v;
    }
    int tables = 0;
    const std::string exists_sql =
        c.dialect() == Dialect::sqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ppko_schema'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
              "AND table_name = 'ppko_schema'";
    c.run(Access::read, [&] { c.session() << exists_sql, into(tables), now; });
    if (tables == 0) return 0;
    std::vector<int> found;
    std::string name(component);
    auto st = c.statement("SELECT version FROM ppko_schema WHERE component = $1");
    c.run(Access::read, [&] { st, use(name), into(found), now; });
    return found.empty() ? 0 : found.front();
}

void Database::migrate(const Schema& schema) {
    const auto steps = dialect_ == Dialect::sqlite ? schema.sqlite : schema.postgresql;
    const int latest = steps.empty() ? 0 : steps.back().version;
    auto c = connect();
    auto check_version = [&](int v) {
        if (v > latest) {
            const std::string what = dialect_ == Dialect::sqlite && schema.component == "store"
                                         ? "файл состояния записан"
                                         : "база данных записана";
            throw Error(ErrorId::store_too_new, shown_, {}, "",
                        what + " более новой версией ppko (версия схемы " +
                            (schema.component == "store" ? "" : std::string(schema.component) + " ") +
                            std::to_string(v) + ", эта программа знает версии до " + std::to_string(latest) +
                            "); обновите ppko");
        }
    };
    const int before = version(*c, schema.component);
    check_version(before);
    if (before == latest) return;
    // PostgreSQL: one migration at a time across processes (an advisory lock of its own key).
    c->begin("ppko_schema");
    // Read again under the lock: another process may have migrated in between.
    const int v = version(*c, schema.component);
    check_version(v);
    const bool in_table = !(dialect_ == Dialect::sqlite && schema.component == "store");
    if (in_table) {
        c->exec("CREATE TABLE IF NOT EXISTS ppko_schema (component TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL)",
                Access::write);
    }
    for (const auto& m : steps) {
        if (m.version <= v) continue;
        for (std::string_view sql : m.statements) c->exec(sql, Access::write);
        if (in_table) {
            std::string name(schema.component);
            int ver = m.version;
            auto st = c->statement(
                "INSERT INTO ppko_schema (component, version) VALUES ($1, $2) "
                "ON CONFLICT (component) DO UPDATE SET version = excluded.version");
            c->run(Access::write, [&] { st, use(name), use(ver), now; });
        } else {
            c->exec("PRAGMA user_version = " + std::to_string(m.version), Access::write);
        }
    }
    c->commit();
}

namespace {

struct SqliteHeader {
    int application_id = 0;
    int version = 0;
    int objects = 0;  // tables, indexes, triggers, views
};

// Refuses SQLite files this program must not touch: another program's database.
void check_sqlite_owner(Connection& c) {
    SqliteHeader h;
    c.run(Access::read, [&] {
        c.session() << "PRAGMA application_id", into(h.application_id), now;
        c.session() << "PRAGMA user_version", into(h.version), now;
        c.session() << "SELECT count(*) FROM sqlite_master", into(h.objects), now;
    });
    const bool fresh = h.application_id == 0 && h.version == 0 && h.objects == 0;
    if (!fresh && h.application_id != sqlite::kApplicationId) {
        throw Error(ErrorId::store_not_database, c.shown(), {}, "",
                    "файл не является файлом состояния ppko (это база данных SQLite другой программы); "
                    "укажите другой файл в --state");
    }
}

// Refuses a PostgreSQL database that holds another program's tables.
void check_postgres_owner(Connection& c) {
    int ours = 0, others = 0;
    c.run(Access::read, [&] {
        c.session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                       "AND table_name = 'ppko_schema'",
            into(ours), now;
        c.session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            into(others), now;
    });
    if (ours == 0 && others > 0) {
        throw Error(ErrorId::store_not_database, c.shown(), {}, "",
                    "в базе данных PostgreSQL уже есть таблицы другой программы; укажите пустую базу данных "
                    "или базу ppko");
    }
}

}  // namespace

std::shared_ptr<Database> Database::open(std::string_view location, const DatabaseOptions& options) {
    std::shared_ptr<Database> db;
    if (is_postgres_location(location)) {
        const std::string shown = redact_location(location);
        db.reset(new Database(Dialect::postgresql, shown, postgres_conninfo(location, shown), options));
        check_postgres_owner(*db->connect());
        db->migrate(store_schema());
        return db;
    }
    std::string_view path_text = location;
    if (path_text.rfind("sqlite:", 0) == 0) path_text.remove_prefix(7);
    const fs::path path(path_text);
    const std::string shown = path.string();
    std::error_code ec;
    // Absolute, so that SQLite never reads the name as a "file:" URI (Poco opens with URI names on).
    const fs::path file = fs::absolute(path, ec);
    if (ec || path.empty()) throw Error(ErrorId::io_read, shown, {}, "", "не удаётся определить полный путь к файлу состояния");
    const auto status = fs::status(file, ec);
    if (fs::is_directory(status)) {
        throw Error(ErrorId::io_read, shown, {}, "", "по этому пути находится папка, а не файл состояния");
    }
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        // SQLite would create its journal beside a device, pipe or socket.
        throw Error(ErrorId::io_read, shown, {}, "",
                    "по этому пути находится не обычный файл (устройство, канал или сокет), а не файл состояния");
    }
    if (file.has_parent_path()) io::ensure_directory(file.parent_path());
    db.reset(new Database(Dialect::sqlite, shown, file.string(), options));
    check_sqlite_owner(*db->connect());
    db->migrate(store_schema());
    return db;
}

}  // namespace ppko::store
