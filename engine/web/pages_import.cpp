// The import page (issues 10 and 12): a coordinator uploads an XLSX or CSV (multipart, bounded
// by the server's max_body), sees what the importer would change — the same plan and messages
// as `ppko import --dry-run`, errors with sheet!cell — and confirms (the plan made again over the
// current data, written as an audited edit of the data file) or cancels (the upload is deleted:
// nothing is left). Until then the upload waits in the database under a random id (any server of
// the database can confirm it; a day later it is gone), readable only by the account that sent
// it. The data-entry forms (`ppko form`) download here.
#include <limits>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "server/csrf.h"
#include "server/multipart.h"
#include "server/municipality_service.h"
#include "server/passwords.h"
#include "server/services.h"
#include "server/workspace_files.h"
#include "sheets/read.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

server::MunicipalityService& svc(const Context& ctx) { return *ctx.services.municipalities; }
std::string import_path(std::string_view m) { return "/municipalities/" + std::string(m) + "/import"; }
constexpr std::string_view kReplaceLabel = "Заменять записанные значения, которые в таблице другие";

// What an upload waits with: its bytes and how to read them.
struct Upload {
    std::string id, municipality, owner, filename, bytes;
    importer::Options options;
};

std::string kind_title(importer::Kind k) {
    switch (k) {
        case importer::Kind::indicators: return "показатели";
        case importer::Kind::schools: return "школы";
        case importer::Kind::facts: return "факты";
    }
    return "";
}

void save(const Context& ctx, const Upload& u) {
    const nlohmann::json options{{"kind", importer::stem_of(u.options.kind)}, {"year", u.options.year},
                                 {"replace", u.options.replace}};
    ctx.services.uploads->put({u.id, u.municipality, u.owner, u.filename, options.dump(), u.bytes});
}

void forget(const Context& ctx, std::string_view id) { ctx.services.uploads->remove(id); }

// The caller's own upload to this municipality, else 404 (as for one that does not exist).
Upload load_upload(const Context& ctx) {
    const std::string& id = ctx.param("upload");
    auto pending = ctx.services.uploads->get(id, ctx.param("municipality"), ctx.who().login);
    if (!pending) throw Error(ErrorId::server_not_found, "", {}, "", "загрузки нет: она подтверждена, отменена или не начиналась");
    const auto options = nlohmann::json::parse(pending->options_json);
    Upload u;
    u.id = id;
    u.municipality = std::move(pending->municipality);
    u.owner = std::move(pending->owner);
    u.filename = std::move(pending->filename);
    u.options.kind = *importer::parse_kind(options.at("kind").get<std::string>());
    u.options.year = options.at("year").get<std::string>();
    u.options.replace = options.at("replace").get<bool>();
    u.bytes = std::move(pending->bytes);
    return u;
}

server::MunicipalityService::ImportPlan plan_of(const Context& ctx, const Upload& u) {
    const auto book = sheets::read_workbook_bytes(u.bytes, u.filename);
    importer::Options options = u.options;
    options.replace_hint = "чтобы заменить записанные значения, отметьте «" + std::string(kReplaceLabel) + "» и загрузите таблицу снова";
    return svc(ctx).plan_import(u.municipality, book, options);
}

// The upload form and the forms' downloads; `errors` (the importer's messages) above them.
void upload_form(Html& h, const Context& ctx, const std::vector<std::string>& errors) {
    const std::string& mid = ctx.param("municipality");
    if (!errors.empty()) {
        h.open("div", {{"class", "error-box"}, {"role", "alert"}, {"id", "import-errors"}});
        h.element("p", "Таблица не загружена, данные не изменены:");
        h.open("ul");
        for (const auto& e : errors) h.element("li", e);
        h.close().close();
    }
    h.element("h2", {{"id", "upload"}}, "Загрузить таблицу");
    h.element("p", "Файл XLSX или CSV (UTF-8 или Windows-1251, «;» или «,»): столбцы узнаются по заголовкам бланков "
                   "и русским названиям показателей, школы — по коду, полному или сокращённому наименованию. "
                   "Сначала вы увидите, что изменится, и подтвердите или отмените загрузку.");
    h.open("form", {{"method", "post"}, {"action", import_path(mid)}, {"enctype", "multipart/form-data"}, {"class", "stack"},
                    {"aria-labelledby", "upload"}});
    h.empty("input", {{"type", "hidden"}, {"name", server::kCsrfField}, {"value", ctx.who().csrf}});
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-file"}}, "Таблица (.xlsx или .csv)");
    h.empty("input", {{"type", "file"}, {"id", "f-file"}, {"name", "file"}, {"required", ""},
                      {"accept", ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}});
    h.close();
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-kind"}}, "Что в таблице");
    h.open("select", {{"id", "f-kind"}, {"name", "kind"}});
    for (auto k : {importer::Kind::indicators, importer::Kind::schools, importer::Kind::facts}) {
        h.element("option", {{"value", importer::stem_of(k)}}, kind_title(k));
    }
    h.close().close();
    input_field(h, "year", "Учебный год показателей, если в таблице нет столбца «Учебный год» (2020-2021)", "text", "", "", "off");
    h.open("div", {{"class", "field check"}});
    h.empty("input", {{"type", "checkbox"}, {"id", "f-replace"}, {"name", "replace"}, {"value", "1"}});
    h.element("label", {{"for", "f-replace"}}, std::string(kReplaceLabel));
    h.close();
    h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Проверить таблицу");
    h.close();

    h.element("h2", {{"id", "forms"}}, "Бланки для заполнения");
    h.element("p", "Бланк XLSX — строка на каждую школу, проверка значений в ячейках, инструкция на отдельном листе; "
                   "заполненный бланк загружается здесь же без настроек.");
    h.open("form", {{"method", "get"}, {"action", "/municipalities/" + mid + "/forms"}, {"class", "filters"}, {"aria-labelledby", "forms"}});
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-form-kind"}}, "Бланк");
    h.open("select", {{"id", "f-form-kind"}, {"name", "kind"}});
    for (auto k : {importer::Kind::indicators, importer::Kind::facts, importer::Kind::schools}) {
        h.element("option", {{"value", importer::stem_of(k)}}, kind_title(k));
    }
    h.close().close();
    h.open("div", {{"class", "field"}}).element("label", {{"for", "f-form-year"}}, "Учебный год (для показателей)");
    h.empty("input", {{"type", "text"}, {"id", "f-form-year"}, {"name", "year"}, {"autocomplete", "off"}}).close();
    h.element("button", {{"type", "submit"}}, "Скачать бланк");
    h.close();
}

Response import_page(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    return page(ctx, "Загрузка данных: " + (m ? m->name : mid), [&](Html& h) {
        const std::string done = ctx.query_text("applied");
        if (done == "1") {
            h.open("div", {{"class", "notice"}, {"role", "status"}});
            h.element("p", "Изменения записаны в данные муниципалитета.");
            const std::string file = ctx.query_text("file");
            const long long version = ctx.query_integer("version", 0, 0, std::numeric_limits<int>::max());
            if (version > 0 && server::valid_file_name(file)) undo_form(h, ctx, mid, file, version, import_path(mid));
            h.close();
        }
        if (done == "0") h.element("p", {{"class", "notice"}, {"role", "status"}}, "Загрузка отменена: данные не изменены.");
        if (ctx.query_text("undone") == "1") {
            h.element("p", {{"class", "notice"}, {"role", "status"}}, "Изменение отменено: данные снова такие, какими были до него.");
        }
        upload_form(h, ctx, {});
    });
}

std::vector<std::string> messages_of(const Error& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics().items()) out.push_back(d.format());
    if (out.empty()) out.push_back(e.what());
    return out;
}

// POST (multipart): file, kind, year, replace → the plan to confirm, or the form with the errors.
Response post_import(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto parts = server::parse_multipart(ctx.header("Content-Type"), ctx.body);
    const auto field = [&](std::string_view name) {
        const auto* p = server::find_part(parts, name);
        return p ? p->data : std::string();
    };
    Upload u;
    u.municipality = mid;
    u.owner = ctx.who().login;
    std::vector<std::string> errors;
    const auto* file = server::find_part(parts, "file");
    if (!file || file->data.empty()) {
        errors.push_back("не выбран файл таблицы (.xlsx или .csv) [" + std::string(error_info(ErrorId::data_missing_field).code) + "]");
    } else {
        std::string name = file->filename;
        if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
        if (name.empty()) name = "таблица";
        u.filename = name.substr(0, 120);
        u.bytes = file->data;
    }
    const auto kind = importer::parse_kind(field("kind"));
    if (!kind) errors.push_back("вид данных «" + field("kind") + "»: ожидалось indicators, schools или facts [" +
                                std::string(error_info(ErrorId::data_bad_value).code) + "]");
    else u.options.kind = *kind;
    u.options.year = field("year");
    if (!u.options.year.empty() && !domain::AcademicYear::parse(u.options.year)) {
        errors.push_back("учебный год «" + u.options.year + "» записан неверно; пример: 2020-2021 [" +
                         std::string(error_info(ErrorId::data_bad_value).code) + "]");
    }
    u.options.replace = field("replace") == "1";
    std::optional<server::MunicipalityService::ImportPlan> plan;
    if (errors.empty()) {
        try {
            plan = plan_of(ctx, u);
        } catch (const Error& e) {
            if (error_id(e) == ErrorId::server_not_found) throw;
            errors = messages_of(e);
        }
    }
    const auto m = ctx.services.accounts->municipality(mid);
    const std::string title = "Загрузка данных: " + (m ? m->name : mid);
    if (!plan) return page(ctx, title, [&](Html& h) { upload_form(h, ctx, errors); }, 422);

    const auto& p = plan->plan;
    if (p.changes_anything()) {
        u.id = server::sha256_hex(server::random_token(32)).substr(0, 32);
        save(ctx, u);
    }
    return page(ctx, title, [&](Html& h) {
        h.element("h2", {{"id", "changes"}}, "Что изменится");
        h.open("p", {{"id", "import-summary"}});
        h.text("Файл «" + u.filename + "», данные «" + kind_title(u.options.kind) + "»: ");
        h.text(importer::summary(p, true) + (p.changes_anything() ? "." : "; подтверждать нечего."));
        h.close();
        const auto list = [&](std::string_view head, std::string_view id, const std::vector<std::string>& lines) {
            if (lines.empty()) return;
            h.element("h3", {{"id", id}}, head);
            h.open("ul", {{"class", "changes"}, {"aria-labelledby", id}});
            constexpr std::size_t kShown = 200;
            for (std::size_t i = 0; i < lines.size() && i < kShown; ++i) h.element("li", lines[i]);
            if (lines.size() > kShown) h.element("li", "… и ещё " + group_digits(static_cast<long long>(lines.size() - kShown)));
            h.close();
        };
        if (!p.changes_anything()) {
            h.open("p").element("a", {{"href", import_path(mid)}}, "Загрузить другую таблицу").close();
            return;
        }
        // The decision first, the details below it.
        h.open("div", {{"class", "actions"}});
        open_post_form(h, ctx, import_path(mid) + "/" + u.id + "/confirm");
        h.element("button", {{"type", "submit"}, {"class", "primary"}}, "Подтвердить и записать");
        h.close();
        open_post_form(h, ctx, import_path(mid) + "/" + u.id + "/cancel");
        h.element("button", {{"type", "submit"}}, "Отменить");
        h.close();
        h.close();
        list("Добавится", "added", p.added);
        list("Изменится", "changed", p.changed);
    });
}

Response confirm_import(Context& ctx) {
    const Upload u = load_upload(ctx);
    std::string applied = "?applied=1";
    try {
        const auto plan = plan_of(ctx, u);  // over the data as they are now
        if (plan.plan.changes_anything()) {
            const auto f = svc(ctx).apply_import(u.municipality, plan, server::Actor{ctx.who().login, ctx.address});
            applied += "&file=" + f.name + "&version=" + std::to_string(f.version);
        }
    } catch (const Error& e) {
        if (error_id(e) == ErrorId::server_not_found) throw;
        forget(ctx, u.id);
        const auto m = ctx.services.accounts->municipality(u.municipality);
        return page(ctx, "Загрузка данных: " + (m ? m->name : u.municipality), [&](Html& h) { upload_form(h, ctx, messages_of(e)); }, 409);
    }
    forget(ctx, u.id);
    return redirect(import_path(u.municipality) + applied);
}

Response cancel_import(Context& ctx) {
    const Upload u = load_upload(ctx);
    forget(ctx, u.id);
    return redirect(import_path(u.municipality) + "?applied=0");
}

// POST file's undo: version, back → the change undone (WorkspaceFiles::before_change: still the
// file's latest change, and the caller's own), or a page saying why it cannot be.
Response undo_change(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const std::string& file = ctx.param("file");
    const Form field(ctx.body);
    // Back only to a page of this municipality (never elsewhere: no open redirect).
    std::string back = field["back"];
    const std::string prefix = "/municipalities/" + mid;
    const bool safe = (back == prefix || back.starts_with(prefix + "/")) &&
                      back.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/_-") == std::string::npos;
    if (!safe) back = "/";
    std::int64_t version = -1;
    try {
        version = std::stoll(field["version"]);
    } catch (const std::exception&) {
    }
    try {
        svc(ctx).undo_change(mid, file, version, server::Actor{ctx.who().login, ctx.address});
    } catch (const Error& e) {
        const ErrorId id = error_id(e);
        if (id != ErrorId::record_conflict && id != ErrorId::server_not_found && id != ErrorId::data_bad_value) throw;
        return page(ctx, "Отменить изменение нельзя", [&](Html& h) {
            h.element("p", {{"class", "error-box"}, {"role", "alert"}}, field_message(e));
            h.open("p").element("a", {{"href", back}}, "Вернуться").close();
        }, server::http_status(id));
    }
    return redirect(back + "?undone=1");
}

// GET ?kind=indicators|facts|schools&year= → the `ppko form` workbook.
Response form_download(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    importer::FormOptions o;
    const std::string kind = ctx.query_text("kind", "indicators");
    const auto k = importer::parse_kind(kind);
    if (!k) throw Error(ErrorId::data_bad_value, "", {}, "kind", "бланк «" + kind + "»: ожидалось indicators, facts или schools");
    o.kind = *k;
    o.year = ctx.query_text("year");
    if (!o.year.empty() && !domain::AcademicYear::parse(o.year)) {
        throw Error(ErrorId::data_bad_value, "", {}, "year", "учебный год «" + o.year + "» записан неверно; пример: 2020-2021");
    }
    Response r;
    r.text = svc(ctx).form(mid, o);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + mid + "-" + kind + ".xlsx\"");
    add_security_headers(r.headers);
    return r;
}

constexpr Roles kEditors{Role::coordinator};

constexpr Route kPages[] = {
    {"GET", "/municipalities/{municipality}/import", kEditors, Scope::municipality, import_page, "загрузка таблицы XLSX/CSV и бланки"},
    {"POST", "/municipalities/{municipality}/import", kEditors, Scope::municipality, post_import,
     "проверка загруженной таблицы: что изменится"},
    {"POST", "/municipalities/{municipality}/import/{upload}/confirm", kEditors, Scope::municipality, confirm_import,
     "подтверждение загрузки: запись изменений"},
    {"POST", "/municipalities/{municipality}/import/{upload}/cancel", kEditors, Scope::municipality, cancel_import,
     "отмена загрузки"},
    {"POST", "/municipalities/{municipality}/files/{file}/undo", Roles{Role::coordinator, Role::school}, Scope::municipality,
     undo_change, "отмена своего последнего изменения файла данных («Вернуть как было»)"},
    {"GET", "/municipalities/{municipality}/forms", Roles{Role::coordinator, Role::region}, Scope::municipality, form_download,
     "бланк для заполнения (ppko form)"},
};

}  // namespace

std::span<const server::Route> import_pages() { return kPages; }

void undo_form(Html& h, const server::Context& ctx, std::string_view municipality, std::string_view file,
               std::int64_t version, std::string_view back) {
    open_post_form(h, ctx, "/municipalities/" + std::string(municipality) + "/files/" + std::string(file) + "/undo", "inline");
    h.empty("input", {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(version)}});
    h.empty("input", {{"type", "hidden"}, {"name", "back"}, {"value", back}});
    h.element("button", {{"type", "submit"}}, "Вернуть как было");
    h.close();
}

}  // namespace ppko::web
