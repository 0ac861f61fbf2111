// Fuzz target: decision tables (workflows/*.json with "rules"): loading, the static checks for
// overlaps and gaps, and an evaluation with its explanation. Input: the table's JSON.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "rules/decision_table.h"

using namespace ppko;

namespace {

class Facts final : public expr::Scope {
public:
    const data::Json* find(std::string_view name) const override {
        static const data::Json j = data::Json::parse(R"({"results": {"ege_math_fail": 31, "ege_rus_fail": 44, "oge_math_fail": 5},
                                                         "context": {"low_income": 12, "kind": "СШ"},
                                                         "school": {"kind": "СШ", "students": 400}})");
        auto it = j.find(name);
        return it == j.end() ? nullptr : &*it;
    }
    void names(std::vector<std::string>&) const override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const expr::FunctionTable functions = expr::make_rule_functions();
    try {
        const data::JsonDocument doc = data::parse_json(fuzz::text(data, size), "workflows/t.json");
        const rules::DecisionTable t = rules::DecisionTable::load(doc, functions);
        const Diagnostics problems = t.check();
        for (const auto& d : problems.items()) (void)d.format();
        const Facts facts;
        const rules::Decision d = t.evaluate(facts, rules::Reads::record);
        (void)d.outputs().dump();
    } catch (const Error&) {
    }
    return 0;
}
