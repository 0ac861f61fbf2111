// Dates and academic years of the domain, as values: a calendar date (proleptic Gregorian, years
// 1..9999) and an academic year («2020-2021», 1 September to 31 August). Parsing accepts what the
// data files and the command line accept; formatting gives ISO («2020-12-22») for logs and state,
// and the Russian short form («22.12.2020») for people. No function here throws or overflows: a
// value that cannot exist is an empty optional.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ppko::domain {

class Date {
public:
    Date() = default;  // 0001-01-01; use an optional where "no date" is meant
    // nullopt when the date does not exist (31.02.2018) or the year is outside 1..9999.
    static std::optional<Date> from_ymd(int year, int month, int day);
    // "2018-03-01" or "01.03.2018" (exactly these shapes), as text::parse_date.
    static std::optional<Date> parse(std::string_view s);

    int year() const;
    int month() const;
    int day() const;
    std::string iso() const;  // "2018-03-01"
    std::string ru() const;   // "01.03.2018"
    // The date `days` later (earlier for a negative count); nullopt outside years 1..9999.
    std::optional<Date> plus_days(std::int64_t days) const;
    // Days from `a` to `b` (negative when b is earlier).
    static std::int64_t days_between(Date a, Date b) { return std::int64_t{b.serial_} - a.serial_; }

    auto operator<=>(const Date&) const = default;

private:
    explicit Date(std::int32_t serial) : serial_(serial) {}
    std::int32_t serial_ = 0;  // days since 0001-01-01
};

// An academic year named by its two calendar years: «2020-2021» runs from 01.09.2020 to
// 31.08.2021 inclusive. The first year is within 1..9998, so next() of the last one is nullopt
// rather than a wrap-around.
class AcademicYear {
public:
    AcademicYear() = default;
    static std::optional<AcademicYear> from_first(int first_year);
    // "2020-2021" (the second year must be the first plus one); nullopt otherwise.
    static std::optional<AcademicYear> parse(std::string_view s);
    static AcademicYear of(Date d);  // 01.09 starts a year

    int first() const { return first_; }
    std::string name() const;  // "2020-2021"
    Date start() const;        // 01.09.first
    Date end() const;          // 31.08.first+1
    std::optional<AcademicYear> next() const { return from_first(first_ + 1); }
    std::optional<AcademicYear> prev() const { return from_first(first_ - 1); }
    bool contains(Date d) const { return start() <= d && d <= end(); }
    // The date of "MM-DD" inside this year: September–December in the first calendar year,
    // January–August in the second; nullopt for a malformed or impossible day (02-30).
    std::optional<Date> day(std::string_view month_day) const;

    auto operator<=>(const AcademicYear&) const = default;

private:
    int first_ = 2000;
};

}  // namespace ppko::domain
