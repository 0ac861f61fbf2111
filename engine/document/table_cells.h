// Table cells for code that builds tables itself rather than through a template (tests,
// benchmarks, generated data-entry forms): one paragraph of plain text per cell.
#pragma once

#include <string>
#include <utility>

#include "document/model.h"

namespace ppko::doc {

// A cell with `text` as one Role::cell paragraph: text_cell("№ п/п", 1, 2) spans two rows.
inline Cell text_cell(std::string text, int col_span = 1, int row_span = 1) {
    Paragraph p;
    p.role = Role::cell;
    p.runs.push_back(Run{std::move(text)});
    Cell c;
    c.blocks.push_back(Block{std::move(p)});
    c.col_span = col_span;
    c.row_span = row_span;
    return c;
}

// The placeholder a cell spanning rows leaves in each row it covers below (Cell::merged_below),
// with the spanning cell's col_span.
inline Cell covered_cell(int col_span = 1) {
    Cell c = text_cell("");
    c.merged_below = true;
    c.col_span = col_span;
    return c;
}

}  // namespace ppko::doc
