// server_bench: `ppko serve` under concurrent clients on loopback — GET /api/health and an
// authenticated listing (a municipality's programs, bearer token) — on one server over SQLite and
// on two servers over one PostgreSQL database side by side (clients alternate between the two, as
// a round-robin proxy would). Bounded in requests and in time; prints p50 / p90 / p99 / max per
// workload. Phase 2: the sample municipality smolensk imported into the same database and advanced
// through the API, then its dashboard (GET …/status) and a school's status at --clients, one
// document rendered through the API at 10 clients, and its whole package as a batch job. Phase 3:
// the generated region of --region schools (bench/make_region) imported as one municipality,
// advanced through the API, and its annual package as a job (started on one server, polled and
// downloaded on the other when there are two). See bench/README.md («server_bench»).
//
//   server_bench [--clients 100] [--requests 20000] [--seconds 30] [--programs 100] [--threads 128]
//                [--region 40000] [--pg postgresql://…] [--ppko build/engine/cli/ppko] [--wrk SECONDS]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "server/accounts.h"
#include "server/passwords.h"
#include "server/schema.h"
#include "server/workspace_files.h"
#include "store/database.h"
#include "store/store.h"

using namespace ppko;
using namespace ppko::bench;

namespace {

struct Options {
    int clients = 100;
    long requests = 20000;  // per workload and configuration
    double seconds = 30;    // at most, per workload and configuration
    int programs = 100;
    int threads = 128;
    int region = 40000;  // schools of the generated region (0: no phase 3)
    std::string pg;
    std::string ppko = PPKO_EXE;
    double wrk = 0;  // > 0: the status lines also measured by Debian's wrk for this many seconds
};

const std::string kPassword = "bench-password-123";

// Runs `argv` and waits; throws when it fails.
void run_process(const std::vector<std::string>& argv) {
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> a;
        for (const auto& x : argv) a.push_back(const_cast<char*>(x.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("failed: " + argv[0]);
}

// Fills a fresh database: one municipality with `programs` programs (and an event each) and a
// coordinator account; smolensk from the samples; the generated region from `region_dir` when
// not empty.
void prepare(const std::string& location, int programs, const fs::path& region_dir) {
    auto db = store::Database::open(location);
    db->migrate(server::server_schema());
    if (auto c = db->connect(); c->dialect() == store::Dialect::postgresql) {
        // Statistics of the empty tables, as autovacuum takes them on a new server: the worst case
        // for plans a session caches while the tables look small (bench/README.md, phase 7).
        c->exec("ANALYZE", store::Access::write);
    }
    server::Accounts acc(db, server::kPasswordIterations);
    const server::Actor actor{"bench", "local"};
    acc.create_municipality("bench", "Район для замеров", actor);
    acc.create_user({"coord", "Координатор", server::Role::coordinator, "bench", "", kPassword}, actor);
    acc.create_municipality("smolensk", "город Смоленск", actor);
    acc.create_user({"coord-s", "Координатор Смоленска", server::Role::coordinator, "smolensk", "", kPassword}, actor);
    server::WorkspaceFiles(db).import_folder("smolensk", fs::path(PPKO_SAMPLES) / "smolensk", actor);
    if (!region_dir.empty()) {
        acc.create_municipality("region", "Сгенерированный регион", actor);
        acc.create_user({"coord-r", "Координатор региона", server::Role::coordinator, "region", "", kPassword}, actor);
        server::WorkspaceFiles(db).import_folder("region", region_dir, actor);
    }
    auto s = db->store("bench");
    auto tx = s->begin();
    for (int i = 0; i < programs; ++i) {
        store::ProgramState p;
        p.school = "s" + std::to_string(10000 + i);
        p.workflow = "ppko";
        p.workflow_version = 1;
        p.stage = i % 3 ? "implementation" : "preparatory";
        p.status = "active";
        p.started_on = "2019-09-01";
        p.academic_year = "2020-2021";
        p.data_json = R"({"done":["analysis","plan"],"due":["program"]})";
        tx->put_program(p);
        store::Event e;
        e.school = p.school;
        e.workflow = "ppko";
        e.workflow_version = 1;
        e.date = "2019-09-01";
        e.kind = "created";
        e.to_stage = "preparatory";
        e.note = "Программа начата";
        tx->append_event(e);
    }
    tx->commit();
}

struct Server {
    pid_t pid = -1;
    int port = 0;
};

Server start_server(const Options& o, const std::string& location, const fs::path& dir, const std::string& name) {
    const fs::path port_file = dir / (name + ".port");
    const std::string log = (dir / (name + ".log")).string();
    Server s;
    s.pid = fork();
    if (s.pid == 0) {
        const std::string threads = std::to_string(o.threads);
        execl(o.ppko.c_str(), o.ppko.c_str(), "serve", "--listen", "127.0.0.1:0", "--port-file", port_file.c_str(),
              "--db", location.c_str(), "--threads", threads.c_str(), "--access-log", log.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (!fs::exists(port_file)) {
        int status = 0;
        if (waitpid(s.pid, &status, WNOHANG) == s.pid) throw std::runtime_error("the server exited at start");
        if (Clock::now() > deadline) throw std::runtime_error("the server did not start in 60 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::ifstream(port_file) >> s.port;
    return s;
}

void stop_server(Server& s) {
    if (s.pid <= 0) return;
    int status = 0;
    if (waitpid(s.pid, &status, WNOHANG) == s.pid) {
        std::fprintf(stderr, "server_bench: the server died during the run (%s %d)\n",
                     WIFSIGNALED(status) ? "signal" : "exit code", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    } else {
        kill(s.pid, SIGTERM);
        waitpid(s.pid, &status, 0);
    }
    s.pid = -1;
}

// CPU seconds (user + system) a process has used, from /proc/<pid>/stat.
double process_cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stoull(f);
        if (i == 15) stime = std::stoull(f);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The bench's PostgreSQL database (empty on SQLite): its server processes' CPU is measured too.
std::string g_pg_url;

// CPU seconds of each PostgreSQL backend serving the bench's database, by process id.
std::map<int, double> database_cpu() {
    std::map<int, double> out;
    if (g_pg_url.empty()) return out;
    PGconn* c = PQconnectdb(g_pg_url.c_str());
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult* r = PQexec(c, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            for (int i = 0; i < PQntuples(r); ++i) {
                const int pid = std::atoi(PQgetvalue(r, i, 0));
                out[pid] = process_cpu_seconds(pid);
            }
        }
        PQclear(r);
    }
    PQfinish(c);
    return out;
}

// CPU the backends used between two database_cpu() readings (a backend that is new counts whole).
double database_cpu_used(const std::map<int, double>& before, const std::map<int, double>& after) {
    double sum = 0;
    for (const auto& [pid, cpu] : after) {
        const auto it = before.find(pid);
        sum += cpu - (it == before.end() ? 0.0 : it->second);
    }
    return sum;
}

struct Answer {
    int status = 0;
    std::string body;
    std::string cookie;
};

Answer call(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& target,
            const std::string& body = {}, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Answer a;
    a.status = resp.getStatus();
    Poco::StreamCopier::copyToString(in, a.body);
    if (resp.has("Set-Cookie")) a.cookie = resp.get("Set-Cookie").substr(0, resp.get("Set-Cookie").find(';'));
    return a;
}

std::string bearer_token(int port, const std::string& who = "coord") {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
    const Answer login = call(s, "POST", "/api/login", R"({"login": ")" + who + R"(", "password": ")" + kPassword + "\"}");
    if (login.status != 200) throw std::runtime_error("login: " + login.body);
    const std::string csrf = nlohmann::json::parse(login.body).at("csrf_token");
    const Answer t = call(s, "POST", "/api/tokens", R"({"name": "bench", "days": 1})",
                          {{"Cookie", login.cookie}, {"X-CSRF-Token", csrf}});
    if (t.status != 201) throw std::runtime_error("token: " + t.body);
    return nlohmann::json::parse(t.body).at("token");
}

struct Result {
    long requests = 0, errors = 0;
    double seconds = 0, p50 = 0, p90 = 0, p99 = 0, max = 0, server_cpu = 0, database_cpu = 0;
    std::size_t bytes = 0;
};

// `clients` threads, each with a keep-alive connection to servers[i % n], request `target` until
// `requests` are done or `seconds` have passed.
Result load(const Options& o, const std::vector<Server>& servers, const std::string& target, const std::string& token) {
    std::atomic<long> issued{0};
    std::atomic<long> errors{0};
    std::atomic<std::size_t> bytes{0};
    std::vector<std::vector<double>> lat(static_cast<std::size_t>(o.clients));
    const auto deadline = Clock::now() + std::chrono::duration<double>(o.seconds);
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    double cpu0 = 0;
    for (const auto& s : servers) cpu0 += process_cpu_seconds(s.pid);
    const auto db0 = database_cpu();
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < o.clients; ++c) {
        threads.emplace_back([&, c] {
            const Server& srv = servers[static_cast<std::size_t>(c) % servers.size()];
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(srv.port));
            session.setTimeout(Poco::Timespan(30, 0));
            session.setKeepAlive(true);  // reconnects when the server ends the connection (Connection: close)
            auto& mine = lat[static_cast<std::size_t>(c)];
            while (issued.fetch_add(1) < o.requests && Clock::now() < deadline) {
                const auto a = Clock::now();
                try {
                    const Answer r = call(session, "GET", target, {}, headers);
                    if (r.status != 200 && errors.fetch_add(1) < 3) {
                        std::fprintf(stderr, "server_bench: %s: %d %s\n", target.c_str(), r.status, r.body.c_str());
                    }
                    bytes.fetch_add(r.body.size());
                } catch (const std::exception& e) {
                    if (errors.fetch_add(1) < 3) std::fprintf(stderr, "server_bench: %s: %s\n", target.c_str(), e.what());
                    session.reset();
                }
                mine.push_back(ms_between(a, Clock::now()));
            }
        });
    }
    for (auto& t : threads) t.join();
    Result r;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    double cpu1 = 0;
    for (const auto& s : servers) cpu1 += process_cpu_seconds(s.pid);
    r.server_cpu = cpu1 - cpu0;
    r.database_cpu = database_cpu_used(db0, database_cpu());
    std::vector<double> all;
    for (const auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    r.requests = static_cast<long>(all.size());
    r.errors = errors.load();
    r.bytes = bytes.load();
    if (!all.empty()) {
        r.p50 = percentile(all, 0.50);
        r.p90 = percentile(all, 0.90);
        r.p99 = percentile(all, 0.99);
        r.max = percentile(all, 1.0);
    }
    return r;
}

// wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds.
double wrk_ms(const std::string& v) {
    const double x = std::stod(v);
    if (v.ends_with("us")) return x / 1000;
    if (v.ends_with("ms")) return x;
    if (v.ends_with("s")) return x * 1000;
    return x;
}

// The same workload measured by wrk (an event-driven client: 2 threads for all the connections,
// so the tail is the server's and not 100 client threads' on two cores): one wrk per server, each
// with its share of the connections, at once. Prints a line per server with wrk's percentiles.
void wrk_load(const Options& o, const std::string& config, const std::string& workload, const std::vector<Server>& servers,
              const std::string& target, const std::string& token) {
    if (std::system("command -v wrk >/dev/null 2>&1") != 0) {
        std::printf("%-28s %-26s wrk: not installed (apt-get install wrk), skipped\n", config.c_str(), workload.c_str());
        return;
    }
    std::vector<FILE*> runs;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const int connections = std::max(1, o.clients / static_cast<int>(servers.size()));
        const std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" + std::to_string(static_cast<int>(o.wrk)) +
                                "s --latency -H 'Authorization: Bearer " + token + "' http://127.0.0.1:" +
                                std::to_string(servers[i].port) + target + " 2>&1";
        runs.push_back(popen(cmd.c_str(), "r"));
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        std::string out;
        char buf[4096];
        for (std::size_t n; runs[i] && (n = std::fread(buf, 1, sizeof buf, runs[i])) > 0;) out.append(buf, n);
        if (runs[i]) pclose(runs[i]);
        std::map<std::string, double> pct;
        double rps = 0;
        long non2xx = 0;
        std::istringstream lines(out);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream w(line);
            std::string a, b;
            w >> a >> b;
            if ((a == "50%" || a == "90%" || a == "99%") && !b.empty()) pct[a] = wrk_ms(b);
            if (a == "Requests/sec:") rps = std::stod(b);
            if (a == "Non-2xx") non2xx = std::stol(line.substr(line.find(':') + 1));
        }
        if (pct.size() != 3) {
            std::printf("%-28s %-26s wrk: no latency figures: %s\n", config.c_str(), workload.c_str(), out.c_str());
            continue;
        }
        std::printf("%-28s %-26s wrk server %zu: %d conn  %8.0f req/s  p50 %7.2f  p90 %7.2f  p99 %7.2f ms  non-2xx %ld\n",
                    config.c_str(), workload.c_str(), i + 1, std::max(1, o.clients / static_cast<int>(servers.size())), rps,
                    pct["50%"], pct["90%"], pct["99%"], non2xx);
    }
    std::fflush(stdout);
}

void print(const std::string& config, const std::string& workload, const Result& r) {
    std::printf("%-28s %-26s %7ld req %6.1f s %8.0f req/s  p50 %7.2f  p90 %7.2f  p99 %7.2f  max %8.2f ms  "
                "errors %ld  server CPU %.3f ms/req  database CPU %.3f ms/req  %zu B/resp\n",
                config.c_str(), workload.c_str(), r.requests, r.seconds, static_cast<double>(r.requests) / r.seconds,
                r.p50, r.p90, r.p99, r.max, r.errors, r.requests ? 1000 * r.server_cpu / static_cast<double>(r.requests) : 0,
                r.requests ? 1000 * r.database_cpu / static_cast<double>(r.requests) : 0,
                r.requests ? r.bytes / static_cast<std::size_t>(r.requests) : 0);
    std::fflush(stdout);
}

// The municipality's whole package as a job: POST on `start`, polled every `poll_ms` on `poll`
// (another server when there are two), the zip downloaded there. Prints the time from the POST to
// the zip in hand.
void package_job(const std::string& config, const std::string& label, const Server& start, const Server& poll,
                 const std::string& municipality, const std::string& token, int poll_ms) {
    const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + token}};
    Poco::Net::HTTPClientSession a("127.0.0.1", static_cast<Poco::UInt16>(start.port));
    Poco::Net::HTTPClientSession b("127.0.0.1", static_cast<Poco::UInt16>(poll.port));
    a.setTimeout(Poco::Timespan(600, 0));
    b.setTimeout(Poco::Timespan(600, 0));
    const auto t0 = Clock::now();
    const Answer job = call(a, "POST", "/api/municipalities/" + municipality + "/jobs", "{}", auth);
    if (job.status != 202) throw std::runtime_error("job: " + job.body);
    const std::string id = nlohmann::json::parse(job.body).at("id");
    nlohmann::json state;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
        state = nlohmann::json::parse(call(b, "GET", "/api/jobs/" + id, {}, auth).body);
    } while (state.at("state") == "queued" || state.at("state") == "running");
    const double rendered = ms_between(t0, Clock::now()) / 1000.0;
    const Answer zip = call(b, "GET", "/api/jobs/" + id + "/result", {}, auth);
    if (zip.status != 200) throw std::runtime_error("job result: " + std::to_string(zip.status));
    std::printf("%-28s %-26s %s, %d documents, %.2f s to the zip (%zu B; done after %.2f s)%s\n", config.c_str(),
                label.c_str(), state.at("state").get<std::string>().c_str(), state.at("total").get<int>(),
                ms_between(t0, Clock::now()) / 1000.0, zip.body.size(), rendered,
                start.pid == poll.pid ? "" : ", polled and downloaded on the other server");
    std::fflush(stdout);
}

void run(const Options& o, const std::string& config, const std::string& location, int n_servers, const fs::path& dir,
         const fs::path& region_dir) {
    prepare(location, o.programs, region_dir);
    std::vector<Server> servers;
    try {
        for (int i = 0; i < n_servers; ++i) servers.push_back(start_server(o, location, dir, config + std::to_string(i)));
        const std::string token = bearer_token(servers[0].port);
        Options warm = o;
        warm.requests = 500;
        load(warm, servers, "/api/health", "");
        print(config, "GET /api/health", load(o, servers, "/api/health", ""));
        load(warm, servers, "/api/municipalities/bench/programs", token);
        print(config, "GET …/bench/programs (" + std::to_string(o.programs) + ")",
              load(o, servers, "/api/municipalities/bench/programs", token));
        // Phase 2: the domain of a real municipality (samples/smolensk, 38 schools).
        const std::string st = bearer_token(servers[0].port, "coord-s");
        const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + st}};
        Poco::Net::HTTPClientSession admin("127.0.0.1", static_cast<Poco::UInt16>(servers[0].port));
        admin.setTimeout(Poco::Timespan(600, 0));
        const Answer adv = call(admin, "POST", "/api/municipalities/smolensk/advance", R"({"date": "2021-08-31"})", auth);
        if (adv.status != 200) throw std::runtime_error("advance: " + adv.body);
        for (const std::string target : {"/api/municipalities/smolensk/status", "/api/municipalities/smolensk/schools/sh-10/status"}) {
            load(warm, servers, target, st);
            print(config, "GET …" + target.substr(19), load(o, servers, target, st));
            if (o.wrk > 0) wrk_load(o, config, "GET …" + target.substr(19), servers, target, st);
        }
        Options render = o;
        render.clients = 10;
        render.requests = std::min<long>(o.requests, 500);
        const std::string doc = "/api/municipalities/smolensk/documents/decision";
        Options warm_render = render;
        warm_render.requests = 20;
        load(warm_render, servers, doc, st);
        print(config, "GET …/documents/decision", load(render, servers, doc, st));
        // The municipality's whole package as a job, polled every 50 ms.
        package_job(config, "package job (smolensk)", servers[0], servers.back(), "smolensk", st, 50);
        if (!region_dir.empty()) {
            // Phase 3: the generated region, advanced through the API (the first request loads
            // its data), then its annual package as a job.
            const std::string rt = bearer_token(servers[0].port, "coord-r");
            const auto t0 = Clock::now();
            const Answer radv = call(admin, "POST", "/api/municipalities/region/advance", R"({"date": "2021-07-01"})",
                                     {{"Authorization", "Bearer " + rt}});
            if (radv.status != 200) throw std::runtime_error("advance region: " + radv.body.substr(0, 400));
            std::printf("%-28s %-26s %.2f s (%zu B answer)\n", config.c_str(), "advance region (first load)",
                        ms_between(t0, Clock::now()) / 1000.0, radv.body.size());
            package_job(config, "package job (region " + std::to_string(o.region) + ")", servers.back(), servers[0],
                        "region", rt, 250);
        }
    } catch (...) {
        for (auto& s : servers) stop_server(s);
        throw;
    }
    for (auto& s : servers) stop_server(s);
}

void pg_exec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        const std::string msg = PQerrorMessage(c);
        PQfinish(c);
        throw std::runtime_error("PostgreSQL: " + msg);
    }
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string msg = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("PostgreSQL: " + msg);
}

// `url` naming database `db` instead.
std::string with_database(const std::string& url, const std::string& db) {
    const auto scheme = url.find("://") + 3;
    const auto path = url.find('/', scheme);
    const auto query = url.find('?', scheme);
    const std::string head = url.substr(0, path == std::string::npos || path > query ? query : path);
    return head + "/" + db + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(a + " wants a value");
            return argv[++i];
        };
        if (a == "--clients") o.clients = std::stoi(next());
        else if (a == "--requests") o.requests = std::stol(next());
        else if (a == "--seconds") o.seconds = std::stod(next());
        else if (a == "--programs") o.programs = std::stoi(next());
        else if (a == "--threads") o.threads = std::stoi(next());
        else if (a == "--region") o.region = std::stoi(next());
        else if (a == "--pg") o.pg = next();
        else if (a == "--ppko") o.ppko = next();
        else if (a == "--wrk") o.wrk = std::stod(next());
        else {
            std::cerr << "usage: server_bench [--clients N] [--requests N] [--seconds S] [--programs N] [--threads N] "
                         "[--region SCHOOLS] [--pg URL] [--ppko PATH] [--wrk SECONDS]\n";
            return 2;
        }
    }
    if (o.clients < 1 || o.clients > 1000 || o.requests < 1 || o.requests > 10'000'000 || o.seconds <= 0 ||
        o.seconds > 600 || o.region < 0 || o.region > 100000 || o.wrk < 0 || o.wrk > 600) {
        std::cerr << "server_bench: bounds: 1..1000 clients, 1..10^7 requests, 0..600 s, 0..100000 schools\n";
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    ScratchDir dir("ppko-server-bench");
    std::printf("server_bench: %d clients (keep-alive), at most %ld requests or %.0f s per line, %d programs, "
                "--threads %d; loopback\n",
                o.clients, o.requests, o.seconds, o.programs, o.threads);
    try {
        fs::path region_dir;
        if (o.region > 0) {
            region_dir = dir.path() / "generated";
            run_process({PPKO_MAKE_REGION, region_dir.string(), "--schools", std::to_string(o.region)});
        }
        run(o, "sqlite, 1 server", (dir.path() / "region.sqlite").string(), 1, dir.path(), region_dir);
        if (!o.pg.empty()) {
            pg_exec(o.pg, "DROP DATABASE IF EXISTS ppko_bench WITH (FORCE)");
            pg_exec(o.pg, "CREATE DATABASE ppko_bench");
            g_pg_url = with_database(o.pg, "ppko_bench");
            run(o, "postgresql, 2 servers", g_pg_url, 2, dir.path(), region_dir);
        }
    } catch (const Error& e) {
        std::cerr << "server_bench: " << e.diagnostics().format();
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "server_bench: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
