#include <cstdlib>

#include "diag/diagnostic.h"
#include "store/store.h"

namespace ppko::store {
namespace fs = std::filesystem;

namespace {

// An environment variable's value, or empty when it is unset or empty.
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

}  // namespace

fs::path default_state_path(std::string_view workspace_name) {
    if (workspace_name.empty() || workspace_name == "." || workspace_name == ".." ||
        workspace_name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
        throw Error(ErrorId::internal, "", {}, "",
                    "недопустимое имя папки данных для файла состояния: «" + std::string(workspace_name) + "»");
    }
    fs::path dir;
    if (std::string d = env("PPKO_STATE_DIR"); !d.empty()) {
        dir = d;
    } else if (std::string x = env("XDG_STATE_HOME"); !x.empty() && fs::path(x).is_absolute()) {
        dir = fs::path(x) / "ppko";
    } else if (std::string h = env("HOME"); !h.empty()) {
        dir = fs::path(h) / ".local" / "state" / "ppko";
    } else {
        throw Error(ErrorId::io_write, "", {}, "",
                    "не удаётся выбрать папку для файла состояния: не задана переменная окружения HOME; "
                    "укажите файл в --state или папку в PPKO_STATE_DIR");
    }
    return dir / (std::string(workspace_name) + ".sqlite");
}

}  // namespace ppko::store
