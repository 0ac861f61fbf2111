// A plain-text rendering of the document model, paragraph by paragraph and table by table: the
// format of the golden files (tests/data/golden/) and of `ppko render --text`. List numbers are
// computed the way Word displays them (1., 1.1., –), so a reviewer reads what will be printed.
#pragma once

#include <string>

#include "document/model.h"

namespace ppko::doc {

struct TextDumpOptions {
    bool list_numbers = true;  // false: as python-docx and pandoc see the text (numbers are Word's)
};

// Paragraphs are separated by blank lines; a line break inside a paragraph is a newline; a table
// is framed by «[таблица N×M]» … «[/таблица]» with one «| a | b |» line per row («^» marks a cell
// covered by a vertical merge); «[разрыв страницы]» marks page breaks.
std::string dump_text(const Document& doc, const TextDumpOptions& options = {});

}  // namespace ppko::doc
