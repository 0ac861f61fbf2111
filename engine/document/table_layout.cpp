#include "document/table_layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "document/text_metrics.h"

namespace ppko::doc {
namespace {

// Room kept beside the longest word: the applications place glyphs on their own grids (twips,
// device units), so a word measured to the hundredth of a millimetre may not fit in exactly that.
constexpr double kWordSlack = 1.03;
constexpr double kWordSlackMm = 0.5;

}  // namespace

void TableLayout::fit(const Table& t, const LayoutProfile& profile, double total_mm, double padding_mm) {
    profile_ = &profile;
    padding_ = padding_mm;
    std::size_t n = t.widths.size();
    for (const Row& r : t.rows) {
        std::size_t k = 0;
        for (const Cell& c : r.cells) k += static_cast<std::size_t>(std::max(1, c.col_span));
        n = std::max(n, k);
    }
    widths_.assign(n, 0);
    if (n == 0) return;

    // Weights: the template's widths, missing or bad ones replaced by the mean of the others.
    double given = 0;
    std::size_t given_n = 0;
    for (double w : t.widths) {
        if (std::isfinite(w) && w > 0) given += w, ++given_n;
    }
    weights_.assign(n, given_n ? given / static_cast<double>(given_n) : 1.0);
    for (std::size_t c = 0; c < n && c < t.widths.size(); ++c) {
        if (std::isfinite(t.widths[c]) && t.widths[c] > 0) weights_[c] = t.widths[c];
    }
    const double weight_sum = std::accumulate(weights_.begin(), weights_.end(), 0.0);

    // Floors and ceilings from the cells that span one column; every cell's measures for the
    // quick bound on row heights (row_taller_than).
    lo_.assign(n, 0);
    hi_.assign(n, 0);
    measured_.assign(n, 0);
    cells_.clear();
    row_first_.clear();
    const double font = profile.table_font_size_pt;
    for (const Row& r : t.rows) {
        row_first_.push_back(cells_.size());
        std::size_t c = 0;
        for (const Cell& cell : r.cells) {
            const std::size_t c0 = c;
            c += static_cast<std::size_t>(std::max(1, cell.col_span));
            CellMeasure& m = cells_.emplace_back();
            if (cell.merged_below) continue;
            const bool own = cell.col_span <= 1 && c0 < n;
            for_each_cell_paragraph(cell.blocks, cell.bold || r.header, text_, [&](std::string_view s, bool bold) {
                ++m.paragraphs;
                if (s.empty()) return;
                const TextExtent e = text_extent(s, font, bold);
                m.lines_mm += e.line_mm;
                m.word_mm = std::max(m.word_mm, e.word_mm);
                if (!own) return;
                lo_[c0] = std::max(lo_[c0], e.word_mm);
                hi_[c0] = std::max(hi_[c0], e.line_mm);
                measured_[c0] = 1;
            });
        }
    }
    // A «word» longer than half the width is not one a reader needs whole (a link, a code):
    // it may break rather than squeeze the other columns or turn the page.
    floors_ = 0;
    for (std::size_t c = 0; c < n; ++c) {
        lo_[c] = std::min(lo_[c] * kWordSlack + kWordSlackMm, total_mm / 2) + padding_mm;
        hi_[c] = measured_[c] ? std::max(lo_[c], hi_[c] + padding_mm) : HUGE_VAL;
        floors_ += lo_[c];
    }
    if (floors_ > total_mm) {
        fits_ = false;
        for (std::size_t c = 0; c < n; ++c) widths_[c] = lo_[c] * total_mm / floors_;
        return;
    }
    fits_ = true;
    for (std::size_t c = 0; c < n; ++c) widths_[c] = std::clamp(total_mm * weights_[c] / weight_sum, lo_[c], hi_[c]);

    double sum = std::accumulate(widths_.begin(), widths_.end(), 0.0);
    if (sum > total_mm) {
        double above = 0;
        for (std::size_t c = 0; c < n; ++c) above += widths_[c] - lo_[c];
        const double take = (sum - total_mm) / above;  // ≤ 1: the floors fit
        for (std::size_t c = 0; c < n; ++c) widths_[c] -= (widths_[c] - lo_[c]) * take;
    } else {
        // Room left: to the columns below their ceiling, by weight, capped there; repeat while
        // some column reached its ceiling; what still remains goes to all columns by weight.
        double room = total_mm - sum;
        for (std::size_t round = 0; round < n && room > 1e-9; ++round) {
            double w = 0;
            for (std::size_t c = 0; c < n; ++c) w += widths_[c] < hi_[c] ? weights_[c] : 0;
            if (w <= 0) break;
            double given_out = 0;
            for (std::size_t c = 0; c < n; ++c) {
                if (widths_[c] >= hi_[c]) continue;
                const double add = std::min(room * weights_[c] / w, hi_[c] - widths_[c]);
                widths_[c] += add;
                given_out += add;
            }
            room -= given_out;
        }
        if (room > 1e-9) {
            for (std::size_t c = 0; c < n; ++c) widths_[c] += room * weights_[c] / weight_sum;
        }
    }
}

double TableLayout::line_mm() const {
    return profile_->table_font_size_pt * kMmPerPt * profile_->table_line_spacing * kTableLineFactor;
}

template <class Fn>
void TableLayout::for_each_row_cell(const Table& t, std::size_t r, Fn&& fn) const {
    std::size_t c = 0, k = r < row_first_.size() ? row_first_[r] : 0;
    for (const Cell& cell : t.rows[r].cells) {
        const std::size_t index = k++, c0 = c;
        const auto span = static_cast<std::size_t>(std::max(1, cell.col_span));
        c += span;
        if (cell.merged_below || cell.row_span > 1 || c0 >= widths_.size()) continue;
        double width = -padding_;
        for (std::size_t j = c0; j < c0 + span && j < widths_.size(); ++j) width += widths_[j];
        if (!fn(cell, width, index)) return;
    }
}

bool TableLayout::row_taller_than(const Table& t, std::size_t r, double limit_mm) const {
    if (!profile_ || r >= t.rows.size() || r >= row_first_.size()) return false;
    // Bound: a paragraph of widest line L in a box W wide, no word wider than w, takes at most
    // ceil(L / (W − w)) lines (each line but the last is filled to more than W − w).
    double bound = 0;
    bool measure = false;
    for_each_row_cell(t, r, [&](const Cell&, double width, std::size_t k) {
        const CellMeasure& m = cells_[k];
        const double room = width - m.word_mm;
        if (room < 1.0) return !(measure = true);  // no useful bound: measure
        const auto paragraphs = static_cast<double>(std::max<std::size_t>(m.paragraphs, 1));
        bound = std::max(bound, (m.lines_mm / room + paragraphs) * line_mm());
        return true;
    });
    return (measure || bound > limit_mm) && row_height_mm(t, r) > limit_mm;
}

double TableLayout::row_height_mm(const Table& t, std::size_t r) const {
    if (!profile_ || r >= t.rows.size()) return 0;
    const double font = profile_->table_font_size_pt;
    const bool header = t.rows[r].header;
    double tallest = 0;
    for_each_row_cell(t, r, [&](const Cell& cell, double width, std::size_t) {
        int lines = 0;
        for_each_cell_paragraph(cell.blocks, cell.bold || header, text_, [&](std::string_view s, bool bold) {
            lines += wrapped_lines(s, width, font, bold);
        });
        tallest = std::max(tallest, std::max(lines, 1) * line_mm());
        return true;
    });
    return tallest;
}

}  // namespace ppko::doc
