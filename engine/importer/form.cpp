#include "importer/form.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "document/layout_profile.h"
#include "document/model.h"
#include "xlsx/sheet_layout.h"
#include "xlsx/xlsx_package.h"

namespace ppko::importer {
namespace {

using data::Json;

doc::Cell cell(std::string text, bool bold = false, doc::Align align = doc::Align::left) {
    doc::Paragraph p;
    p.role = doc::Role::cell;
    p.align = align;
    p.first_line_indent = false;
    doc::Run run;
    run.text = std::move(text);
    run.bold = bold;
    p.runs.push_back(std::move(run));
    doc::Cell c;
    c.blocks.push_back(doc::Block{std::move(p)});
    c.align = align;
    c.bold = bold;
    return c;
}

// A number in a formula: "0", "100", "2.5" (a point, not the Russian comma).
std::string formula_number(double v) {
    std::string s = std::to_string(v);
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) s.pop_back();
    return s;
}

std::string q(const std::string& s) { return "«" + s + "»"; }

// The member at a dotted path ("results.vpr_fail") of a record, or null.
const Json* member(const Json& rec, std::string_view path) {
    const Json* at = &rec;
    for (std::size_t from = 0;;) {
        const std::size_t dot = path.find('.', from);
        const std::string key(path.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from));
        if (!at->is_object()) return nullptr;
        const auto it = at->find(key);
        if (it == at->end()) return nullptr;
        at = &*it;
        if (dot == std::string_view::npos) return at;
        from = dot + 1;
    }
}

// A value of a record as the form shows it (allowed values by their title; numbers with a comma).
std::string shown(const Json& rec, const Field& f) {
    const Json* found = rec.is_object() ? member(rec, f.path) : nullptr;
    if (!found) return {};
    const Json& v = *found;
    std::string s = v.is_string() ? v.get<std::string>() : v.is_number() ? number_ru(v.get<double>()) : std::string();
    for (const auto& [value, title] : f.allowed) {
        if (value == s) return title;
    }
    return s;
}

struct Column {
    std::string title;
    const Field* field = nullptr;  // null: the school's name (reference only)
    bool locked = false;
};

}  // namespace

std::string form_workbook(const data::Workspace& ws, const Vocabulary& voc, const FormOptions& opts) {
    const auto fields = fields_for(opts.kind, ws, voc);
    const Json empty = Json::array();
    const Json& all = ws.data.contains("schools") && ws.data["schools"].contains("schools") ? ws.data["schools"]["schools"] : empty;
    std::vector<const Json*> schools;
    std::string codes;
    for (const auto& s : all) {
        const std::string id = s.value("id", "");
        codes += (codes.empty() ? "" : ", ") + id;
        if (opts.school.empty() || id == opts.school) schools.push_back(&s);
    }
    if (!opts.school.empty() && schools.empty()) {
        throw Error(ErrorId::cli_usage, "", {}, "",
                    "--school " + q(opts.school) + ": такой школы нет в schools.json; есть: " + (codes.empty() ? "(нет школ)" : codes));
    }

    // The columns.
    std::vector<Column> cols;
    for (const auto& f : fields) {
        if (f.path == "period" && opts.year.empty()) continue;
        const bool key = f.type == Field::Type::school || (opts.kind == Kind::schools && f.path == "id");
        cols.push_back({f.title, &f, key || f.path == "period"});
        if (f.type == Field::Type::school) cols.push_back({kFormNameTitle, nullptr, true});
    }

    // «Инструкция»: the text, the columns, the lists of allowed values (the validations' sources).
    doc::Table help;
    help.sheet_name = "Инструкция";
    help.borders = false;
    help.widths = {2, 3};
    auto line = [&](std::string a, std::string b = {}, bool bold = false) {
        doc::Row r;
        r.cells.push_back(cell(std::move(a), bold));
        r.cells.push_back(cell(std::move(b)));
        help.rows.push_back(std::move(r));
    };
    const std::string kind = stem_of(opts.kind);
    line("Как заполнить бланк", "", true);
    line("Заполните белые ячейки листа «Данные»: по строке на школу. Заголовок, коды и наименования школ "
         "защищены от изменения (пароля нет). Пустая ячейка ничего не меняет.");
    line("Столбец", "Что вписать", true);
    std::vector<std::pair<std::size_t, std::size_t>> list_rows(cols.size(), {0, 0});  // first, last row of the allowed values
    for (const auto& c : cols) {
        std::string what;
        if (!c.field) what = "наименование для справки; не загружается";
        else if (c.locked) what = "заполнено; не меняйте";
        else if (!c.field->allowed.empty()) what = "одно из значений из списка ниже";
        else if (c.field->type == Field::Type::date) what = "дата, например 01.09.2021";
        else if (c.field->has_min && c.field->has_max) {
            what = std::string(c.field->type == Field::Type::integer ? "целое число" : "число") + " от " + number_ru(c.field->min) + " до " + number_ru(c.field->max);
            if (c.field->type == Field::Type::mark_or_number) what += " (дробная часть — через запятую) или отметка: не проводилась, нет такого класса, отменена";
        } else if (c.field->type == Field::Type::integer) what = c.field->has_min ? "целое число не меньше " + number_ru(c.field->min) : "целое число";
        else if (c.field->type == Field::Type::number || c.field->type == Field::Type::mark_or_number) what = "число";
        else what = "текст";
        if (c.field && c.field->required && !c.locked) what += "; обязательно";
        line(c.title, what);
    }
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (!cols[i].field || cols[i].locked || cols[i].field->allowed.empty()) continue;
        line("Допустимые значения: " + cols[i].title, "", true);
        list_rows[i].first = help.rows.size();
        for (const auto& [value, title] : cols[i].field->allowed) line(title, value == title ? "" : value);
        list_rows[i].second = help.rows.size() - 1;
    }
    line("Как загрузить обратно", "", true);
    std::string cmd = "ppko import ПАПКА_ДАННЫХ ФАЙЛ.xlsx --as " + kind;
    if (opts.kind == Kind::indicators && opts.year.empty()) cmd += " --year 2020-2021";
    line(cmd, "сопоставление столбцов не нужно; ppko сообщит, что добавлено, и откажет, если значение "
              "расходится с записанным (тогда — с --replace)");
    line("ppko check ПАПКА_ДАННЫХ", "проверка данных после загрузки");

    // «Данные».
    doc::Table data;
    data.sheet_name = "Данные";
    data.borders = true;
    doc::Row head;
    head.header = true;
    for (const auto& c : cols) head.cells.push_back(cell(c.title, true, doc::Align::center));
    data.rows.push_back(std::move(head));
    // An indicators form for one year shows what is already recorded for it: a re-import of an
    // untouched form changes nothing, and a correction is made in place (then with --replace).
    std::map<std::string, const Json*, std::less<>> recorded;
    const Json* indicators = ws.data.contains("indicators") ? member(ws.data["indicators"], "indicators") : nullptr;
    if (opts.kind == Kind::indicators && !opts.year.empty() && indicators && indicators->is_array()) {
        for (const auto& rec : *indicators) {
            if (rec.is_object() && rec.value("period", "") == opts.year) recorded[rec.value("school", "")] = &rec;
        }
    }
    for (const Json* s : schools) {
        doc::Row r;
        const auto rec = recorded.find(s->value("id", ""));
        for (const auto& c : cols) {
            std::string v;
            if (!c.field) v = s->value("short_name", s->value("name", ""));
            else if (c.field->type == Field::Type::school) v = s->value("id", "");
            else if (c.field->path == "period") v = opts.year;
            else if (opts.kind == Kind::schools) v = shown(*s, *c.field);
            else if (rec != recorded.end()) v = shown(*rec->second, *c.field);
            r.cells.push_back(cell(std::move(v)));
        }
        data.rows.push_back(std::move(r));
    }

    doc::Document d;
    d.title = "Бланк для ppko import --as " + kind;
    d.body.push_back(doc::Block{std::move(data)});
    d.body.push_back(doc::Block{std::move(help)});
    const doc::LayoutProfile profile;
    xlsx::LayoutBuilder builder;
    xlsx::WorkbookLayout layout;
    builder.build(d, profile, "", layout);

    // Protection: only the data cells of unlocked columns stay editable.
    xlsx::SheetLayout& sheet = layout.sheets[0];
    sheet.protect = true;
    const std::uint32_t first = sheet.header_first + 1;  // the header is one row
    const std::uint32_t last = std::max<std::uint32_t>(first, first + static_cast<std::uint32_t>(schools.size()) - 1);
    for (auto& c : sheet.cells) {
        if (c.row >= first && c.col < cols.size() && !cols[c.col].locked) c.format = xlsx::unlocked_format(layout, c.format);
    }
    using VT = xlsx::ValidationLayout::Type;
    for (std::uint32_t i = 0; i < cols.size(); ++i) {
        const Field* f = cols[i].field;
        if (!f || cols[i].locked) continue;
        xlsx::ValidationLayout v;
        v.first_row = first;
        v.last_row = last;
        v.col = i;
        if (!f->allowed.empty()) {
            v.type = VT::list;
            v.formula1 = "'Инструкция'!$A$" + std::to_string(list_rows[i].first + 1) + ":$A$" + std::to_string(list_rows[i].second + 1);
            v.error = "Выберите значение из списка (лист «Инструкция»)";
        } else if (f->type == Field::Type::date) {
            v.type = VT::date;
            v.formula1 = "1";
            v.error = "Ожидалась дата, например 01.09.2021";
        } else if (f->has_min && (f->has_max || f->type == Field::Type::integer || f->type == Field::Type::number)) {
            v.type = f->type == Field::Type::integer ? VT::whole : VT::decimal;
            v.formula1 = formula_number(f->min);
            if (f->has_max) v.formula2 = formula_number(f->max);
            v.error = std::string(f->type == Field::Type::integer ? "Ожидалось целое число " : "Ожидалось число ") +
                      (f->has_max ? "от " + number_ru(f->min) + " до " + number_ru(f->max) : "не меньше " + number_ru(f->min));
            if (f->type == Field::Type::mark_or_number) {
                v.warning = true;
                v.error += " или отметка «не проводилась», «нет такого класса», «отменена»";
            }
        } else {
            continue;
        }
        sheet.validations.push_back(std::move(v));
    }

    std::string out;
    xlsx::PackageWriter writer;
    writer.write(layout, profile, out);
    return out;
}

}  // namespace ppko::importer
