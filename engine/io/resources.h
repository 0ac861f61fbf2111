// Templates, schemas and layout profiles: the built-in set (the files of templates/, compiled into
// the binary so `ppko` works from any folder) overlaid by a workspace's own templates/ folder.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::io {

struct Resource {
    std::string_view text;
    std::string origin;  // shown in messages: "templates/order.tpl" or the override's path
};

class Resources {
public:
    // The built-in set only.
    Resources();

    // Files under `dir` (relative names as in templates/) take precedence over built-in ones.
    // A missing folder is not an error.
    void add_override_dir(const std::filesystem::path& dir, std::string_view prefix = {});

    // `name` is relative to templates/: "order.tpl", "schemas/order.schema.json".
    std::optional<Resource> find(std::string_view name) const;
    // Names that start with `prefix`, sorted.
    std::vector<std::string> list(std::string_view prefix) const;

private:
    std::map<std::string, Resource, std::less<>> entries_;
    std::vector<std::unique_ptr<std::string>> owned_;
};

}  // namespace ppko::io
