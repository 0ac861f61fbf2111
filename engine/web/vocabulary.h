// Words the pages show for a workflow's ids: stage and fact titles from the built-in workflow
// definitions (workflows/*.json, embedded in the binary), read once per workflow and kept.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ppko::web {

// The stage's title («Подготовительный этап»), or the id itself when the workflow or stage is
// unknown.
std::string stage_title(std::string_view workflow, std::string_view stage);
// A fact the workflow declares, with its fields and their allowed values (what a form offers).
struct FactField {
    std::string id, title;
    std::vector<std::pair<std::string, std::string>> values;  // (id, title)
};
struct FactSpec {
    std::string id, title;
    std::vector<FactField> fields;
};
// The workflow's facts in their declared order; empty for an unknown workflow.
const std::vector<FactSpec>& facts_of(std::string_view workflow);

// The fact's title («программа утверждена приказом по школе»), or the id itself.
std::string fact_title(std::string_view workflow, std::string_view fact);

}  // namespace ppko::web
