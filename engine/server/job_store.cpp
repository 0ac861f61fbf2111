#include "server/job_store.h"

#include <algorithm>
#include <ostream>

#include "server/accounts.h"

namespace ppko::server {
namespace {

using store::Access;
using store::Blob;

constexpr std::size_t kPartBytes = 8u << 20;  // a zip is stored in parts of this size

constexpr std::string_view kColumns = "id, municipality, owner, state, done, total, error, heartbeat_at";

JobStatus row_status(const store::Rows& r, std::size_t i) {
    JobStatus s;
    s.id = r.at(i, 0);
    s.municipality = r.at(i, 1);
    s.owner = r.at(i, 2);
    s.state = r.at(i, 3);
    s.done = static_cast<std::size_t>(r.integer(i, 4));
    s.total = static_cast<std::size_t>(r.integer(i, 5));
    (s.state == "done" ? s.note : s.error) = r.at(i, 6);
    return s;
}

}  // namespace

Json JobStatus::json() const {
    Json j{{"id", id},       {"municipality", municipality}, {"scope", region_wide() ? "region" : "municipality"},
           {"state", state}, {"done", done},                 {"total", total}};
    if (!error.empty()) j["error"] = error;
    if (!note.empty()) j["note"] = note;
    return j;
}

JobStore::JobStore(std::shared_ptr<store::Database> db, std::string server, std::int64_t stale_seconds)
    : db_(std::move(db)), server_(std::move(server)), stale_(stale_seconds) {}

void JobStore::create(const JobStatus& s, const std::string& request_json) {
    const std::int64_t at = now_seconds();
    db_->connect()->query(
        "INSERT INTO jobs (id, municipality, owner, state, done, total, error, request_json, server, created_at,"
        " heartbeat_at, result_bytes) VALUES ($1, $2, $3, 'queued', 0, 0, '', $4, $5, $6, $6, 0)",
        {s.id, s.municipality, s.owner, request_json, server_, at}, Access::write);
}

void JobStore::progress(std::string_view id, std::size_t done, std::size_t total) {
    db_->connect()->query(
        "UPDATE jobs SET state = 'running', done = $1, total = $2, heartbeat_at = $3 WHERE id = $4 AND server = $5"
        " AND state IN ('queued', 'running')",
        {static_cast<std::int64_t>(done), static_cast<std::int64_t>(total), now_seconds(), id, server_}, Access::write);
}

void JobStore::finish(std::string_view id, const std::string& error, std::string_view zip, std::size_t total,
                      const std::string& note) {
    auto c = db_->connect();
    c->begin("");
    for (std::size_t at = 0, part = 0; at < zip.size(); at += kPartBytes, ++part) {
        c->query("INSERT INTO job_results (job, part, bytes) VALUES ($1, $2, $3)",
                 {id, static_cast<std::int64_t>(part), Blob{zip.substr(at, kPartBytes)}}, Access::write);
    }
    if (error.empty()) {
        c->query("UPDATE jobs SET state = 'done', done = $1, total = $1, error = $2, heartbeat_at = $3,"
                 " result_bytes = $4 WHERE id = $5",
                 {static_cast<std::int64_t>(total), note, now_seconds(), static_cast<std::int64_t>(zip.size()), id},
                 Access::write);
    } else {
        c->query("UPDATE jobs SET state = 'failed', error = $1, heartbeat_at = $2 WHERE id = $3",
                 {error, now_seconds(), id}, Access::write);
    }
    c->commit();
}

void JobStore::heartbeat() {
    db_->connect()->query("UPDATE jobs SET heartbeat_at = $1 WHERE server = $2 AND state IN ('queued', 'running')",
                          {now_seconds(), server_}, Access::write);
}

void JobStore::abandon(const std::string& error) {
    db_->connect()->query(
        "UPDATE jobs SET state = 'failed', error = $1 WHERE server = $2 AND state IN ('queued', 'running')",
        {error, server_}, Access::write);
}

std::optional<JobStatus> JobStore::get(std::string_view id) {
    auto c = db_->connect();
    const std::string select = "SELECT " + std::string(kColumns) + " FROM jobs WHERE id = $1";
    store::Rows r = c->query(select, {id});
    if (r.empty()) return std::nullopt;
    const std::int64_t stale = now_seconds() - stale_;
    if ((r.at(0, 3) == "queued" || r.at(0, 3) == "running") && r.integer(0, 7) < stale) {
        // A job left by a server that died: failed once, by whichever server reads it first.
        c->query("UPDATE jobs SET state = 'failed', error = $1 WHERE id = $2 AND state IN ('queued', 'running')"
                 " AND heartbeat_at < $3",
                 {"сервер, выполнявший задание, остановился; запустите задание снова", id, stale}, Access::write);
        r = c->query(select, {id});
    }
    return row_status(r, 0);
}

std::optional<std::int64_t> JobStore::result_bytes(std::string_view id) {
    const store::Rows state = db_->connect()->query("SELECT state, result_bytes FROM jobs WHERE id = $1", {id});
    if (state.empty() || state.at(0, 0) != "done") return std::nullopt;
    return state.integer(0, 1);
}

void JobStore::write_result(std::string_view id, std::ostream& out) {
    auto c = db_->connect();
    // Part by part, so that no answer holds more than one part.
    for (std::int64_t part = 0;; ++part) {
        const store::Rows r = c->query_bytes("SELECT bytes FROM job_results WHERE job = $1 AND part = $2", {id, part});
        if (r.empty()) break;
        out.write(r.at(0, 0).data(), static_cast<std::streamsize>(r.at(0, 0).size()));
        if (!out) return;  // the client went away
    }
}

std::size_t JobStore::active() {
    const store::Rows r = db_->connect()->query(
        "SELECT count(*) FROM jobs WHERE server = $1 AND state IN ('queued', 'running')", {server_});
    return static_cast<std::size_t>(r.integer(0, 0));
}

void JobStore::purge() {
    auto c = db_->connect();
    const std::int64_t before = now_seconds() - kKeptSeconds;
    c->begin("");
    c->query("DELETE FROM job_results WHERE job IN (SELECT id FROM jobs WHERE created_at < $1"
             " AND state IN ('done', 'failed'))",
             {before}, Access::write);
    c->query("DELETE FROM jobs WHERE created_at < $1 AND state IN ('done', 'failed')", {before}, Access::write);
    c->commit();
}

}  // namespace ppko::server
