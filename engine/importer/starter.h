// A new workspace from nothing (`ppko init`): every data file the methodology needs, with its
// wrapper key and one example record, a workspace.json with a document list, and a README.md
// in Russian that lists each file's fields with their titles from the built-in schemas.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ppko::importer {

struct StarterOptions {
    std::string authority;  // the authority's full name; "" = «Отдел образования» (an example)
    std::string year;       // the programs' academic year, "2021-2022"; the indicators describe the year before
};

// The files of the new workspace: {relative name, content}, README.md last. The result passes
// `ppko check` and renders (tests/import/run.sh). Throws ppko::Error (cli.usage) for a year that
// is not «ГГГГ-ГГГГ» with consecutive years.
std::vector<std::pair<std::string, std::string>> starter_files(const StarterOptions& opts);

}  // namespace ppko::importer
