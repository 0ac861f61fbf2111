// Uploads waiting for their confirmation (the import page, issue 12) in the database (table
// pending_uploads, server schema v4): every server of one database can confirm or cancel an upload
// whichever server received it — behind a balancer the two requests rarely reach the same one.
// An upload never confirmed or cancelled is removed a day after it came.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace ppko::server {

struct PendingUpload {
    std::string id;            // 32 hex digits, made by the caller
    std::string municipality;  // where it is to be imported
    std::string owner;         // the login that sent it: only this account sees it
    std::string filename;      // as the browser named it (no folders)
    std::string options_json;  // how to read it (the importer's options, as the caller writes them)
    std::string bytes;         // the file
};

// Thread-safe (each call leases its own connection). Errors are the database's (Connection::fail).
class UploadStore {
public:
    explicit UploadStore(std::shared_ptr<store::Database> db) : db_(std::move(db)) {}

    // Uploads older than this are removed by the next put().
    static constexpr std::int64_t kKeptSeconds = 24 * 3600;

    // Records the upload (created now) and removes the expired ones, in one transaction.
    void put(const PendingUpload& u);
    // The upload `id` when it exists and belongs to `owner` in `municipality`; anyone else's, or one
    // that has expired, is as absent.
    std::optional<PendingUpload> get(std::string_view id, std::string_view municipality, std::string_view owner);
    // Removes the upload (nothing when it is not there).
    void remove(std::string_view id);
    // How many uploads wait (for tests and health).
    std::size_t count();

private:
    std::shared_ptr<store::Database> db_;
};

}  // namespace ppko::server
