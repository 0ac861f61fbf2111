#include "docx/header_part.h"

#include "docx/styles_part.h"
#include "docx/xml_writer.h"

namespace ppko::docx {
namespace {

constexpr std::string_view kHdrOpen =
    "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";

}  // namespace

void write_page_number_header(std::string& out) {
    out.clear();
    out += xml::declaration;
    out += kHdrOpen;
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += page_number_style_id;
    out += "\"/></w:pPr>"
           "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
           "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
           "<w:r><w:t>2</w:t></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
           "</w:p></w:hdr>";
}

void write_empty_header(std::string& out) {
    out.clear();
    out += xml::declaration;
    out += kHdrOpen;
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += page_number_style_id;
    out += "\"/></w:pPr></w:p></w:hdr>";
}

}  // namespace ppko::docx
