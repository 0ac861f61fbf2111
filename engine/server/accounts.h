// The region's records in the server's tables (schema.h): the region, its municipalities and the
// accounts, every change made in one transaction together with its audit row (who, when, what,
// before and after). Used by the routes and by `ppko user` / `ppko municipality` alike.
//
// Edits name the version they read: a stale version loses with record.conflict (409) carrying
// the current record and the fields changed since that version (from the audit log); two editors
// on two servers cannot both win, since the UPDATE matches only the version it names.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth.h"
#include "server/json_api.h"
#include "store/database.h"

namespace ppko::server {

struct User {
    std::int64_t id = 0;
    std::string login, name;
    Role role = Role::school;
    std::string municipality, school;
    bool disabled = false;
    std::int64_t version = 0;
    std::int64_t created_at = 0, updated_at = 0;

    Json json() const;  // without the id and nothing of the password
};

struct Municipality {
    std::string id, name;
    std::int64_t version = 0;
    Json json() const;
};

struct Region {
    std::string name;
    std::int64_t version = 0;
    std::int64_t municipalities = 0;
    Json json() const;
};

// Who makes a change, for the audit log: an account's login (or "cli:<user>" on the command
// line) and the client address.
struct Actor {
    std::string login;
    std::string address;
};

struct NewUser {
    std::string login, name;
    Role role = Role::school;
    std::string municipality, school;
    std::string password;
};

struct UserChanges {
    std::optional<std::string> name;
    std::optional<Role> role;
    std::optional<std::string> municipality, school;
    std::optional<bool> disabled;
};

// Seconds since 1970 (the tables' clock).
std::int64_t now_seconds();

class Accounts {
public:
    // `iterations`: PBKDF2 iterations for passwords set from now on.
    Accounts(std::shared_ptr<store::Database> db, int iterations);

    std::shared_ptr<store::Database> database() const { return db_; }

    std::vector<User> users();
    std::optional<User> user(std::string_view login);
    // record.exists for a taken login; data.bad_value for a scope that does not fit the role or
    // an unknown municipality; auth.weak_password.
    User create_user(const NewUser& u, const Actor& actor);
    User update_user(std::string_view login, const UserChanges& changes, std::int64_t version, const Actor& actor);
    // Sets the password, ends the account's sessions and revokes its API tokens — except the one
    // session (SHA-256 of its cookie) or token (its id, the JWT's jti) a caller changing its own
    // password is using.
    void set_password(std::string_view login, std::string_view password, const Actor& actor,
                      std::string_view keep_session_hash = {}, std::string_view keep_token_id = {});
    // The enabled account whose password this is; nullopt otherwise (wrong password, unknown or
    // disabled account) after the same PBKDF2 work either way.
    std::optional<User> check_password(std::string_view login, std::string_view password);

    std::vector<Municipality> municipalities();
    std::optional<Municipality> municipality(std::string_view id);
    Municipality create_municipality(const std::string& id, const std::string& name, const Actor& actor);
    Municipality update_municipality(std::string_view id, const std::string& name, std::int64_t version,
                                     const Actor& actor);

    Region region();
    Region update_region(const std::string& name, std::int64_t version, const Actor& actor);

    // Audit rows, newest first: id below `before` (0: from the newest), at most `limit`.
    Json audit(std::int64_t before, int limit);

    // The server's secret: the one kept in server_meta, generated on first use.
    std::string stored_secret();

private:
    std::shared_ptr<store::Database> db_;
    int iterations_;
};

// Writes one audit row on `c` (inside the caller's transaction).
void write_audit(store::Connection& c, const Actor& actor, std::string_view action, std::string_view target,
                 const Json& before, const Json& after);

}  // namespace ppko::server
