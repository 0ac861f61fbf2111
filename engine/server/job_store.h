// Batch render jobs in the database (tables jobs and job_results, server schema v3), so that every
// server of one database answers a job's poll and download, whichever server runs it. A job runs
// on the server that accepted it; that server beats its heart on the row while the job is queued
// or running, and a job whose heart stopped (its server died) is reported failed by whoever reads
// it next.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "server/json_api.h"
#include "store/database.h"

namespace ppko::server {

// A batch render job: its state as the client polls it. A municipality's job, or the region's
// (municipality "": every municipality of the region, one folder each — only the region role
// sees it, routes_domain.cpp).
struct JobStatus {
    std::string id;            // 32 hex digits
    std::string municipality;  // "" for the region's job
    std::string state;         // "queued", "running", "done", "failed"
    std::size_t done = 0, total = 0;
    std::string error;         // "failed": the error's line
    std::string note;          // "done" with what was left out (the region's municipalities that failed)
    std::string owner;         // the login that started it
    bool region_wide() const { return municipality.empty(); }
    // {"id", "municipality", "scope": "municipality"|"region", "state", "done", "total"[, "error"][, "note"]}
    Json json() const;
};

// Thread-safe (each call leases its own connection). Errors are the database's (Connection::fail).
class JobStore {
public:
    // `server`: this server instance's name (host, process, random), written on the jobs it runs.
    // A job whose heart has not beaten for `stale_seconds` is failed (its server is gone): every
    // server of one database should use the same value (ServerConfig's limits.job_stale_seconds).
    JobStore(std::shared_ptr<store::Database> db, std::string server, std::int64_t stale_seconds = 30);

    // Finished jobs and their zips are removed this long after they were started.
    static constexpr std::int64_t kKeptSeconds = 24 * 3600;

    const std::string& server() const { return server_; }
    // How often the running server beats the heart of its queued and running jobs: a sixth of
    // the stale time (at least a second).
    std::int64_t heartbeat_seconds() const { return std::max<std::int64_t>(1, stale_ / 6); }

    // Records a new queued job of this server; `request_json` is what it was asked to render.
    void create(const JobStatus& s, const std::string& request_json);
    // Progress of a running job (state "running").
    void progress(std::string_view id, std::size_t done, std::size_t total);
    // The job is finished: "done" with its zip (and `note`, kept in the row's error column, which a
    // done job does not otherwise use), or "failed" with `error` (zip empty).
    void finish(std::string_view id, const std::string& error, std::string_view zip, std::size_t total,
                const std::string& note = {});
    // Beats the heart of this server's queued and running jobs.
    void heartbeat();
    // This server's queued and running jobs, failed with `error` (the server stops).
    void abandon(const std::string& error);
    // The job's state; a queued or running job whose heart stopped is marked failed first.
    std::optional<JobStatus> get(std::string_view id);
    // The size of a finished job's zip, or nullopt when it is not "done"; write_result() then
    // writes it to `out` part by part (one part in memory at a time, BYTEA read as bytes), for a
    // download that does not hold a region's 130 MB zip whole.
    std::optional<std::int64_t> result_bytes(std::string_view id);
    void write_result(std::string_view id, std::ostream& out);
    // This server's jobs that are queued or running.
    std::size_t active();
    // Removes finished jobs started more than kKeptSeconds ago, with their zips.
    void purge();

private:
    std::shared_ptr<store::Database> db_;
    std::string server_;
    std::int64_t stale_;
};

}  // namespace ppko::server
