#include "server/workspace_files.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "server/failpoint.h"
#include "text/utf8.h"

namespace ppko::server {
namespace {

using namespace Poco::Data::Keywords;
using store::Access;
using store::Connection;

std::string target_of(std::string_view municipality, std::string_view name) {
    return "file:" + std::string(municipality) + "/" + std::string(name);
}

// The audit rows' picture of a file: its version and text (the text as a JSON string keeps it
// byte for byte, whatever it holds).
Json audit_json(const DataFile& f) { return Json{{"name", f.name}, {"version", f.version}, {"content", f.content}}; }

void check_name(std::string_view name) {
    if (!valid_file_name(name)) {
        throw Error(ErrorId::data_bad_value, std::string(kBodyName), {}, "$.name",
                    "имя файла данных «" + std::string(text::utf8_prefix(name, 80)) +
                        "»: строчные латинские буквы, цифры, «-» и «_», затем .json (например, facts.json), "
                        "или то же после workflows/ для методики муниципалитета (workflows/identification.json)");
    }
}

void check_content(std::string_view name, const std::string& content) {
    std::size_t bad = 0;
    if (!text::is_valid_utf8(content, &bad) || content.find('\0') != std::string::npos) {
        throw Error(ErrorId::json_encoding, std::string(name), {}, "",
                    "текст файла не в кодировке UTF-8 или содержит нулевой байт (байт " + std::to_string(bad) + ")");
    }
}

std::optional<DataFile> select_file(Connection& c, std::string_view municipality, std::string_view name) {
    std::string m(municipality), n(name);
    std::vector<std::string> content;
    std::vector<Poco::Int64> version, updated;
    auto st = c.statement("SELECT content, version, updated_at FROM workspace_files WHERE municipality = $1 AND name = $2");
    c.run(Access::read, [&] { st, use(m), use(n), into(content), into(version), into(updated), now; });
    if (content.empty()) return std::nullopt;
    DataFile f{n, std::move(content[0]), version[0], updated[0], 0};
    f.bytes = static_cast<std::int64_t>(f.content.size());
    return f;
}

// Top-level keys whose values differ between two JSON texts (all when either is not an object).
std::vector<std::string> changed_keys(const std::string& a, const std::string& b) {
    const Json x = Json::parse(a, nullptr, false), y = Json::parse(b, nullptr, false);
    if (!x.is_object() || !y.is_object()) return {"*"};
    std::set<std::string> keys;
    for (const auto& [k, v] : x.items()) if (!y.contains(k) || y[k] != v) keys.insert(k);
    for (const auto& [k, v] : y.items()) if (!x.contains(k)) keys.insert(k);
    return {keys.begin(), keys.end()};
}

// A stale edit of `name`: who changed it after `asked` and what differs now.
[[noreturn]] void file_conflict(Connection& c, std::string_view municipality, std::string_view name, std::int64_t asked,
                                const std::optional<DataFile>& current, const std::string& attempted) {
    std::string t = target_of(municipality, name);
    std::vector<std::string> actors, after;
    auto st = c.statement("SELECT actor, after_json FROM audit WHERE target = $1 ORDER BY id");
    c.run(Access::read, [&] { st, use(t), into(actors), into(after), now; });
    std::set<std::string> by;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const Json a = Json::parse(after[i], nullptr, false);
        if (a.is_object() && a.value("version", std::int64_t{0}) > asked) by.insert(actors[i]);
    }
    const std::int64_t now_version = current ? current->version : 0;
    std::vector<std::string> keys = current ? changed_keys(attempted, current->content) : std::vector<std::string>{};
    std::string who, list;
    for (const auto& b : by) who += (who.empty() ? "" : ", ") + b;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    throw HttpError(ErrorId::record_conflict,
                    "файл «" + std::string(name) + "» изменён другим пользователем" + (who.empty() ? "" : " (" + who + ")") +
                        ": в запросе версия " + std::to_string(asked) + ", а сейчас " +
                        (current ? std::to_string(now_version) : std::string("файла нет")) +
                        (list.empty() ? std::string() : "; отличаются разделы: " + list) +
                        "; перечитайте файл и повторите изменение",
                    Json{{"current", current ? current->json(false) : Json(nullptr)},
                         {"changed", keys},
                         {"changed_by", std::vector<std::string>(by.begin(), by.end())}});
}

void raise_data_version(Connection& c, std::string_view municipality) {
    std::string m(municipality);
    std::vector<Poco::Int64> got;
    auto st = c.statement("UPDATE municipalities SET data_version = data_version + 1 WHERE id = $1 RETURNING data_version");
    c.run(Access::write, [&] { st, use(m), into(got), now; });
    if (got.empty()) throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитета «" + m + "» нет");
}

// Takes the municipality's row lock inside `c`'s transaction without changing the row (SQLite:
// BEGIN IMMEDIATE already holds the file's); server.not_found when there is no such municipality.
void lock_municipality(Connection& c, std::string_view municipality) {
    std::string m(municipality);
    std::vector<Poco::Int64> got;
    auto st = c.statement(c.dialect() == store::Dialect::postgresql
                              ? "SELECT data_version FROM municipalities WHERE id = $1 FOR UPDATE"
                              : "SELECT data_version FROM municipalities WHERE id = $1");
    c.run(Access::write, [&] { st, use(m), into(got), now; });
    if (got.empty()) throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитета «" + m + "» нет");
}

// The facts of a facts.json text by their natural key (school, date, fact); none when it does not
// parse (the caller checked the whole folder before writing, so a stored text parses).
std::set<std::tuple<std::string, std::string, std::string>> fact_keys(const std::string& text) {
    std::set<std::tuple<std::string, std::string, std::string>> keys;
    const Json doc = Json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc.contains("facts") || !doc["facts"].is_array()) return keys;
    for (const auto& f : doc["facts"]) {
        if (!f.is_object()) continue;
        const auto text_of = [&](const char* k) { return f.contains(k) && f[k].is_string() ? f[k].get<std::string>() : std::string(); };
        keys.emplace(text_of("school"), text_of("date"), text_of("fact"));
    }
    return keys;
}

// Who recorded the facts a change of facts.json adds (in `c`'s transaction, with the change).
void record_fact_authors(Connection& c, std::string_view municipality, const std::string& before, const std::string& after,
                         const Actor& actor, Poco::Int64 at) {
    const auto had = fact_keys(before);
    for (const auto& [school, date, fact] : fact_keys(after)) {
        if (had.count({school, date, fact})) continue;
        c.query("INSERT INTO fact_authors (municipality, school, date, fact, actor, at) VALUES ($1, $2, $3, $4, $5, $6) "
                "ON CONFLICT (municipality, school, date, fact) DO UPDATE SET actor = excluded.actor, at = excluded.at",
                {municipality, school, date, fact, actor.login, static_cast<std::int64_t>(at)}, Access::write);
    }
}

// Writes `content` as `name` on `c` inside its transaction: created when `version` is 0, else
// updated from `version`. Returns the record as written.
DataFile write_file(Connection& c, std::string_view municipality, std::string_view name, const std::string& content,
                    std::int64_t version, const Actor& actor) {
    const auto cur = select_file(c, municipality, name);
    if ((version == 0) != !cur || (cur && cur->version != version)) file_conflict(c, municipality, name, version, cur, content);
    std::string m(municipality), n(name), text = content;
    Poco::Int64 at = now_seconds(), asked = version;
    DataFile after{n, content, version + 1, at, static_cast<std::int64_t>(content.size())};
    if (!cur) {
        auto st = c.statement(
            "INSERT INTO workspace_files (municipality, name, content, version, updated_at) VALUES ($1, $2, $3, 1, $4)");
        c.run(Access::write, [&] { st, use(m), use(n), use(text), use(at), now; });
    } else {
        std::vector<Poco::Int64> got;
        auto st = c.statement(
            "UPDATE workspace_files SET content = $1, version = version + 1, updated_at = $2"
            " WHERE municipality = $3 AND name = $4 AND version = $5 RETURNING version");
        c.run(Access::write, [&] { st, use(text), use(at), use(m), use(n), use(asked), into(got), now; });
        if (got.empty()) file_conflict(c, municipality, name, version, select_file(c, municipality, name), content);
    }
    write_audit(c, actor, cur ? "file.update" : "file.create", target_of(municipality, name),
                cur ? audit_json(*cur) : Json::object(), audit_json(after));
    if (name == kFactsFile) record_fact_authors(c, municipality, cur ? cur->content : std::string(), content, actor, at);
    return after;
}

void delete_file(Connection& c, std::string_view municipality, const DataFile& cur, const Actor& actor) {
    std::string m(municipality), n = cur.name;
    Poco::Int64 v = cur.version;
    auto st = c.statement("DELETE FROM workspace_files WHERE municipality = $1 AND name = $2 AND version = $3");
    c.run(Access::write, [&] { st, use(m), use(n), use(v), now; });
    write_audit(c, actor, "file.delete", target_of(municipality, cur.name), audit_json(cur), Json::object());
}

std::vector<DataFile> read_all(Connection& c, std::string_view municipality, bool with_content) {
    std::string m(municipality);
    std::vector<std::string> names, content;
    std::vector<Poco::Int64> version, updated, bytes;
    auto st = c.statement(with_content
                              ? "SELECT name, content, version, updated_at, length(content) FROM workspace_files"
                                " WHERE municipality = $1 ORDER BY name"
                              : "SELECT name, '', version, updated_at, length(content) FROM workspace_files"
                                " WHERE municipality = $1 ORDER BY name");
    c.run(Access::read, [&] { st, use(m), into(names), into(content), into(version), into(updated), into(bytes), now; });
    std::vector<DataFile> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out.push_back(DataFile{names[i], std::move(content[i]), version[i], updated[i], bytes[i]});
        if (with_content) out.back().bytes = static_cast<std::int64_t>(out.back().content.size());
    }
    return out;
}

std::int64_t read_data_version(Connection& c, std::string_view municipality) {
    // Asked on every request of a municipality's domain (the service caches by it).
    const store::Rows r = c.query("SELECT data_version FROM municipalities WHERE id = $1", {municipality});
    if (r.empty()) throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитета «" + std::string(municipality) + "» нет");
    return r.integer(0, 0);
}

}  // namespace

namespace {

// "facts.json": ^[a-z0-9][a-z0-9_-]{0,63}\.json$
bool valid_leaf_name(std::string_view name) {
    if (name.size() < 6 || name.size() > 69 || !name.ends_with(".json")) return false;
    const std::string_view stem = name.substr(0, name.size() - 5);
    auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; };
    if (stem.empty() || stem[0] == '_' || stem[0] == '-') return false;
    return std::all_of(stem.begin(), stem.end(), ok);
}

}  // namespace

bool valid_file_name(std::string_view name) {
    if (name.starts_with(kMethodologyFolder)) return valid_leaf_name(name.substr(kMethodologyFolder.size()));
    return valid_leaf_name(name);
}

Json DataFile::json(bool with_content) const {
    Json j{{"name", name}, {"version", version}, {"updated_at", updated_at}, {"bytes", bytes}};
    if (with_content) j["content"] = content;
    return j;
}

std::vector<DataFile> WorkspaceFiles::list(std::string_view municipality) {
    auto c = db_->connect();
    return read_all(*c, municipality, false);
}

std::vector<DataFile> WorkspaceFiles::all(std::string_view municipality, std::int64_t* data_version) {
    auto c = db_->connect();
    // One read transaction on SQLite (a snapshot); on PostgreSQL the files and the version are
    // read under the municipality's row lock, which every writer takes first.
    c->begin("");
    if (c->dialect() == store::Dialect::postgresql) {
        std::string m(municipality);
        auto st = c->statement("SELECT id FROM municipalities WHERE id = $1 FOR SHARE");
        c->run(Access::read, [&] { st, use(m), now; });
    }
    const std::int64_t v = read_data_version(*c, municipality);
    auto files = read_all(*c, municipality, true);
    c->commit();
    if (data_version) *data_version = v;
    return files;
}

std::optional<DataFile> WorkspaceFiles::get(std::string_view municipality, std::string_view name) {
    if (!valid_file_name(name)) return std::nullopt;
    auto c = db_->connect();
    return select_file(*c, municipality, name);
}

std::int64_t WorkspaceFiles::data_version(std::string_view municipality) {
    auto c = db_->connect();
    return read_data_version(*c, municipality);
}

std::string_view WorkspaceFiles::versions_columns() {
    // The data version (-1: no such municipality) and the store's state version ("0" before the
    // first advance; the store's meta table is in the same database, by tenant).
    return "COALESCE((SELECT data_version FROM municipalities WHERE id = $1), -1), "
           "COALESCE((SELECT value FROM meta WHERE tenant = $1 AND key = 'state_version'), '0')";
}

std::optional<WorkspaceFiles::Versions> WorkspaceFiles::versions_at(const store::Rows& row, std::size_t first_column) {
    const std::int64_t data = row.integer(0, first_column);
    if (data < 0) return std::nullopt;
    return Versions{data, row.at(0, first_column + 1)};
}

WorkspaceFiles::Versions WorkspaceFiles::versions(std::string_view municipality) {
    if (const Versions* known = KnownVersions::find(*this, municipality)) return *known;
    static const std::string sql = "SELECT " + std::string(versions_columns());
    auto c = db_->connect();
    const auto v = versions_at(c->query(sql, {municipality}), 0);
    if (!v) throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитета «" + std::string(municipality) + "» нет");
    return *v;
}

namespace {
thread_local KnownVersions* innermost_known = nullptr;
}  // namespace

KnownVersions::KnownVersions(const WorkspaceFiles& files, std::string municipality, WorkspaceFiles::Versions versions)
    : files_(&files), municipality_(std::move(municipality)), versions_(std::move(versions)), outer_(innermost_known) {
    innermost_known = this;
}

KnownVersions::~KnownVersions() { innermost_known = outer_; }

const WorkspaceFiles::Versions* KnownVersions::find(const WorkspaceFiles& files, std::string_view municipality) {
    for (const KnownVersions* k = innermost_known; k != nullptr; k = k->outer_) {
        if (k->files_ == &files && k->municipality_ == municipality) return &k->versions_;
    }
    return nullptr;
}

DataFile WorkspaceFiles::put(std::string_view municipality, std::string_view name, const std::string& content,
                             std::int64_t version, const Actor& actor) {
    check_name(name);
    check_content(name, content);
    auto c = db_->connect();
    c->begin("");
    raise_data_version(*c, municipality);  // first: the municipality's row lock orders writers
    DataFile f = write_file(*c, municipality, name, content, version, actor);
    failpoint("files.put");
    c->commit();
    return f;
}

void WorkspaceFiles::remove(std::string_view municipality, std::string_view name, std::int64_t version,
                            const Actor& actor) {
    check_name(name);
    auto c = db_->connect();
    c->begin("");
    raise_data_version(*c, municipality);
    const auto cur = select_file(*c, municipality, name);
    if (!cur) throw Error(ErrorId::server_not_found, "", {}, "", "файла «" + std::string(name) + "» нет");
    if (cur->version != version) file_conflict(*c, municipality, name, version, cur, cur->content);
    delete_file(*c, municipality, *cur, actor);
    c->commit();
}

WorkspaceFiles::Before WorkspaceFiles::before_change(std::string_view municipality, std::string_view name,
                                                     std::int64_t version, std::string_view login) {
    check_name(name);
    auto c = db_->connect();
    const auto cur = select_file(*c, municipality, name);
    if (!cur || cur->version != version) {
        throw HttpError(ErrorId::record_conflict,
                        "файл «" + std::string(name) + "» изменён после этого изменения" +
                            (cur ? " (сейчас версия " + std::to_string(cur->version) + ")" : std::string(" (его нет)")) +
                            "; отменить его нельзя, не потеряв более поздние",
                        Json{{"current", cur ? cur->json(false) : Json(nullptr)}});
    }
    // The change that made this version: the newest audit row of the file (every change writes one).
    const store::Rows r = c->query(
        "SELECT actor, before_json, after_json FROM audit WHERE target = $1 ORDER BY id DESC LIMIT 1",
        {target_of(municipality, name)});
    const Json after = r.empty() ? Json() : Json::parse(r.at(0, 2), nullptr, false);
    if (r.empty() || r.at(0, 0) != login || !after.is_object() || after.value("version", std::int64_t{0}) != version) {
        throw Error(ErrorId::server_not_found, "", {}, "",
                    "изменения файла «" + std::string(name) + "», которое можно отменить, нет");
    }
    const Json before = Json::parse(r.at(0, 1), nullptr, false);
    if (!before.is_object() || !before.contains("content")) return Before{};
    return Before{before["content"].get<std::string>()};
}

std::vector<WorkspaceFiles::FileChange> WorkspaceFiles::changes(std::string_view municipality, std::int64_t before, int limit) {
    auto c = db_->connect();
    const std::string prefix = target_of(municipality, "");
    // substr, not LIKE: «_» in a municipality's code is a LIKE wildcard.
    const store::Rows r = c->query(
        "SELECT id, at, actor, action, target FROM audit WHERE substr(target, 1, $1) = $2 AND ($3 = 0 OR id < $3) "
        "ORDER BY id DESC LIMIT $4",
        {static_cast<std::int64_t>(prefix.size()), prefix, before, static_cast<std::int64_t>(limit)});
    std::vector<FileChange> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
        out.push_back(FileChange{r.integer(i, 0), r.integer(i, 1), r.at(i, 2), r.at(i, 3), r.at(i, 4).substr(prefix.size())});
    }
    return out;
}

std::vector<std::string> WorkspaceFiles::with_own_methodology() {
    auto c = db_->connect();
    // A range on the primary key's second column would need the first; names are few per
    // municipality, and the content is not read.
    const store::Rows r = c->query("SELECT DISTINCT municipality FROM workspace_files WHERE substr(name, 1, $1) = $2",
                                   {static_cast<std::int64_t>(kMethodologyFolder.size()), kMethodologyFolder});
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.at(i, 0));
    std::sort(out.begin(), out.end());  // byte order whatever the database's collation
    return out;
}

std::map<std::pair<std::string, std::string>, WorkspaceFiles::Change> WorkspaceFiles::fact_authors(
    std::string_view municipality, std::string_view school) {
    auto c = db_->connect();
    const store::Rows r = c->query("SELECT date, fact, actor, at FROM fact_authors WHERE municipality = $1 AND school = $2",
                                   {municipality, school});
    std::map<std::pair<std::string, std::string>, Change> out;
    for (std::size_t i = 0; i < r.size(); ++i) out[{r.at(i, 0), r.at(i, 1)}] = Change{r.at(i, 2), r.integer(i, 3)};
    return out;
}

std::optional<WorkspaceFiles::Change> WorkspaceFiles::last_change(std::string_view municipality, std::string_view name) {
    check_name(name);
    auto c = db_->connect();
    const store::Rows r = c->query("SELECT actor, at FROM audit WHERE target = $1 ORDER BY id DESC LIMIT 1",
                                   {target_of(municipality, name)});
    if (r.empty()) return std::nullopt;
    return Change{r.at(0, 0), r.integer(0, 1)};
}

ImportResult WorkspaceFiles::import_folder(std::string_view municipality, const std::filesystem::path& dir,
                                           const Actor& actor) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(ErrorId::io_read, dir.string(), {}, "", "папки данных нет или это не папка");
    ImportResult r;
    std::map<std::string, std::string> texts;
    // The top-level files and the municipality's own methodology in workflows/ (as the workspace
    // loader reads them); anything else is named as skipped.
    auto read_level = [&](const fs::path& folder, const std::string& prefix) {
        for (const auto& e : fs::directory_iterator(folder, ec)) {
            const std::string n = prefix + e.path().filename().string();
            if (e.is_regular_file() && valid_file_name(n)) {
                texts[n] = io::read_file(e.path());
                check_content((dir / n).string(), texts[n]);
            } else if (prefix.empty() && n + "/" == kMethodologyFolder && e.is_directory()) {
                continue;
            } else {
                r.skipped.push_back(e.is_directory() ? n + "/" : n);
            }
        }
        if (ec) throw Error(ErrorId::io_read, folder.string(), {}, "", "папку не удаётся прочитать: " + ec.message());
    };
    read_level(dir, "");
    if (fs::is_directory(dir / kMethodologyFolder, ec)) read_level(dir / kMethodologyFolder, std::string(kMethodologyFolder));
    std::sort(r.skipped.begin(), r.skipped.end());
    auto c = db_->connect();
    c->begin("");
    lock_municipality(*c, municipality);  // first, as put() does: the row lock orders writers
    std::map<std::string, DataFile> have;
    for (auto& f : read_all(*c, municipality, true)) have.emplace(f.name, std::move(f));
    for (const auto& [name, text] : texts) {
        const auto it = have.find(name);
        if (it == have.end()) {
            write_file(*c, municipality, name, text, 0, actor), ++r.created;
        } else if (it->second.content != text) {
            write_file(*c, municipality, name, text, it->second.version, actor), ++r.updated;
        } else {
            ++r.unchanged;
        }
    }
    for (const auto& [name, f] : have) {
        if (!texts.count(name)) delete_file(*c, municipality, f, actor), ++r.removed;
    }
    // The data version moves only when a file did: an import of the same folder changes nothing,
    // so every server keeps its loaded model.
    if (r.created + r.updated + r.removed > 0) raise_data_version(*c, municipality);
    r.data_version = read_data_version(*c, municipality);
    c->commit();
    return r;
}

std::vector<std::filesystem::path> WorkspaceFiles::export_folder(std::string_view municipality,
                                                                 const std::filesystem::path& dir) {
    const auto files = all(municipality);
    io::ensure_directory(dir);
    io::OutputTransaction out;
    std::vector<std::filesystem::path> written;
    for (const auto& f : files) {
        written.push_back(dir / f.name);
        io::ensure_directory(written.back().parent_path());  // workflows/
        out.write(written.back(), f.content);
    }
    out.commit();
    return written;
}

}  // namespace ppko::server
