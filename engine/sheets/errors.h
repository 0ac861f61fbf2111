// How the spreadsheet readers report: every problem is a ppko::Error naming the file as the user
// gave it, the place («Лист1!C7», in the diagnostic's path slot) where there is one, a Russian
// message and a sheet.* id. Internal to engine/sheets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "diag/diagnostic.h"

namespace ppko::sheets::detail {

[[noreturn]] inline void fail(ErrorId id, const std::string& file, std::string where, std::string message) {
    throw Error(id, file, {}, std::move(where), std::move(message));
}

// «текст» with Russian quotes (no nesting rules: for names and values in messages).
inline std::string q(std::string_view s) { return "«" + std::string(s) + "»"; }

// A size for messages: «512 КБ», «3,5 МБ», «2 ГБ».
std::string size_text(std::uint64_t bytes);

// An integer with a space between thousands: 1048576 → «1 048 576».
std::string count_text(std::uint64_t n);

}  // namespace ppko::sheets::detail
