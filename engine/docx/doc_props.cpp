#include "docx/doc_props.h"

#include "docx/xml_writer.h"

namespace ppko::docx {

void write_core_properties(const doc::Document& doc, std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<cp:coreProperties"
           " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
           " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
           " xmlns:dcterms=\"http://purl.org/dc/terms/\""
           " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\""
           " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
    if (!doc.title.empty()) {
        out += "<dc:title>";
        xml::append_escaped(out, doc.title);
        out += "</dc:title>";
    }
    out += "<dc:language>ru-RU</dc:language></cp:coreProperties>";
}

void write_app_properties(std::string& out) {
    out.clear();
    out += xml::declaration;
    out += "<Properties"
           " xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
           " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
           "<Application>ppko</Application><DocSecurity>0</DocSecurity></Properties>";
}

}  // namespace ppko::docx
