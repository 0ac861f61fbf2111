// The server's configuration: a JSON file (ppko serve --config FILE) and command-line flags that
// override it. Every problem in the file is reported with its position, as for data files.
//
//   {
//     "listen": "127.0.0.1:8080",
//     "database": "postgresql://ppko@db.region.local/ppko",
//     "secret_file": "/etc/ppko/secret",
//     "threads": 32,
//     "access_log": "/var/log/ppko/access.log",
//     "cookie_secure": true,
//     "trusted_proxies": ["127.0.0.1"],
//     "pdf_instances": 1,
//     "limits": {"max_body": 1048576, "request_timeout": 30, …}
//   }
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ppko::server {

struct Limits {
    std::size_t max_body = 1 << 20;      // bytes of a request body (JSON); larger → 413
    std::size_t max_upload = 32 << 20;   // bytes of an uploaded file (routes of phase 2); larger → 413
    int request_timeout = 30;            // seconds a read or write on a connection may wait
    int keep_alive_timeout = 5;          // seconds an idle keep-alive connection is kept
    int max_keep_alive_requests = 1000;  // requests on one connection
    int max_queued = 512;                // connections waiting for a worker; more are refused
    int session_hours = 12;              // a browser session's lifetime
    int token_max_days = 366;            // the longest API token
    int login_failures_per_login = 5;    // failed logins of one name before it waits (doubling)
    int login_failures_per_address = 30; // failed logins from one address before it waits
    int job_stale_seconds = 30;          // a batch job whose server has not beaten its heart for
                                         // this long is reported failed (the server died)
};

struct ServerConfig {
    std::string file;                    // the configuration file, if any (for messages)
    std::string listen = "127.0.0.1:8080";
    std::string database;                // URL or SQLite path; empty: default_database_path()
    std::string secret_file;             // empty: a secret generated once and kept in the database
    int threads = 32;                    // workers: requests served at once
    std::string access_log = "-";        // "-": standard error; "": none; else a file (appended)
    bool cookie_secure = false;          // Secure on the session cookie (behind HTTPS: true)
    std::vector<std::string> trusted_proxies;  // their X-Forwarded-For names the client
    std::string work_dir;                // loaded data, rendered files, job results; "": default_work_dir()
    int max_jobs = 4;                    // batch render jobs queued or running at once
    int password_iterations = 0;         // 0: passwords.h's kPasswordIterations
    // Running LibreOffice instances that make PDF (0: no PDF on this server). One by default: an
    // office holds some 200–300 MB and a core while it converts, a request converts one document
    // (which one office does as fast as several), and a server's memory stays predictable beside
    // its request threads; more help only batch jobs with PDF.
    int pdf_instances = 1;
    int pdf_queue = 8;                   // PDF requests waiting or converting at once; more → 503
    Limits limits;
};

// Reads `path` over `config` (keys absent from the file keep their values). Throws ppko::Error:
// io.read, json.syntax, data.unknown_key, data.wrong_type, data.bad_value with positions.
void load_config_file(const std::string& path, ServerConfig& config);

// Checks values that flags may also have set (listen address, counts, limits): cli.usage naming
// the option.
void check_config(const ServerConfig& config);

// The SQLite database of a server started without one: <state folder>/server/region.sqlite (the
// state folder as in store.h's default_state_path; a folder, so no workspace name can collide).
std::string default_database_path();

// The server's own folder for files (municipality_service.h): the configured one, else "work"
// beside the SQLite database, else <state folder>/server/work.
std::string default_work_dir(const ServerConfig& config);

}  // namespace ppko::server
