// The built-in filters of the template language. Each one is listed in README.md («Фильтры»)
// with an input and its output; tests/template_test.cpp checks those examples.
#include <algorithm>
#include <cmath>

#include "template/template.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::tpl {
namespace {

using data::Json;
using expr::Failure;
using expr::Value;

const std::string& want_string(const Value& v, const char* what) {
    if (!v->is_string()) throw Failure{ErrorId::expr_type, std::string("ожидался ") + what + ", а получено " + expr::describe(v.get())};
    return v->get_ref<const std::string&>();
}

text::Date want_date(const Value& v) {
    const std::string& s = want_string(v, "текст с датой ДД.ММ.ГГГГ");
    auto d = text::parse_date(s);
    if (!d) throw Failure{ErrorId::data_bad_date, "«" + s + "» — не дата в виде ДД.ММ.ГГГГ или такой даты нет"};
    return *d;
}

text::YearMonth want_month(const Value& v) {
    const std::string& s = want_string(v, "месяц ГГГГ-ММ");
    auto m = text::parse_year_month(s);
    if (!m) throw Failure{ErrorId::data_bad_date, "«" + s + "» — не месяц в виде ГГГГ-ММ"};
    return *m;
}

std::int64_t want_int(const Value& v, const char* what) {
    if (v->is_number_integer()) return v->get<std::int64_t>();
    // A whole float in the range of int64 (the cast of a larger one would be undefined).
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (d >= -9.2e18 && d <= 9.2e18 && d == std::floor(d)) return static_cast<std::int64_t>(d);
    }
    if (v->is_array() || v->is_object()) return static_cast<std::int64_t>(v->size());
    throw Failure{ErrorId::expr_type, std::string("ожидалось ") + what + ", а получено " + expr::describe(v.get())};
}

// Russian and Latin letters change case; everything else stays.
std::string change_case(std::string_view s, bool upper) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::decode(s, i);
        if (upper) {
            if ((c >= U'a' && c <= U'z') || (c >= U'а' && c <= U'я')) c -= 32;
            else if (c == U'ё') c = U'Ё';
        } else {
            if ((c >= U'A' && c <= U'Z') || (c >= U'А' && c <= U'Я')) c += 32;
            else if (c == U'Ё') c = U'ё';
        }
        text::append_utf8(out, c);
    }
    return out;
}

void add(expr::FunctionTable& t, std::string name, int min, int max, std::string usage,
         std::function<Value(std::span<const Value>)> fn) {
    t.add(expr::FunctionSpec{std::move(name), min, max, std::move(usage), std::move(fn)});
}

}  // namespace

expr::FunctionTable make_filters() {
    expr::FunctionTable t;
    add(t, "date", 1, 1, "{{ order.date | date }} → 01.03.2018",
        [](auto a) { return Value::own(text::format_date_short(want_date(a[0]))); });
    add(t, "date_long", 1, 1, "{{ order.date | date_long }} → 1 марта 2018 года",
        [](auto a) { return Value::own(text::format_date_long(want_date(a[0]))); });
    add(t, "year", 1, 1, "{{ order.date | year }} → 2018", [](auto a) {
        if (a[0]->is_string()) {
            if (auto d = text::parse_date(a[0]->template get<std::string>())) return Value::own(d->year);
            if (auto m = text::parse_year_month(a[0]->template get<std::string>())) return Value::own(m->year);
        }
        throw Failure{ErrorId::expr_type, "ожидалась дата ДД.ММ.ГГГГ или месяц ГГГГ-ММ"};
    });
    add(t, "month_name", 1, 1, "{{ stage.from | month_name }} → январь", [](auto a) {
        const std::int64_t m = a[0]->is_number_integer() ? a[0]->template get<std::int64_t>() : want_month(a[0]).month;
        if (m < 1 || m > 12) throw Failure{ErrorId::expr_bad_argument, "номер месяца должен быть от 1 до 12"};
        return Value::own(std::string(text::month_nominative(static_cast<int>(m))));
    });
    add(t, "month_range", 2, 2, "{{ stage.from | month_range(stage.to) }} → январь-февраль 2018 года", [](auto a) {
        if (a[0]->is_number_integer() && a[1]->is_number_integer()) {
            const auto f = a[0]->template get<std::int64_t>(), l = a[1]->template get<std::int64_t>();
            if (f < 1 || f > 12 || l < 1 || l > 12) throw Failure{ErrorId::expr_bad_argument, "номер месяца должен быть от 1 до 12"};
            return Value::own(text::month_range(static_cast<int>(f), static_cast<int>(l)));
        }
        return Value::own(text::month_range(want_month(a[0]), want_month(a[1])));
    });
    add(t, "initials", 1, 1, "{{ \"Ковальская Т.И.\" | initials }} → Т.И. Ковальская",
        [](auto a) { return Value::own(text::initials_before(want_string(a[0], "текст с именем"))); });
    add(t, "surname_initials", 1, 1, "{{ \"Борисенкова Юлия Николаевна\" | surname_initials }} → Борисенкова Ю.Н.",
        [](auto a) { return Value::own(text::initials_after(want_string(a[0], "текст с именем"))); });
    add(t, "plural", 4, 4, "{{ n | plural(\"школа\", \"школы\", \"школ\") }} → школы (для n = 2)", [](auto a) {
        const auto n = want_int(a[0], "число");
        return Value::own(std::string(text::plural_form(n, want_string(a[1], "текст"), want_string(a[2], "текст"),
                                                         want_string(a[3], "текст"))));
    });
    add(t, "number_sign", 1, 1, "{{ order.number | number_sign }} → № 43-о/д (с неразрывным пробелом)",
        [](auto a) { return Value::own(text::number_sign(a[0]->is_string() ? a[0]->template get<std::string>() : expr::to_text(a[0].get()))); });
    add(t, "place", 1, 1, "{{ authority.city | place }} → г. Демидов (место издания)",
        [](auto a) { return Value::own(text::place_of_issue(want_string(a[0], "текст с названием города"))); });
    add(t, "quote", 1, 1, "{{ \"Демидовский район\" | quote }} → «Демидовский район»",
        [](auto a) { return Value::own(text::quote(want_string(a[0], "текст"))); });
    add(t, "typo", 1, 1, "{{ text | typo }} → неразрывные пробелы после коротких предлогов и в числах",
        [](auto a) { return Value::own(text::typographic(want_string(a[0], "текст"))); });
    add(t, "upper", 1, 1, "{{ \"Приказ\" | upper }} → ПРИКАЗ",
        [](auto a) { return Value::own(change_case(want_string(a[0], "текст"), true)); });
    add(t, "lower", 1, 1, "{{ \"ПРИКАЗ\" | lower }} → приказ",
        [](auto a) { return Value::own(change_case(want_string(a[0], "текст"), false)); });
    add(t, "capitalize", 1, 1, "{{ \"отдел\" | capitalize }} → Отдел", [](auto a) {
        const std::string& s = want_string(a[0], "текст");
        std::size_t i = 0;
        if (s.empty()) return Value::own(s);
        text::decode(s, i);
        return Value::own(change_case(s.substr(0, i), true) + s.substr(i));
    });
    // The first letter in lower case, to continue a sentence («Цель: совершенствование …»),
    // unless the first word is an abbreviation («МОЦ», «ГИА-9»): two capitals in a row.
    add(t, "lower_first", 1, 1, "{{ \"Этап обобщения\" | lower_first }} → этап обобщения", [](auto a) {
        const std::string& s = want_string(a[0], "текст");
        std::size_t i = 0;
        if (s.empty()) return Value::own(s);
        text::decode(s, i);
        std::size_t j = i;
        if (j < s.size()) {
            const std::string second = s.substr(i, (text::decode(s, j), j - i));
            if (change_case(second, true) == second && change_case(second, false) != second) return Value::own(s);
        }
        return Value::own(change_case(s.substr(0, i), false) + s.substr(i));
    });
    add(t, "trim", 1, 1, "{{ \"  текст \" | trim }} → текст", [](auto a) {
        const std::string& s = want_string(a[0], "текст");
        const auto b = s.find_first_not_of(" \t\n\r");
        if (b == std::string::npos) return Value::own(std::string());
        return Value::own(s.substr(b, s.find_last_not_of(" \t\n\r") - b + 1));
    });
    add(t, "length", 1, 1, "{{ order.items | length }} → 8", [](auto a) {
        if (a[0]->is_string()) return Value::own(static_cast<std::int64_t>(text::count_code_points(a[0]->template get_ref<const std::string&>())));
        if (a[0]->is_array() || a[0]->is_object()) return Value::own(static_cast<std::int64_t>(a[0]->size()));
        if (a[0]->is_null()) return Value::own(0);
        throw Failure{ErrorId::expr_type, "длина бывает у списка или текста, а получено " + expr::describe(a[0].get())};
    });
    add(t, "default", 2, 2, "{{ school.head | default(\"—\") }} → — (если поле не заполнено)",
        [](auto a) { return a[0]->is_null() ? a[1] : a[0]; });
    add(t, "join", 2, 2, "{{ [\"МОЦ\", \"СОИРО\"] | join(\", \") }} → МОЦ, СОИРО", [](auto a) {
        if (!a[0]->is_array()) throw Failure{ErrorId::expr_type, "ожидался список, а получено " + expr::describe(a[0].get())};
        const std::string& sep = want_string(a[1], "текст-разделитель");
        std::string out;
        for (std::size_t i = 0; i < a[0]->size(); ++i) {
            if (i) out += sep;
            out += expr::to_text(a[0].get()[i]);
        }
        return Value::own(std::move(out));
    });
    add(t, "first", 1, 1, "{{ list | first }} → первый элемент", [](auto a) {
        if (!a[0]->is_array() || a[0]->empty()) throw Failure{ErrorId::expr_type, "ожидался непустой список"};
        return Value::own(a[0]->front());
    });
    add(t, "last", 1, 1, "{{ list | last }} → последний элемент", [](auto a) {
        if (!a[0]->is_array() || a[0]->empty()) throw Failure{ErrorId::expr_type, "ожидался непустой список"};
        return Value::own(a[0]->back());
    });
    return t;
}

}  // namespace ppko::tpl
