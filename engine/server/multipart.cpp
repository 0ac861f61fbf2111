#include "server/multipart.h"

#include <algorithm>
#include <cctype>

#include "diag/diagnostic.h"

namespace ppko::server {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

[[noreturn]] void bad(const std::string& what) {
    throw Error(ErrorId::server_bad_request, "", {}, "", "форма с файлом (multipart/form-data): " + what);
}

// The value of `key="…"` (or key=token) in a header's parameters, or "".
std::string parameter(std::string_view header, std::string_view key) {
    const std::string h = lower(header);
    std::size_t at = 0;
    while ((at = h.find(key, at)) != std::string::npos) {
        const bool starts = at == 0 || h[at - 1] == ';' || h[at - 1] == ' ' || h[at - 1] == '\t';
        const std::size_t eq = at + key.size();
        if (!starts || eq >= h.size() || h[eq] != '=') {
            at = eq;
            continue;
        }
        std::size_t v = eq + 1;
        if (v < header.size() && header[v] == '"') {
            const std::size_t end = header.find('"', v + 1);
            if (end == std::string_view::npos) return "";
            return std::string(header.substr(v + 1, end - v - 1));
        }
        std::size_t end = v;
        while (end < header.size() && header[end] != ';' && header[end] != ' ') ++end;
        return std::string(header.substr(v, end - v));
    }
    return "";
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
    if (lower(content_type.substr(0, 19)) != "multipart/form-data") return "";
    return parameter(content_type, "boundary");
}

std::vector<FormPart> parse_multipart(std::string_view content_type, std::string_view body) {
    const std::string boundary = multipart_boundary(content_type);
    if (boundary.empty() || boundary.size() > 200) bad("ожидался заголовок Content-Type с параметром boundary");
    const std::string delimiter = "--" + boundary;
    std::vector<FormPart> parts;
    std::size_t at = body.find(delimiter);
    if (at == std::string_view::npos) bad("нет ни одной части");
    for (;;) {
        at += delimiter.size();
        if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
        if (body.substr(at, 2) != "\r\n") bad("после разделителя нет перевода строки");
        at += 2;
        const std::size_t head_end = body.find("\r\n\r\n", at);
        if (head_end == std::string_view::npos) bad("у части нет заголовков");
        FormPart part;
        bool named = false;
        for (std::size_t line = at; line < head_end;) {
            std::size_t eol = body.find("\r\n", line);
            if (eol == std::string_view::npos || eol > head_end) eol = head_end;
            const std::string_view h = body.substr(line, eol - line);
            if (lower(h.substr(0, 20)) == "content-disposition:") {
                part.name = parameter(h, "name");
                part.filename = parameter(h, "filename");
                named = !part.name.empty();
            }
            line = eol + 2;
        }
        if (!named) bad("у части нет Content-Disposition с именем поля");
        const std::size_t data = head_end + 4;
        // The part ends at CRLF, the delimiter and then CRLF or "--" (a line that merely starts
        // like the delimiter is data).
        std::size_t next = data;
        for (;; ++next) {
            next = body.find("\r\n" + delimiter, next);
            if (next == std::string_view::npos) bad("нет завершающего разделителя");
            const std::string_view after = body.substr(next + 2 + delimiter.size(), 2);
            if (after == "\r\n" || after == "--") break;
        }
        part.data = std::string(body.substr(data, next - data));
        parts.push_back(std::move(part));
        at = next + 2;
    }
}

const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name) {
    for (const auto& p : parts) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

}  // namespace ppko::server
