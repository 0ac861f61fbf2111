// Relationship parts (*.rels) of an OPC package (ECMA-376 Part 2, §9.3): _rels/.rels for the
// package and word/_rels/document.xml.rels for the main document.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ppko::docx {

namespace rel_type {
inline constexpr std::string_view office_document =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
inline constexpr std::string_view core_properties =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
inline constexpr std::string_view extended_properties =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
inline constexpr std::string_view styles =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
inline constexpr std::string_view settings =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
inline constexpr std::string_view font_table =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable";
inline constexpr std::string_view numbering =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
inline constexpr std::string_view header =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";
}  // namespace rel_type

struct Relationship {
    std::string_view id;      // unique within the part, e.g. "rId1"
    std::string_view type;    // one of rel_type
    std::string_view target;  // relative to the source part's folder
};

// Replaces `out` with a relationships part listing `rels` in the order given. Ids must be
// unique (the caller's contract; the package writer uses fixed ids).
void write_relationships(std::span<const Relationship> rels, std::string& out);

}  // namespace ppko::docx
