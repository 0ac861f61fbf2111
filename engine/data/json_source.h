// JSON with positions: a strict RFC 8259 parser that can say where every value and every object
// key starts (line:column in characters), so that schema checks and templates can point a
// methodologist at the exact place in their file. Values are nlohmann::ordered_json (key order
// kept as written, which keeps output deterministic).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace ppko::data {

using Json = nlohmann::ordered_json;

// Where the values and keys of a parsed text start: one compact node per JSON value, in
// document order, built by one scan of the text. Internal to JsonDocument; public for tests.
class PositionIndex {
public:
    // `text` must be JSON that parse_json accepted (the scan does not check syntax again).
    explicit PositionIndex(std::string_view text);

    // The position of the value at `path` (notation of path_member / path_index), or of its
    // nearest ancestor present in the text; {0,0} when `path` does not start at "$". With
    // `key`, the position of the member's key instead when the value itself is present and is
    // an object member.
    Position find(std::string_view text, std::string_view path, bool key) const;

    std::size_t size() const { return nodes_.size(); }

private:
    struct Node {
        Position pos;
        Position key_pos;                          // object members only
        std::uint32_t key_offset = kNone;          // byte offset of the key's opening quote
        std::uint32_t first_child = 0;             // into children_
        std::uint32_t child_count = 0;
        char kind = 0;                             // '{', '[' or 0 for a scalar
    };
    static constexpr std::uint32_t kNone = 0xFFFFFFFF;
    std::vector<Node> nodes_;                      // nodes_[0] is the root
    std::vector<std::uint32_t> children_;          // each container's children, contiguous
    friend class IndexBuilder;
};

struct JsonDocument {
    std::string file;  // as the user named it
    Json value;        // may be normalised or moved out; positions still refer to the text

    // The parsed text, kept for positions (empty for a document not made by parse_json: every
    // position is then {0,0}).
    std::string_view text() const { return text_; }

    // The position of the JSON path `path` ("$.items[2].text"), or of its nearest ancestor
    // present in the text; {0,0} if none. Paths refer to the text as written, so they stay
    // valid after `value` is normalised or moved out. The first lookup scans the text once
    // (linear time, 36 bytes per JSON value) and keeps the index; later ones only walk the
    // path. Safe to call from several threads.
    Position position_of(std::string_view path) const;
    // The position of the key of the object member at `path`; falls back to position_of(path)
    // when the value at `path` is not an object member present in the text.
    Position key_position_of(std::string_view path) const;

    // The built index, or null before the first lookup (for tests and memory figures).
    const PositionIndex* position_index() const;

private:
    friend JsonDocument parse_json(std::string&& text, std::string file);
    std::string text_;
    struct Lazy {
        std::once_flag once;
        std::unique_ptr<const PositionIndex> index;
    };
    // Shared by copies: the index depends only on the text, which never changes after parsing.
    // Null in a moved-from document.
    std::shared_ptr<Lazy> lazy_ = std::make_shared<Lazy>();
    const PositionIndex* index() const;
};

// Parses `text`. Throws ppko::Error (json.syntax / json.encoding) naming `file` and the position
// of the first problem: JSON syntax cannot be recovered from, so only one error is reported.
// Duplicate keys in one object are an error. The document keeps the text for positions: the
// std::string overload takes it over without a copy, the others copy it.
JsonDocument parse_json(std::string&& text, std::string file);
JsonDocument parse_json(std::string_view text, std::string file);
inline JsonDocument parse_json(const char* text, std::string file) { return parse_json(std::string_view(text), std::move(file)); }

// Paths in the notation used in messages: $ is the file's root, .name for identifier-like keys,
// ["key"] otherwise, [i] for array elements (0-based, as jq and JSONPath write them).
std::string path_member(const std::string& parent, std::string_view key);
std::string path_index(const std::string& parent, std::size_t index);

// A value as a methodologist would name it in a message: «текст «…»», «число 5», «список из 3 элем.».
std::string describe_value(const Json& v);

}  // namespace ppko::data
