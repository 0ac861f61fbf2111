// The syntax tree of a compiled template. A template is a tree of markup elements (<p>, <table>,
// <ol>, …), literal text, {{ expressions }} and {% statements %}; it is built once by the parser
// (parser.cpp) and walked by the renderer (renderer.cpp) for every document.
#pragma once

#include <memory>
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

struct Macro {
    std::string name;
    std::vector<std::string> params;
    TNodes body;
    int file = 0;
    Position pos;
};

}  // namespace ppko::tpl
