// Limits on what a client may send and how long it may take: the request body (413 beyond
// max_body), Poco's own header limits (100 fields, 8 KiB a value, 16 KiB a request line: 400),
// socket timeouts per read and write, keep-alive, the worker threads and the queue of waiting
// connections (refused beyond it).
#pragma once

#include <cstddef>
#include <string>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "server/config.h"

namespace ppko::server {

// The whole body of `request`, at most `limit` bytes: a larger Content-Length is refused before
// anything is read, a chunked body as soon as it passes the limit (server.too_large); a body
// shorter than its Content-Length is server.bad_request.
std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t limit);

Poco::Net::HTTPServerParams::Ptr server_params(const ServerConfig& config);

}  // namespace ppko::server
