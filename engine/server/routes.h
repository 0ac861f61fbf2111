// The server's routes by subject, one file each: routes_session.cpp (one's own account),
// routes_accounts.cpp (accounts administration and the audit log), routes_region.cpp (health,
// the region, municipalities, and each municipality's programs and events from the store),
// routes_domain.cpp (a municipality's data files and its domain: status, facts, advance, documents),
// routes_expertise.cpp (experts' assigned programs and their conclusions).
// routes() in router.h joins them with the web pages (engine/web/pages.h); the OpenAPI file
// (openapi.json) describes the same list of /api/ routes, which
// a test checks both ways.
#pragma once

#include <span>

#include "server/router.h"

namespace ppko::server {

std::span<const Route> session_routes();
std::span<const Route> account_routes();
std::span<const Route> region_routes();
std::span<const Route> domain_routes();
std::span<const Route> expertise_routes();  // routes_expertise.cpp: experts and conclusions

}  // namespace ppko::server
