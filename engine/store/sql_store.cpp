// The state store over a Database connection, one implementation for both dialects (see
// database.h): the SQL is shared except for how a batch of rows is inserted.
//
// Poco 1.11 re-prepares a Statement every time it is executed (PostgreSQL: prepare, describe,
// execute, deallocate — four round trips), so rows are not inserted one execute() each: a
// Transaction buffers them and inserts a batch with one statement. SQLite binds the batch as
// vectors (Poco steps the one prepared statement once per element); PostgreSQL's connector cannot
// bind vectors, so there the batch is one parameter, a JSON array of rows, taken apart by
// jsonb_array_elements. Batches are flushed when full, on commit(), and before any read through
// the Store, so reads see the transaction's own writes.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Poco/Data/TypeHandler.h>
#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "store/database.h"
#include "store/store.h"
#include "text/russian.h"

// Row mappings: column order is the order of the SELECT lists below.
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

using namespace Poco::Data::Keywords;

constexpr std::string_view kProgramColumns =
    "school, workflow, workflow_version, stage, status, started_on, academic_year, data_json";
constexpr std::string_view kEventColumns =
    "seq, school, workflow, workflow_version, date, kind, from_stage, to_stage, guard, facts_json, note";

// Rows a transaction buffers per table before inserting them as one batch.
constexpr std::size_t kBatchRows = 1024;

constexpr std::string_view kProgramUpdate =
    " ON CONFLICT (tenant, school) DO UPDATE SET workflow = excluded.workflow,"
    " workflow_version = excluded.workflow_version, stage = excluded.stage, status = excluded.status,"
    " started_on = excluded.started_on, academic_year = excluded.academic_year, data_json = excluded.data_json";

// `tenant` as an SQL string literal (tenants are checked to be [a-z0-9_-], quotes doubled anyway).
std::string literal(std::string_view tenant) {
    std::string out = "'";
    for (char c : tenant) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// SQLite: one row per vector element, the tenant a literal (a vector batch cannot mix in a scalar).
std::string sqlite_program_upsert(std::string_view tenant) {
    return "INSERT OR REPLACE INTO programs (tenant, " + std::string(kProgramColumns) + ") VALUES (" +
           literal(tenant) + ", ?, ?, ?, ?, ?, ?, ?, ?)";
}
std::string sqlite_event_insert(std::string_view tenant) {
    return "INSERT INTO events (tenant, " + std::string(kEventColumns) + ") VALUES (" + literal(tenant) +
           ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

// PostgreSQL: $2 is the batch as a JSON array of rows (jsonb: parsed once, not once per column).
std::string postgres_program_upsert() {
    return "INSERT INTO programs (tenant, " + std::string(kProgramColumns) +
           ") SELECT $1, value ->> 0, value ->> 1, CAST(value ->> 2 AS INTEGER), value ->> 3, value ->> 4,"
           " value ->> 5, value ->> 6, value ->> 7 FROM jsonb_array_elements(CAST($2 AS jsonb)) AS r(value)" +
           std::string(kProgramUpdate);
}
std::string postgres_event_insert() {
    return "INSERT INTO events (tenant, " + std::string(kEventColumns) +
           ") SELECT $1, CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS INTEGER),"
           " value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10"
           " FROM jsonb_array_elements(CAST($2 AS jsonb)) AS r(value)";
}

class StoreTransaction;

// The state a Store and its Transaction share; it lives as long as either of them.
struct Shared {
    std::shared_ptr<Connection> c;
    std::string tenant;
    StoreTransaction* active = nullptr;  // the open transaction, if any (one writer at a time)
};

class StoreTransaction final : public Transaction {
public:
    StoreTransaction(std::shared_ptr<Shared> s, std::int64_t last_seq) : s_(std::move(s)), last_seq_(last_seq) {
        s_->active = this;
    }
    StoreTransaction(const StoreTransaction&) = delete;
    StoreTransaction& operator=(const StoreTransaction&) = delete;

    ~StoreTransaction() override {
        if (open_) s_->c->rollback();
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
        flush();
        std::string k(key), v(value);
        guarded([&] {
            auto st = s_->c->statement(
                "INSERT INTO meta (tenant, key, value) VALUES ($1, $2, $3) "
                "ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value");
            st, use(s_->tenant), use(k), use(v), now;
        });
    }

    void commit() override {
        check_open();
        flush();
        guarded([&] { s_->c->commit(); });
        close();
    }

    // Inserts the buffered rows; on failure the whole transaction is rolled back and closed.
    void flush() {
        if (n_programs_ == 0 && n_events_ == 0) return;
        guarded([&] {
            if (s_->c->dialect() == Dialect::sqlite) {
                flush_sqlite();
            } else {
                flush_postgres();
            }
        });
        n_programs_ = n_events_ = 0;
    }

private:
    void flush_sqlite() {
        if (n_programs_ > 0) {
            programs_.resize(n_programs_);  // shrinks only for the last, partial batch
            Poco::Data::Statement st(s_->c->session());
            st << sqlite_program_upsert(s_->tenant), use(programs_);
            st.execute();
        }
        if (n_events_ > 0) {
            events_.resize(n_events_);
            Poco::Data::Statement st(s_->c->session());
            st << sqlite_event_insert(s_->tenant), use(events_);
            st.execute();
        }
    }

    void flush_postgres() {
        if (n_programs_ > 0) {
            // A school put twice in one batch keeps its last state: PostgreSQL refuses to upsert
            // one row twice in a statement, so only the last of each school goes in.
            std::unordered_map<std::string_view, std::size_t> last;
            for (std::size_t i = 0; i < n_programs_; ++i) last[programs_[i].school] = i;
            nlohmann::json rows = nlohmann::json::array();
            for (std::size_t i = 0; i < n_programs_; ++i) {
                const auto& p = programs_[i];
                if (last[p.school] != i) continue;
                rows.push_back({p.school, p.workflow, p.workflow_version, p.stage, p.status, p.started_on,
                                p.academic_year, p.data_json});
            }
            std::string batch = dump(rows);
            auto st = s_->c->statement(postgres_program_upsert());
            st, use(s_->tenant), use(batch), now;
        }
        if (n_events_ > 0) {
            nlohmann::json rows = nlohmann::json::array();
            for (std::size_t i = 0; i < n_events_; ++i) {
                const auto& e = events_[i];
                rows.push_back({e.seq, e.school, e.workflow, e.workflow_version, e.date, e.kind, e.from_stage,
                                e.to_stage, e.guard, e.facts_json, e.note});
            }
            std::string batch = dump(rows);
            auto st = s_->c->statement(postgres_event_insert());
            st, use(s_->tenant), use(batch), now;
        }
    }

    // The next free row of a batch. Rows of flushed batches are kept and overwritten, so their
    // strings' buffers are reused instead of allocated again for every row.
    template <class Row>
    static Row& stage(std::vector<Row>& rows, std::size_t& used) {
        if (used == rows.size()) rows.emplace_back();
        return rows[used++];
    }


    std::string dump(const nlohmann::json& rows) const {
        try {
            return rows.dump();
        } catch (const nlohmann::json::exception&) {
            throw Error(ErrorId::internal, s_->c->shown(), {}, "", "строка для базы данных не в кодировке UTF-8");
        }
    }

    void check_open() const {
        if (!open_) {
            throw Error(ErrorId::internal, s_->c->shown(), {}, "",
                        "транзакция с файлом состояния уже завершена; начните новую");
        }
    }

    // Runs a write; if it throws, rolls back, closes this transaction and reports the error.
    template <class F>
    void guarded(F&& f) {
        try {
            s_->c->run(Access::write, f);
        } catch (...) {
            s_->c->rollback();
            close();
            throw;
        }
    }

    void close() noexcept {
        open_ = false;
        n_programs_ = n_events_ = 0;
        if (s_->active == this) s_->active = nullptr;
    }

    std::shared_ptr<Shared> s_;
    std::int64_t last_seq_;
    bool open_ = true;
    std::vector<ProgramState> programs_;  // the batch: rows [0, n_programs_) are pending
    std::vector<Event> events_;
    std::size_t n_programs_ = 0;
    std::size_t n_events_ = 0;
};

class SqlStore final : public Store {
public:
    SqlStore(std::shared_ptr<Connection> c, std::string tenant)
        : s_(std::make_shared<Shared>(Shared{std::move(c), std::move(tenant), nullptr})) {}

    std::vector<ProgramState> programs() override {
        std::vector<ProgramState> out;
        read([&] {
            auto st = s_->c->statement("SELECT " + std::string(kProgramColumns) +
                                       " FROM programs WHERE tenant = $1 ORDER BY school");
            st, use(s_->tenant), into(out), now;
        });
        for (const auto& p : out) check(p);
        return out;
    }

    std::vector<StageCount> stage_counts() override {
        std::vector<std::string> workflow, stage, status;
        std::vector<Poco::Int64> n;
        read([&] {
            auto st = s_->c->statement("SELECT workflow, stage, status, COUNT(*) FROM programs WHERE tenant = $1"
                                       " GROUP BY workflow, stage, status ORDER BY workflow, stage, status");
            st, use(s_->tenant), into(workflow), into(stage), into(status), into(n), now;
        });
        std::vector<StageCount> out;
        for (std::size_t i = 0; i < n.size(); ++i) out.push_back(StageCount{workflow[i], stage[i], status[i], n[i]});
        return out;
    }

    std::optional<ProgramState> program(std::string_view school) override {
        std::vector<ProgramState> out;
        std::string s(school);
        read([&] {
            auto st = s_->c->statement("SELECT " + std::string(kProgramColumns) +
                                       " FROM programs WHERE tenant = $1 AND school = $2");
            st, use(s_->tenant), use(s), into(out), now;
        });
        if (out.empty()) return std::nullopt;
        check(out.front());
        return std::move(out.front());
    }

    // The fields the engine computes with must be well formed; a database edited by hand may not
    // be.
    void check(const ProgramState& p) const {
        auto bad = [&](const char* what, const std::string& value) {
            throw Error(ErrorId::store_damaged, s_->c->shown(), {}, "",
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
                auto st = s_->c->statement("SELECT " + std::string(kEventColumns) +
                                           " FROM events WHERE tenant = $1 ORDER BY seq");
                st, use(s_->tenant), into(out), now;
            } else {
                // SQLite's planner would walk the tenant's whole log by primary key (it cannot
                // know that a school holds a small part of it); the index has school after tenant.
                const char* from =
                    s_->c->dialect() == Dialect::sqlite ? " FROM events INDEXED BY events_by_school" : " FROM events";
                auto st = s_->c->statement("SELECT " + std::string(kEventColumns) + from +
                                           " WHERE tenant = $1 AND school = $2 ORDER BY seq");
                st, use(s_->tenant), use(s), into(out), now;
            }
        });
        return out;
    }

    std::optional<std::string> meta(std::string_view key) override {
        if (s_->active) s_->active->flush();
        // Asked on every request of the server (its caches are keyed by "state_version").
        const store::Rows r = s_->c->query("SELECT value FROM meta WHERE tenant = $1 AND key = $2", {s_->tenant, key});
        if (r.empty()) return std::nullopt;
        return r.at(0, 0);
    }

    std::unique_ptr<Transaction> begin() override {
        if (s_->active) {
            throw Error(ErrorId::internal, s_->c->shown(), {}, "",
                        "предыдущая транзакция с файлом состояния ещё не завершена");
        }
        s_->c->begin("store:" + s_->tenant);
        Poco::Int64 last = 0;
        try {
            auto st = s_->c->statement("SELECT COALESCE(MAX(seq), 0) FROM events WHERE tenant = $1");
            s_->c->run(Access::read, [&] { st, use(s_->tenant), into(last), now; });
        } catch (...) {
            s_->c->rollback();
            throw;
        }
        return std::make_unique<StoreTransaction>(s_, last);
    }

    int schema_version() override {
        if (s_->active) s_->active->flush();
        return s_->c->dialect() == Dialect::sqlite ? sqlite_version() : postgres_version();
    }

private:
    int sqlite_version() {
        int v = 0;
        s_->c->run(Access::read, [&] { s_->c->session() << "PRAGMA user_version", into(v), now; });
        return v;
    }
    int postgres_version() {
        std::vector<int> v;
        s_->c->run(Access::read, [&] {
            s_->c->session() << "SELECT version FROM ppko_schema WHERE component = 'store'", into(v), now;
        });
        return v.empty() ? 0 : v.front();
    }

    template <class F>
    void read(F&& f) {
        if (s_->active) s_->active->flush();
        s_->c->run(Access::read, f);
    }

    std::shared_ptr<Shared> s_;
};

bool valid_tenant(std::string_view t) {
    if (t.empty()) return true;
    if (t.size() > 64) return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::unique_ptr<Store> Database::store(std::string_view tenant) {
    if (!valid_tenant(tenant)) {
        throw Error(ErrorId::internal, shown_, {}, "", "недопустимый код муниципалитета: «" + std::string(tenant) + "»");
    }
    return std::make_unique<SqlStore>(connect(), std::string(tenant));
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path) {
    return open_sqlite_store(path, StoreOptions{});
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path, const StoreOptions& options) {
    if (!options.create) {
        // Commands that only read: no file, or an empty one, is no state yet; nothing is created.
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status) ||
            (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) == 0)) {
            return nullptr;
        }
    }
    // A path that happens to start with "postgresql://" is still a path here.
    const std::string location = "sqlite:" + path.string();
    return open_store(location, "", options);
}

std::unique_ptr<Store> open_store(std::string_view location, std::string_view tenant, const StoreOptions& options) {
    DatabaseOptions o;
    o.busy_timeout = options.busy_timeout;
    o.idle_connections = 1;
    return Database::open(location, o)->store(tenant);
}

}  // namespace ppko::store
