#include "server/server.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>

#include <Poco/Crypto/Crypto.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <pthread.h>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "server/access_log.h"
#include "server/limits.h"
#include "server/passwords.h"
#include "server/router.h"
#include "server/schema.h"
#include "web/page.h"

namespace ppko::server {
namespace {

// The client: the peer, or the last X-Forwarded-For hop when the peer is a trusted proxy (the hop
// that proxy appended; earlier ones are whatever the client claimed).
std::string client_address(const Poco::Net::HTTPServerRequest& req, const std::vector<std::string>& trusted) {
    const std::string peer = req.clientAddress().host().toString();
    if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end()) return peer;
    std::string forwarded = req.get("X-Forwarded-For", "");
    if (auto comma = forwarded.rfind(','); comma != std::string::npos) forwarded.erase(0, comma + 1);
    forwarded.erase(0, forwarded.find_first_not_of(' '));
    forwarded.erase(forwarded.find_last_not_of(' ') + 1);
    Poco::Net::IPAddress ip;
    return Poco::Net::IPAddress::tryParse(forwarded, ip) ? ip.toString() : peer;
}

bool has_body(const Poco::Net::HTTPServerRequest& req) {
    return req.getChunkedTransferEncoding() || (req.hasContentLength() && req.getContentLength64() > 0);
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
public:
    ApiHandler(const Services& s, const Router& router, AccessLog& log) : s_(s), router_(router), log_(log) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
        const auto t0 = std::chrono::steady_clock::now();
        Context ctx{s_, req.getMethod(), {}, client_address(req, s_.config.trusted_proxies), {}, {}, {},
                    [&req](std::string_view name) { return req.get(std::string(name), ""); }, std::nullopt, {}, {}};
        Response out;
        bool body_read = false;
        try {
            std::string raw_path;
            parse_target(req.getURI(), raw_path, ctx.query);
            ctx.path = raw_path;
            Match m = router_.match(ctx.method, raw_path);
            ctx.params = std::move(m.params);
            ctx.body = read_body(req, s_.config.limits.max_body);
            body_read = true;
            authorize(*m.route, ctx);
            out = m.route->handler(ctx);
        } catch (const Error& e) {
            // Everything outside /api/ is a web page: its errors are pages too (engine/web).
            out = ctx.path.rfind("/api/", 0) == 0 ? error_response(e) : web::error_page(e, ctx);
            if (out.status >= 500) std::cerr << "ppko serve: " << ctx.method << ' ' << req.getURI() << ": " << e.diagnostics().format();
        } catch (const std::exception& e) {
            const Error internal(ErrorId::internal, "", {}, "", "внутренняя ошибка сервера");
            out = ctx.path.rfind("/api/", 0) == 0 ? error_response(internal) : web::error_page(internal, ctx);
            std::cerr << "ppko serve: " << ctx.method << ' ' << req.getURI() << ": " << e.what() << " [internal]\n";
        }
        for (const auto& [k, v] : ctx.response_headers) resp.add(k, v);
        for (const auto& [k, v] : out.headers) resp.add(k, v);
        resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
        resp.setContentType(out.content_type.empty() ? "application/json; charset=utf-8" : out.content_type);
        if (!resp.has("Cache-Control")) resp.set("Cache-Control", "no-store");
        resp.set("X-Content-Type-Options", "nosniff");
        // An unread body would be taken for the next request: such a connection is closed.
        if (!body_read && has_body(req)) resp.setKeepAlive(false);
        std::size_t sent = 0;
        if (out.stream) {
            // Written as it is read; a failure midway can only cut the body short, so such a
            // response closes its connection (the client sees fewer bytes than Content-Length).
            resp.setKeepAlive(false);
            resp.setContentLength64(static_cast<Poco::Int64>(out.stream_bytes));
            std::ostream& os = resp.send();
            try {
                out.stream(os);
            } catch (const std::exception& e) {
                std::cerr << "ppko serve: " << ctx.method << ' ' << req.getURI() << ": " << e.what() << " [internal]\n";
            }
            sent = static_cast<std::size_t>(out.stream_bytes);
        } else {
            const std::string body =
                !out.content_type.empty()
                    ? std::move(out.text)
                    : (out.text.empty() ? out.body.dump(-1, ' ', false, Json::error_handler_t::replace) : std::move(out.text)) + "\n";
            resp.setContentLength64(static_cast<Poco::Int64>(body.size()));
            resp.send().write(body.data(), static_cast<std::streamsize>(body.size()));
            sent = body.size();
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        log_.write(AccessEntry{ctx.address, ctx.caller ? ctx.caller->login : "", ctx.method, req.getURI(), out.status, sent, ms});
    }

private:
    const Services& s_;
    const Router& router_;
    AccessLog& log_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(const Services& s, AccessLog& log) : s_(s), router_(routes()), log_(log) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new ApiHandler(s_, router_, log_);
    }

private:
    const Services& s_;
    Router router_;
    AccessLog& log_;
};

std::string read_secret(const std::string& file) {
    std::string s = io::read_file(file);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.size() < 32) {
        throw Error(ErrorId::cli_usage, file, {}, "",
                    "секрет короче 32 байт; создайте его, например: head -c 48 /dev/urandom | base64 > " + file);
    }
    return s;
}

}  // namespace

std::unique_ptr<Services> open_services(const ServerConfig& config) {
    // Poco 1.11's OpenSSLInitializer counts users of OpenSSL and tears OpenSSL's locks down when
    // the count returns to 0 — racing with a thread that starts using it again at that moment
    // (a crash under load, every JWT check making and dropping a digest engine). One lasting
    // user keeps the count above 0 for the life of the process.
    Poco::Crypto::initializeCrypto();
    auto s = std::make_unique<Services>();
    s->config = config;
    store::DatabaseOptions o;
    o.idle_connections = static_cast<std::size_t>(config.threads);
    s->db = store::Database::open(config.database.empty() ? default_database_path() : config.database, o);
    s->db->migrate(server_schema());
    s->accounts = std::make_unique<Accounts>(s->db, config.password_iterations > 0 ? config.password_iterations
                                                                                  : kPasswordIterations);
    s->secret = config.secret_file.empty() ? s->accounts->stored_secret() : read_secret(config.secret_file);
    PdfSettings pdf;
    pdf.instances = static_cast<unsigned>(config.pdf_instances);
    pdf.max_requests = static_cast<std::size_t>(config.pdf_queue);
    s->municipalities = std::make_unique<MunicipalityService>(s->db, default_work_dir(config),
                                                              static_cast<std::size_t>(config.max_jobs),
                                                              config.limits.job_stale_seconds, pdf);
    s->uploads = std::make_unique<UploadStore>(s->db);
    return s;
}

Poco::Net::HTTPRequestHandlerFactory::Ptr make_handler_factory(const Services& services, AccessLog& log) {
    return new Factory(services, log);
}

int serve(const ServerConfig& config, const std::string& port_file) {
    check_config(config);
    // SIGTERM and SIGINT are taken by sigwait() below: blocked here, before any thread starts, so
    // every thread inherits the mask and none is interrupted by them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    const auto services = open_services(config);
    AccessLog log(config.access_log);
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(config.listen), true);
        socket.listen(std::max(64, config.limits.max_queued));
    } catch (const Poco::Exception& e) {
        throw Error(ErrorId::cli_usage, "", {}, "",
                    "--listen: не удаётся принимать соединения на " + config.listen + " (" + e.displayText() +
                        "); адрес занят или недоступен");
    }
    Poco::ThreadPool pool(2, config.threads, 60);
    Poco::Net::HTTPServer server(make_handler_factory(*services, log), pool, socket, server_params(config));
    server.start();
    const auto bound = socket.address();
    if (!port_file.empty()) {
        io::OutputTransaction out;
        out.write(port_file, std::to_string(bound.port()) + "\n");
        out.commit();
    }
    std::cerr << "ppko serve: принимаются запросы на http://" << bound.toString() << " (база данных: "
              << services->db->shown() << ", потоков: " << config.threads << ")" << std::endl;

    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::cerr << "ppko serve: получен " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": новые соединения не принимаются, начатые запросы завершаются" << std::endl;
    server.stopAll(false);  // returns when every connection's request in progress has finished
    pool.joinAll();
    std::cerr << "ppko serve: остановлен" << std::endl;
    return exit_code::ok;
}

}  // namespace ppko::server
