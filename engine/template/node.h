// The syntax tree of a compiled template. A template is a tree of markup elements (<p>, <table>,
// <ol>, …), literal text, {{ expressions }} and {% statements %}; it is built once by the parser
// (parser.cpp) and walked by the renderer (renderer.cpp) for every document.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "expr/expr.h"

namespace ppko::tpl {

struct TNode;
using TNodes = std::vector<TNode>;

struct Attribute {
    std::string name;
    std::string value;
    Position pos;
    // A value written as «{{ выражение }}» (sheet and caption of a table) is evaluated when the
    // template is rendered; other attributes are fixed text.
    std::shared_ptr<const expr::Expr> dynamic;
};

struct TNode {
    enum class Kind {
        text,     // literal template text (whitespace collapsed when rendered)
        output,   // {{ expr }}
        element,  // <name attrs>children</name>
        if_,      // {% if %} … {% elif %} … {% else %} … {% endif %}
        for_,     // {% for var in expr %} … {% else %} … {% endfor %}
        set,      // {% set name = expr %}
        call,     // {% call macro(args) %}
    };
    Kind kind = Kind::text;
    int file = 0;  // index into Template::files
    Position pos;
    std::string text;   // text: the literal; element: tag name; for_: loop variable; set: name; call: macro
    std::vector<Attribute> attrs;
    std::vector<expr::Expr> exprs;           // output: [e]; if_: conditions; for_: [iterable]; set: [e]; call: args
    std::vector<TNodes> branches;            // if_: one per condition (+ else); for_: [body, else]; element: [children]

    const Attribute* attr(std::string_view name) const {
        for (const auto& a : attrs) {
            if (a.name == name) return &a;
        }
        return nullptr;
    }
};

// Limits of templates (errors limit.nesting / limit.size, with the position):
struct Limits {
    // Elements and blocks ({% if %}, {% for %}, {% macro %}) open inside one another, counted
    // across includes.
    static constexpr int kMaxNesting = 100;
    // Includes inside includes, and includes in one template in all (each is compiled in place,
    // so a template that includes fifty others five levels deep would compile 50^5 copies).
    static constexpr int kMaxIncludeDepth = 16;
    static constexpr int kMaxIncludes = 256;
    // Macro calls inside macro calls (a macro that calls itself without end).
    static constexpr int kMaxCallDepth = 64;
    // Nesting while rendering: blocks, elements and macro bodies together.
    static constexpr int kMaxRenderDepth = 400;
    // One document: iterations of all its {% for %} loops, and bytes of text in it, and bytes
    // built by its expressions (expr::BuildMeter).
    static constexpr std::uint64_t kMaxLoopIterations = 1'000'000;
    static constexpr std::uint64_t kMaxTextBytes = 128ull << 20;
    static constexpr std::uint64_t kMaxBuiltBytes = 32ull << 20;
    // Columns of one table (Word's limit).
    static constexpr int kMaxColumns = 63;
};

// A numeric attribute and the range it must lie in: numbers that writers turn into sizes and
// counts are bounded where the template is compiled (and checked again where it is rendered).
struct IntAttribute {
    std::string_view name;
    int min, max;
};
// The range of attribute `name` of element `element`, or null when it is not an integer one.
const IntAttribute* int_attribute(std::string_view element, std::string_view name);
// Relative column widths: at most Limits::kMaxColumns, each positive and at most this.
inline constexpr double kMaxRelativeWidth = 1e6;

struct Macro {
    std::string name;
    std::vector<std::string> params;
    TNodes body;
    int file = 0;
    Position pos;
};

}  // namespace ppko::tpl
