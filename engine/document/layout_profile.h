// Page layout profile: every geometric and typographic value of a rendered document, kept in one
// JSON file per standard edition (templates/profiles/gost-r-7.0.97-2016.json, …-2025.json).
// Writers take all their numbers from here; nothing about page geometry is hard-coded elsewhere.
#pragma once

#include <string>

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
};

// Reads a profile from JSON text. Unknown keys and wrong types are errors (thrown as
// ppko::Error with diagnostics naming `file`).
LayoutProfile parse_layout_profile(const std::string& json_text, const std::string& file);

}  // namespace ppko::doc
