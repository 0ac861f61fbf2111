// Data in from spreadsheets: the table on a sheet (sheets/table.h) mapped onto a workspace data
// file (indicators.json, schools.json or facts.json) and merged into it. Columns are matched by
// their titles (the ones `ppko form` writes, the schema's and the methodology's Russian titles)
// or by a mapping file; schools by code, full or short name. The result is the file's new text;
// writing it (atomically) is the caller's business. README.md, «Импорт из таблиц».
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/workspace.h"
#include "domain/vocabulary.h"
#include "rules/decision_table.h"
#include "sheets/workbook.h"

namespace ppko::importer {

enum class Kind { indicators, schools, facts };
std::optional<Kind> parse_kind(std::string_view s);  // "indicators" | "schools" | "facts"
const char* stem_of(Kind k);                           // the data file's stem: "indicators" …

// A field a column may fill: where it goes in a record and the titles a column may carry.
struct Field {
    enum class Type { text, number, integer, date, school, mark_or_number };
    std::string path;                  // "school", "results.oge_rus_fail", "students"
    std::string title;                 // the column title `ppko form` writes
    std::vector<std::string> aliases;  // other titles accepted (schema and methodology titles)
    Type type = Type::text;
    bool has_min = false, has_max = false;
    double min = 0, max = 0;
    // Allowed values: {stored value, title}; a cell may hold either. Empty: any value.
    std::vector<std::pair<std::string, std::string>> allowed;
    bool required = false;  // a row must fill it (school in indicators and facts …)
};

// What the methodology says (either may be null: then indicators take any measure named by
// path in the mapping, facts any name).
struct Vocabulary {
    const rules::DecisionTable* identification = nullptr;
    const std::vector<domain::FactSpec>* facts = nullptr;
};

// The title of `ppko form`'s reference column with the school's name: the import skips it.
inline constexpr const char* kFormNameTitle = "Наименование школы (справочно)";

// The fields of `kind`, in the order `ppko form` lays out its columns.
std::vector<Field> fields_for(Kind kind, const data::Workspace& ws, const Vocabulary& voc);

struct Options {
    Kind kind = Kind::indicators;
    std::string year;      // "2020-2021": the period of indicator rows without a «Учебный год» column
    std::string sheet;     // "" = the first visible sheet
    std::optional<std::filesystem::path> mapping;
    bool replace = false;  // a differing value replaces the recorded one (else import.conflict)
    // How to replace, said at the end of each import.conflict (the web page names its checkbox).
    std::string replace_hint = "чтобы заменить записанные значения, повторите с --replace";
};

struct Plan {
    std::filesystem::path file;  // the data file to write
    std::string text;            // its new content (unchanged text when nothing changes)
    std::size_t records_added = 0, values_added = 0, values_changed = 0, values_same = 0;
    // A record by the school's short name and code, a value by its column title, as a
    // methodologist reads them: «МБОУ «СШ № 1» (sh-1), 2019-2020: ОГЭ: русский язык, доля «2» — 16,5»
    std::vector<std::string> added;
    std::vector<std::string> changed;  // «Лист1!D7: МБОУ «СШ № 1» (sh-1), 2019-2020: … — было 12, станет 16,5»
    bool changes_anything() const { return records_added + values_added + values_changed > 0; }
};

// Reads the table of the chosen sheet of `book` and merges its rows into the workspace's data
// file. Throws ppko::Error with every problem found (each naming the file and sheet!cell): a
// column that matches no field (import.unknown_column), a school not found or ambiguous,
// a value outside its range or set, a cell that is not a number or date, and — without
// opts.replace — every value that would change (import.conflict). Nothing is written here.
Plan plan_import(const data::Workspace& ws, const Vocabulary& voc, const sheets::Workbook& book, const Options& opts);

// The report for a user, Russian, with plural agreement: the summary line and what is added
// and changed (at most `max_lines` of each, then «… и ещё N»).
std::string report(const Plan& plan, bool dry_run, std::size_t max_lines = 50);
// The report's first line without the file: «добавлено: 4 записи (12 значений); изменено: 1
// значение» («будет добавлено: …» when `future`), or «нет новых значений (…)».
std::string summary(const Plan& plan, bool future);

// For matching school names: lower case, «ё» → «е», quotes dropped, «№» followed by one space,
// «МБОУ» and other abbreviations of the legal form spelled out, whitespace collapsed.
std::string normalize_school_name(std::string_view s);

// A number as a Russian reader writes it: 16,5; a whole number without a fraction (30).
std::string number_ru(double v);

}  // namespace ppko::importer
