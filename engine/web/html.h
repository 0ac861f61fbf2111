// HTML written by construction: element and attribute names are string literals fixed at compile
// time (Name is consteval), and every text and attribute value passes through escaping — there
// is no call that puts caller text into the markup unescaped. Used by the web pages (page.h).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::web {

// A tag or attribute name: only a literal of the HTML name alphabet (checked at compile time).
class Name {
public:
    template <std::size_t N>
    consteval Name(const char (&s)[N]) : s_(s, N - 1) {  // NOLINT: implicit from a literal on purpose
        for (char c : s_) {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':')) throw "bad HTML name";
        }
    }
    constexpr std::string_view view() const { return s_; }

private:
    std::string_view s_;
};

// One attribute; `present` false leaves it out (for boolean attributes such as selected).
struct Attr {
    Name name;
    std::string_view value;
    bool present = true;
};
using Attrs = std::initializer_list<Attr>;

// Appends `s` escaped for text and for double-quoted attribute values: & < > " ' become entities,
// control characters other than tab and newline are dropped, invalid UTF-8 becomes U+FFFD.
void append_escaped(std::string& out, std::string_view s);

// A document written front to back. open() and close() must pair up; take() checks that they did
// (std::logic_error otherwise: a page bug, never user input).
//   Html h;
//   h.open("p", {{"class", "note"}}).text(user_name).close();
class Html {
public:
    Html& open(Name tag, Attrs attrs = {});
    Html& close();                                      // closes the innermost open element
    Html& text(std::string_view s);                     // escaped text
    Html& element(Name tag, std::string_view s);        // <tag>s</tag>
    Html& element(Name tag, Attrs attrs, std::string_view s);
    Html& empty(Name tag, Attrs attrs = {});            // a void element: <input …>
    Html& doctype();                                    // <!DOCTYPE html>
    std::string take();
    std::size_t size() const { return out_.size(); }

private:
    void start_tag(Name tag, Attrs attrs);
    std::string out_;
    std::vector<std::string_view> open_;
};

}  // namespace ppko::web
