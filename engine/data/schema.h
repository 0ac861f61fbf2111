// Schemas of workspace data files (templates/schemas/<file stem>.schema.json). A schema says which
// fields a file has, their types, which are required, and a Russian title for each, so that
// loading can report every problem of a file at once in words a methodologist understands.
// The schema language is documented in README.md («Формат папки данных»).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "text/pattern.h"

namespace ppko::data {

struct SchemaNode;

struct SchemaField {
    std::string name;
    std::shared_ptr<const SchemaNode> node;
    bool required = false;
};

struct SchemaNode {
    enum class Type { string, integer, number, boolean, date, month, text, array, object, any, ref };
    Type type = Type::string;
    std::string title;                  // Russian description, shown in messages
    std::vector<std::string> enum_values;
    std::string pattern;                // regular expression a string must match (text/pattern.h)
    std::shared_ptr<const text::Pattern> pattern_regex;  // compiled once when the schema is built
    std::shared_ptr<const SchemaNode> items;  // array element
    std::size_t min_items = 0;
    bool has_min = false, has_max = false;
    double min = 0, max = 0;
    std::vector<SchemaField> fields;    // object fields, in declaration order
    std::string shorthand;              // object: a bare string stands for {shorthand: string}
    std::string ref;                    // ref: name in the schema's definitions
};

class Schema {
public:
    // Builds a schema from its JSON file; a malformed schema throws ppko::Error naming it.
    static Schema from_json(const JsonDocument& doc);

    // Checks `doc.value` against the schema and normalises it in place so templates see one
    // shape: absent optional fields become null, shorthand strings become objects, `text`
    // values become arrays of paragraphs. Every problem is appended to `out` (not only the
    // first); the value is only meaningful when no problem was added.
    void validate(JsonDocument& doc, Diagnostics& out) const;

    const std::string& title() const { return root_->title; }
    const SchemaNode& root() const { return *root_; }

private:
    std::shared_ptr<const SchemaNode> root_;
    std::map<std::string, std::shared_ptr<const SchemaNode>, std::less<>> definitions_;
    friend class Validator;
};

// The closest candidate to `word` by edit distance (in characters), or "" when none is close
// enough to be a plausible typo. Used for «возможно, имелось в виду …».
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ppko::data
