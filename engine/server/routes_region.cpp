// Routes of the region's data: health, the region, its municipalities, and each municipality's
// programs and event log straight from its store (a status-like listing; the domain's status,
// explain and history come with the typed domain).
#include "server/routes.h"

#include "diag/diagnostic.h"
#include "server/services.h"
#include "store/store.h"

namespace ppko::server {
namespace {

Actor actor_of(const Context& ctx) { return Actor{ctx.who().login, ctx.address}; }

// Engine-owned JSON text as JSON, or as text if it does not parse.
Json embedded(const std::string& text) {
    Json j = Json::parse(text, nullptr, false);
    return j.is_discarded() ? Json(text) : j;
}

Json program_json(const store::ProgramState& p) {
    return Json{{"school", p.school},         {"workflow", p.workflow},   {"workflow_version", p.workflow_version},
                {"stage", p.stage},           {"status", p.status},       {"started_on", p.started_on},
                {"academic_year", p.academic_year}, {"data", embedded(p.data_json)}};
}

Json event_json(const store::Event& e) {
    return Json{{"seq", e.seq},         {"school", e.school}, {"workflow", e.workflow},
                {"workflow_version", e.workflow_version}, {"date", e.date}, {"kind", e.kind},
                {"from_stage", e.from_stage}, {"to_stage", e.to_stage}, {"guard", e.guard},
                {"facts", embedded(e.facts_json)}, {"note", e.note}};
}

Response health(Context& ctx) {
    // The database answers, or the health check says so (503 store.unavailable).
    auto c = ctx.services.db->connect();
    int one = 0;
    c->run(store::Access::read, [&] { c->session() << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now; });
    Response r;
    r.body = Json{{"status", "ok"},
                  {"database", ctx.services.db->dialect() == store::Dialect::sqlite ? "sqlite" : "postgresql"},
                  {"version", "0.1.0"}};
    return r;
}

Response get_region(Context& ctx) {
    Response r;
    r.body = ctx.services.accounts->region().json();
    return r;
}

Response update_region(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"name", "version"});
    const std::string name = b.text("name", 200);
    const std::int64_t version = b.integer("version", 1, INT64_MAX);
    Response r;
    r.body = ctx.services.accounts->update_region(name, version, actor_of(ctx)).json();
    return r;
}

Response list_municipalities(Context& ctx) {
    Json items = Json::array();
    for (const auto& m : ctx.services.accounts->municipalities()) items.push_back(m.json());
    Response r;
    r.body = Json{{"items", std::move(items)}};
    return r;
}

Response create_municipality(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"id", "name"});
    const std::string id = b.text("id", 64);
    const std::string name = b.text("name", 200);
    Response r;
    r.status = 201;
    r.body = ctx.services.accounts->create_municipality(id, name, actor_of(ctx)).json();
    return r;
}

Response get_municipality(Context& ctx) {
    const auto m = ctx.services.accounts->municipality(ctx.param("municipality"));
    if (!m) throw Error(ErrorId::server_not_found, "", {}, "", "муниципалитет не найден");
    Response r;
    r.body = m->json();
    return r;
}

Response update_municipality(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"name", "version"});
    const std::string name = b.text("name", 200);
    const std::int64_t version = b.integer("version", 1, INT64_MAX);
    Response r;
    r.body = ctx.services.accounts->update_municipality(ctx.param("municipality"), name, version, actor_of(ctx)).json();
    return r;
}

Response list_programs(Context& ctx) {
    auto s = ctx.services.db->store(ctx.param("municipality"));
    const std::string only = visible_school(ctx.who());
    Json items = Json::array();
    if (only.empty()) {
        for (const auto& p : s->programs()) items.push_back(program_json(p));
    } else if (auto p = s->program(only)) {
        items.push_back(program_json(*p));
    }
    Response r;
    r.body = Json{{"municipality", ctx.param("municipality")}, {"items", std::move(items)}};
    return r;
}

Response get_program(Context& ctx) {
    auto s = ctx.services.db->store(ctx.param("municipality"));
    const auto p = s->program(ctx.param("school"));
    if (!p) throw Error(ErrorId::server_not_found, "", {}, "", "у школы «" + ctx.param("school") + "» нет программы");
    Response r;
    r.body = program_json(*p);
    return r;
}

Json events_page(const std::vector<store::Event>& events, long long after, long long limit) {
    Json items = Json::array();
    for (const auto& e : events) {
        if (e.seq <= after) continue;
        if (static_cast<long long>(items.size()) == limit) break;
        items.push_back(event_json(e));
    }
    return items;
}

Response program_events(Context& ctx) {
    auto s = ctx.services.db->store(ctx.param("municipality"));
    const auto after = ctx.query_integer("after", 0, 0, INT64_MAX);
    const auto limit = ctx.query_integer("limit", 1000, 1, 10000);
    Response r;
    r.body = Json{{"items", events_page(s->events(ctx.param("school")), after, limit)}};
    return r;
}

Response municipality_events(Context& ctx) {
    auto s = ctx.services.db->store(ctx.param("municipality"));
    const auto after = ctx.query_integer("after", 0, 0, INT64_MAX);
    const auto limit = ctx.query_integer("limit", 1000, 1, 10000);
    Response r;
    r.body = Json{{"items", events_page(s->events(), after, limit)}};
    return r;
}

constexpr Roles kReaders{Role::region, Role::coordinator, Role::school};

constexpr Route kRoutes[] = {
    {"GET", "/api/health", Roles::public_route(), Scope::none, health, "сервер и база данных отвечают"},
    {"GET", "/api/region", Roles{Role::region, Role::admin}, Scope::none, get_region, "регион: название, число муниципалитетов"},
    {"PATCH", "/api/region", Roles{Role::admin}, Scope::none, update_region, "название региона (с проверкой версии)"},
    {"GET", "/api/municipalities", Roles{Role::region, Role::admin}, Scope::none, list_municipalities,
     "муниципалитеты региона"},
    {"POST", "/api/municipalities", Roles{Role::admin}, Scope::none, create_municipality, "новый муниципалитет"},
    {"GET", "/api/municipalities/{municipality}", Roles::any(), Scope::municipality, get_municipality,
     "муниципалитет (свой; региону и администратору — любой)"},
    {"PATCH", "/api/municipalities/{municipality}", Roles{Role::admin}, Scope::municipality, update_municipality,
     "название муниципалитета (с проверкой версии)"},
    {"GET", "/api/municipalities/{municipality}/programs", kReaders, Scope::municipality, list_programs,
     "программы школ муниципалитета (школе — только своя)"},
    {"GET", "/api/municipalities/{municipality}/programs/{school}", kReaders, Scope::school, get_program,
     "программа школы"},
    {"GET", "/api/municipalities/{municipality}/programs/{school}/events", kReaders, Scope::school, program_events,
     "журнал событий программы школы"},
    {"GET", "/api/municipalities/{municipality}/events", Roles{Role::region, Role::coordinator}, Scope::municipality,
     municipality_events, "журнал событий муниципалитета"},
};

}  // namespace

std::span<const Route> region_routes() { return kRoutes; }

}  // namespace ppko::server
