// The SQLite implementation of the state store through Poco::Data (see sqlite_schema.h for the
// file format and the durability choice).
//
// Poco 1.11 re-prepares a Statement every time it is executed, so rows are not inserted one
// execute() each: a Transaction buffers them and inserts a batch with one statement bound to a
// vector (Poco steps the one prepared statement once per element). Batches are flushed when full,
// on commit(), and before any read through the Store, so reads see the transaction's own writes.
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/TypeHandler.h>
#include <Poco/Exception.h>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "store/sqlite_schema.h"
#include "store/store.h"
#include "text/russian.h"

// Row mappings: column order is the order of the SELECT/INSERT lists below.
namespace Poco::Data {

template <>
class TypeHandler<ppko::store::ProgramState> {
public:
    static std::size_t size() { return 8; }

    static void bind(std::size_t pos, const ppko::store::ProgramState& p, AbstractBinder::Ptr b,
                     AbstractBinder::Direction dir) {
        TypeHandler<std::string>::bind(pos++, p.school, b, dir);
        TypeHandler<std::string>::bind(pos++, p.workflow, b, dir);
        TypeHandler<int>::bind(pos++, p.workflow_version, b, dir);
        TypeHandler<std::string>::bind(pos++, p.stage, b, dir);
        TypeHandler<std::string>::bind(pos++, p.status, b, dir);
        TypeHandler<std::string>::bind(pos++, p.started_on, b, dir);
        TypeHandler<std::string>::bind(pos++, p.academic_year, b, dir);
        TypeHandler<std::string>::bind(pos++, p.data_json, b, dir);
    }

    static void prepare(std::size_t pos, const ppko::store::ProgramState& p, AbstractPreparator::Ptr pr) {
        TypeHandler<std::string>::prepare(pos++, p.school, pr);
        TypeHandler<std::string>::prepare(pos++, p.workflow, pr);
        TypeHandler<int>::prepare(pos++, p.workflow_version, pr);
        TypeHandler<std::string>::prepare(pos++, p.stage, pr);
        TypeHandler<std::string>::prepare(pos++, p.status, pr);
        TypeHandler<std::string>::prepare(pos++, p.started_on, pr);
        TypeHandler<std::string>::prepare(pos++, p.academic_year, pr);
        TypeHandler<std::string>::prepare(pos++, p.data_json, pr);
    }

    static void extract(std::size_t pos, ppko::store::ProgramState& p, const ppko::store::ProgramState& d,
                        AbstractExtractor::Ptr e) {
        TypeHandler<std::string>::extract(pos++, p.school, d.school, e);
        TypeHandler<std::string>::extract(pos++, p.workflow, d.workflow, e);
        TypeHandler<int>::extract(pos++, p.workflow_version, d.workflow_version, e);
        TypeHandler<std::string>::extract(pos++, p.stage, d.stage, e);
        TypeHandler<std::string>::extract(pos++, p.status, d.status, e);
        TypeHandler<std::string>::extract(pos++, p.started_on, d.started_on, e);
        TypeHandler<std::string>::extract(pos++, p.academic_year, d.academic_year, e);
        TypeHandler<std::string>::extract(pos++, p.data_json, d.data_json, e);
    }
};

template <>
class TypeHandler<ppko::store::Event> {
public:
    static std::size_t size() { return 11; }

    static void bind(std::size_t pos, const ppko::store::Event& v, AbstractBinder::Ptr b,
                     AbstractBinder::Direction dir) {
        TypeHandler<Poco::Int64>::bind(pos++, v.seq, b, dir);
        TypeHandler<std::string>::bind(pos++, v.school, b, dir);
        TypeHandler<std::string>::bind(pos++, v.workflow, b, dir);
        TypeHandler<int>::bind(pos++, v.workflow_version, b, dir);
        TypeHandler<std::string>::bind(pos++, v.date, b, dir);
        TypeHandler<std::string>::bind(pos++, v.kind, b, dir);
        TypeHandler<std::string>::bind(pos++, v.from_stage, b, dir);
        TypeHandler<std::string>::bind(pos++, v.to_stage, b, dir);
        TypeHandler<std::string>::bind(pos++, v.guard, b, dir);
        TypeHandler<std::string>::bind(pos++, v.facts_json, b, dir);
        TypeHandler<std::string>::bind(pos++, v.note, b, dir);
    }

    static void prepare(std::size_t pos, const ppko::store::Event& v, AbstractPreparator::Ptr pr) {
        TypeHandler<Poco::Int64>::prepare(pos++, v.seq, pr);
        TypeHandler<std::string>::prepare(pos++, v.school, pr);
        TypeHandler<std::string>::prepare(pos++, v.workflow, pr);
        TypeHandler<int>::prepare(pos++, v.workflow_version, pr);
        TypeHandler<std::string>::prepare(pos++, v.date, pr);
        TypeHandler<std::string>::prepare(pos++, v.kind, pr);
        TypeHandler<std::string>::prepare(pos++, v.from_stage, pr);
        TypeHandler<std::string>::prepare(pos++, v.to_stage, pr);
        TypeHandler<std::string>::prepare(pos++, v.guard, pr);
        TypeHandler<std::string>::prepare(pos++, v.facts_json, pr);
        TypeHandler<std::string>::prepare(pos++, v.note, pr);
    }

    static void extract(std::size_t pos, ppko::store::Event& v, const ppko::store::Event& d,
                        AbstractExtractor::Ptr e) {
        TypeHandler<Poco::Int64>::extract(pos++, v.seq, d.seq, e);
        TypeHandler<std::string>::extract(pos++, v.school, d.school, e);
        TypeHandler<std::string>::extract(pos++, v.workflow, d.workflow, e);
        TypeHandler<int>::extract(pos++, v.workflow_version, d.workflow_version, e);
        TypeHandler<std::string>::extract(pos++, v.date, d.date, e);
        TypeHandler<std::string>::extract(pos++, v.kind, d.kind, e);
        TypeHandler<std::string>::extract(pos++, v.from_stage, d.from_stage, e);
        TypeHandler<std::string>::extract(pos++, v.to_stage, d.to_stage, e);
        TypeHandler<std::string>::extract(pos++, v.guard, d.guard, e);
        TypeHandler<std::string>::extract(pos++, v.facts_json, d.facts_json, e);
        TypeHandler<std::string>::extract(pos++, v.note, d.note, e);
    }
};

}  // namespace Poco::Data

namespace ppko::store {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

constexpr std::string_view kProgramColumns =
    "school, workflow, workflow_version, stage, status, started_on, academic_year, data_json";
constexpr std::string_view kEventColumns =
    "seq, school, workflow, workflow_version, date, kind, from_stage, to_stage, guard, facts_json, note";

// Rows a transaction buffers per table before inserting them as one batch.
constexpr std::size_t kBatchRows = 1024;

enum class Access { read, write };

// Turns an exception from Poco/SQLite into a ppko::Error that names the file and says in Russian
// what a methodologist can do about it.
[[noreturn]] void fail(const std::string& path, Access access, const Poco::Exception& e) {
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

class TransactionImpl;

// The one connection a Store and its Transaction share; it lives as long as either of them.
struct Connection {
    std::string path;  // as the caller named it, for messages
    Session session;
    TransactionImpl* active = nullptr;  // the open transaction, if any (one writer at a time)

    Connection(std::string p, Session s) : path(std::move(p)), session(std::move(s)) {}

    void exec(std::string_view sql, Access access) {
        try {
            session << std::string(sql), now;
        } catch (const Poco::Exception& e) {
            fail(path, access, e);
        }
    }
    void rollback_quietly() noexcept {
        try {
            session << "ROLLBACK", now;
        } catch (...) {
            // SQLite may already have rolled back after the error that brought us here.
        }
    }
};

class TransactionImpl final : public Transaction {
public:
    TransactionImpl(std::shared_ptr<Connection> c, std::int64_t last_seq) : c_(std::move(c)), last_seq_(last_seq) {
        c_->active = this;
        programs_.reserve(kBatchRows);
        events_.reserve(kBatchRows);
    }
    TransactionImpl(const TransactionImpl&) = delete;
    TransactionImpl& operator=(const TransactionImpl&) = delete;

    ~TransactionImpl() override {
        if (open_) c_->rollback_quietly();
        close();
    }

    void put_program(const ProgramState& p) override {
        check_open();
        stage(programs_, n_programs_) = p;
        if (n_programs_ == kBatchRows) flush();
    }

    std::int64_t append_event(const Event& e) override {
        check_open();
        Event& row = stage(events_, n_events_);
        row = e;
        row.seq = ++last_seq_;
        const std::int64_t seq = last_seq_;
        if (n_events_ == kBatchRows) flush();
        return seq;
    }

    void set_meta(std::string_view key, std::string_view value) override {
        check_open();
        std::string k(key), v(value);
        guarded([&] { c_->session << "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", use(k), use(v), now; });
    }

    void commit() override {
        check_open();
        flush();
        guarded([&] { c_->session << "COMMIT", now; });
        close();
    }

    // Inserts the buffered rows; on failure the whole transaction is rolled back and closed.
    void flush() {
        if (n_programs_ == 0 && n_events_ == 0) return;
        guarded([&] {
            if (n_programs_ > 0) {
                programs_.resize(n_programs_);  // shrinks only for the last, partial batch
                Statement st(c_->session);
                st << "INSERT OR REPLACE INTO programs (" << kProgramColumns << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    use(programs_);
                st.execute();
                n_programs_ = 0;
            }
            if (n_events_ > 0) {
                events_.resize(n_events_);
                Statement st(c_->session);
                st << "INSERT INTO events (" << kEventColumns << ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(events_);
                st.execute();
                n_events_ = 0;
            }
        });
    }

private:
    void check_open() const {
        if (!open_) {
            throw Error(ErrorId::internal, c_->path, {}, "",
                        "транзакция с файлом состояния уже завершена; начните новую");
        }
    }

    // Runs a write; if it throws, rolls back, closes this transaction and reports the error.
    template <class F>
    void guarded(F&& f) {
        try {
            f();
        } catch (const Poco::Exception& e) {
            c_->rollback_quietly();
            close();
            fail(c_->path, Access::write, e);
        } catch (...) {
            c_->rollback_quietly();
            close();
            throw;
        }
    }

    // The next free row of a batch. Rows of flushed batches are kept and overwritten, so their
    // strings' buffers are reused instead of allocated again for every row.
    template <class Row>
    static Row& stage(std::vector<Row>& rows, std::size_t& used) {
        if (used == rows.size()) rows.emplace_back();
        return rows[used++];
    }

    void close() noexcept {
        open_ = false;
        n_programs_ = n_events_ = 0;
        if (c_->active == this) c_->active = nullptr;
    }

    std::shared_ptr<Connection> c_;
    std::int64_t last_seq_;
    bool open_ = true;
    std::vector<ProgramState> programs_;  // the batch: rows [0, n_programs_) are pending
    std::vector<Event> events_;
    std::size_t n_programs_ = 0;
    std::size_t n_events_ = 0;
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(std::shared_ptr<Connection> c) : c_(std::move(c)) {}

    std::vector<ProgramState> programs() override {
        std::vector<ProgramState> out;
        read([&] {
            c_->session << "SELECT " << kProgramColumns << " FROM programs ORDER BY school", into(out), now;
        });
        for (const auto& p : out) check(p);
        return out;
    }

    std::optional<ProgramState> program(std::string_view school) override {
        std::vector<ProgramState> out;
        std::string s(school);
        read([&] {
            c_->session << "SELECT " << kProgramColumns << " FROM programs WHERE school = ?", use(s), into(out), now;
        });
        if (out.empty()) return std::nullopt;
        check(out.front());
        return std::move(out.front());
    }

    // The fields the engine computes with must be well formed; a file edited by hand may not be.
    void check(const ProgramState& p) const {
        auto bad = [&](const char* what, const std::string& value) {
            throw Error(ErrorId::store_damaged, c_->path, {}, "",
                        "в состоянии программы школы «" + p.school + "» " + what + " «" + value +
                            "» записан неверно (файл изменён не программой ppko?); восстановите файл из резервной копии");
        };
        if (!text::parse_academic_year(p.academic_year)) bad("учебный год", p.academic_year);
        if (!text::parse_date(p.started_on)) bad("день начала", p.started_on);
    }

    std::vector<Event> events(std::string_view school) override {
        std::vector<Event> out;
        std::string s(school);
        read([&] {
            if (s.empty()) {
                c_->session << "SELECT " << kEventColumns << " FROM events ORDER BY seq", into(out), now;
            } else {
                c_->session << "SELECT " << kEventColumns << " FROM events WHERE school = ? ORDER BY seq", use(s),
                    into(out), now;
            }
        });
        return out;
    }

    std::optional<std::string> meta(std::string_view key) override {
        std::vector<std::string> out;
        std::string k(key);
        read([&] { c_->session << "SELECT value FROM meta WHERE key = ?", use(k), into(out), now; });
        if (out.empty()) return std::nullopt;
        return std::move(out.front());
    }

    std::unique_ptr<Transaction> begin() override {
        if (c_->active) {
            throw Error(ErrorId::internal, c_->path, {}, "",
                        "предыдущая транзакция с файлом состояния ещё не завершена");
        }
        // IMMEDIATE takes the write lock now, so the engine's reads inside the transaction cannot
        // be invalidated by another writer before it commits.
        c_->exec("BEGIN IMMEDIATE", Access::write);
        Poco::Int64 last = 0;
        try {
            c_->session << "SELECT COALESCE(MAX(seq), 0) FROM events", into(last), now;
        } catch (const Poco::Exception& e) {
            c_->rollback_quietly();
            fail(c_->path, Access::read, e);
        }
        return std::make_unique<TransactionImpl>(c_, last);
    }

    int schema_version() override {
        int v = 0;
        read([&] { c_->session << "PRAGMA user_version", into(v), now; });
        return v;
    }

private:
    template <class F>
    void read(F&& f) {
        if (c_->active) c_->active->flush();
        try {
            f();
        } catch (const Poco::Exception& e) {
            fail(c_->path, Access::read, e);
        }
    }

    std::shared_ptr<Connection> c_;
};

struct Header {
    int application_id = 0;
    int version = 0;
    int objects = 0;  // tables, indexes, triggers, views
};

Header read_header(Connection& c) {
    Header h;
    try {
        c.session << "PRAGMA application_id", into(h.application_id), now;
        c.session << "PRAGMA user_version", into(h.version), now;
        c.session << "SELECT count(*) FROM sqlite_master", into(h.objects), now;
    } catch (const Poco::Exception& e) {
        fail(c.path, Access::read, e);
    }
    return h;
}

// Refuses files this program must not touch: another program's database, or a newer schema.
void check_header(const Connection& c, const Header& h) {
    const bool fresh = h.application_id == 0 && h.version == 0 && h.objects == 0;
    if (!fresh && h.application_id != sqlite::kApplicationId) {
        throw Error(ErrorId::store_not_database, c.path, {}, "",
                    "файл не является файлом состояния ppko (это база данных SQLite другой программы); "
                    "укажите другой файл в --state");
    }
    if (h.version > kLatestSchemaVersion) {
        throw Error(ErrorId::store_too_new, c.path, {}, "",
                    "файл состояния записан более новой версией ppko (версия схемы " + std::to_string(h.version) +
                        ", эта программа знает версии до " + std::to_string(kLatestSchemaVersion) +
                        "); обновите ppko");
    }
}

void migrate(Connection& c) {
    const Header before = read_header(c);
    check_header(c, before);
    if (before.version == kLatestSchemaVersion) return;
    c.exec("BEGIN IMMEDIATE", Access::write);
    try {
        // Read again under the lock: another process may have migrated in between.
        const Header h = read_header(c);
        check_header(c, h);
        for (const auto& m : sqlite::migrations()) {
            if (m.version <= h.version) continue;
            for (std::string_view sql : m.statements) c.exec(sql, Access::write);
            c.exec("PRAGMA user_version = " + std::to_string(m.version), Access::write);
        }
        c.exec("COMMIT", Access::write);
    } catch (...) {
        c.rollback_quietly();
        throw;
    }
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const fs::path& path) { return open_sqlite_store(path, SqliteOptions{}); }

std::unique_ptr<Store> open_sqlite_store(const fs::path& path, const SqliteOptions& options) {
    const std::string shown = path.string();
    std::error_code ec;
    // Absolute, so that SQLite never reads the name as a "file:" URI (Poco opens with URI names on).
    const fs::path file = fs::absolute(path, ec);
    if (ec) throw Error(ErrorId::io_read, shown, {}, "", "не удаётся определить полный путь к файлу состояния");
    const auto status = fs::status(file, ec);
    if (fs::is_directory(status)) {
        throw Error(ErrorId::io_read, shown, {}, "", "по этому пути находится папка, а не файл состояния");
    }
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        throw Error(ErrorId::io_read, shown, {}, "", "по этому пути находится не обычный файл (устройство, канал или сокет), а не файл состояния");
    }
    if (!options.create && (!fs::exists(status) || fs::file_size(file, ec) == 0)) return nullptr;
    if (file.has_parent_path()) io::ensure_directory(file.parent_path());

    std::shared_ptr<Connection> c;
    try {
        // Login timeout 0: fail at once instead of retrying the open for a minute.
        Session session(new Poco::Data::SQLite::SessionImpl(file.string(), 0));
        c = std::make_shared<Connection>(shown, std::move(session));
    } catch (const Poco::Exception& e) {
        fail(shown, Access::read, e);
    }
    std::string journal;
    try {
        c->session << "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout.count()), now;
        c->session << "PRAGMA journal_mode = DELETE", into(journal), now;
        c->session << "PRAGMA synchronous = FULL", now;
    } catch (const Poco::Exception& e) {
        fail(shown, Access::read, e);
    }
    if (journal != "delete") {
        throw Error(ErrorId::io_write, shown, {}, "",
                    "не удаётся включить журнал отката для файла состояния (режим «" + journal + "»)");
    }
    migrate(*c);
    return std::make_unique<SqliteStore>(std::move(c));
}

}  // namespace ppko::store
