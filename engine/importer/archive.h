// A workspace and its program state as one file to hand to a colleague (`ppko archive` /
// `ppko restore`): a ZIP with workspace/<files>, state/state.sqlite (when there is a state
// file) and ppko-archive.json naming the workspace. Reading is bounded (sheets::Limits) and
// every entry name is checked, so an archive never writes outside the folder it is restored to.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ppko::importer {

// The archive's bytes: every regular file under `workspace_dir` (recursively; symbolic links and
// temporary files of interrupted runs are left out), and the state file when `state` names one
// that exists. Entries are sorted and dated 1980-01-01, so the same folder gives the same bytes.
// Throws ppko::Error (io.read) when a file cannot be read.
std::string make_archive(const std::filesystem::path& workspace_dir, const std::string& workspace_name,
                         const std::optional<std::filesystem::path>& state);

struct Unpacked {
    std::string workspace_name;
    std::vector<std::pair<std::string, std::string>> files;  // path relative to the workspace → bytes
    std::optional<std::string> state;                        // the state file's bytes
};

// Reads an archive made by make_archive. Throws ppko::Error: sheet.corrupt / sheet.too_large for
// a damaged or oversized ZIP, archive.invalid for one that is not ppko's (no ppko-archive.json,
// an entry outside workspace/ and state/, a name with «..», «\», an absolute path or a bad part).
Unpacked read_archive(std::string_view bytes, const std::string& file);

}  // namespace ppko::importer
