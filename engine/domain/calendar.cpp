#include "domain/calendar.h"


#include "text/russian.h"

namespace ppko::domain {
namespace {

// Days since 0000-03-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil, shifted).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe);
}

struct Ymd {
    int y;
    unsigned m, d;
};

Ymd civil_from_days(std::int64_t z) {
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), m, d};
}

const std::int64_t kEpoch = days_from_civil(1, 1, 1);
const std::int64_t kLast = days_from_civil(9999, 12, 31);

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
    if (year < 1 || year > 9999 || !text::is_valid(text::Date{year, month, day})) return std::nullopt;
    return Date(static_cast<std::int32_t>(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) - kEpoch));
}

std::optional<Date> Date::parse(std::string_view s) {
    const auto d = text::parse_date(s);
    if (!d) return std::nullopt;
    return from_ymd(d->year, d->month, d->day);
}

int Date::year() const { return civil_from_days(serial_ + kEpoch).y; }
int Date::month() const { return static_cast<int>(civil_from_days(serial_ + kEpoch).m); }
int Date::day() const { return static_cast<int>(civil_from_days(serial_ + kEpoch).d); }

namespace {

// Digits into a fixed buffer: dates are formatted for every document's data, so no printf.
void put(char* at, unsigned v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) at[i] = static_cast<char>('0' + v % 10);
}

}  // namespace

std::string Date::iso() const {
    const Ymd c = civil_from_days(serial_ + kEpoch);
    std::string out(10, '-');
    put(&out[0], static_cast<unsigned>(c.y), 4);
    put(&out[5], c.m, 2);
    put(&out[8], c.d, 2);
    return out;
}

std::string Date::ru() const {
    const Ymd c = civil_from_days(serial_ + kEpoch);
    std::string out(10, '.');
    put(&out[0], c.d, 2);
    put(&out[3], c.m, 2);
    put(&out[6], static_cast<unsigned>(c.y), 4);
    return out;
}

std::optional<Date> Date::plus_days(std::int64_t days) const {
    const std::int64_t z = serial_ + kEpoch;
    if (days > kLast - z || days < kEpoch - z) return std::nullopt;
    return Date(static_cast<std::int32_t>(serial_ + days));
}

std::optional<AcademicYear> AcademicYear::from_first(int first_year) {
    if (first_year < 1 || first_year > 9998) return std::nullopt;
    AcademicYear y;
    y.first_ = first_year;
    return y;
}

std::optional<AcademicYear> AcademicYear::parse(std::string_view s) {
    if (s.size() != 9 || s[4] != '-') return std::nullopt;
    int a = 0, b = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        if (i == 4) continue;
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        (i < 4 ? a : b) = (i < 4 ? a : b) * 10 + (s[i] - '0');
    }
    if (b != a + 1) return std::nullopt;
    return from_first(a);
}

AcademicYear AcademicYear::of(Date d) {
    const int first = d.month() >= 9 ? d.year() : d.year() - 1;
    // Dates in January–August of year 1 have no academic year of their own; they fall in the
    // first one, as do dates from September 9999 (no year 9999-10000 exists).
    AcademicYear y;
    y.first_ = first < 1 ? 1 : first > 9998 ? 9998 : first;
    return y;
}

std::string AcademicYear::name() const { return std::to_string(first_) + "-" + std::to_string(first_ + 1); }
Date AcademicYear::start() const { return *Date::from_ymd(first_, 9, 1); }
Date AcademicYear::end() const { return *Date::from_ymd(first_ + 1, 8, 31); }

std::optional<Date> AcademicYear::day(std::string_view md) const {
    if (md.size() != 5 || md[2] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        if (md[i] < '0' || md[i] > '9') return std::nullopt;
    }
    const int m = (md[0] - '0') * 10 + (md[1] - '0'), d = (md[3] - '0') * 10 + (md[4] - '0');
    return Date::from_ymd(m >= 9 ? first_ : first_ + 1, m, d);
}

}  // namespace ppko::domain
