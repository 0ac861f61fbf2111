// Routes of experts and their conclusions (expertise.h): the programs assigned to the caller, one
// program as of its council's date, its conclusion (read; written by the expert with optimistic
// concurrency on the conclusion's own version) and the conclusion document. The assignment is
// looked up for the caller on every request; a program not assigned to the caller is 404.
#include "server/expertise.h"
#include "server/routes.h"
#include "server/services.h"

namespace ppko::server {
namespace {

MunicipalityService& svc(const Context& ctx) { return *ctx.services.municipalities; }

Response json(Json body, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

expertise::Assignment the_assignment(const Context& ctx) {
    const std::string expert = ctx.query_text("expert");
    check_text(expert, 200, "expert");
    return expertise::assignment(svc(ctx), ctx.param("municipality"), ctx.param("council"), ctx.param("school"), ctx.who(), expert);
}

Response list(Context& ctx) {
    Json items = Json::array();
    for (const auto& a : expertise::assignments(svc(ctx), ctx.param("municipality"), ctx.who())) items.push_back(a.json());
    return json(Json{{"municipality", ctx.param("municipality")}, {"items", items}});
}

Response program(Context& ctx) { return json(expertise::program(svc(ctx), ctx.param("municipality"), the_assignment(ctx))); }

Response get_conclusion(Context& ctx) {
    Json c = expertise::conclusion(svc(ctx), ctx.param("municipality"), the_assignment(ctx));
    Response r = json(c);
    r.headers.emplace_back("ETag", "\"" + std::to_string(c["version"].get<std::int64_t>()) + "\"");
    return r;
}

// PUT {"version": n (0: the first), "directions": "…", …} — every part a text (lines are paragraphs).
Response put_conclusion(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"version", "directions", "internal_evaluation", "conformity", "recommendations", "risks", "resources"});
    const std::int64_t version = b.integer("version", 0, INT64_MAX);
    // The parts as they are: line breaks included (Body::text refuses control characters).
    const Json whole = Json::parse(ctx.body);
    std::map<std::string, std::string, std::less<>> parts;
    for (const auto& p : expertise::kParts) {
        if (!whole.contains(p.key)) continue;
        if (!whole[p.key].is_string()) b.fail(ErrorId::data_wrong_type, p.key, "ожидался текст («…»)");
        std::string t = whole[p.key].get<std::string>();
        std::string flat = t;
        for (char& c : flat) {
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        }
        check_text(flat, expertise::kMaxPartChars, "$." + std::string(p.key));
        parts.emplace(p.key, std::move(t));
    }
    return json(expertise::put_conclusion(svc(ctx), ctx.param("municipality"), the_assignment(ctx), parts, version,
                                          Actor{ctx.who().login, ctx.address}));
}

Response document(Context& ctx) {
    const RenderedFile f = expertise::render(svc(ctx), ctx.param("municipality"), the_assignment(ctx));
    Response r;
    r.text = f.bytes;
    r.content_type = f.content_type;
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.name + "\"");
    return r;
}

constexpr Roles kReaders{Role::region, Role::coordinator, Role::expert};

constexpr Route kRoutes[] = {
    {"GET", "/api/municipalities/{municipality}/expertise", kReaders, Scope::municipality, list,
     "программы, назначенные на экспертизу (эксперту — только свои)"},
    {"GET", "/api/municipalities/{municipality}/expertise/{council}/{school}", kReaders, Scope::municipality, program,
     "назначенная программа на дату заседания: состояние, пояснение, заключение"},
    {"GET", "/api/municipalities/{municipality}/expertise/{council}/{school}/conclusion", kReaders, Scope::municipality,
     get_conclusion, "экспертное заключение (написанное экспертом) с версией"},
    {"PUT", "/api/municipalities/{municipality}/expertise/{council}/{school}/conclusion", Roles{Role::expert},
     Scope::municipality, put_conclusion, "записать экспертное заключение (с проверкой версии)"},
    {"GET", "/api/municipalities/{municipality}/expertise/{council}/{school}/document", kReaders, Scope::municipality,
     document, "документ экспертного заключения (DOCX) на дату заседания"},
};

}  // namespace

std::span<const Route> expertise_routes() { return kRoutes; }

}  // namespace ppko::server
