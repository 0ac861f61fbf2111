// multipart/form-data bodies (RFC 7578) of the web pages' upload forms: the parts by field name,
// a file part with its file name. Bounded by the server's max_body before it gets here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ppko::server {

struct FormPart {
    std::string name;       // the field's name
    std::string filename;   // a file part's name as the browser sent it ("" for a plain field)
    std::string data;       // the part's bytes
};

// The boundary of a "multipart/form-data; boundary=…" Content-Type, or "" for any other type.
std::string multipart_boundary(std::string_view content_type);

// The parts of `body`. Throws server.bad_request when the body is not multipart/form-data with
// that boundary (no closing delimiter, a part without Content-Disposition or without a name).
std::vector<FormPart> parse_multipart(std::string_view content_type, std::string_view body);

// The first part named `name`, or nullptr.
const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace ppko::server
