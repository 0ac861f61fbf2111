// Page geometry in WordprocessingML units, derived from the layout profile: the one place that
// turns the profile's millimetres into the twips the styles, tables and section use.
#pragma once

#include "docx/xml_writer.h"
#include "document/layout_profile.h"

namespace ppko::docx {

struct PageGeometry {
    long page_width;
    long page_height;
    long margin_top;
    long margin_right;
    long margin_bottom;
    long margin_left;
    long header;       // distance of the header from the top edge
    long text_width;   // page width minus left and right margins; what tables and tabs fill

    explicit PageGeometry(const doc::LayoutProfile& p)
        : page_width(xml::twips_from_mm(p.page_width_mm)),
          page_height(xml::twips_from_mm(p.page_height_mm)),
          margin_top(xml::twips_from_mm(p.margin_top_mm)),
          margin_right(xml::twips_from_mm(p.margin_right_mm)),
          margin_bottom(xml::twips_from_mm(p.margin_bottom_mm)),
          margin_left(xml::twips_from_mm(p.margin_left_mm)),
          header(xml::twips_from_mm(p.header_distance_mm)),
          text_width(page_width - margin_left - margin_right) {}
};

}  // namespace ppko::docx
