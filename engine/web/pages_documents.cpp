// A document's page (issue 12): choose the date (and the school of a per-school document), see
// the preview — the same document model the DOCX writer gets, as HTML (preview.h) — and download
// it as DOCX, XLSX, PDF or all of them in a zip through the API's own route. PDF is offered only
// when the server makes it (LibreOffice installed, not turned off: server/pdf_service.h); else the
// page says why. And a municipality's batch: every declared document rendered as a job of the
// municipality service, its progress shown by a <progress> element (a «Обновить» link without
// script; /static/job.js polls the job's JSON), then the zip.
#include "diag/diagnostic.h"
#include "server/municipality_service.h"
#include "server/services.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pages.h"
#include "web/preview.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

server::MunicipalityService& svc(const Context& ctx) { return *ctx.services.municipalities; }

std::string documents_path(std::string_view m) { return "/municipalities/" + std::string(m) + "/documents"; }

// The date of a form's field: nullopt for "", data.bad_value (with the field) when not a date.
std::optional<domain::Date> date_field(const std::string& text) {
    if (text.empty()) return std::nullopt;
    const auto d = domain::Date::parse(text);
    if (!d) throw Error(ErrorId::data_bad_value, "", {}, "$.date", "дата «" + text + "» записана неверно или не существует; пример: 2021-08-31");
    return d;
}

// ---- a document: preview and downloads --------------------------------------------------------

Response document_page(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const std::string& did = ctx.param("document");
    const auto loaded = svc(ctx).load(mid);
    const data::DocumentSpec* spec = loaded->workspace.find_document(did);
    const bool school_account = ctx.who().role == Role::school;
    if (!spec || (school_account && !spec->per_participant)) {
        throw Error(ErrorId::server_not_found, "", {}, "", "документа «" + did + "» нет");
    }
    server::RenderRequest rq;
    rq.document = did;
    const std::string date_text = ctx.query_text("date");
    std::string date_error;
    try {
        rq.date = date_field(date_text);
    } catch (const Error& e) {
        date_error = field_message(e);
    }
    rq.school = school_account ? ctx.who().school : ctx.query_text("school");
    if (!rq.school.empty() && !server::valid_parameter("school", rq.school)) rq.school.clear();

    // Every school's model of a per-school document when none is chosen: the list to choose from.
    std::vector<render::PackageRenderer::Built> built;
    std::string build_error;
    if (date_error.empty()) {
        try {
            built = svc(ctx).preview(mid, rq);
        } catch (const Error& e) {
            if (error_id(e) == ErrorId::server_not_found) throw;
            build_error = field_message(e);
        }
    }
    const render::PackageRenderer::Built* shown = built.empty() ? nullptr : &built.front();

    return page(ctx, spec->title, [&](Html& h) {
        h.open("p").element("a", {{"href", documents_path(mid)}}, "← Все документы").close();
        // The date (and school) to preview and download.
        h.open("form", {{"method", "get"}, {"action", documents_path(mid) + "/" + did}, {"class", "filters"}});
        h.open("div", {{"class", "field"}}).element("label", {{"for", "f-date"}}, "Дата документа");
        h.empty("input", {{"type", "date"}, {"id", "f-date"}, {"name", "date"},
                          {"value", date_text, date_error.empty()},  // a date input holds valid dates only; the message names it
                          {"aria-invalid", "true", !date_error.empty()}, {"aria-describedby", "f-date-error", !date_error.empty()}});
        if (!date_error.empty()) h.element("p", {{"class", "error"}, {"id", "f-date-error"}}, date_error);
        h.close();
        if (spec->per_participant && !school_account && built.size() > 0) {
            h.open("div", {{"class", "field"}}).element("label", {{"for", "f-school"}}, "Школа");
            h.open("select", {{"id", "f-school"}, {"name", "school"}});
            for (const auto& b : built) h.element("option", {{"value", b.school}, {"selected", "", &b == shown}}, b.school_name);
            h.close().close();
        }
        h.element("button", {{"type", "submit"}}, "Показать");
        h.close();
        h.element("p", {{"class", "muted"}}, "Без даты документ собирается на свою дату, указанную в данных муниципалитета.");

        if (!build_error.empty()) {
            h.element("p", {{"class", "error-box"}, {"role", "alert"}}, build_error);
            return;
        }
        if (!shown) {
            if (date_error.empty()) h.element("p", "В учебном году документа нет школ-участников: показать нечего.");
            return;
        }
        // Downloads: the API's route with the same date and school.
        std::string query = "?";
        if (rq.date) query += "date=" + rq.date->iso() + "&";
        if (!shown->school.empty()) query += "school=" + shown->school + "&";
        const std::string api = "/api/municipalities/" + mid + "/documents/" + did + query + "format=";
        h.element("h2", {{"id", "download"}}, "Скачать");
        h.open("ul", {{"class", "downloads"}, {"aria-labelledby", "download"}});
        if (spec->docx || !spec->xlsx) h.open("li").element("a", {{"href", api + "docx"}, {"download", ""}}, "DOCX (Word)").close();
        if (spec->xlsx) h.open("li").element("a", {{"href", api + "xlsx"}, {"download", ""}}, "XLSX (Excel)").close();
        const std::string no_pdf = svc(ctx).pdf().unavailable_reason();
        if (no_pdf.empty()) h.open("li").element("a", {{"href", api + "pdf"}, {"download", ""}}, "PDF (для печати)").close();
        h.open("li")
            .element("a", {{"href", api + "zip"}, {"download", ""}},
                     no_pdf.empty() ? "DOCX, XLSX и PDF одним архивом (ZIP)" : "DOCX и XLSX одним архивом (ZIP)")
            .close();
        h.close();
        if (!no_pdf.empty()) h.element("p", {{"class", "muted"}, {"id", "no-pdf"}}, no_pdf + ".");

        h.element("h2", {{"id", "preview"}}, "Предпросмотр");
        std::string about = "Дата документа: " + short_date(shown->date);
        if (!shown->school.empty()) about += "; школа: " + shown->school_name;
        h.element("p", about + ". Так документ выглядит в файле DOCX; разметку страницы задаёт Word.");
        document_preview(h, shown->model, "Предпросмотр документа «" + spec->title + "»");
    });
}

// ---- a municipality's batch -------------------------------------------------------------------

std::string batch_path(std::string_view m, std::string_view job) { return documents_path(m) + "/batch/" + std::string(job); }

Response start_batch(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const Form form(ctx.body);
    const auto date = date_field(form["date"]);
    // With PDF: every document in all three formats, as the single document's archive; without:
    // the formats the municipality's data declare.
    std::vector<std::string> formats;
    if (form["pdf"] == "1") formats = {"docx", "xlsx", "pdf"};
    const server::JobStatus s = svc(ctx).start_job(mid, {}, date, ctx.who().login, std::move(formats));
    return redirect(batch_path(mid, s.id));
}

std::string state_title(std::string_view state) {
    if (state == "queued") return "в очереди";
    if (state == "running") return "идёт сборка";
    if (state == "done") return "готово";
    if (state == "failed") return "ошибка";
    return std::string(state);
}

// The progress page of a job (a municipality's or the region's): the <progress> element, the
// state in words, then the archive's link, or the error; `back` the page it was started from.
Response job_page(Context& ctx, const server::JobStatus& s, const std::string& self, const std::string& back,
                  const std::string& back_text) {
    const bool finished = s.state == "done" || s.state == "failed";
    Response r = page(ctx, s.region_wide() ? "Годовой пакет документов региона" : "Пакетная сборка документов", [&](Html& h) {
        h.open("p").element("a", {{"href", back}}, "← " + back_text).close();
        h.open("div", {{"class", "job"}, {"id", "job"}, {"data-job", "/api/jobs/" + s.id}, {"data-state", s.state}});
        const std::string done = std::to_string(s.done), total = std::to_string(std::max<std::size_t>(s.total, 1));
        h.element("label", {{"for", "job-progress"}}, "Ход сборки");
        h.open("progress", {{"id", "job-progress"}, {"max", total}, {"value", done, s.total > 0}})
            .text(group_digits(static_cast<long long>(s.done)) + " из " + group_digits(static_cast<long long>(s.total)))
            .close();
        h.open("p", {{"id", "job-text"}, {"role", "status"}});
        h.text("Состояние: " + state_title(s.state) + "; собрано " + group_digits(static_cast<long long>(s.done)) + " из " +
               count(static_cast<long long>(s.total), "документа", "документов", "документов") + ".");
        h.close();
        h.close();
        if (s.state == "done") {
            h.open("p").element("a", {{"href", "/api/jobs/" + s.id + "/result"}, {"class", "download"}, {"download", ""}},
                                "Скачать архив (ZIP)").close();
            if (!s.note.empty()) h.element("p", {{"class", "error-box"}, {"role", "alert"}}, "Внимание: " + s.note + ".");
        } else if (s.state == "failed") {
            h.element("p", {{"class", "error-box"}, {"role", "alert"}}, s.error);
        }
        if (!finished) h.open("p").element("a", {{"href", self}, {"id", "job-refresh"}}, "Обновить").close();
        if (!finished) h.open("script", {{"src", "/static/job.js"}, {"defer", ""}}).close();
    });
    if (!finished) {
        // This page alone may run our own script (job.js), which reads the job's JSON.
        for (auto& [k, v] : r.headers) {
            if (k == "Content-Security-Policy") v += "; script-src 'self'; connect-src 'self'";
        }
    }
    return r;
}

Response batch_page(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto s = svc(ctx).job(ctx.param("job"));
    if (!s || s->municipality != mid) throw Error(ErrorId::server_not_found, "", {}, "", "задания нет");
    return job_page(ctx, *s, batch_path(mid, s->id), documents_path(mid), "Все документы");
}

// ---- the region's annual package --------------------------------------------------------------

constexpr std::string_view kRegionBatch = "/region/batch";

Response start_region_batch(Context& ctx) {
    const Form form(ctx.body);
    const auto date = date_field(form["date"]);
    const server::JobStatus s = svc(ctx).start_region_job(server::region_members(*ctx.services.accounts), {}, date, ctx.who().login);
    return redirect(std::string(kRegionBatch) + "/" + s.id);
}

Response region_batch_page(Context& ctx) {
    const auto s = svc(ctx).job(ctx.param("job"));
    if (!s || !s->region_wide()) throw Error(ErrorId::server_not_found, "", {}, "", "задания нет");
    return job_page(ctx, *s, std::string(kRegionBatch) + "/" + s->id, "/region", "Регион");
}

Response job_script(Context&) { return asset("job.js", "text/javascript; charset=utf-8"); }

constexpr Roles kReaders{Role::region, Role::coordinator, Role::school};
constexpr Roles kBatch{Role::region, Role::coordinator};

constexpr Route kPages[] = {
    {"GET", "/municipalities/{municipality}/documents/{document}", kReaders, Scope::municipality, document_page,
     "документ: дата, предпросмотр, скачивание DOCX, XLSX, PDF, ZIP"},
    {"POST", "/municipalities/{municipality}/documents/batch", kBatch, Scope::municipality, start_batch,
     "начать пакетную сборку документов муниципалитета"},
    {"GET", "/municipalities/{municipality}/documents/batch/{job}", kBatch, Scope::municipality, batch_page,
     "ход пакетной сборки и её архив"},
    {"POST", "/region/batch", Roles{Role::region}, Scope::none, start_region_batch,
     "начать сборку годового пакета документов региона"},
    {"GET", "/region/batch/{job}", Roles{Role::region}, Scope::none, region_batch_page,
     "ход сборки годового пакета региона и его архив"},
    {"GET", "/static/job.js", Roles::public_route(), Scope::none, job_script, "сценарий страницы пакетной сборки"},
};

}  // namespace

void batch_form(Html& h, const Context& ctx, std::string_view municipality) {
    h.open("section", {{"aria-labelledby", "batch"}});
    h.element("h2", {{"id", "batch"}}, "Все документы муниципалитета одним архивом");
    h.element("p", "Пакетная сборка: каждый документ (и каждый документ каждой школы-участника) в форматах, "
                   "указанных в данных муниципалитета; ход сборки виден на следующей странице.");
    open_post_form(h, ctx, documents_path(municipality) + "/batch", "filters");
    h.open("div", {{"class", "field"}}).element("label", {{"for", "batch-date"}}, "Дата документов (необязательно)");
    h.empty("input", {{"type", "date"}, {"id", "batch-date"}, {"name", "date"}}).close();
    if (svc(ctx).pdf().unavailable_reason().empty()) {
        h.open("div", {{"class", "field check"}});
        h.empty("input", {{"type", "checkbox"}, {"id", "batch-pdf"}, {"name", "pdf"}, {"value", "1"}});
        h.element("label", {{"for", "batch-pdf"}}, "Добавить PDF каждого документа (для печати; сборка дольше)");
        h.close();
    }
    h.element("button", {{"type", "submit"}}, "Собрать архив");
    h.close();
    h.close();
}

void region_batch_form(Html& h, const Context& ctx) {
    h.open("section", {{"aria-labelledby", "region-batch"}});
    h.element("h2", {{"id", "region-batch"}}, "Годовой пакет документов региона");
    h.element("p", "Все документы каждого муниципалитета (и каждой школы-участника) в DOCX и XLSX одним архивом, "
                   "по папке на муниципалитет. Муниципалитет, данные которого не собираются, в архив не попадает: "
                   "его ошибки — в файле «ошибки.txt» архива. Ход сборки виден на следующей странице.");
    open_post_form(h, ctx, kRegionBatch, "filters");
    h.open("div", {{"class", "field"}}).element("label", {{"for", "region-batch-date"}}, "Дата документов (необязательно)");
    h.empty("input", {{"type", "date"}, {"id", "region-batch-date"}, {"name", "date"}}).close();
    h.element("button", {{"type", "submit"}}, "Собрать пакет региона");
    h.close();
    h.close();
}

std::span<const server::Route> documents_pages() { return kPages; }

}  // namespace ppko::web
