// How the pages write numbers, dates and counts, as Russian users expect: «1 045» (a no-break
// space between groups of three digits), «22.12.2020», «3 школы» (plural agreement).
#pragma once

#include <string>
#include <string_view>

namespace ppko::web {

// 1045 → "1 045" with U+00A0; negative numbers keep their minus: -1045 → "-1 045".
std::string group_digits(long long n);
// An ISO date "2020-12-22" → "22.12.2020"; anything that is not a valid date is returned as it is.
std::string short_date(std::string_view iso);
// Seconds since 1970 → "22.12.2020 14:05 UTC".
std::string date_time_utc(long long seconds);
// "3 школы": the number grouped, then the form agreeing with it (text/russian.h plural_form).
std::string count(long long n, std::string_view one, std::string_view few, std::string_view many);

}  // namespace ppko::web
