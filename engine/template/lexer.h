// Splits template text into tokens: literal text, {{ output }}, {% statement %}, markup tags.
// {# comments #} are dropped here. Positions are line:column in characters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "template/node.h"

namespace ppko::tpl {

struct Token {
    enum class Kind { text, output, statement, open_tag, close_tag, empty_tag };
    Kind kind = Kind::text;
    Position pos;       // where the token starts
    std::string_view body;  // text: the text; output/statement: inside the braces; tags: the name
    Position body_pos;  // where `body` starts
    std::vector<Attribute> attrs;
};

// Throws ppko::Error (template.syntax / template.unclosed; json.encoding for bytes that are not
// UTF-8) naming `file`.
std::vector<Token> tokenize(std::string_view source, const std::string& file);

}  // namespace ppko::tpl
