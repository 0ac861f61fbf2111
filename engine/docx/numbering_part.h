// word/numbering.xml (ECMA-376 Part 1 §17.9): one abstract definition for numbered lists
// («1.», «1.1.», «1.1.1.» … decimal, Russian style: the number inline at the first-line indent,
// a space after it, text wrapping to the left margin) and one for bulleted lists («–»), plus one
// w:num per list instance of the document so that each instance restarts its numbering.
#pragma once

#include <span>
#include <string>

#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::docx {

inline constexpr int max_list_level = 8;  // w:ilvl 0…8; deeper ListRef levels are clamped
inline constexpr int numbered_abstract_id = 0;
inline constexpr int bulleted_abstract_id = 1;

// One list instance: a distinct doc::ListRef::list value of the document.
struct ListInstance {
    int num_id;  // w:numId, 1-based, in order of first appearance
    doc::ListRef::Kind kind;
    int start;   // first number of level 0
};

// Left indent of list level `level` (0-based), in twips: level × profile.list_indent_mm.
long list_level_left(const doc::LayoutProfile& profile, int level);

// Replaces `out` with numbering.xml defining both abstract numberings (abstractNums before nums,
// as the schema requires) and one w:num per instance, each with a w:startOverride on every level
// (level 0 starts at `start`, deeper levels at 1).
void write_numbering(const doc::LayoutProfile& profile, std::span<const ListInstance> lists,
                     std::string& out);

}  // namespace ppko::docx
