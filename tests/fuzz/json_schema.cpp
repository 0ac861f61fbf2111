// Fuzz target: the JSON parser with positions and the schema language. Input:
//   <stem>\n<data>          data checked against the built-in schema templates/schemas/<stem>
//   <other line>\n<schema>\0<data>   a schema of its own (the schema builder is fuzzed too)
// Every problem must come out as ppko::Error; positions of all reported paths are looked up.
#include <cstdint>
#include <map>
#include <string>

#include "data/schema.h"
#include "fuzz_util.h"
#include "io/resources.h"

using namespace ppko;

namespace {

void check(const data::Schema& schema, std::string_view data_text) {
    data::JsonDocument doc = data::parse_json(data_text, "data.json");
    Diagnostics out;
    schema.validate(doc, out);
    for (const auto& d : out.items()) {
        (void)doc.position_of(d.json_path);
        (void)doc.key_position_of(d.json_path);
        (void)d.format();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const io::Resources resources;
    const std::string_view in = fuzz::text(data, size);
    const auto nl = in.find('\n');
    const std::string_view head = in.substr(0, nl);
    const std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    try {
        if (const auto r = resources.find("schemas/" + std::string(head) + ".schema.json")) {
            static std::map<std::string, data::Schema, std::less<>> built;
            auto it = built.find(head);
            if (it == built.end()) it = built.emplace(std::string(head), data::Schema::from_json(data::parse_json(r->text, r->origin))).first;
            check(it->second, rest);
        } else {
            const auto zero = rest.find('\0');
            const data::Schema schema = data::Schema::from_json(data::parse_json(rest.substr(0, zero), "x.schema.json"));
            check(schema, zero == std::string_view::npos ? std::string_view("{}") : rest.substr(zero + 1));
        }
    } catch (const Error&) {
        // Reported to the user with an id: the expected way for bad input to end.
    }
    return 0;
}
