#include "io/resources.h"

#include <algorithm>
#include <cerrno>

#include "diag/diagnostic.h"
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
    // Folder by folder, so that one that cannot be read is named in the error instead of ending
    // the scan quietly (the built-in files would then be used in place of the overrides). Links
    // to folders are not followed; links to files are read as files.
    std::vector<fs::path> files, todo{dir};
    while (!todo.empty()) {
        const fs::path d = todo.back();
        todo.pop_back();
        fs::directory_iterator it(d, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code tec;
            if (it->is_symlink(tec)) {
                if (it->is_regular_file(tec)) files.push_back(it->path());
            } else if (it->is_directory(tec)) {
                todo.push_back(it->path());
            } else if (it->is_regular_file(tec)) {
                files.push_back(it->path());
            }
        }
        if (ec) {
            throw Error(ErrorId::io_read, d.string(), {}, "",
                        "не удаётся прочитать папку шаблонов: " + std::string(ec.value() == EACCES ? "нет прав на чтение" : ec.message()));
        }
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
