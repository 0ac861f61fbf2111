#include "web/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "text/russian.h"
#include "web/format.h"

namespace ppko::web {
namespace {

std::string fixed(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", x);
    return buf;
}

// The smallest of 1, 2, 2.5, 5 × 10^k that is at least x (x > 0): the top of the value axis.
double nice_ceiling(double x) {
    const double p = std::pow(10.0, std::floor(std::log10(x)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * p >= x) return m * p;
    }
    return 10 * p;
}

// "2019-2020" → "2019/20": fits under a column.
std::string short_period(const std::string& s) {
    if (s.size() == 9 && s[4] == '-') return s.substr(0, 4) + "/" + s.substr(7, 2);
    return s;
}

// An SVG element without content: written with an end tag, since in SVG (foreign content) a start
// tag without one would hold everything after it.
void leaf(Html& h, Name tag, Attrs attrs) { h.open(tag, attrs).close(); }

}  // namespace

std::string number_text(double x) {
    if (const auto n = text::exact_integer(x)) return group_digits(*n);
    if (std::isfinite(x) && std::fabs(x) >= 1000 && std::fabs(x) < 1e15) {
        // Group the whole part: 1045.5 → «1 045,5».
        const std::string s = text::format_decimal(x);
        const auto comma = s.find(',');
        if (comma != std::string::npos) {
            const double whole = std::trunc(x);
            const std::string g = group_digits(static_cast<long long>(whole));
            return (x < 0 && whole == 0 ? "-" : "") + g + s.substr(comma);
        }
    }
    return text::format_decimal(x);
}

void line_chart(Html& h, const Chart& c) {
    constexpr double kW = 360, kH = 190, kLeft = 40, kRight = 350, kTop = 14, kBottom = 150;
    double top = c.threshold.value_or(0);
    for (const auto& p : c.points) {
        if (p.value) top = std::max(top, *p.value);
    }
    top = top > 0 ? nice_ceiling(top * 1.1) : 1;
    const std::size_t n = std::max<std::size_t>(c.points.size(), 1);
    const double step = (kRight - kLeft) / static_cast<double>(n);
    auto x_of = [&](std::size_t i) { return kLeft + step * (static_cast<double>(i) + 0.5); };
    auto y_of = [&](double v) { return kBottom - (kBottom - kTop) * std::clamp(v, 0.0, top) / top; };
    const std::string unit = c.unit.empty() ? std::string() : "\u00A0" + c.unit;

    std::string desc = c.subject.empty() ? std::string() : c.subject + ". ";
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const auto& p = c.points[i];
        if (i > 0) desc += "; ";
        desc += p.label + ": " + (p.value ? number_text(*p.value) + unit : p.absent.empty() ? "нет данных" : p.absent);
    }
    if (c.threshold) desc += ". " + c.threshold_label;
    const std::string tid = c.id + "-title", did = c.id + "-desc";
    h.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"viewbox", "0 0 360 190"},
                   {"width", fixed(kW)},
                   {"height", fixed(kH)},
                   {"role", "img"},
                   {"aria-labelledby", tid + " " + did},
                   {"class", "chart"}});
    h.element("title", {{"id", tid}}, c.title);
    h.element("desc", {{"id", did}}, desc);
    // The axes and the value ticks.
    leaf(h, "line", {{"x1", fixed(kLeft)}, {"y1", fixed(kBottom)}, {"x2", fixed(kRight)}, {"y2", fixed(kBottom)}, {"stroke", "#4a5360"}});
    leaf(h, "line", {{"x1", fixed(kLeft)}, {"y1", fixed(kTop)}, {"x2", fixed(kLeft)}, {"y2", fixed(kBottom)}, {"stroke", "#4a5360"}});
    for (double v : {0.0, top / 2, top}) {
        h.element("text", {{"x", fixed(kLeft - 4)}, {"y", fixed(y_of(v) + 4)}, {"text-anchor", "end"}, {"font-size", "10"}, {"fill", "#4a5360"}},
                  number_text(v));
    }
    if (c.threshold) {
        const std::string y = fixed(y_of(*c.threshold));
        leaf(h, "line", {{"class", "threshold"}, {"x1", fixed(kLeft)}, {"y1", y}, {"x2", fixed(kRight)}, {"y2", y},
                         {"stroke", "#a11a1a"}, {"stroke-dasharray", "5 3"}});
        h.element("text", {{"x", fixed(kLeft + 4)}, {"y", fixed(y_of(*c.threshold) - 3)}, {"text-anchor", "start"}, {"font-size", "10"},
                           {"fill", "#a11a1a"}},
                  c.threshold_label);
    }
    // The line through consecutive values (broken where a period has none).
    std::string run;
    std::size_t run_points = 0;
    auto flush = [&] {
        if (run_points > 1) leaf(h, "polyline", {{"points", run}, {"fill", "none"}, {"stroke", "#0b4f8a"}, {"stroke-width", "2"}});
        run.clear();
        run_points = 0;
    };
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        if (!c.points[i].value) {
            flush();
            continue;
        }
        run += (run.empty() ? "" : " ") + fixed(x_of(i)) + "," + fixed(y_of(*c.points[i].value));
        ++run_points;
    }
    flush();
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const auto& p = c.points[i];
        h.element("text", {{"x", fixed(x_of(i))}, {"y", fixed(kBottom + 14)}, {"text-anchor", "middle"}, {"font-size", "10"}, {"fill", "#1b1f24"}},
                  short_period(p.label));
        if (p.value) {
            h.open("circle", {{"class", "mark"}, {"cx", fixed(x_of(i))}, {"cy", fixed(y_of(*p.value))}, {"r", "4"}, {"fill", "#0b4f8a"}});
            h.element("title", p.label + ": " + number_text(*p.value) + unit).close();
        } else if (!p.absent.empty()) {
            // Written upright at the period's column, well above the axis: not a value of zero.
            h.element("text", {{"class", "absent"}, {"x", fixed(x_of(i))}, {"y", fixed(kBottom + 28)}, {"text-anchor", "middle"},
                               {"font-size", "9"}, {"fill", "#4a5360"}},
                      p.absent);
        }
    }
    h.close();
}

void workflow_diagram(Html& h, const std::string& id, const std::string& title, const std::vector<DiagramStage>& stages,
                      const std::vector<DiagramArrow>& arrows) {
    constexpr double kBoxW = 210, kBoxH = 64, kGap = 50, kPad = 10;
    constexpr std::size_t kPerRow = 4;
    const std::size_t n = std::max<std::size_t>(stages.size(), 1);
    const std::size_t rows = (n + kPerRow - 1) / kPerRow;
    const double width = kPad * 2 + static_cast<double>(std::min(n, kPerRow)) * (kBoxW + kGap) - kGap;
    const double height = kPad * 2 + static_cast<double>(rows) * (kBoxH + kGap) - kGap;
    auto box_x = [&](std::size_t i) { return kPad + static_cast<double>(i % kPerRow) * (kBoxW + kGap); };
    auto box_y = [&](std::size_t i) { return kPad + static_cast<double>(i / kPerRow) * (kBoxH + kGap); };
    std::string desc;
    for (std::size_t i = 0; i < stages.size(); ++i) desc += (i ? ", затем " : "") + stages[i].title;
    const std::string tid = id + "-title", did = id + "-desc";
    h.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"viewbox", "0 0 " + fixed(width) + " " + fixed(height)},
                   {"width", fixed(width)},
                   {"height", fixed(height)},
                   {"role", "img"},
                   {"aria-labelledby", tid + " " + did},
                   {"class", "diagram"}});
    h.element("title", {{"id", tid}}, title);
    h.element("desc", {{"id", did}}, desc);
    // Arrows between neighbours in the order (the transitions' words are listed under the diagram).
    for (const auto& a : arrows) {
        if (a.to != a.from + 1 || a.to >= stages.size() || a.from / kPerRow != a.to / kPerRow) continue;
        const double x1 = box_x(a.from) + kBoxW, x2 = box_x(a.to), y = box_y(a.from) + kBoxH / 2;
        h.open("g", {{"class", "arrow"}});
        h.element("title", "Из «" + stages[a.from].title + "» в «" + stages[a.to].title + "»: " + a.when);
        leaf(h, "line", {{"x1", fixed(x1)}, {"y1", fixed(y)}, {"x2", fixed(x2 - 8)}, {"y2", fixed(y)}, {"stroke", "#1b1f24"}, {"stroke-width", "2"}});
        leaf(h, "polygon", {{"points", fixed(x2) + "," + fixed(y) + " " + fixed(x2 - 9) + "," + fixed(y - 5) + " " + fixed(x2 - 9) + "," +
                                           fixed(y + 5)},
                            {"fill", "#1b1f24"}});
        h.close();
    }
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const auto& s = stages[i];
        const double x = box_x(i), y = box_y(i);
        h.open("g", {{"class", "stage"}});
        leaf(h, "rect", {{"x", fixed(x)}, {"y", fixed(y)}, {"width", fixed(kBoxW)}, {"height", fixed(kBoxH)}, {"rx", "6"},
                         {"fill", "#eef2f7"}, {"stroke", "#0b4f8a"}, {"stroke-width", "2"}});
        // The title on up to two lines of about 30 characters (split at a space).
        std::vector<std::string> lines;
        std::string rest = s.title;
        while (!rest.empty() && lines.size() < 2) {
            const std::size_t limit = 60;  // bytes: Cyrillic is two per letter
            if (rest.size() <= limit || lines.size() == 1) {
                lines.push_back(rest);
                break;
            }
            auto cut = rest.rfind(' ', limit);
            if (cut == std::string::npos || cut == 0) cut = rest.find(' ');
            if (cut == std::string::npos) {
                lines.push_back(rest);
                break;
            }
            lines.push_back(rest.substr(0, cut));
            rest = rest.substr(cut + 1);
        }
        double ty = y + (lines.size() > 1 ? 20 : 28);
        h.open("text", {{"x", fixed(x + kBoxW / 2)}, {"y", fixed(ty)}, {"text-anchor", "middle"}, {"font-size", "12"}, {"fill", "#1b1f24"}});
        for (std::size_t k = 0; k < lines.size(); ++k) {
            h.element("tspan", {{"x", fixed(x + kBoxW / 2)}, {"dy", k ? "15" : "0"}}, lines[k]);
        }
        h.close();
        if (!s.period.empty()) {
            h.element("text", {{"x", fixed(x + kBoxW / 2)}, {"y", fixed(y + kBoxH - 8)}, {"text-anchor", "middle"}, {"font-size", "11"},
                               {"fill", "#4a5360"}},
                      s.period);
        }
        h.close();
    }
    h.close();
}

}  // namespace ppko::web
