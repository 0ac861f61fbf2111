#include "server/upload_store.h"

#include "server/accounts.h"

namespace ppko::server {

using store::Access;
using store::Blob;

void UploadStore::put(const PendingUpload& u) {
    const std::int64_t at = now_seconds();
    auto c = db_->connect();
    c->begin("");
    c->query("DELETE FROM pending_uploads WHERE created_at < $1", {at - kKeptSeconds}, Access::write);
    c->query("INSERT INTO pending_uploads (id, municipality, owner, filename, options_json, bytes, created_at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7)",
             {u.id, u.municipality, u.owner, u.filename, u.options_json, Blob{u.bytes}, at}, Access::write);
    c->commit();
}

std::optional<PendingUpload> UploadStore::get(std::string_view id, std::string_view municipality,
                                              std::string_view owner) {
    const store::Rows r = db_->connect()->query(
        "SELECT filename, options_json, bytes FROM pending_uploads WHERE id = $1 AND municipality = $2"
        " AND owner = $3 AND created_at >= $4",
        {id, municipality, owner, now_seconds() - kKeptSeconds});
    if (r.empty()) return std::nullopt;
    return PendingUpload{std::string(id), std::string(municipality), std::string(owner), r.at(0, 0), r.at(0, 1),
                         r.at(0, 2)};
}

void UploadStore::remove(std::string_view id) {
    db_->connect()->query("DELETE FROM pending_uploads WHERE id = $1", {id}, Access::write);
}

std::size_t UploadStore::count() {
    return static_cast<std::size_t>(db_->connect()->query("SELECT count(*) FROM pending_uploads", {}).integer(0, 0));
}

}  // namespace ppko::server
