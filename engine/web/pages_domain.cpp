// Pages over the municipality service (server/municipality_service.h): a municipality's documents
// — choose the date and format, download the file the API renders (the same route, the same
// checks). A municipality without data files gets a page that says how to load them.
#include "diag/diagnostic.h"
#include "server/municipality_service.h"
#include "server/services.h"
#include "web/page.h"
#include "web/pages.h"

namespace ppko::web {
namespace {

using server::Role;
using server::Roles;
using server::Route;
using server::Scope;

Response documents(Context& ctx) {
    const std::string& mid = ctx.param("municipality");
    const auto m = ctx.services.accounts->municipality(mid);
    const auto loaded = loaded_or_none(ctx, mid);
    const bool school = ctx.who().role == Role::school;
    return page(ctx, "Документы: " + (m ? m->name : mid), [&](Html& h) {
        if (!loaded) {
            h.element("p", "Данных муниципалитета на сервере пока нет: их загружает координатор или администратор "
                           "сервера.");
            return;
        }
        h.element("p", "Выберите дату, на которую собрать документ, и формат; без даты документ собирается на свою "
                       "дату. Файл скачивается.");
        int shown = 0;
        for (const auto& d : loaded->workspace.documents) {
            if (school && !d.per_participant) continue;
            ++shown;
            const std::string id = "d-" + d.id;
            h.open("section", {{"aria-labelledby", id}});
            h.element("h2", {{"id", id}}, d.title);
            h.open("p").element("a", {{"href", "/municipalities/" + mid + "/documents/" + d.id}}, "Предпросмотр и скачивание").close();
            h.open("form", {{"method", "get"}, {"action", "/api/municipalities/" + mid + "/documents/" + d.id}, {"class", "filters"}});
            h.open("div", {{"class", "field"}}).element("label", {{"for", id + "-date"}}, "Дата документа");
            h.empty("input", {{"type", "date"}, {"id", id + "-date"}, {"name", "date"}}).close();
            h.open("div", {{"class", "field"}}).element("label", {{"for", id + "-format"}}, "Формат");
            h.open("select", {{"id", id + "-format"}, {"name", "format"}});
            if (d.docx) h.element("option", {{"value", "docx"}}, "DOCX (Word)");
            if (d.xlsx) h.element("option", {{"value", "xlsx"}}, "XLSX (Excel)");
            h.close().close();
            h.element("button", {{"type", "submit"}}, "Скачать");
            h.close().close();
        }
        if (shown == 0) h.element("p", "Документов для этой учётной записи нет.");
        if (!school) batch_form(h, ctx, mid);
    });
}

constexpr Route kPages[] = {
    {"GET", "/municipalities/{municipality}/documents", Roles{Role::region, Role::coordinator, Role::school},
     Scope::municipality, documents, "документы муниципалитета: дата, формат, скачивание"},
};

}  // namespace

std::span<const server::Route> domain_pages() { return kPages; }

}  // namespace ppko::web
