// Templates: compiled once from text (templates/*.tpl or a workspace override), rendered many
// times into the document model. The language is described in README.md («Язык шаблонов»).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "document/model.h"
#include "expr/expr.h"
#include "io/resources.h"
#include "template/node.h"

namespace ppko::tpl {

class Template {
public:
    const std::string& name() const { return name_; }
    const std::vector<std::string>& files() const { return files_; }  // [0] is the template itself
    // Whether any expression of the template (its includes and macros too) starts with the name
    // `root` — the data it may read. A superset: loop variables and macro arguments count too.
    bool may_read(std::string_view root) const { return roots_.count(root) != 0; }
    // Whether any expression names `field` anywhere in a path (p.dynamics, dynamics[0]): what a
    // renderer must provide for it, whatever the loop variable is called.
    bool may_name(std::string_view field) const { return names_.count(field) != 0; }

private:
    std::set<std::string, std::less<>> roots_, names_;
    std::string name_;
    std::vector<std::string> files_;  // origins of the template and its includes, for messages
    TNodes root_;
    std::map<std::string, Macro, std::less<>> macros_;
    friend class Compiler;
    friend class Renderer;
    friend class Environment;
};

// The front door: owns the filter table and the cache of compiled templates.
class Environment {
public:
    explicit Environment(const io::Resources& resources);

    // Compiles "<name>.tpl" on first use; later calls return the cached template.
    // Throws ppko::Error (template.* / expr.*) with file and line:column.
    const Template& get(const std::string& name);
    // Compiles template text directly (tests, `ppko check`).
    std::unique_ptr<Template> compile(std::string_view source, const std::string& origin);

    // Renders `t` with the data roots of `context` (a JSON object) and appends the blocks to
    // `out`. Values from data are always text: they can never add blocks or markup.
    void render(const Template& t, const data::Json& context, std::vector<doc::Block>& out) const;
    // The same with the data roots in layers (JSON objects, none copied): a name is looked up in
    // each layer in order and the first that has it wins, so a small per-document layer can sit
    // over the shared data of the whole workspace. Rendering only reads the environment and the
    // compiled template: several threads may render at once with templates got beforehand.
    void render(const Template& t, std::span<const data::Json* const> layers, std::vector<doc::Block>& out) const;

    const expr::FunctionTable& filters() const { return filters_; }

private:
    const io::Resources& resources_;
    expr::FunctionTable filters_;
    expr::FunctionTable functions_;
    std::map<std::string, std::unique_ptr<Template>, std::less<>> cache_;
    friend class Compiler;
};

// The built-in filters (filters.cpp).
expr::FunctionTable make_filters();

}  // namespace ppko::tpl
