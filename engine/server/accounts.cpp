#include "server/accounts.h"

#include <chrono>
#include <set>

#include <Poco/Data/TypeHandler.h>

#include "diag/diagnostic.h"
#include "server/failpoint.h"
#include "server/passwords.h"
#include "server/router.h"

namespace ppko::server {
namespace {

// A users row as the tables hold it (role as text).
struct UserRow {
    Poco::Int64 id = 0;
    std::string login, name, role, municipality, school;
    int disabled = 0;
    Poco::Int64 version = 0, created_at = 0, updated_at = 0;
};

}  // namespace
}  // namespace ppko::server

namespace Poco::Data {

template <>
class TypeHandler<ppko::server::UserRow> {
public:
    static std::size_t size() { return 10; }
    static void bind(std::size_t pos, const ppko::server::UserRow& r, AbstractBinder::Ptr b, AbstractBinder::Direction d) {
        TypeHandler<Poco::Int64>::bind(pos++, r.id, b, d);
        TypeHandler<std::string>::bind(pos++, r.login, b, d);
        TypeHandler<std::string>::bind(pos++, r.name, b, d);
        TypeHandler<std::string>::bind(pos++, r.role, b, d);
        TypeHandler<std::string>::bind(pos++, r.municipality, b, d);
        TypeHandler<std::string>::bind(pos++, r.school, b, d);
        TypeHandler<int>::bind(pos++, r.disabled, b, d);
        TypeHandler<Poco::Int64>::bind(pos++, r.version, b, d);
        TypeHandler<Poco::Int64>::bind(pos++, r.created_at, b, d);
        TypeHandler<Poco::Int64>::bind(pos++, r.updated_at, b, d);
    }
    static void prepare(std::size_t pos, const ppko::server::UserRow& r, AbstractPreparator::Ptr p) {
        TypeHandler<Poco::Int64>::prepare(pos++, r.id, p);
        TypeHandler<std::string>::prepare(pos++, r.login, p);
        TypeHandler<std::string>::prepare(pos++, r.name, p);
        TypeHandler<std::string>::prepare(pos++, r.role, p);
        TypeHandler<std::string>::prepare(pos++, r.municipality, p);
        TypeHandler<std::string>::prepare(pos++, r.school, p);
        TypeHandler<int>::prepare(pos++, r.disabled, p);
        TypeHandler<Poco::Int64>::prepare(pos++, r.version, p);
        TypeHandler<Poco::Int64>::prepare(pos++, r.created_at, p);
        TypeHandler<Poco::Int64>::prepare(pos++, r.updated_at, p);
    }
    static void extract(std::size_t pos, ppko::server::UserRow& r, const ppko::server::UserRow& d,
                        AbstractExtractor::Ptr e) {
        TypeHandler<Poco::Int64>::extract(pos++, r.id, d.id, e);
        TypeHandler<std::string>::extract(pos++, r.login, d.login, e);
        TypeHandler<std::string>::extract(pos++, r.name, d.name, e);
        TypeHandler<std::string>::extract(pos++, r.role, d.role, e);
        TypeHandler<std::string>::extract(pos++, r.municipality, d.municipality, e);
        TypeHandler<std::string>::extract(pos++, r.school, d.school, e);
        TypeHandler<int>::extract(pos++, r.disabled, d.disabled, e);
        TypeHandler<Poco::Int64>::extract(pos++, r.version, d.version, e);
        TypeHandler<Poco::Int64>::extract(pos++, r.created_at, d.created_at, e);
        TypeHandler<Poco::Int64>::extract(pos++, r.updated_at, d.updated_at, e);
    }
};

}  // namespace Poco::Data

namespace ppko::server {
namespace {

using namespace Poco::Data::Keywords;
using store::Access;
using store::Connection;

constexpr std::string_view kUserColumns =
    "id, login, name, role, municipality, school, disabled, version, created_at, updated_at";

User to_user(const UserRow& r) {
    User u;
    u.id = r.id;
    u.login = r.login;
    u.name = r.name;
    u.role = parse_role(r.role).value_or(Role::school);
    u.municipality = r.municipality;
    u.school = r.school;
    u.disabled = r.disabled != 0;
    u.version = r.version;
    u.created_at = r.created_at;
    u.updated_at = r.updated_at;
    return u;
}

std::optional<User> select_user(Connection& c, std::string_view login) {
    std::vector<UserRow> rows;
    std::string l(login);
    auto st = c.statement("SELECT " + std::string(kUserColumns) + " FROM users WHERE login = $1");
    c.run(Access::read, [&] { st, use(l), into(rows), now; });
    if (rows.empty()) return std::nullopt;
    return to_user(rows.front());
}

bool municipality_exists(Connection& c, const std::string& id) {
    Poco::Int64 n = 0;
    std::string m = id;
    auto st = c.statement("SELECT count(*) FROM municipalities WHERE id = $1");
    c.run(Access::read, [&] { st, use(m), into(n), now; });
    return n > 0;
}

[[noreturn]] void not_found(const std::string& what) {
    throw Error(ErrorId::server_not_found, "", {}, "", what + " не найден(а)");
}

// The fields changed in `target`'s audit rows after `version`: what a stale editor missed.
std::vector<std::string> changed_since(Connection& c, const std::string& target, std::int64_t version) {
    std::vector<std::string> before, after;
    std::string t = target;
    auto st = c.statement("SELECT before_json, after_json FROM audit WHERE target = $1 ORDER BY id");
    c.run(Access::read, [&] { st, use(t), into(before), into(after), now; });
    std::set<std::string> fields;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const Json a = Json::parse(after[i], nullptr, false);
        const Json b = Json::parse(before[i], nullptr, false);
        if (!a.is_object() || a.value("version", std::int64_t{0}) <= version) continue;
        for (const auto& [k, v] : a.items()) {
            if (k == "version" || k == "updated_at") continue;
            if (!b.is_object() || !b.contains(k) || b[k] != v) fields.insert(k);
        }
    }
    return {fields.begin(), fields.end()};
}

[[noreturn]] void conflict(Connection& c, const std::string& target, std::int64_t asked, const Json& current) {
    const auto changed = changed_since(c, target, asked);
    std::string list;
    for (const auto& f : changed) list += (list.empty() ? "" : ", ") + f;
    const std::int64_t now_version = current.value("version", std::int64_t{0});
    throw HttpError(ErrorId::record_conflict,
                    "запись «" + target + "» изменена другим пользователем: в запросе версия " + std::to_string(asked) +
                        ", а сейчас " + std::to_string(now_version) +
                        (list.empty() ? std::string() : "; изменены поля: " + list) +
                        "; перечитайте запись и повторите изменение",
                    Json{{"current", current}, {"changed", changed}});
}

// Which municipality and school a role needs: data.bad_value (path `where`) otherwise.
void check_scope(Connection& c, Role role, const std::string& municipality, const std::string& school) {
    const std::string r(role_name(role));
    const bool needs_municipality = role == Role::coordinator || role == Role::school || role == Role::expert;
    if (!needs_municipality && (!municipality.empty() || !school.empty())) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.municipality",
                    "у роли «" + r + "» нет муниципалитета и школы: она охватывает весь регион");
    }
    if (needs_municipality && municipality.empty()) {
        throw Error(ErrorId::data_missing_field, "", {}, "$.municipality", "роли «" + r + "» нужен муниципалитет");
    }
    if (role == Role::school && school.empty()) {
        throw Error(ErrorId::data_missing_field, "", {}, "$.school", "роли «school» нужен код школы");
    }
    if (role != Role::school && !school.empty()) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.school", "код школы бывает только у роли «school»");
    }
    if (!municipality.empty() && !valid_parameter("municipality", municipality)) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.municipality", "недопустимый код муниципалитета «" + municipality + "»");
    }
    if (!school.empty() && !valid_parameter("school", school)) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.school", "недопустимый код школы «" + school + "»");
    }
    if (!municipality.empty() && !municipality_exists(c, municipality)) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.municipality", "муниципалитета «" + municipality + "» нет");
    }
}

void check_name(const std::string& name, const char* path) {
    if (name.empty()) throw Error(ErrorId::data_missing_field, "", {}, path, "имя не заполнено");
    check_text(name, 200, path);
}

void require_good_password(std::string_view password) {
    if (auto problem = password_problem(password); !problem.empty()) {
        throw Error(ErrorId::auth_weak_password, "", {}, "", "пароль не подходит: " + problem);
    }
}

// Ends every session of the account except `keep_session` (a cookie's hash), and revokes its API
// tokens except `keep_token` (a token id's hash).
void end_sessions(Connection& c, std::int64_t user_id, std::string_view keep_session, std::string_view keep_token) {
    Poco::Int64 id = user_id;
    std::string ks(keep_session), kt(keep_token);
    auto s = c.statement("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2");
    c.run(Access::write, [&] { s, use(id), use(ks), now; });
    auto t = c.statement("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1 AND id <> $2");
    c.run(Access::write, [&] { t, use(id), use(kt), now; });
}

}  // namespace

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Json User::json() const {
    return Json{{"login", login},        {"name", name},         {"role", role_name(role)},
                {"municipality", municipality}, {"school", school}, {"disabled", disabled},
                {"version", version},    {"created_at", created_at}, {"updated_at", updated_at}};
}

Json Municipality::json() const { return Json{{"id", id}, {"name", name}, {"version", version}}; }

Json Region::json() const { return Json{{"name", name}, {"version", version}, {"municipalities", municipalities}}; }

void write_audit(Connection& c, const Actor& actor, std::string_view action, std::string_view target,
                 const Json& before, const Json& after) {
    Poco::Int64 at = now_seconds();
    std::string who = actor.login, address = actor.address, what(action), on(target);
    std::string b = before.dump(), a = after.dump();
    auto st = c.statement(
        "INSERT INTO audit (at, actor, address, action, target, before_json, after_json) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)");
    c.run(Access::write, [&] { st, use(at), use(who), use(address), use(what), use(on), use(b), use(a), now; });
}

Accounts::Accounts(std::shared_ptr<store::Database> db, int iterations) : db_(std::move(db)), iterations_(iterations) {}

std::vector<User> Accounts::users() {
    auto c = db_->connect();
    std::vector<UserRow> rows;
    c->run(Access::read, [&] {
        c->session() << "SELECT " + std::string(kUserColumns) + " FROM users ORDER BY login", into(rows), now;
    });
    std::vector<User> out;
    for (const auto& r : rows) out.push_back(to_user(r));
    return out;
}

std::optional<User> Accounts::user(std::string_view login) {
    auto c = db_->connect();
    return select_user(*c, login);
}

User Accounts::create_user(const NewUser& u, const Actor& actor) {
    if (!valid_parameter("login", u.login)) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.login",
                    "имя входа «" + u.login + "»: латинские буквы, цифры, «.», «_», «-», «@», не длиннее 64 символов");
    }
    check_name(u.name, "$.name");
    require_good_password(u.password);
    const PasswordHash h = hash_password(u.password, iterations_);  // slow: before the transaction
    auto c = db_->connect();
    c->begin("");
    check_scope(*c, u.role, u.municipality, u.school);
    Poco::Int64 at = now_seconds();
    std::string login = u.login, name = u.name, role(role_name(u.role)), m = u.municipality, s = u.school;
    std::string alg = h.algorithm, salt = h.salt, hash = h.hash;
    int iterations = h.iterations;
    try {
        auto st = c->statement(
            "INSERT INTO users (login, name, role, municipality, school, password_algorithm, password_iterations,"
            " password_salt, password_hash, disabled, version, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 1, $10, $10)");
        st, use(login), use(name), use(role), use(m), use(s), use(alg), use(iterations), use(salt), use(hash), use(at), now;
    } catch (const Poco::Exception& e) {
        if (Connection::is_unique_violation(e)) {
            throw Error(ErrorId::record_exists, "", {}, "$.login", "учётная запись «" + u.login + "» уже есть");
        }
        c->fail(e, Access::write);
    }
    const User created = select_user(*c, u.login).value();
    write_audit(*c, actor, "user.create", "user:" + u.login, Json::object(), created.json());
    c->commit();
    return created;
}

User Accounts::update_user(std::string_view login, const UserChanges& ch, std::int64_t version, const Actor& actor) {
    if (ch.name) check_name(*ch.name, "$.name");
    auto c = db_->connect();
    c->begin("");
    const auto cur = select_user(*c, login);
    const std::string target = "user:" + std::string(login);
    if (!cur) not_found("учётная запись «" + std::string(login) + "»");
    if (cur->version != version) conflict(*c, target, version, cur->json());
    User next = *cur;
    if (ch.name) next.name = *ch.name;
    if (ch.role) next.role = *ch.role;
    if (ch.municipality) next.municipality = *ch.municipality;
    if (ch.school) next.school = *ch.school;
    if (ch.disabled) next.disabled = *ch.disabled;
    if (ch.role && !ch.municipality && (next.role == Role::region || next.role == Role::admin)) next.municipality.clear();
    if (ch.role && !ch.school && next.role != Role::school) next.school.clear();
    check_scope(*c, next.role, next.municipality, next.school);
    Poco::Int64 at = now_seconds(), asked = version;
    std::string name = next.name, role(role_name(next.role)), m = next.municipality, s = next.school, l(login);
    int disabled = next.disabled ? 1 : 0;
    std::vector<Poco::Int64> got;
    auto st = c->statement(
        "UPDATE users SET name = $1, role = $2, municipality = $3, school = $4, disabled = $5,"
        " version = version + 1, updated_at = $6 WHERE login = $7 AND version = $8 RETURNING version");
    c->run(Access::write, [&] {
        st, use(name), use(role), use(m), use(s), use(disabled), use(at), use(l), use(asked), into(got), now;
    });
    if (got.empty()) {  // another server's edit committed between our read and our write
        const auto fresh = select_user(*c, login);
        if (!fresh) not_found("учётная запись «" + std::string(login) + "»");
        conflict(*c, target, version, fresh->json());
    }
    failpoint("users.update");
    if (next.disabled && !cur->disabled) end_sessions(*c, cur->id, {}, {});
    const User after = select_user(*c, login).value();
    write_audit(*c, actor, "user.update", target, cur->json(), after.json());
    c->commit();
    return after;
}

void Accounts::set_password(std::string_view login, std::string_view password, const Actor& actor,
                            std::string_view keep_session_hash, std::string_view keep_token_id) {
    require_good_password(password);
    const PasswordHash h = hash_password(password, iterations_);
    auto c = db_->connect();
    c->begin("");
    const auto cur = select_user(*c, login);
    if (!cur) not_found("учётная запись «" + std::string(login) + "»");
    Poco::Int64 at = now_seconds();
    std::string alg = h.algorithm, salt = h.salt, hash = h.hash, l(login);
    int iterations = h.iterations;
    auto st = c->statement(
        "UPDATE users SET password_algorithm = $1, password_iterations = $2, password_salt = $3, password_hash = $4,"
        " version = version + 1, updated_at = $5 WHERE login = $6");
    c->run(Access::write, [&] { st, use(alg), use(iterations), use(salt), use(hash), use(at), use(l), now; });
    end_sessions(*c, cur->id, keep_session_hash, keep_token_id.empty() ? std::string() : sha256_hex(keep_token_id));
    const User after = select_user(*c, login).value();
    write_audit(*c, actor, "user.password", "user:" + std::string(login), Json{{"version", cur->version}},
                Json{{"version", after.version}, {"password", "changed"}});
    c->commit();
}

std::optional<User> Accounts::check_password(std::string_view login, std::string_view password) {
    // The same PBKDF2 work for unknown and disabled accounts as for real ones: the time of an
    // answer does not tell which logins exist.
    static const PasswordHash dummy = hash_password("ppko-dummy-password", kPasswordIterations);
    auto c = db_->connect();
    std::vector<UserRow> rows;
    std::vector<std::string> alg, salt, hash;
    std::vector<int> iterations;
    std::string l(login);
    auto st = c->statement("SELECT " + std::string(kUserColumns) +
                           ", password_algorithm, password_iterations, password_salt, password_hash"
                           " FROM users WHERE login = $1");
    c->run(Access::read, [&] { st, use(l), into(rows), into(alg), into(iterations), into(salt), into(hash), now; });
    c.reset();  // the connection goes back to the pool before the slow part
    if (rows.empty()) {
        verify_password(password, dummy);
        return std::nullopt;
    }
    const PasswordHash stored{alg[0], iterations[0], salt[0], hash[0]};
    const bool ok = verify_password(password, stored);
    if (!ok || rows[0].disabled) return std::nullopt;
    return to_user(rows[0]);
}

std::vector<Municipality> Accounts::municipalities() {
    auto c = db_->connect();
    std::vector<std::string> ids, names;
    std::vector<Poco::Int64> versions;
    c->run(Access::read, [&] {
        c->session() << "SELECT id, name, version FROM municipalities ORDER BY id", into(ids), into(names),
            into(versions), now;
    });
    std::vector<Municipality> out;
    for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], names[i], versions[i]});
    return out;
}

std::optional<Municipality> Accounts::municipality(std::string_view id) {
    auto c = db_->connect();
    // On every change the region's roles ask of a municipality (auth.cpp's scope check; a GET learns
    // it exists from the versions read with the caller).
    const store::Rows r = c->query("SELECT name, version FROM municipalities WHERE id = $1", {id});
    if (r.empty()) return std::nullopt;
    return Municipality{std::string(id), r.at(0, 0), r.integer(0, 1)};
}

Municipality Accounts::create_municipality(const std::string& id, const std::string& name, const Actor& actor) {
    if (!valid_parameter("municipality", id)) {
        throw Error(ErrorId::data_bad_value, "", {}, "$.id",
                    "код муниципалитета «" + id + "»: строчные латинские буквы, цифры, «-» и «_», не длиннее 64 символов");
    }
    check_name(name, "$.name");
    auto c = db_->connect();
    c->begin("");
    Poco::Int64 at = now_seconds();
    std::string m = id, n = name;
    try {
        auto st = c->statement(
            "INSERT INTO municipalities (id, name, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)");
        st, use(m), use(n), use(at), now;
    } catch (const Poco::Exception& e) {
        if (Connection::is_unique_violation(e)) {
            throw Error(ErrorId::record_exists, "", {}, "$.id", "муниципалитет «" + id + "» уже есть");
        }
        c->fail(e, Access::write);
    }
    const Municipality created{id, name, 1};
    write_audit(*c, actor, "municipality.create", "municipality:" + id, Json::object(), created.json());
    c->commit();
    return created;
}

Municipality Accounts::update_municipality(std::string_view id, const std::string& name, std::int64_t version,
                                           const Actor& actor) {
    check_name(name, "$.name");
    auto c = db_->connect();
    c->begin("");
    const std::string target = "municipality:" + std::string(id);
    std::vector<std::string> names;
    std::vector<Poco::Int64> versions;
    std::string m(id), n = name;
    auto read = [&] {
        names.clear();
        versions.clear();
        auto st = c->statement("SELECT name, version FROM municipalities WHERE id = $1");
        c->run(Access::read, [&] { st, use(m), into(names), into(versions), now; });
        if (names.empty()) not_found("муниципалитет «" + m + "»");
        return Municipality{m, names[0], versions[0]};
    };
    const Municipality cur = read();
    if (cur.version != version) conflict(*c, target, version, cur.json());
    Poco::Int64 at = now_seconds(), asked = version;
    std::vector<Poco::Int64> got;
    auto st = c->statement(
        "UPDATE municipalities SET name = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4"
        " RETURNING version");
    c->run(Access::write, [&] { st, use(n), use(at), use(m), use(asked), into(got), now; });
    if (got.empty()) conflict(*c, target, version, read().json());
    const Municipality after{m, n, got[0]};
    write_audit(*c, actor, "municipality.update", target, cur.json(), after.json());
    c->commit();
    return after;
}

Region Accounts::region() {
    auto c = db_->connect();
    Region r;
    Poco::Int64 version = 0, count = 0;
    c->run(Access::read, [&] {
        c->session() << "SELECT name, version FROM region WHERE id = 1", into(r.name), into(version), now;
        c->session() << "SELECT count(*) FROM municipalities", into(count), now;
    });
    r.version = version;
    r.municipalities = count;
    return r;
}

Region Accounts::update_region(const std::string& name, std::int64_t version, const Actor& actor) {
    check_name(name, "$.name");
    const Region cur = region();
    auto c = db_->connect();
    c->begin("");
    Poco::Int64 at = now_seconds(), asked = version;
    std::string n = name;
    std::vector<Poco::Int64> got;
    auto st = c->statement(
        "UPDATE region SET name = $1, version = version + 1, updated_at = $2 WHERE id = 1 AND version = $3"
        " RETURNING version");
    c->run(Access::write, [&] { st, use(n), use(at), use(asked), into(got), now; });
    if (got.empty()) {
        c->rollback();
        const Region fresh = region();
        auto r = db_->connect();
        conflict(*r, "region", version, fresh.json());
    }
    Region after = cur;
    after.name = name;
    after.version = got[0];
    write_audit(*c, actor, "region.update", "region", Json{{"name", cur.name}, {"version", cur.version}},
                Json{{"name", after.name}, {"version", after.version}});
    c->commit();
    return after;
}

Json Accounts::audit(std::int64_t before, int limit) {
    auto c = db_->connect();
    std::vector<Poco::Int64> ids, ats;
    std::vector<std::string> actors, addresses, actions, targets, befores, afters;
    Poco::Int64 b = before, n = limit;
    auto st = c->statement(
        "SELECT id, at, actor, address, action, target, before_json, after_json FROM audit"
        " WHERE ($1 = 0 OR id < $1) ORDER BY id DESC LIMIT $2");
    c->run(Access::read, [&] {
        st, use(b), use(n), into(ids), into(ats), into(actors), into(addresses), into(actions), into(targets),
            into(befores), into(afters), now;
    });
    Json items = Json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        items.push_back(Json{{"id", ids[i]},
                             {"at", ats[i]},
                             {"actor", actors[i]},
                             {"address", addresses[i]},
                             {"action", actions[i]},
                             {"target", targets[i]},
                             {"before", Json::parse(befores[i], nullptr, false)},
                             {"after", Json::parse(afters[i], nullptr, false)}});
    }
    return items;
}

std::string Accounts::stored_secret() {
    auto c = db_->connect();
    auto read = [&] {
        std::vector<std::string> v;
        c->run(Access::read, [&] { c->session() << "SELECT value FROM server_meta WHERE key = 'secret'", into(v), now; });
        return v;
    };
    auto v = read();
    if (!v.empty()) return v[0];
    std::string fresh = random_token(48);
    // Servers starting together: the first insert wins, the others read it.
    auto st = c->statement("INSERT INTO server_meta (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING");
    c->run(Access::write, [&] { st, use(fresh), now; });
    v = read();
    return v.at(0);
}

}  // namespace ppko::server
