// Fuzz target: workflow definitions (workflows/*.json): loading with every check (references,
// reachability, dead ends, guards), the academic-year arithmetic on the stages' days, and the
// Mermaid and Graphviz pictures. Input: the definition's JSON.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "domain/calendar.h"
#include "workflow/workflow.h"

using namespace ppko;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const expr::FunctionTable functions = expr::make_rule_functions();
    try {
        const data::JsonDocument doc = data::parse_json(fuzz::text(data, size), "workflows/w.json");
        const workflow::Workflow w = workflow::load_workflow(doc, functions);
        const auto year = *domain::AcademicYear::parse("2019-2020");
        for (const auto& s : w.stages) {
            if (s.final) continue;
            (void)year.day(s.from);
            (void)year.day(s.to);
            for (const auto& t : s.tasks) (void)year.day(t.to);
        }
        (void)workflow::graph(w, "mermaid");
        (void)workflow::graph(w, "dot");
    } catch (const Error&) {
    }
    return 0;
}
