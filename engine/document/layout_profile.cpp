#include "document/layout_profile.h"

#include <cmath>
#include <stdexcept>
#include <string_view>
#include <variant>

#include "data/json_source.h"
#include "data/schema.h"
#include "diag/diagnostic.h"
#include "io/resources.h"

// Contract of parse_layout_profile (beyond the header):
//  - the text is read by the schema module against the built-in
//    templates/schemas/methodology/layout_profile.schema.json, like data and methodology files:
//    JSON syntax (json.syntax, json.encoding), unknown keys with the nearest name
//    (data.unknown_key), types (data.wrong_type), enumerations and plain minimums — every problem
//    with line:column and JSON path, all thrown together;
//  - a key that is absent (or null) keeps the struct's default (the values of GOST R 7.0.97-2016),
//    so a workspace may override only what differs;
//  - what a schema cannot say is checked here, at the key's position (data.bad_value): sizes of
//    the page and fonts > 0; the margins leave a positive text width and height;
//    stamp_indent_mm, approval_indent_mm, agreement_indent_mm < text width; line spacings in
//    (0, 10]; id and font not empty.

namespace ppko::doc {
namespace {

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

const data::Schema& profile_schema() {
    static const data::Schema schema = [] {
        const io::Resources builtin;
        const auto r = builtin.find("schemas/methodology/layout_profile.schema.json");
        if (!r) throw std::logic_error("the built-in layout profile schema is missing");
        return data::Schema::from_json(data::parse_json(r->text, r->origin));
    }();
    return schema;
}

}  // namespace

LayoutProfile parse_layout_profile(const std::string& json_text, const std::string& file) {
    data::JsonDocument doc = data::parse_json(std::string_view(json_text), file);
    Diagnostics problems;
    profile_schema().validate(doc, problems);
    if (!problems.empty()) throw Error(std::move(problems));

    // The schema has checked every type: the members are read as they are.
    LayoutProfile profile;
    for (const Field& f : kFields) {
        const auto it = doc.value.find(f.key);
        if (it == doc.value.end() || it->is_null()) continue;
        std::visit([&](auto member) { profile.*member = it->template get<std::remove_reference_t<decltype(profile.*member)>>(); },
                   f.member);
    }

    const auto bad = [&](std::string_view key, std::string message) {
        // Defaults are valid, so a single-field problem is always about a key of the file.
        const std::string path = "$." + std::string(key);
        problems.add(ErrorId::data_bad_value, file, doc.position_of(path), path, std::move(message));
    };
    const auto positive = [&](std::string_view key, double v) {
        if (!(v > 0) || !std::isfinite(v)) bad(key, "значение должно быть больше нуля");
    };
    // Negative values are refused by the schema ("min": 0); what is left is zero, and infinity
    // from a number too large for a double.
    const auto finite = [&](std::string_view key, double v) {
        if (!std::isfinite(v)) bad(key, "слишком большое число");
    };
    const LayoutProfile& p = profile;
    if (p.id.empty()) bad("id", "идентификатор профиля не может быть пустым");
    if (p.font.empty()) bad("font", "не указан шрифт");
    positive("page_width_mm", p.page_width_mm);
    positive("page_height_mm", p.page_height_mm);
    finite("margin_top_mm", p.margin_top_mm);
    finite("margin_bottom_mm", p.margin_bottom_mm);
    finite("margin_left_mm", p.margin_left_mm);
    finite("margin_right_mm", p.margin_right_mm);
    finite("header_distance_mm", p.header_distance_mm);
    positive("font_size_pt", p.font_size_pt);
    positive("table_font_size_pt", p.table_font_size_pt);
    positive("stamp_font_size_pt", p.stamp_font_size_pt);
    finite("first_line_indent_mm", p.first_line_indent_mm);
    finite("space_after_pt", p.space_after_pt);
    finite("stamp_indent_mm", p.stamp_indent_mm);
    finite("list_indent_mm", p.list_indent_mm);
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
        finite(key, v);
        if (text_width > 0 && !(v < text_width)) bad(key, "отступ грифа больше ширины текста");
    }
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
