#include "server/limits.h"

#include <istream>

#include "diag/diagnostic.h"

namespace ppko::server {
namespace {

[[noreturn]] void too_large(std::size_t limit) {
    throw Error(ErrorId::server_too_large, "", {}, "",
                "тело запроса больше допустимых " + std::to_string(limit) + " байт");
}

}  // namespace

std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
    std::string body;
    const bool sized = request.hasContentLength();
    if (sized) {
        const auto length = request.getContentLength64();
        if (length < 0) throw Error(ErrorId::server_bad_request, "", {}, "", "неверная длина тела запроса");
        if (static_cast<unsigned long long>(length) > limit) too_large(limit);
        body.resize(static_cast<std::size_t>(length));
        std::istream& in = request.stream();
        in.read(body.data(), static_cast<std::streamsize>(body.size()));
        if (static_cast<std::size_t>(in.gcount()) != body.size()) {
            throw Error(ErrorId::server_bad_request, "", {}, "", "тело запроса короче объявленной длины");
        }
        return body;
    }
    if (!request.getChunkedTransferEncoding()) return body;
    std::istream& in = request.stream();
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        body.append(buf, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) too_large(limit);
    }
    return body;
}

Poco::Net::HTTPServerParams::Ptr server_params(const ServerConfig& c) {
    Poco::Net::HTTPServerParams::Ptr p = new Poco::Net::HTTPServerParams;
    p->setMaxThreads(c.threads);
    p->setMaxQueued(c.limits.max_queued);
    p->setTimeout(Poco::Timespan(c.limits.request_timeout, 0));
    p->setKeepAlive(true);
    p->setKeepAliveTimeout(Poco::Timespan(c.limits.keep_alive_timeout, 0));
    p->setMaxKeepAliveRequests(c.limits.max_keep_alive_requests);
    // Poco 1.11 wakes only one idle worker on stop; the others leave when their idle time runs
    // out. Short, so that a stopping server does not wait for them (workers are pooled threads:
    // starting one again under load is cheap).
    p->setThreadIdleTime(Poco::Timespan(1, 0));
    p->setServerName("ppko");
    p->setSoftwareVersion("ppko");
    return p;
}

}  // namespace ppko::server
