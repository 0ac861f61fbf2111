#include "server/routes.h"

#include <vector>

#include "web/pages.h"

namespace ppko::server {

std::span<const Route> routes() {
    static const std::vector<Route> all = [] {
        std::vector<Route> v;
        for (auto part : {region_routes(), domain_routes(), expertise_routes(), session_routes(), account_routes(), web::web_routes()})
            v.insert(v.end(), part.begin(), part.end());
        return v;
    }();
    return all;
}

}  // namespace ppko::server
