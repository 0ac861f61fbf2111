#include "io/resources.h"

#include <algorithm>

#include "io/atomic_file.h"

namespace ppko::io {

// Generated at build time from templates/ (see engine/io/CMakeLists.txt).
struct EmbeddedFile {
    const char* name;
    const char* data;
    std::size_t size;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

Resources::Resources() {
    for (std::size_t i = 0; i < kEmbeddedFileCount; ++i) {
        const auto& f = kEmbeddedFiles[i];
        const std::string name = f.name;
        entries_[name] = Resource{std::string_view(f.data, f.size),
                                  name.rfind("workflows/", 0) == 0 ? name : "templates/" + name};
    }
}

void Resources::add_override_dir(const std::filesystem::path& dir, std::string_view prefix) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
        owned_.push_back(std::make_unique<std::string>(read_file(p)));
        const std::string rel = std::string(prefix) + fs::relative(p, dir).generic_string();
        entries_[rel] = Resource{*owned_.back(), p.string()};
    }
}

std::optional<Resource> Resources::find(std::string_view name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Resources::list(std::string_view prefix) const {
    std::vector<std::string> out;
    for (const auto& [name, r] : entries_) {
        if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(name);
    }
    return out;
}

}  // namespace ppko::io
