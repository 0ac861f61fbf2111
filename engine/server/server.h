// `ppko serve`: the JSON API on Poco::Net's HTTPServer. One request: the target is split and
// matched to a route (router.h), the body read within its limit (limits.h), the caller
// authenticated and authorised (auth.h), the handler run, the answer sent as JSON, and one line
// written to the access log (access_log.h). Errors answer with the CLI's ids and messages
// (json_api.h).
//
// Shutdown: SIGTERM or SIGINT stops accepting connections, lets every request in flight finish
// (its database transaction commits or rolls back whole), closes idle keep-alive connections and
// exits 0. Nothing is half-written because every change is one transaction.
#pragma once

#include <memory>
#include <string>

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "server/config.h"
#include "server/services.h"

namespace ppko::server {

class AccessLog;

// Serves until SIGTERM or SIGINT; returns the exit code. `port_file`, when not empty, receives the
// port actually listened on (useful with port 0) once the server accepts connections. Throws
// ppko::Error for what prevents starting (configuration, database, address in use).
int serve(const ServerConfig& config, const std::string& port_file);

// The request handler factory serve() installs (for tests that run a server in-process).
Poco::Net::HTTPRequestHandlerFactory::Ptr make_handler_factory(const Services& services, AccessLog& log);

}  // namespace ppko::server
