// Charts and diagrams drawn on the server as inline SVG (no script): an indicator over the years
// with its threshold, and a workflow's stages as boxes joined by their transitions. Written with
// the Html builder, so every caller text (titles, school names) is escaped like any other.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/html.h"

namespace ppko::web {

// A number as the pages show it: 1045 → «1 045», 2.5 → «2,5».
std::string number_text(double x);

// One indicator over the years. A point has a value, or the absence mark the data holds
// («не проводилась», «нет такого класса», «отменена») — shown as that text, never drawn as zero —
// or neither (no record that year: nothing drawn).
struct ChartPoint {
    std::string label;            // the period: "2019-2020"
    std::optional<double> value;
    std::string absent;           // the mark when there is no value
};
struct Chart {
    std::string id;               // unique on the page (element ids derive from it)
    std::string title;            // the indicator's title
    std::string subject;          // whose values (the school's name), first in the description
    std::string unit;             // "%"
    std::optional<double> threshold;
    std::string threshold_label;  // «порог 30 %»
    std::vector<ChartPoint> points;
};
// <svg role="img"> with <title> and <desc>; one <circle class="mark"> per value (its own <title>
// gives the period and the value), a line through consecutive values, the threshold dashed, absence
// marks as text at their period.
void line_chart(Html& h, const Chart& c);

// A workflow drawn as boxes in their order (left to right, wrapping), each box a stage title with
// its dates; below, the transitions in words. `desc` is the diagram's text equivalent.
struct DiagramStage {
    std::string id, title, period;  // period: «01.09 – 31.10»
};
struct DiagramArrow {
    std::size_t from = 0, to = 0;   // indices into stages
    std::string when;               // the condition in words
};
void workflow_diagram(Html& h, const std::string& id, const std::string& title, const std::vector<DiagramStage>& stages,
                      const std::vector<DiagramArrow>& arrows);

}  // namespace ppko::web
