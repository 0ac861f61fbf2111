// Words the pages show for a workflow's ids: stage and fact titles from the built-in workflow
// definitions (workflows/*.json, embedded in the binary), read once per workflow and kept.
#pragma once

#include <string>
#include <string_view>

namespace ppko::web {

// The stage's title («Подготовительный этап»), or the id itself when the workflow or stage is
// unknown.
std::string stage_title(std::string_view workflow, std::string_view stage);
// The fact's title («программа утверждена приказом по школе»), or the id itself.
std::string fact_title(std::string_view workflow, std::string_view fact);

}  // namespace ppko::web
