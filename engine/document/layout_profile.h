// Page layout profile: every geometric and typographic value of a rendered document, kept in one
// JSON file per standard edition (templates/profiles/gost-r-7.0.97-2016.json, …-2025.json).
// Writers take all their numbers from here; nothing about page geometry is hard-coded elsewhere.
#pragma once

#include <optional>
#include <string>

#include "document/model.h"

namespace ppko::doc {

struct LayoutProfile {
    std::string id = "gost-r-7.0.97-2016";
    std::string name = "ГОСТ Р 7.0.97-2016";
    // A4 portrait, millimetres.
    double page_width_mm = 210;
    double page_height_mm = 297;
    double margin_top_mm = 20;
    double margin_bottom_mm = 20;
    double margin_left_mm = 20;
    double margin_right_mm = 10;
    double header_distance_mm = 10;  // from the top edge to the page-number header

    std::string font = "Times New Roman";
    double font_size_pt = 14;        // running text
    double table_font_size_pt = 12;  // text in tables
    double stamp_font_size_pt = 12;  // the appendix stamp
    double line_spacing = 1.0;       // multiple of single spacing (GOST allows 1.0–1.5)
    double table_line_spacing = 1.0;
    double first_line_indent_mm = 12.5;
    double space_after_pt = 0;       // between body paragraphs
    double stamp_indent_mm = 100;    // left edge of the stamp block, from the left margin
    double list_indent_mm = 0;       // extra left indent of list items per level

    bool page_numbers = true;             // centred at the top
    bool page_number_on_first_page = false;  // GOST: from the second page

    // Requisites (GOST R 7.0.97-2016, section 5): where the blocks of templates/common.tpl go.
    std::string heading_align = "center";      // the authority's name (Role::heading): center|left
    bool heading_bold = true;
    std::string date_number_align = "center";  // «от 01.03.2018 № 43-о/д» (Role::date_number)
    std::string place_align = "center";        // place of issue (Role::place)
    double approval_indent_mm = 100;           // «УТВЕРЖДАЮ» block: left edge, from the left margin
    double agreement_indent_mm = 0;            // «СОГЛАСОВАНО» blocks: left edge
    double requisite_font_size_pt = 14;        // approval and agreement blocks

    // Typography (engine/document/typography.h): the pass over every document before the writers.
    bool typography = true;
    std::string dash = "–";             // the dash between words: «–» or «—»
    std::string range_dash = "–";       // in ranges of numbers, years, months: «–» or «-»
    bool month_range_spaced = true;     // «март – август» (else «март–август»)
    bool letter_yo = false;             // false: «е» for «ё», as the seeds write (except «всё»)
};

// The alignment the profile gives a requisite role (heading, date_number, place); nullopt for
// every other role, whose paragraphs keep their own alignment. Writers use it so that a template
// never decides where a requisite goes.
std::optional<Align> requisite_align(const LayoutProfile& profile, Role role);

// Reads a profile from JSON text. Unknown keys and wrong types are errors (thrown as
// ppko::Error with diagnostics naming `file`).
LayoutProfile parse_layout_profile(const std::string& json_text, const std::string& file);

}  // namespace ppko::doc
