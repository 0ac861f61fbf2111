// One XML part of a package through Poco's SAX parser (expat), set up for untrusted input: a
// document with a DOCTYPE is refused outright (so no entity is ever declared, let alone expanded
// — billion laughs and external entities stop before they start), names are matched without
// their prefix (x:c and c alike; transitional and strict OOXML alike), nesting is bounded.
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "sheets/limits.h"

namespace Poco::XML {
class Attributes;
}

namespace ppko::sheets {

// The attributes of one element, looked up by local name ("id" finds r:id); namespace
// declarations (xmlns, xmlns:*) are never returned.
class XmlAttributes {
public:
    explicit XmlAttributes(const Poco::XML::Attributes& a) : a_(a) {}
    // The value, or `fallback` when the attribute is absent. Valid until the handler returns.
    std::string_view get(std::string_view local_name, std::string_view fallback = {}) const;
    bool has(std::string_view local_name) const;

private:
    const std::string* find(std::string_view local_name) const;
    const Poco::XML::Attributes& a_;
};

// Receives the document; every callback may throw ppko::Error, which reaches parse_xml's caller
// as it is. Names are local names (without prefix).
class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void start(std::string_view name, const XmlAttributes& attributes) = 0;
    virtual void end(std::string_view name) = 0;
    // Character data, possibly in several pieces per text node.
    virtual void text(std::string_view) {}
};

// Where a part comes from, for messages.
struct XmlSource {
    const std::string& file;  // the workbook file as the user named it
    std::string_view part;    // "xl/worksheets/sheet1.xml"
    std::string where;        // the sheet («Лист1») when the part is a sheet; may be empty
};

// Parses `in` to the end. Throws ppko::Error: sheet.unsafe (a DOCTYPE), sheet.too_large
// (elements nested deeper than limits.max_xml_depth), sheet.corrupt (not well-formed XML, with
// line and column in the part); errors thrown by the handler or by `in` pass through unchanged.
void parse_xml(std::istream& in, XmlHandler& handler, const XmlSource& source, const Limits& limits);

}  // namespace ppko::sheets
