#include "web/html.h"

#include <stdexcept>

#include "text/utf8.h"

namespace ppko::web {

void append_escaped(std::string& out, std::string_view s) {
    std::string clean;
    text::append_sanitized(clean, s);  // invalid UTF-8 → U+FFFD
    for (char c : clean) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') || c == 0x7F) break;
                out += c;
        }
    }
}

void Html::start_tag(Name tag, Attrs attrs) {
    out_ += '<';
    out_ += tag.view();
    for (const Attr& a : attrs) {
        if (!a.present) continue;
        out_ += ' ';
        out_ += a.name.view();
        out_ += "=\"";
        append_escaped(out_, a.value);
        out_ += '"';
    }
    out_ += '>';
}

Html& Html::open(Name tag, Attrs attrs) {
    start_tag(tag, attrs);
    open_.push_back(tag.view());
    return *this;
}

Html& Html::close() {
    if (open_.empty()) throw std::logic_error("Html::close without an open element");
    out_ += "</";
    out_ += open_.back();
    out_ += '>';
    open_.pop_back();
    return *this;
}

Html& Html::text(std::string_view s) {
    append_escaped(out_, s);
    return *this;
}

Html& Html::element(Name tag, std::string_view s) { return element(tag, {}, s); }

Html& Html::element(Name tag, Attrs attrs, std::string_view s) {
    open(tag, attrs);
    text(s);
    return close();
}

Html& Html::empty(Name tag, Attrs attrs) {
    start_tag(tag, attrs);
    return *this;
}

Html& Html::doctype() {
    out_ += "<!DOCTYPE html>\n";
    return *this;
}

std::string Html::take() {
    if (!open_.empty()) throw std::logic_error("Html::take with <" + std::string(open_.back()) + "> still open");
    return std::move(out_);
}

}  // namespace ppko::web
