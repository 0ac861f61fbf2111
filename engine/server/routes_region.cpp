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

void write_program(JsonWriter& w, const store::ProgramState& p) {
    w.begin_object();
    w.key("school").value(p.school);
    w.key("workflow").value(p.workflow);
    w.key("workflow_version").value(p.workflow_version);
    w.key("stage").value(p.stage);
    w.key("status").value(p.status);
    w.key("started_on").value(p.started_on);
    w.key("academic_year").value(p.academic_year);
    w.key("data").json_text(p.data_json);
    w.end_object();
}

void write_event(JsonWriter& w, const store::Event& e) {
    w.begin_object();
    w.key("seq").value(static_cast<std::int64_t>(e.seq));
    w.key("school").value(e.school);
    w.key("workflow").value(e.workflow);
    w.key("workflow_version").value(e.workflow_version);
    w.key("date").value(e.date);
    w.key("kind").value(e.kind);
    w.key("from_stage").value(e.from_stage);
    w.key("to_stage").value(e.to_stage);
    w.key("guard").value(e.guard);
    w.key("facts").json_text(e.facts_json);
    w.key("note").value(e.note);
    w.end_object();
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
    JsonWriter w;
    w.begin_object().key("municipality").value(ctx.param("municipality")).key("items").begin_array();
    if (only.empty()) {
        for (const auto& p : s->programs()) write_program(w, p);
    } else if (auto p = s->program(only)) {
        write_program(w, *p);
    }
    w.end_array().end_object();
    Response r;
    r.text = w.take();
    return r;
}

Response get_program(Context& ctx) {
    auto s = ctx.services.db->store(ctx.param("municipality"));
    const auto p = s->program(ctx.param("school"));
    if (!p) throw Error(ErrorId::server_not_found, "", {}, "", "у школы «" + ctx.param("school") + "» нет программы");
    JsonWriter w;
    write_program(w, *p);
    Response r;
    r.text = w.take();
    return r;
}

// {"items": [events with seq above `after`, at most `limit`]}
Response events_page(const Context& ctx, const std::vector<store::Event>& events) {
    const auto after = ctx.query_integer("after", 0, 0, INT64_MAX);
    const auto limit = ctx.query_integer("limit", 1000, 1, 10000);
    JsonWriter w;
    w.begin_object().key("items").begin_array();
    long long n = 0;
    for (const auto& e : events) {
        if (e.seq <= after) continue;
        if (n++ == limit) break;
        write_event(w, e);
    }
    w.end_array().end_object();
    Response r;
    r.text = w.take();
    return r;
}

Response program_events(Context& ctx) {
    return events_page(ctx, ctx.services.db->store(ctx.param("municipality"))->events(ctx.param("school")));
}

Response municipality_events(Context& ctx) {
    return events_page(ctx, ctx.services.db->store(ctx.param("municipality"))->events());
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
