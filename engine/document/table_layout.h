// Tables that print: column widths and row heights from measured text, for the DOCX and XLSX
// writers alike. The template's widths are the proportions wanted; each column's longest word is
// its floor (narrower, and the word would break inside) and its widest line its ceiling (wider is
// of no use: the room goes to the columns that wrap).
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::doc {

// Line height of text in a table cell, as a multiple of the font size (Times New Roman's
// ascent + descent with Word's leading, rounded up).
inline constexpr double kTableLineFactor = 1.15;

class TableLayout {
public:
    // Fits the columns of `t` into `total_mm` (the table's full width; each column also holds
    // `padding_mm` of cell margins), measuring text at the profile's table font size:
    //  1. target = total × the column's share of Table::widths (missing ones: their mean);
    //  2. each column clamped between its floor and ceiling (plus padding); a column without
    //     text of its own (only spanned cells) has no ceiling; a floor is at most half the
    //     width (a longer «word» is a link or a code, and breaks);
    //  3. room left over goes to the columns still below their ceiling, by their weights (then,
    //     if all are at their ceiling, to all); room missing is taken from the columns above
    //     their floor, in proportion to what they have above it.
    // When the floors alone exceed the width, the floors are scaled down to it and fits() is
    // false (some word will break; the XLSX writer then turns the page). Cells spanning columns
    // do not set floors or ceilings.
    void fit(const Table& t, const LayoutProfile& profile, double total_mm, double padding_mm);
    // The profile is kept by pointer for row_height_mm(): a temporary would dangle.
    void fit(const Table&, LayoutProfile&&, double, double) = delete;

    const std::vector<double>& widths_mm() const { return widths_; }
    bool fits() const { return fits_; }
    double floors_mm() const { return floors_; }  // the sum of the floors, padding included

    // Height of row `r` of the table last fitted, millimetres: its tallest cell among those
    // starting in the row and spanning one row; a cell's paragraphs each start a line and wrap
    // at the cell's width. Single line spacing × table_line_spacing × kTableLineFactor.
    double row_height_mm(const Table& t, std::size_t r) const;
    // row_height_mm(t, r) > limit_mm, mostly without wrapping the text again: a bound from the
    // measures taken by fit() settles nearly every row.
    bool row_taller_than(const Table& t, std::size_t r, double limit_mm) const;

private:
    struct CellMeasure {
        double lines_mm = 0;  // the widest lines of its paragraphs, summed
        double word_mm = 0;   // its longest word
        std::size_t paragraphs = 0;
    };
    double line_mm() const;
    // fn(cell, inner width, index in cells_) for each cell that starts in row r and spans one
    // row; stops when fn returns false.
    template <class Fn>
    void for_each_row_cell(const Table& t, std::size_t r, Fn&& fn) const;

    const LayoutProfile* profile_ = nullptr;
    double padding_ = 0;
    std::vector<double> widths_, weights_, lo_, hi_;
    std::vector<char> measured_;
    std::vector<CellMeasure> cells_;      // every model cell, row by row
    std::vector<std::size_t> row_first_;  // index in cells_ of each row's first cell
    double floors_ = 0;
    bool fits_ = true;
    mutable std::string text_;
};

// Runs fn(text, bold) for each paragraph of a cell's blocks (a signature's lines and the
// paragraphs of nested tables count as paragraphs); `bold` when `cell_bold` or every run with text
// is bold. `scratch` holds the text between calls.
template <class Fn>
void for_each_cell_paragraph(const std::vector<Block>& blocks, bool cell_bold, std::string& scratch, Fn&& fn) {
    for (const Block& b : blocks) {
        if (const auto* p = std::get_if<Paragraph>(&b.value)) {
            scratch.clear();
            bool all_bold = true;
            for (const Run& r : p->runs) {
                scratch += r.text;
                if (!r.text.empty() && !r.bold) all_bold = false;
            }
            fn(std::string_view(scratch), cell_bold || (all_bold && !scratch.empty()));
        } else if (const auto* t = std::get_if<Table>(&b.value)) {
            for (const Row& r : t->rows) {
                for (const Cell& c : r.cells) for_each_cell_paragraph(c.blocks, cell_bold || c.bold || r.header, scratch, fn);
            }
        } else if (const auto* s = std::get_if<Signature>(&b.value)) {
            for (const auto& line : s->position_lines) fn(std::string_view(line), cell_bold);
            fn(std::string_view(s->name), cell_bold);
        }
    }
}

}  // namespace ppko::doc
