// The web pages' routes, by subject: pages_account.cpp (sign in and out, password, the start
// page, the style sheet), pages_region.cpp (region, municipality, school, history),
// pages_admin.cpp (accounts and the audit log), pages_domain.cpp (over the municipality service:
// documents), pages_methodology.cpp (the identification table). Each is a server::Route like the API's: the router
// authorises it by role and scope before its handler runs. server::routes() joins them in.
#pragma once

#include <cstdint>
#include <span>

#include "server/router.h"
#include "web/html.h"

namespace ppko::web {

std::span<const server::Route> account_pages();
std::span<const server::Route> region_pages();
std::span<const server::Route> admin_pages();
std::span<const server::Route> domain_pages();
std::span<const server::Route> methodology_pages();
std::span<const server::Route> expert_pages();  // pages_expert.cpp: «Мои программы», a program's conclusion
std::span<const server::Route> documents_pages();  // pages_documents.cpp: preview, downloads, batch
std::span<const server::Route> import_pages();     // pages_import.cpp: upload, confirm, forms
std::span<const server::Route> advance_pages();    // pages_advance.cpp: advancing the programs
std::span<const server::Route> changes_pages();    // pages_changes.cpp: a municipality's data changes
// The documents page's section that starts a municipality's batch (pages_documents.cpp).
void batch_form(Html& h, const server::Context& ctx, std::string_view municipality);
// «Вернуть как было» right after the caller changed a data file (an import, a recorded fact): a
// POST form undoing the change that made `file` version `version` (pages_import.cpp), then back
// to `back` (a page of the municipality) with ?undone=1.
void undo_form(Html& h, const server::Context& ctx, std::string_view municipality, std::string_view file,
               std::int64_t version, std::string_view back);
// The region page's section that starts the region's annual package (pages_documents.cpp).
void region_batch_form(Html& h, const server::Context& ctx);
// All of the above.
std::span<const server::Route> web_routes();

}  // namespace ppko::web
