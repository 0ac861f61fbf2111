#include "document/layout_profile.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string_view>
#include <variant>

#include "diag/diagnostic.h"

// Contract of parse_layout_profile (beyond the header):
//  - the text must be a JSON object; its keys are the field names of LayoutProfile;
//  - a key that is absent keeps the struct's default (the values of GOST R 7.0.97-2016), so a
//    workspace may override only what differs;
//  - every unknown key (data.unknown_key), value of the wrong type (data.wrong_type) and value
//    outside its range (data.bad_value) is collected, and all of them are thrown together;
//  - JSON syntax errors (json.syntax, json.encoding) are thrown at once, with line:column
//    (1-based, the column counted in characters).
// Ranges: sizes of the page and fonts > 0; margins, indents, spacing ≥ 0; the margins leave a
// positive text width and height; stamp_indent_mm, approval_indent_mm, agreement_indent_mm <
// text width; heading_align, date_number_align, place_align are "left" or "center"; dash is «–» or
// «—», range_dash «–» or «-»; line spacings in (0, 10];
// id and font not empty.

namespace ppko::doc {
namespace {

using Json = nlohmann::ordered_json;  // diagnostics in the order of the file

struct Field {
    std::string_view key;
    std::variant<std::string LayoutProfile::*, double LayoutProfile::*, bool LayoutProfile::*>
        member;
};

const Field kFields[] = {
    {"id", &LayoutProfile::id},
    {"name", &LayoutProfile::name},
    {"page_width_mm", &LayoutProfile::page_width_mm},
    {"page_height_mm", &LayoutProfile::page_height_mm},
    {"margin_top_mm", &LayoutProfile::margin_top_mm},
    {"margin_bottom_mm", &LayoutProfile::margin_bottom_mm},
    {"margin_left_mm", &LayoutProfile::margin_left_mm},
    {"margin_right_mm", &LayoutProfile::margin_right_mm},
    {"header_distance_mm", &LayoutProfile::header_distance_mm},
    {"font", &LayoutProfile::font},
    {"font_size_pt", &LayoutProfile::font_size_pt},
    {"table_font_size_pt", &LayoutProfile::table_font_size_pt},
    {"stamp_font_size_pt", &LayoutProfile::stamp_font_size_pt},
    {"line_spacing", &LayoutProfile::line_spacing},
    {"table_line_spacing", &LayoutProfile::table_line_spacing},
    {"first_line_indent_mm", &LayoutProfile::first_line_indent_mm},
    {"space_after_pt", &LayoutProfile::space_after_pt},
    {"stamp_indent_mm", &LayoutProfile::stamp_indent_mm},
    {"list_indent_mm", &LayoutProfile::list_indent_mm},
    {"page_numbers", &LayoutProfile::page_numbers},
    {"page_number_on_first_page", &LayoutProfile::page_number_on_first_page},
    {"heading_align", &LayoutProfile::heading_align},
    {"heading_bold", &LayoutProfile::heading_bold},
    {"date_number_align", &LayoutProfile::date_number_align},
    {"place_align", &LayoutProfile::place_align},
    {"approval_indent_mm", &LayoutProfile::approval_indent_mm},
    {"agreement_indent_mm", &LayoutProfile::agreement_indent_mm},
    {"requisite_font_size_pt", &LayoutProfile::requisite_font_size_pt},
    {"typography", &LayoutProfile::typography},
    {"dash", &LayoutProfile::dash},
    {"range_dash", &LayoutProfile::range_dash},
    {"month_range_spaced", &LayoutProfile::month_range_spaced},
    {"letter_yo", &LayoutProfile::letter_yo},
};

Align align_of(std::string_view v) { return v == "left" ? Align::left : Align::center; }

std::string_view kind_name(const Json& v) {
    switch (v.type()) {
        case Json::value_t::string: return "текст";
        case Json::value_t::boolean: return "true/false";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float: return "число";
        case Json::value_t::array: return "список";
        case Json::value_t::object: return "объект";
        case Json::value_t::null: return "null";
        default: return "неизвестное значение";
    }
}

// 1-based line and column (in characters) of byte offset `byte` of `text`.
Position position_of(std::string_view text, std::size_t byte) {
    if (byte > text.size()) byte = text.size();
    Position pos{1, 1};
    for (std::size_t i = 0; i < byte; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

std::string in_quotes(std::string_view s) {
    std::string out = "«";
    out += s;
    out += "»";
    return out;
}

}  // namespace

LayoutProfile parse_layout_profile(const std::string& json_text, const std::string& file) {
    Json root;
    try {
        root = Json::parse(json_text);
    } catch (const Json::parse_error& e) {
        const bool encoding = std::string_view(e.what()).find("UTF-8") != std::string_view::npos;
        // e.byte is 1-based: the byte just read when the error was found.
        const Position pos = position_of(json_text, e.byte > 0 ? e.byte - 1 : 0);
        throw Error(encoding ? ErrorId::json_encoding : ErrorId::json_syntax, file, pos, "",
                    encoding ? "профиль оформления не в кодировке UTF-8"
                             : "ошибка в записи JSON профиля оформления");
    }

    Diagnostics problems;
    if (!root.is_object()) {
        problems.add(ErrorId::data_wrong_type, file, {}, "$",
                     "профиль оформления должен быть объектом {…}, а записано: " +
                         std::string(kind_name(root)));
        throw Error(std::move(problems));
    }

    LayoutProfile profile;
    for (const auto& item : root.items()) {
        // Named references, not a structured binding: clang 14 cannot capture one in the lambda below.
        const std::string& key = item.key();
        const nlohmann::json& value = item.value();
        const Field* field = nullptr;
        for (const Field& f : kFields)
            if (f.key == key) field = &f;
        const std::string path = "$." + key;
        if (field == nullptr) {
            problems.add(ErrorId::data_unknown_key, file, {}, path,
                         "поле " + in_quotes(key) + " не предусмотрено в профиле оформления");
            continue;
        }
        std::visit(
            [&, &value = value](auto member) {  // clang 14 cannot capture a structured binding
                using T = std::remove_reference_t<decltype(profile.*member)>;
                std::string_view expected;
                if constexpr (std::is_same_v<T, std::string>) {
                    if (value.is_string()) {
                        profile.*member = value.template get<std::string>();
                        return;
                    }
                    expected = "текст";
                } else if constexpr (std::is_same_v<T, double>) {
                    if (value.is_number()) {
                        profile.*member = value.template get<double>();
                        return;
                    }
                    expected = "число";
                } else {
                    if (value.is_boolean()) {
                        profile.*member = value.template get<bool>();
                        return;
                    }
                    expected = "true или false";
                }
                problems.add(ErrorId::data_wrong_type, file, {}, path,
                             "ожидается " + std::string(expected) + ", а записано: " +
                                 std::string(kind_name(value)));
            },
            field->member);
    }

    const auto bad = [&](std::string_view key, std::string message) {
        // Defaults are valid, so a single-field problem is always about a key of the file;
        // a key already reported as the wrong type is not reported again.
        for (const Diagnostic& d : problems.items())
            if (d.json_path.size() == key.size() + 2 && d.json_path.substr(2) == key) return;
        problems.add(ErrorId::data_bad_value, file, {}, "$." + std::string(key), std::move(message));
    };
    const auto positive = [&](std::string_view key, double v) {
        if (!(v > 0) || !std::isfinite(v)) bad(key, "значение должно быть больше нуля");
    };
    const auto non_negative = [&](std::string_view key, double v) {
        if (!(v >= 0) || !std::isfinite(v)) bad(key, "значение не может быть отрицательным");
    };
    const LayoutProfile& p = profile;
    if (p.id.empty()) bad("id", "идентификатор профиля не может быть пустым");
    if (p.font.empty()) bad("font", "не указан шрифт");
    positive("page_width_mm", p.page_width_mm);
    positive("page_height_mm", p.page_height_mm);
    non_negative("margin_top_mm", p.margin_top_mm);
    non_negative("margin_bottom_mm", p.margin_bottom_mm);
    non_negative("margin_left_mm", p.margin_left_mm);
    non_negative("margin_right_mm", p.margin_right_mm);
    non_negative("header_distance_mm", p.header_distance_mm);
    positive("font_size_pt", p.font_size_pt);
    positive("table_font_size_pt", p.table_font_size_pt);
    positive("stamp_font_size_pt", p.stamp_font_size_pt);
    non_negative("first_line_indent_mm", p.first_line_indent_mm);
    non_negative("space_after_pt", p.space_after_pt);
    non_negative("stamp_indent_mm", p.stamp_indent_mm);
    non_negative("list_indent_mm", p.list_indent_mm);
    for (const auto& [key, v] : {std::pair<std::string_view, double>{"line_spacing", p.line_spacing},
                                 {"table_line_spacing", p.table_line_spacing}}) {
        if (!(v > 0 && v <= 10)) bad(key, "межстрочный интервал должен быть больше 0 и не больше 10");
    }
    const double text_width = p.page_width_mm - p.margin_left_mm - p.margin_right_mm;
    if (!(text_width > 0))
        bad("margin_right_mm", "левое и правое поля не оставляют места для текста");
    if (!(p.page_height_mm - p.margin_top_mm - p.margin_bottom_mm > 0))
        bad("margin_bottom_mm", "верхнее и нижнее поля не оставляют места для текста");
    if (text_width > 0 && !(p.stamp_indent_mm < text_width))
        bad("stamp_indent_mm", "отступ грифа приложения больше ширины текста");
    positive("requisite_font_size_pt", p.requisite_font_size_pt);
    for (const auto& [key, v] : {std::pair<std::string_view, double>{"approval_indent_mm", p.approval_indent_mm},
                                 {"agreement_indent_mm", p.agreement_indent_mm}}) {
        non_negative(key, v);
        if (v >= 0 && text_width > 0 && !(v < text_width)) bad(key, "отступ грифа больше ширины текста");
    }
    for (const auto& [key, v] : {std::pair<std::string_view, const std::string&>{"heading_align", p.heading_align},
                                 {"date_number_align", p.date_number_align},
                                 {"place_align", p.place_align}}) {
        if (v != "left" && v != "center") bad(key, "ожидалось «left» (от левого поля) или «center» (по центру), а записано «" + v + "»");
    }

    if (p.dash != "–" && p.dash != "—") bad("dash", "ожидалось «–» (короткое тире) или «—» (длинное), а записано «" + p.dash + "»");
    if (p.range_dash != "–" && p.range_dash != "-")
        bad("range_dash", "ожидалось «–» (тире) или «-» (дефис), а записано «" + p.range_dash + "»");

    if (!problems.empty()) throw Error(std::move(problems));
    return profile;
}

std::optional<Align> requisite_align(const LayoutProfile& profile, Role role) {
    switch (role) {
        case Role::heading: return align_of(profile.heading_align);
        case Role::date_number: return align_of(profile.date_number_align);
        case Role::place: return align_of(profile.place_align);
        default: return std::nullopt;
    }
}

}  // namespace ppko::doc
