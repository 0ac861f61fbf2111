// Fuzz target: the template lexer, compiler and renderer, and the DOCX, XLSX and text writers on
// the model it builds. Input: template text ({% include "common" %} finds the built-in one),
// rendered with the data of samples/demidovsky.
#include <cstdint>
#include <string>
#include <vector>

#include "docx/docx_writer.h"
#include "document/layout_profile.h"
#include "document/text_dump.h"
#include "fuzz_util.h"
#include "template/template.h"
#include "xlsx/xlsx_writer.h"

using namespace ppko;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const data::Workspace& ws = fuzz::sample_workspace();
    static tpl::Environment env(ws.resources);
    static const data::Json top = data::Json::parse(R"({"document": {"id": "fuzz", "title": "Документ"}, "appendix": {"number": 2},
        "workspace": {"name": "demidovsky", "title": "Демидовский район"}, "partnership": null, "academic_year": "2019-2020",
        "participants": [], "summary": []})");
    static const doc::LayoutProfile profile = [] {
        const auto r = fuzz::sample_workspace().resources.find("profiles/gost-r-7.0.97-2016.json");
        return doc::parse_layout_profile(std::string(r->text), r->origin);
    }();
    static docx::DocxWriter docx;
    static xlsx::XlsxWriter xlsx;
    static std::string bytes;
    try {
        const auto t = env.compile(fuzz::text(data, size), "fuzz.tpl");
        doc::Document d;
        const data::Json* layers[] = {&top, &ws.data};
        env.render(*t, std::span<const data::Json* const>(layers, 2), d.body);
        docx.write(d, profile, bytes);
        xlsx.write(d, profile, bytes, "fuzz.xlsx");
        (void)doc::dump_text(d);
    } catch (const Error&) {
    }
    return 0;
}
