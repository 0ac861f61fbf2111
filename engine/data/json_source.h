// JSON with positions: a strict RFC 8259 parser that remembers where every value and every object
// key starts (line:column in characters), so that schema checks and templates can point a
// methodologist at the exact place in their file. Values are nlohmann::ordered_json (key order
// kept as written, which keeps output deterministic).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace ppko::data {

using Json = nlohmann::ordered_json;

struct JsonDocument {
    std::string file;  // as the user named it
    Json value;
    // JSON path ("$.items[2].text") → where the value starts; for object members also
    // path + "#key" → where the key's opening quote is.
    std::unordered_map<std::string, Position> positions;

    // The position of `path`, or of its nearest recorded ancestor; {0,0} if none.
    Position position_of(const std::string& path) const;
    Position key_position_of(const std::string& path) const;
};

// Parses `text`. Throws ppko::Error (json.syntax / json.encoding) naming `file` and the position
// of the first problem: JSON syntax cannot be recovered from, so only one error is reported.
// Duplicate keys in one object are an error.
JsonDocument parse_json(std::string_view text, std::string file);

// Paths in the notation used in messages: $ is the file's root, .name for identifier-like keys,
// ["key"] otherwise, [i] for array elements (0-based, as jq and JSONPath write them).
std::string path_member(const std::string& parent, std::string_view key);
std::string path_index(const std::string& parent, std::size_t index);

// A value as a methodologist would name it in a message: «текст «…»», «число 5», «список из 3 элем.».
std::string describe_value(const Json& v);

}  // namespace ppko::data
