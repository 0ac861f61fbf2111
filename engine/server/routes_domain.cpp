// Routes of a municipality's data and domain (municipality_service.h): its data files with
// optimistic concurrency (version / If-Match), identification, status, explanation and history
// as of a date, facts, advancing, documents rendered as of a date, and batch render jobs.
// A school account sees only its own school's rows and documents; experts reach only the programs
// assigned to them, through routes_expertise.cpp.
#include <algorithm>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "server/routes.h"
#include "server/services.h"

namespace ppko::server {
namespace {

MunicipalityService& svc(const Context& ctx) { return *ctx.services.municipalities; }
Actor actor_of(const Context& ctx) { return Actor{ctx.who().login, ctx.address}; }

Response json(Json body, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

std::optional<domain::Date> date_param(const Context& ctx) {
    const std::string d = ctx.query_text("date");
    if (d.empty()) return std::nullopt;
    const auto x = domain::Date::parse(d);
    if (!x) throw Error(ErrorId::data_bad_value, "", {}, "date", "дата «" + d + "» записана неверно или не существует; пример: 2019-05-31");
    return x;
}

std::optional<domain::AcademicYear> year_param(const Context& ctx) {
    const std::string y = ctx.query_text("year");
    if (y.empty()) return std::nullopt;
    const auto x = domain::AcademicYear::parse(y);
    if (!x) throw Error(ErrorId::data_bad_value, "", {}, "year", "учебный год «" + y + "» записан неверно; пример: 2019-2020");
    return x;
}

// The version an edit names: the body's "version", else If-Match ("3" or "\"3\"").
std::int64_t edit_version(const Context& ctx, const Body* body) {
    if (body && body->has("version")) return body->integer("version", 0, INT64_MAX);
    std::string m = ctx.header("If-Match");
    m.erase(std::remove(m.begin(), m.end(), '"'), m.end());
    if (m.empty()) {
        throw Error(ErrorId::data_missing_field, std::string(kBodyName), {}, "$.version",
                    "нужна версия, которую вы читали («version» или заголовок If-Match; 0 — новый файл)");
    }
    try {
        std::size_t used = 0;
        const long long v = std::stoll(m, &used);
        if (used == m.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    throw Error(ErrorId::server_bad_request, "", {}, "", "заголовок If-Match «" + m + "»: ожидалась версия записи (целое число)");
}

// ---- data files -----------------------------------------------------------------------------

Response list_files(Context& ctx) {
    const auto& m = ctx.param("municipality");
    Json items = Json::array();
    for (const auto& f : svc(ctx).files().list(m)) items.push_back(f.json(false));
    return json(Json{{"municipality", m}, {"data_version", svc(ctx).files().data_version(m)}, {"items", items}});
}

// The record a route names: {file} ("facts.json") or, under files/workflows/, {methodology_file}
// ("workflows/identification.json": the municipality's own version of a methodology file).
std::string file_name(const Context& ctx) {
    const auto it = ctx.params.find("methodology_file");
    return it != ctx.params.end() ? std::string(kMethodologyFolder) + it->second : ctx.param("file");
}

Response get_file(Context& ctx) {
    const std::string name = file_name(ctx);
    const auto f = svc(ctx).files().get(ctx.param("municipality"), name);
    if (!f) throw Error(ErrorId::server_not_found, "", {}, "", "файла «" + name + "» нет");
    Response r = json(f->json(true));
    r.headers.emplace_back("ETag", "\"" + std::to_string(f->version) + "\"");
    return r;
}

// PUT {"content": "<the file's text>", "version": n (0: a new file)} — the whole workspace is
// checked with the new text first (the CLI's messages, named by the file's name).
Response put_file(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"content", "version"});
    // The file's text as it is: line breaks and tabs included (Body::text refuses control characters).
    const Json whole = Json::parse(ctx.body);
    if (!whole.contains("content") || !whole["content"].is_string()) {
        b.fail(ErrorId::data_wrong_type, "content", "ожидался текст файла JSON строкой");
    }
    const std::string content = whole["content"].get<std::string>();
    const std::int64_t version = edit_version(ctx, &b);
    const auto& m = ctx.param("municipality");
    const std::string name = file_name(ctx);
    svc(ctx).check_change(m, name, content);
    const DataFile f = svc(ctx).files().put(m, name, content, version, actor_of(ctx));
    Response r = json(f.json(false), version == 0 ? 201 : 200);
    r.headers.emplace_back("ETag", "\"" + std::to_string(f.version) + "\"");
    return r;
}

Response delete_file(Context& ctx) {
    const auto& m = ctx.param("municipality");
    const std::int64_t version = ctx.query.count("version") ? ctx.query_integer("version", 0, 1, INT64_MAX) : edit_version(ctx, nullptr);
    const std::string name = file_name(ctx);
    svc(ctx).check_change(m, name, "", true);
    svc(ctx).files().remove(m, name, version, actor_of(ctx));
    return json(Json{{"removed", name}});
}

// ---- the domain ---------------------------------------------------------------------------

Response identification(Context& ctx) {
    return json(svc(ctx).identification(ctx.param("municipality"), year_param(ctx), visible_school(ctx.who())));
}

// The status answers are kept as text per data and state version (status_text).
Response json_text(std::string text) {
    Response r;
    r.text = std::move(text);
    return r;
}

Response status(Context& ctx) {
    return json_text(
        svc(ctx).status_text(ctx.param("municipality"), date_param(ctx), year_param(ctx), visible_school(ctx.who())));
}

Response school_status(Context& ctx) {
    return json_text(svc(ctx).status_text(ctx.param("municipality"), date_param(ctx), year_param(ctx), ctx.param("school")));
}

Response explain(Context& ctx) { return json(svc(ctx).explain(ctx.param("municipality"), ctx.param("school"), date_param(ctx))); }

Response history(Context& ctx) { return json(svc(ctx).history(ctx.param("municipality"), ctx.param("school"))); }

// POST {"fact": {"date", "school", "fact", …as in facts.json}, "version": facts.json's version}
Response record_fact(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"fact", "version"});
    const std::int64_t version = edit_version(ctx, &b);
    const Json whole = Json::parse(ctx.body);
    if (!whole.contains("fact") || !whole["fact"].is_object()) b.fail(ErrorId::data_wrong_type, "fact", "ожидался объект факта, как в facts.json");
    const Json& fact = whole["fact"];
    const Caller& who = ctx.who();
    if (who.role == Role::school && fact.value("school", std::string()) != who.school) {
        throw Error(ErrorId::auth_forbidden, "", {}, "$.fact.school", "учётная запись школы записывает факты только своей школы «" + who.school + "»");
    }
    return json(svc(ctx).record_fact(ctx.param("municipality"), fact, version, actor_of(ctx)), 201);
}

// POST {"date": "2021-08-31"}
Response advance(Context& ctx) {
    const Body b(ctx.body);
    b.allow_only({"date"});
    const std::string d = b.text("date", 10);
    const auto date = domain::Date::parse(d);
    if (!date) b.fail(ErrorId::data_bad_value, "date", "дата «" + d + "» записана неверно или не существует; пример: 2021-08-31");
    return json(svc(ctx).advance(ctx.param("municipality"), *date, actor_of(ctx)));
}

Response list_documents(Context& ctx) {
    const auto l = svc(ctx).load(ctx.param("municipality"));
    Json items = Json::array();
    const bool school = ctx.who().role == Role::school;
    for (const auto& d : l->workspace.documents) {
        if (school && !d.per_participant) continue;
        Json formats = Json::array();
        if (d.docx) formats.push_back("docx");
        if (d.xlsx) formats.push_back("xlsx");
        items.push_back(Json{{"id", d.id}, {"title", d.title}, {"file", d.file}, {"per_school", d.per_participant}, {"formats", formats}});
    }
    // "pdf": whether this server makes PDF now (any document, format=pdf).
    return json(Json{{"municipality", ctx.param("municipality")}, {"pdf", svc(ctx).pdf().available()}, {"items", items}});
}

// GET …/documents/{document}?date=&school=&format=&year= — the file (or a zip of a per-school
// document's files); a school account gets only its own school's file of a per-school document.
// format=pdf: the DOCX of the same request through the server's converter (503 when it cannot).
Response render_document(Context& ctx) {
    RenderRequest rq;
    rq.document = ctx.param("document");
    rq.date = date_param(ctx);
    rq.format = ctx.query_text("format");
    rq.year = ctx.query_text("year");
    if (!rq.year.empty()) year_param(ctx);
    rq.school = ctx.query_text("school");
    if (!rq.school.empty() && !valid_parameter("school", rq.school)) throw Error(ErrorId::server_bad_name, "", {}, "", "недопустимый код школы «" + rq.school + "»");
    if (ctx.who().role == Role::school) {
        const auto l = svc(ctx).load(ctx.param("municipality"));
        const auto* spec = l->workspace.find_document(rq.document);
        if (!spec || !spec->per_participant) throw Error(ErrorId::server_not_found, "", {}, "", "документа «" + rq.document + "» нет");
        if (!rq.school.empty() && rq.school != ctx.who().school) throw Error(ErrorId::server_not_found, "", {}, "", "документа «" + rq.document + "» для этой школы нет");
        rq.school = ctx.who().school;
    }
    const RenderedFile f = svc(ctx).render(ctx.param("municipality"), rq);
    Response r;
    r.text = f.bytes;
    r.content_type = f.content_type;
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.name + "\"");
    return r;
}

// A body's optional list of texts `key` (what = the words for its items); empty when absent.
std::vector<std::string> text_list(const Body& b, const Json& whole, const char* key, const std::string& what) {
    std::vector<std::string> out;
    if (!whole.contains(key)) return out;
    if (!whole[key].is_array()) b.fail(ErrorId::data_wrong_type, key, "ожидался список " + what);
    for (const auto& x : whole[key]) {
        if (!x.is_string()) b.fail(ErrorId::data_wrong_type, key, "ожидался список " + what);
        out.push_back(x.get<std::string>());
    }
    return out;
}

// A job's request body: {"only": ["decision", …], "date": "…", "formats": ["docx", "pdf"]} (each
// optional; "formats" only where `with_formats`).
struct JobRequest {
    std::vector<std::string> only;
    std::optional<domain::Date> date;
    std::vector<std::string> formats;
};

JobRequest job_request(const Context& ctx, bool with_formats) {
    const Body b(ctx.body);
    if (with_formats) b.allow_only({"only", "date", "formats"});
    else b.allow_only({"only", "date"});
    JobRequest rq;
    const Json whole = Json::parse(ctx.body);
    rq.only = text_list(b, whole, "only", "кодов документов");
    rq.formats = text_list(b, whole, "formats", "форматов: docx, xlsx, pdf");
    for (const auto& f : rq.formats) {
        if (f != "docx" && f != "xlsx" && f != "pdf") b.fail(ErrorId::data_bad_value, "formats", "формат «" + f + "»: ожидалось docx, xlsx или pdf");
    }
    if (const auto d = b.optional_text("date", 10)) {
        rq.date = domain::Date::parse(*d);
        if (!rq.date) b.fail(ErrorId::data_bad_value, "date", "дата «" + *d + "» записана неверно или не существует");
    }
    return rq;
}

Response accepted_job(const JobStatus& s) {
    Response r = json(s.json(), 202);
    r.headers.emplace_back("Location", "/api/jobs/" + s.id);
    return r;
}

// POST {"only", "date", "formats"} → 202 {job}
Response start_job(Context& ctx) {
    JobRequest rq = job_request(ctx, true);
    const auto l = svc(ctx).load(ctx.param("municipality"));
    for (const auto& id : rq.only) {
        if (!l->workspace.find_document(id)) Body(ctx.body).fail(ErrorId::data_bad_value, "only", "в workspace.json нет документа «" + id + "»");
    }
    return accepted_job(svc(ctx).start_job(ctx.param("municipality"), std::move(rq.only), rq.date, ctx.who().login,
                                           std::move(rq.formats)));
}

// POST {"only", "date"} → 202 {job}: every municipality of the region in one zip. The ids of
// `only` are checked by their alphabet only: which municipality declares which is the job's to
// find (one that declares none of them is named in ошибки.txt), so that starting a job does not
// load every municipality's data.
Response start_region_job(Context& ctx) {
    JobRequest rq = job_request(ctx, false);
    for (const auto& id : rq.only) {
        if (!valid_parameter("document", id)) Body(ctx.body).fail(ErrorId::data_bad_value, "only", "недопустимый код документа «" + id + "»");
    }
    return accepted_job(
        svc(ctx).start_region_job(region_members(*ctx.services.accounts), std::move(rq.only), rq.date, ctx.who().login));
}

// A municipality's job: visible to its coordinator and to the region. The region's job covers
// every municipality, so only the region role, which reads them all, sees it. Anyone else gets
// 404, as for a job that does not exist.
JobStatus visible_job(const Context& ctx) {
    const auto s = svc(ctx).job(ctx.param("job"));
    const Caller& c = ctx.who();
    const bool visible = s && (c.role == Role::region || (!s->region_wide() && s->municipality == c.municipality));
    if (!visible) throw Error(ErrorId::server_not_found, "", {}, "", "задания нет");
    return *s;
}

Response get_job(Context& ctx) { return json(visible_job(ctx).json()); }

Response job_result(Context& ctx) {
    const JobStatus s = visible_job(ctx);
    const auto bytes = svc(ctx).job_result_bytes(s.id);
    if (!bytes) throw Error(ErrorId::server_not_found, "", {}, "", "задание ещё не готово (состояние: " + s.state + ")");
    Response r;
    // Streamed from the database part by part: a region's zip is not held whole in memory.
    r.stream = [&service = svc(ctx), id = s.id](std::ostream& out) { service.write_job_result(id, out); };
    r.stream_bytes = *bytes;
    r.content_type = "application/zip";
    const std::string stem = s.region_wide() ? std::string("region") : s.municipality;
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stem + "-" + s.id + ".zip\"");
    return r;
}

constexpr Roles kReaders{Role::region, Role::coordinator, Role::school};
constexpr Roles kEditors{Role::coordinator};
constexpr Roles kData{Role::region, Role::coordinator};

constexpr Route kRoutes[] = {
    {"GET", "/api/municipalities/{municipality}/files", kData, Scope::municipality, list_files,
     "файлы данных муниципалитета с версиями"},
    {"GET", "/api/municipalities/{municipality}/files/{file}", kData, Scope::municipality, get_file,
     "файл данных (текст и версия)"},
    {"PUT", "/api/municipalities/{municipality}/files/{file}", kEditors, Scope::municipality, put_file,
     "изменить или добавить файл данных (с проверкой версии и всей папки данных)"},
    {"DELETE", "/api/municipalities/{municipality}/files/{file}", kEditors, Scope::municipality, delete_file,
     "удалить файл данных (с проверкой версии)"},
    {"GET", "/api/municipalities/{municipality}/files/workflows/{methodology_file}", kData, Scope::municipality, get_file,
     "файл своей методики муниципалитета (таблица идентификации, рабочий процесс): текст и версия"},
    {"PUT", "/api/municipalities/{municipality}/files/workflows/{methodology_file}", kEditors, Scope::municipality,
     put_file, "изменить или добавить файл своей методики (с проверкой версии и всей папки данных)"},
    {"DELETE", "/api/municipalities/{municipality}/files/workflows/{methodology_file}", kEditors, Scope::municipality,
     delete_file, "удалить файл своей методики: снова действует встроенная (с проверкой версии)"},
    {"GET", "/api/municipalities/{municipality}/identification", kReaders, Scope::municipality, identification,
     "идентификация за учебный год: категории школ и почему, нерешённые"},
    {"GET", "/api/municipalities/{municipality}/status", kReaders, Scope::municipality, status,
     "состояние программ школ на дату (школе — только своей)"},
    {"GET", "/api/municipalities/{municipality}/schools/{school}/status", kReaders, Scope::school, school_status,
     "состояние программы школы на дату"},
    {"GET", "/api/municipalities/{municipality}/schools/{school}/explain", kReaders, Scope::school, explain,
     "почему школа в своих категориях и на своём этапе (на дату)"},
    {"GET", "/api/municipalities/{municipality}/schools/{school}/history", kReaders, Scope::school, history,
     "журнал событий программы школы с пояснениями"},
    {"POST", "/api/municipalities/{municipality}/facts", Roles{Role::coordinator, Role::school}, Scope::municipality,
     record_fact, "записать факт (школе — только своей школы)"},
    {"POST", "/api/municipalities/{municipality}/advance", kEditors, Scope::municipality, advance,
     "продвинуть программы на дату"},
    {"GET", "/api/municipalities/{municipality}/documents", kReaders, Scope::municipality, list_documents,
     "документы муниципалитета (школе — только документы по каждой школе)"},
    {"GET", "/api/municipalities/{municipality}/documents/{document}", kReaders, Scope::municipality, render_document,
     "документ на дату (DOCX, XLSX или PDF; по каждой школе — zip или файл одной школы)"},
    {"POST", "/api/municipalities/{municipality}/jobs", kEditors, Scope::municipality, start_job,
     "пакетная сборка документов муниципалитета (задание)"},
    {"POST", "/api/region/jobs", Roles{Role::region}, Scope::none, start_region_job,
     "годовой пакет документов региона: все муниципалитеты одним архивом (задание)"},
    {"GET", "/api/jobs/{job}", kData, Scope::none, get_job, "ход задания пакетной сборки"},
    {"GET", "/api/jobs/{job}/result", kData, Scope::none, job_result, "результат задания (zip)"},
};

}  // namespace

std::span<const Route> domain_routes() { return kRoutes; }

}  // namespace ppko::server
