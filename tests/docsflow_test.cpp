// The documents and import pages' parts without a network: the HTML preview of a document model
// (web/preview.h), multipart/form-data bodies (server/multipart.h) and the CSRF token an upload
// form carries in one of its parts.
#include <boost/test/unit_test.hpp>

#include <string>

#include "document/table_cells.h"
#include "server/csrf.h"
#include "server/multipart.h"
#include "test_helpers.h"
#include "web/preview.h"

using namespace ppko;
using namespace ppko::testing;

namespace {

doc::Paragraph para(doc::Role role, std::string text, doc::Align align = doc::Align::justify) {
    doc::Paragraph p;
    p.role = role;
    p.align = align;
    p.runs.push_back(doc::Run{std::move(text)});
    return p;
}

doc::Paragraph item(int list, int level, std::string text, doc::ListRef::Kind kind = doc::ListRef::Kind::numbered) {
    doc::Paragraph p = para(doc::Role::list_item, std::move(text));
    p.list.kind = kind;
    p.list.list = list;
    p.list.level = level;
    return p;
}

std::string preview_of(const doc::Document& d) {
    web::Html h;
    web::document_preview(h, d, "Предпросмотр");
    return h.take();
}

// As long as a real token (longer than a short-string buffer).
const std::string kToken = "faWOK23YTB5LUsNC8N1nAjiCdz2XfbZ07jIr48Q5hIQ";
const std::string kBody =
    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nfaWOK23YTB5LUsNC8N1nAjiCdz2XfbZ07jIr48Q5hIQ\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\data\\\\rcoi.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\nШкола;Доля\r\n--XyZ not a delimiter\r\n"
    "--XyZ--\r\n";

}  // namespace

BOOST_AUTO_TEST_CASE(preview_writes_the_model_as_escaped_html) {
    doc::Document d;
    d.body.push_back(doc::Block{para(doc::Role::doc_type, "ПРИКАЗ", doc::Align::center)});
    doc::Paragraph blank = para(doc::Role::date_number, "от ", doc::Align::left);
    blank.runs.push_back(doc::Run{"[не указано: дата]", false, true});
    d.body.push_back(doc::Block{blank});
    d.body.push_back(doc::Block{para(doc::Role::heading1, "Общие <положения>")});
    d.body.push_back(doc::Block{item(0, 0, "первый")});
    d.body.push_back(doc::Block{item(0, 1, "вложенный")});
    d.body.push_back(doc::Block{item(0, 0, "второй")});
    d.body.push_back(doc::Block{item(1, 0, "пара", doc::ListRef::Kind::bulleted)});
    doc::Table t;
    t.widths = {1, 1, 1};
    doc::Row head;
    head.header = true;
    head.cells = {doc::text_cell("№", 1, 2), doc::text_cell("Школа «А» & Б", 2)};
    doc::Row row;
    row.cells = {doc::covered_cell(), doc::text_cell("1"), doc::text_cell("2")};
    t.rows = {head, row};
    d.body.push_back(doc::Block{t});
    d.body.push_back(doc::Block{doc::PageBreak{}});
    d.body.push_back(doc::Block{doc::Signature{{"Начальник", "управления"}, "И.В. Николаева"}});
    const std::string html = preview_of(d);
    BOOST_TEST(html.find("<p class=\"doc-type al-center\">ПРИКАЗ</p>") != std::string::npos);
    BOOST_TEST(html.find("<mark class=\"doc-blank\"") != std::string::npos);
    BOOST_TEST(html.find("<em>[не указано: дата]</em></mark>") != std::string::npos);
    BOOST_TEST(html.find("<mark class=\"doc-blank\" title=\"пропуск: заполняется вручную\"><em>") != std::string::npos);
    BOOST_TEST(html.find("<h3 class=\"doc-h1 al-justify\">Общие &lt;положения&gt;</h3>") != std::string::npos);
    // One <ol> for the list instance, Word's numbers: 1., 1.1., 2.; a bulleted list its dash.
    BOOST_TEST(html.find("<span class=\"doc-num\">1.</span>первый") != std::string::npos);
    BOOST_TEST(html.find("<li class=\"lvl-1\"><p class=\"doc-item al-justify\"><span class=\"doc-num\">1.1.</span>вложенный") != std::string::npos);
    BOOST_TEST(html.find("<span class=\"doc-num\">2.</span>второй") != std::string::npos);
    BOOST_TEST(html.find("<ul class=\"doc-list\"><li class=\"lvl-0\"><p class=\"doc-item al-justify\"><span class=\"doc-num\">–</span>пара") != std::string::npos);
    // Spans: the covered cell is left out, the others carry colspan/rowspan; text escaped.
    BOOST_TEST(html.find("<thead><tr><th class=\"al-left\" rowspan=\"2\">№</th><th class=\"al-left\" colspan=\"2\">Школа «А» &amp; Б</th></tr></thead>") != std::string::npos);
    BOOST_TEST(html.find("<tbody><tr><td class=\"al-left\">1</td><td class=\"al-left\">2</td></tr></tbody>") != std::string::npos);
    BOOST_TEST(html.find("<hr class=\"doc-break\"") != std::string::npos);
    BOOST_TEST(html.find("<p class=\"doc-sign-position\">Начальник<br>управления</p><p class=\"doc-sign-name\">И.В. Николаева</p>") != std::string::npos);
    BOOST_TEST(html.find("style=") == std::string::npos);  // the CSP forbids inline style
}

BOOST_AUTO_TEST_CASE(multipart_parts_by_name) {
    const std::string type = "multipart/form-data; boundary=XyZ";
    const auto parts = server::parse_multipart(type, kBody);
    BOOST_TEST_REQUIRE(parts.size() == 2u);
    BOOST_TEST(parts[0].name == "csrf");
    BOOST_TEST(parts[0].data == kToken);
    BOOST_TEST(parts[1].name == "file");
    BOOST_TEST(parts[1].filename == "C:\\\\data\\\\rcoi.csv");
    BOOST_TEST(parts[1].data == "Школа;Доля\r\n--XyZ not a delimiter");
    BOOST_TEST(server::find_part(parts, "file") == &parts[1]);
    BOOST_TEST(server::find_part(parts, "kind") == nullptr);
    BOOST_TEST(server::multipart_boundary("multipart/form-data; boundary=\"a b\"") == "a b");
    BOOST_TEST(server::multipart_boundary("application/x-www-form-urlencoded") == "");
    // Cut short, or no boundary: server.bad_request.
    BOOST_TEST(error_of([&] { server::parse_multipart(type, kBody.substr(0, 60)); }).find("[server.bad_request]") != std::string::npos);
    BOOST_TEST(error_of([&] { server::parse_multipart("multipart/form-data", kBody); }).find("[server.bad_request]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_upload_form_presents_its_csrf_part) {
    BOOST_TEST(server::presented_csrf("", "multipart/form-data; boundary=XyZ", kBody) == kToken);  // a long one: not kept in a dead vector
    BOOST_TEST(server::presented_csrf("", "multipart/form-data; boundary=XyZ", kBody.substr(0, 30)) == "");
    BOOST_TEST(server::presented_csrf("from-header", "multipart/form-data; boundary=XyZ", kBody) == "from-header");
}
