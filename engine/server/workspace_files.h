// A municipality's data in the database: each file a workspace folder holds (workspace.json,
// schools.json, facts.json …, the top-level *.json) is one record with its exact text and a
// version; every change is made in one transaction with its audit row (who, when, before, after)
// and raises the municipality's data version, by which the service layer caches what it loaded.
// Import from a folder and export to one are a byte-identical round trip of the JSON.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/accounts.h"
#include "store/database.h"

namespace ppko::server {

struct DataFile {
    std::string name;         // "facts.json"
    std::string content;      // the file's exact text (empty in listings)
    std::int64_t version = 0; // 1 when made, raised by every change
    std::int64_t updated_at = 0;
    std::int64_t bytes = 0;
    Json json(bool with_content) const;  // {"name", "version", "updated_at", "bytes"[, "content"]}
};

// The sub-folder of a workspace whose files override the built-in methodology (the identification
// table, the workflow): a municipality's own version of them.
inline constexpr std::string_view kMethodologyFolder = "workflows/";
// The data file facts are recorded in.
inline constexpr std::string_view kFactsFile = "facts.json";

// Whether `name` may be a data file's record: ^[a-z0-9][a-z0-9_-]{0,63}\.json$, or the same after
// "workflows/" (so it never names anything but one file inside the municipality's own folder or
// its methodology sub-folder).
bool valid_file_name(std::string_view name);

struct ImportResult {
    std::size_t created = 0, updated = 0, removed = 0, unchanged = 0;
    std::vector<std::string> skipped;  // files of the folder that are not data files (README.md …)
    std::int64_t data_version = 0;
};

// Thread-safe (each call leases its own connection).
class WorkspaceFiles {
public:
    explicit WorkspaceFiles(std::shared_ptr<store::Database> db) : db_(std::move(db)) {}

    // The files of `municipality` by name, without content.
    std::vector<DataFile> list(std::string_view municipality);
    // Every file with its content, and the data version they are of (read in one transaction).
    std::vector<DataFile> all(std::string_view municipality, std::int64_t* data_version = nullptr);
    std::optional<DataFile> get(std::string_view municipality, std::string_view name);
    // The municipality's data version: 0 before any file, raised by every change of any file.
    std::int64_t data_version(std::string_view municipality);
    // The data version and the municipality's store's "state_version" ("0" before the first
    // advance) read in one statement: what every request of a municipality's domain asks first.
    struct Versions {
        std::int64_t data = 0;
        std::string state;
    };
    // On this thread inside a KnownVersions scope of this municipality: those, with no round trip.
    Versions versions(std::string_view municipality);
    // The columns that read a municipality's versions as versions() does, inside another statement
    // (its id is placeholder $1), and the versions from such a row: nullopt when no municipality has
    // that id. auth.cpp reads them in the statement that finds the caller.
    static std::string_view versions_columns();
    static std::optional<Versions> versions_at(const store::Rows& row, std::size_t first_column);

    // Creates (`version` 0: the file must not exist) or replaces (`version`: the one read) a
    // file. A stale version → record.conflict (409) with the current record's version, who
    // changed it since and the top-level keys that differ; an unknown name → data.bad_value;
    // text that is not UTF-8 or holds NUL → json.encoding. The content is checked by the caller.
    DataFile put(std::string_view municipality, std::string_view name, const std::string& content,
                 std::int64_t version, const Actor& actor);
    // Removes a file at `version` (record.conflict when stale, server.not_found when absent).
    void remove(std::string_view municipality, std::string_view name, std::int64_t version, const Actor& actor);

    // What `name` was before the change that made its version `version`, when that change is the
    // file's latest and `login` made it (the page's «Вернуть как было» right after an import or a
    // recorded fact): the earlier text, or nullopt inside when that change created the file.
    // record.conflict when the file has changed since (undoing would lose that change);
    // server.not_found when `login` made no such change.
    struct Before {
        std::optional<std::string> content;
    };
    Before before_change(std::string_view municipality, std::string_view name, std::int64_t version,
                         std::string_view login);

    // The latest change of `name` (made, replaced or removed): who (the audit log's actor: a login
    // or "cli:<user>") and when (Unix seconds); nullopt when the file was never changed.
    struct Change {
        std::string actor;
        std::int64_t at = 0;
    };
    std::optional<Change> last_change(std::string_view municipality, std::string_view name);
    // The municipality's data changes from the audit log, newest first: `limit` of them, older than
    // the audit row `before` (0: the newest). The texts before and after are not read.
    struct FileChange {
        std::int64_t id = 0, at = 0;
        std::string actor, action, name;  // action: file.create, file.update, file.delete
    };
    std::vector<FileChange> changes(std::string_view municipality, std::int64_t before, int limit);

    // The municipalities that have any file of their own methodology (workflows/…), in one query,
    // sorted (byte order).
    std::vector<std::string> with_own_methodology();
    // Who recorded each fact of `school` and when, by (date ISO, fact id): written with every
    // change of facts.json that adds a fact (an API edit, a recorded fact, an import), so facts
    // stored before the server kept authors (schema version 5) have none.
    std::map<std::pair<std::string, std::string>, Change> fact_authors(std::string_view municipality, std::string_view school);

    // Makes the municipality's files those of `dir` (its top-level *.json and workflows/*.json with
    // valid names; other files and folders are skipped and named), in one transaction: changed files updated, new ones created,
    // missing ones removed, each audited. The data version is raised once, and only when some
    // file was created, updated or removed (importing the same folder again leaves it as it was).
    // io.read when the folder cannot be read.
    ImportResult import_folder(std::string_view municipality, const std::filesystem::path& dir, const Actor& actor);
    // Writes every file into `dir` (created when needed) atomically (io::OutputTransaction);
    // returns the paths written.
    std::vector<std::filesystem::path> export_folder(std::string_view municipality, const std::filesystem::path& dir);

private:
    std::shared_ptr<store::Database> db_;
};

// A municipality's versions already read for the request being handled on this thread: auth.cpp
// reads them with the caller of a GET of the municipality's domain. While the scope lives,
// `files.versions(municipality)` on this thread answers them without a round trip, so a read-only
// request costs one statement before its answer and sees one version of the data throughout.
// Scopes nest (a page calling the API's handlers) and end in reverse order on their own thread.
class KnownVersions {
public:
    KnownVersions(const WorkspaceFiles& files, std::string municipality, WorkspaceFiles::Versions versions);
    ~KnownVersions();
    KnownVersions(const KnownVersions&) = delete;
    KnownVersions& operator=(const KnownVersions&) = delete;

    // The innermost scope's versions of `municipality` for `files` on this thread, or nullptr.
    static const WorkspaceFiles::Versions* find(const WorkspaceFiles& files, std::string_view municipality);

private:
    const WorkspaceFiles* files_;
    std::string municipality_;
    WorkspaceFiles::Versions versions_;
    KnownVersions* outer_;
};

}  // namespace ppko::server
