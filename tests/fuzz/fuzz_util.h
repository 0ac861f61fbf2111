// Shared by the fuzz targets: the input as text, and the sample workspace whose data the
// template and expression targets render with (loaded once per process).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/workspace.h"

namespace ppko::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// samples/demidovsky, loaded on first use (PPKO_SOURCE_DIR is compiled in).
inline const data::Workspace& sample_workspace() {
    static const data::Workspace ws = data::load_workspace(std::string(PPKO_SOURCE_DIR) + "/samples/demidovsky");
    return ws;
}

}  // namespace ppko::fuzz
