// Functions of guards and decision-table inputs. Each is listed in README.md («Функции правил»).
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "expr/expr.h"
#include "text/russian.h"

namespace ppko::expr {
namespace {

const Json& want_list(const Value& v, const char* fn) {
    if (!v->is_array()) throw Failure{ErrorId::expr_type, std::string(fn) + " ожидает список, а получено " + describe(v.get())};
    return v.get();
}

// Calls f(x) for every number of the list, in order; throws at the first element that is not a
// number. Returns how many there were.
template <class F>
std::size_t each_number(const Value& v, const char* fn, F&& f) {
    const Json& list = want_list(v, fn);
    for (const auto& x : list) {
        if (!x.is_number()) throw Failure{ErrorId::expr_type, std::string(fn) + ": в списке не число, а " + describe(x)};
        f(x.get<double>());
    }
    return list.size();
}

// The smallest (or, with `largest`, the largest) number of the list: the first of equal ones;
// nullopt for an empty list.
std::optional<double> extreme(const Value& v, const char* fn, bool largest) {
    double best = 0;
    bool first = true;
    const std::size_t n = each_number(v, fn, [&](double x) {
        if (first || (largest ? best < x : x < best)) best = x;
        first = false;
    });
    if (n == 0) return std::nullopt;
    return best;
}

Json number(double d) {
    if (std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
    return d;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

text::Date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return text::Date{static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

long want_day(const Value& v, const char* fn) {
    if (v->is_string()) {
        if (auto d = text::parse_date(v->get<std::string>())) return days_from_civil(d->year, d->month, d->day);
    }
    throw Failure{ErrorId::expr_type, std::string(fn) + " ожидает дату «ГГГГ-ММ-ДД», а получено " + describe(v.get())};
}

std::string iso(text::Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

void add(FunctionTable& t, std::string name, int min, int max, std::string usage,
         std::function<Value(std::span<const Value>)> fn, bool accepts_missing = false) {
    FunctionSpec s{std::move(name), min, max, std::move(usage), std::move(fn)};
    s.accepts_missing = accepts_missing;
    t.add(std::move(s));
}

}  // namespace

const std::array<std::string_view, 3>& absence_marks() {
    static const std::array<std::string_view, 3> marks = {"не проводилась", "нет такого класса", "отменена"};
    return marks;
}

bool is_absence_mark(const Json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    for (auto m : absence_marks()) {
        if (s == m) return true;
    }
    return false;
}

FunctionTable make_rule_functions() {
    FunctionTable t;
    add(t, "exists", 1, 1, "exists(facts.program_approved) → true, если факт известен и не пуст",
        [](auto a) { return Value::own(!a[0].is_missing() && !a[0]->is_null()); }, true);
    add(t, "count", 1, 1, "count([1, 2, 3]) → 3", [](auto a) { return Value::own(static_cast<std::int64_t>(want_list(a[0], "count").size())); });
    add(t, "len", 1, 1, "len(\"текст\") → 5", [](auto a) {
        if (a[0]->is_string()) {
            std::int64_t n = 0;
            for (unsigned char c : a[0]->template get_ref<const std::string&>()) n += (c & 0xC0) != 0x80;
            return Value::own(n);
        }
        return Value::own(static_cast<std::int64_t>(want_list(a[0], "len").size()));
    });
    add(t, "sum", 1, 1, "sum([1, 2, 3]) → 6", [](auto a) {
        double s = 0;
        each_number(a[0], "sum", [&](double x) { s += x; });
        return Value::own(number(s));
    });
    // Of an empty list (every procedure absent, see applicable) there is no average, least or
    // greatest: the value is unknown («нет данных»), not an error.
    add(t, "avg", 1, 1, "avg([1, 2, 3]) → 2", [](auto a) {
        double s = 0;
        const std::size_t n = each_number(a[0], "avg", [&](double x) { s += x; });
        if (n == 0) return Value::missing("avg([])");
        return Value::own(number(s / static_cast<double>(n)));
    });
    add(t, "min", 1, 1, "min([3, 1, 2]) → 1", [](auto a) {
        const auto x = extreme(a[0], "min", false);
        return x ? Value::own(number(*x)) : Value::missing("min([])");
    });
    add(t, "max", 1, 1, "max([3, 1, 2]) → 3", [](auto a) {
        const auto x = extreme(a[0], "max", true);
        return x ? Value::own(number(*x)) : Value::missing("max([])");
    });
    add(t, "applicable", 1, 1, "applicable([31, \"не проводилась\", 12]) → [31, 12]", [](auto a) {
        const Json& list = want_list(a[0], "applicable");
        Json out = Json::array();
        for (const auto& x : list) {
            if (!is_absence_mark(x)) out.push_back(x);
        }
        return Value::own(std::move(out));
    });
    add(t, "count_at_least", 2, 2, "count_at_least([31, 12, 45], 30) → 2", [](auto a) {
        if (!a[1]->is_number()) throw Failure{ErrorId::expr_type, "count_at_least: порог должен быть числом"};
        const double limit = a[1]->template get<double>();
        std::int64_t n = 0;
        each_number(a[0], "count_at_least", [&](double x) { n += x >= limit; });
        return Value::own(n);
    });
    add(t, "date_add_days", 2, 2, "date_add_days(\"2019-05-31\", 1) → \"2019-06-01\"", [](auto a) {
        if (!a[1]->is_number_integer()) throw Failure{ErrorId::expr_type, "date_add_days: число дней должно быть целым"};
        // Dates stay within the years 1…9999 that dates are written in (±3.7 million days).
        const long days = a[1]->template get<long>();
        const long from = want_day(a[0], "date_add_days");
        static const long first = days_from_civil(1, 1, 1), last = days_from_civil(9999, 12, 31);
        if (days < first - from || days > last - from) {
            throw Failure{ErrorId::expr_overflow, "date_add_days: дата вышла бы за пределы 0001-01-01 … 9999-12-31"};
        }
        return Value::own(iso(civil_from_days(from + days)));
    });
    add(t, "days_between", 2, 2, "days_between(\"2019-05-01\", \"2019-05-31\") → 30",
        [](auto a) { return Value::own(static_cast<std::int64_t>(want_day(a[1], "days_between") - want_day(a[0], "days_between"))); });
    add(t, "years_in_row", 1, 1, "years_in_row([true, false, true, true]) → 2 (подряд к последнему году)", [](auto a) {
        const Json& xs = want_list(a[0], "years_in_row");
        std::int64_t n = 0;
        for (auto it = xs.rbegin(); it != xs.rend() && truthy(*it); ++it) ++n;
        return Value::own(n);
    });
    return t;
}

}  // namespace ppko::expr
