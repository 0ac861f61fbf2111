// The [Content_Types].xml part of an OPC package (ECMA-376 Part 2, §10.1.2): a Default for the
// .rels and .xml extensions and an Override for every other part.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ppko::docx {

namespace content_type {
inline constexpr std::string_view relationships =
    "application/vnd.openxmlformats-package.relationships+xml";
inline constexpr std::string_view xml = "application/xml";
inline constexpr std::string_view core_properties =
    "application/vnd.openxmlformats-package.core-properties+xml";
inline constexpr std::string_view extended_properties =
    "application/vnd.openxmlformats-officedocument.extended-properties+xml";
inline constexpr std::string_view document =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
inline constexpr std::string_view styles =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml";
inline constexpr std::string_view settings =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
inline constexpr std::string_view font_table =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml";
inline constexpr std::string_view numbering =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";
inline constexpr std::string_view header =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml";
}  // namespace content_type

struct PartType {
    std::string_view part_name;  // absolute part name, e.g. "/word/document.xml"
    std::string_view content_type;
};

// Replaces `out` with [Content_Types].xml overriding the type of each of `parts`, in the order
// given (pass them in a fixed order: the output is compared byte for byte).
void write_content_types(std::span<const PartType> parts, std::string& out);

}  // namespace ppko::docx
