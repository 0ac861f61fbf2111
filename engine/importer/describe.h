// What a workspace's methodology asks of its data, for a person who fills it (`ppko describe`),
// and the built-in files copied out so that an override starts from the real one
// (`ppko export builtin`).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "workflow/municipality.h"

namespace ppko::importer {

// Russian text: every indicator path the identification reads (with title, unit and range),
// every fact the workflow expects (with its fields' allowed values), and for each declared
// document the data files its template may read (tpl::Template::may_read; a superset).
// Throws ppko::Error when a template does not compile.
std::string describe(const workflow::Municipality& m);

// The built-in templates, schemas, profiles (→ "templates/<name>") and workflows
// (→ "workflows/<name>") as {path relative to the workspace, content}; only those whose names
// (as in templates/, or "workflows/<file>") are in `names` when it is not empty. Throws
// ppko::Error (cli.usage) naming the unknown names.
std::vector<std::pair<std::string, std::string>> builtin_files(const std::vector<std::string>& names);

}  // namespace ppko::importer
