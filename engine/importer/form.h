// `ppko form`: a data-entry workbook for `ppko import` — one row per school, the columns the
// import matches by title, data validation, the header locked (sheet protection, data cells
// unlocked) and an «Инструкция» sheet. README.md, «Бланки для заполнения».
#pragma once

#include <string>

#include "data/workspace.h"
#include "importer/import.h"

namespace ppko::importer {

struct FormOptions {
    Kind kind = Kind::indicators;
    std::string year;    // indicators: a prefilled, locked «Учебный год» column ("" = none: import with --year)
    std::string school;  // "" = every school of schools.json; else its code
};

// The .xlsx bytes of the form (sheet «Данные» first, then «Инструкция»). Columns: «Школа» (the
// code) and the school's name, then fields_for(kind) in order (indicators: «Учебный год» only
// with opts.year); the schools form is prefilled with schools.json's values. Validation: a list
// (from the instruction sheet) for fields with allowed values, whole/decimal between min and max
// (a warning for measures, which also take marks such as «не проводилась»), dates ≥ 01.01.1900.
// The header and the school columns are locked. Throws ppko::Error(ErrorId::cli_usage) when
// opts.school is not in schools.json.
std::string form_workbook(const data::Workspace& ws, const Vocabulary& voc, const FormOptions& opts);

}  // namespace ppko::importer
