// The pages' static files (engine/web/assets: the style sheet), compiled into the binary at build
// time so that ppko serve needs no files beside it and fetches nothing.
#pragma once

#include <string_view>

namespace ppko::web {

struct Asset {
    std::string_view name;  // "ppko.css"
    std::string_view bytes;
};

// The asset of that name, or nullptr.
const Asset* find_asset(std::string_view name);

}  // namespace ppko::web
