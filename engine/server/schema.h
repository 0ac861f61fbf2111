// The server's own tables (component "server" in ppko_schema, beside the store's tables in the
// same database): the region, its municipalities, accounts with their roles and scopes, browser
// sessions, API tokens, failed logins, the audit log, and the server's generated secret.
//
// - Records people edit (region, municipalities, users) carry `version`, raised by every change;
//   an edit names the version it read and loses with 409 when another edit came first.
// - audit is append-only (triggers refuse UPDATE and DELETE), like the store's events.
// - Times are seconds since 1970-01-01 UTC (INTEGER / BIGINT).
// - Secrets are never stored in the clear: passwords as PBKDF2 (passwords.h), session cookies and
//   API token ids as SHA-256 of the value the client holds.
#pragma once

#include "store/database.h"

namespace ppko::server {

const store::Schema& server_schema();

}  // namespace ppko::server
