// Typed members of JSON objects that no schema checks (workflow definitions, decision tables):
// each accessor reports a missing required member, a wrong type or an unknown key with the file,
// position and JSON path, and returns an empty value, so that a loader goes on and reports every
// problem of a file at once — and never meets a value of a type it did not expect.
#pragma once

#include <string>
#include <vector>

#include "data/json_source.h"
#include "diag/diagnostic.h"

namespace ppko::data {

class FieldReader {
public:
    FieldReader(const JsonDocument& doc, Diagnostics& out) : doc_(doc), out_(out) {}

    // A problem at the value `path` (its position in the file).
    void error(ErrorId id, const std::string& path, std::string message);

    // `obj` is an object whose keys are all among `allowed` (an unknown one is reported with the
    // nearest allowed name); false (reported) when `obj` is not an object at all.
    bool keys(const Json& obj, const std::string& path, const std::vector<std::string>& allowed);

    // Member `key` of the object at `path`: text; "" when absent or null (reported when
    // `required`) or not text (reported).
    std::string str(const Json& obj, const char* key, const std::string& path, bool required);
    // A list; an empty one when absent or null, or (reported) not a list.
    const Json& list(const Json& obj, const char* key, const std::string& path);
    // An object; an empty one when absent or null, or (reported) not an object.
    const Json& object(const Json& obj, const char* key, const std::string& path);
    // true/false; `fallback` when absent or null, or (reported) not a boolean.
    bool flag(const Json& obj, const char* key, const std::string& path, bool fallback);
    // A number; `fallback` when absent or null, or (reported) not a number.
    double number(const Json& obj, const char* key, const std::string& path, double fallback);
    // A list of texts; the texts among its elements (the others reported).
    std::vector<std::string> strings(const Json& obj, const char* key, const std::string& path);

    const JsonDocument& doc() const { return doc_; }
    Diagnostics& diagnostics() { return out_; }

private:
    // The member, or null when absent or null.
    static const Json* member(const Json& obj, const char* key);
    void wrong_type(const std::string& path, const char* expected, const Json& got);

    const JsonDocument& doc_;
    Diagnostics& out_;
};

}  // namespace ppko::data
