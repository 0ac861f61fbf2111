// What every request of one server shares: its configuration, the database (a pool of
// connections, store/database.h), the secret that signs API tokens, the accounts, and the
// municipalities' data and domain (municipality_service.h), the uploads waiting for confirmation.
#pragma once

#include <memory>
#include <string>

#include "server/accounts.h"
#include "server/config.h"
#include "server/municipality_service.h"
#include "server/upload_store.h"
#include "store/database.h"

namespace ppko::server {

struct Services {
    ServerConfig config;
    std::shared_ptr<store::Database> db;
    std::string secret;
    std::unique_ptr<Accounts> accounts;
    std::unique_ptr<MunicipalityService> municipalities;  // data files and the domain (phase 2)
    std::unique_ptr<UploadStore> uploads;                 // imports waiting for their confirmation
};

// Opens the configured database (migrating the store's and the server's tables) and reads or
// makes the secret: the file's when configured (at least 32 bytes), else the database's own.
std::unique_ptr<Services> open_services(const ServerConfig& config);

}  // namespace ppko::server
