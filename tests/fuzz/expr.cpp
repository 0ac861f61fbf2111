// Fuzz target: the expression parser and evaluator. Input: one expression, parsed with the
// template filters and the rule functions, evaluated against the data of samples/demidovsky
// (templates' strict mode) and as a guard over facts (missing values are unknown), with the
// build meter a render installs.
#include <cstdint>
#include <string>

#include "expr/expr.h"
#include "fuzz_util.h"
#include "template/template.h"

using namespace ppko;

namespace {

class JsonScope final : public expr::Scope {
public:
    explicit JsonScope(const data::Json& j) : j_(j) {}
    const data::Json* find(std::string_view name) const override {
        auto it = j_.find(name);
        return it == j_.end() ? nullptr : &*it;
    }
    void names(std::vector<std::string>& out) const override {
        for (const auto& [k, v] : j_.items()) out.push_back(k);
    }

private:
    const data::Json& j_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const data::Workspace& ws = fuzz::sample_workspace();
    static const expr::FunctionTable filters = tpl::make_filters();
    static const expr::FunctionTable functions = expr::make_rule_functions();
    static const data::Json facts = data::Json::parse(R"({
        "facts": {"program_approved": {"date": "2019-10-01", "value": true}, "count": 3},
        "results": {"ege_math_fail": 31, "ege_rus_fail": 12.5, "oge_fail": null},
        "context": {"low_income": 10, "kind": "СШ"},
        "years": [true, false, true],
        "big": 9223372036854775807, "small": -9223372036854775808})");
    static const JsonScope data_scope(ws.data), fact_scope(facts);
    try {
        const auto e = expr::Expr::parse(fuzz::text(data, size), "fuzz.tpl", {1, 1}, filters, functions);
        const expr::BuildMeter meter(16u << 20);
        try {
            const expr::Value v = e.evaluate(data_scope);
            if (!v.is_missing()) (void)v->dump(-1, ' ', false, data::Json::error_handler_t::replace);
        } catch (const Error&) {
        }
        expr::AccessLog log;
        const expr::Value v = e.evaluate(fact_scope, expr::Mode::facts, &log);
        if (!v.is_missing()) (void)expr::truthy(v.get());
    } catch (const Error&) {
    }
    return 0;
}
