#include "xlsx_oracle.h"

#include <xlsxwriter.h>

#include <array>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace ppko::xlsx::oracle {
namespace {

constexpr std::time_t kCreated = 946684800;  // 2000-01-01T00:00:00Z
constexpr double kMmPerInch = 25.4;

void check(lxw_error err) {
    if (err != LXW_NO_ERROR)
        throw std::runtime_error(std::string("libxlsxwriter: ") + lxw_strerror(err));
}

template <class T>
T* must(T* p) {
    if (!p) throw std::runtime_error("libxlsxwriter returned null");
    return p;
}

}  // namespace

void write_with_libxlsxwriter(const WorkbookLayout& layout, const doc::LayoutProfile& profile,
                              const std::string& path) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::string tmpdir = dir.empty() ? std::string(".") : dir.string();
    lxw_workbook_options options{};
    options.tmpdir = tmpdir.data();
    lxw_workbook* wb = must(workbook_new_opt(path.c_str(), &options));

    std::string title = layout.title;
    lxw_doc_properties props{};
    props.title = title.empty() ? nullptr : title.data();
    props.created = kCreated;
    check(workbook_set_properties(wb, &props));

    std::vector<lxw_format*> formats;
    for (const CellFormat& cf : layout.formats) {
        lxw_format* f = must(workbook_add_format(wb));
        format_set_font_name(f, profile.font.c_str());
        format_set_font_size(f, profile.table_font_size_pt);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        if (cf.bold) format_set_bold(f);
        switch (cf.align) {
            case CellFormat::Align::left: format_set_align(f, LXW_ALIGN_LEFT); break;
            case CellFormat::Align::center: format_set_align(f, LXW_ALIGN_CENTER); break;
            case CellFormat::Align::right: format_set_align(f, LXW_ALIGN_RIGHT); break;
        }
        if (cf.fill) {
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, 0xF2F2F2);
        }
        if (cf.border) format_set_border(f, LXW_BORDER_THIN);
        if (cf.unlocked) format_set_unlocked(f);
        formats.push_back(f);
    }

    std::string font_name = profile.font;
    lxw_chart_font font{};
    font.name = font_name.data();
    std::string scratch;

    for (std::size_t i = 0; i < layout.sheet_count; ++i) {
        const SheetLayout& sheet = layout.sheets[i];
        lxw_worksheet* ws = must(workbook_add_worksheet(wb, sheet.name.c_str()));
        if (!sheet.table) continue;
        if (sheet.landscape)
            worksheet_set_landscape(ws);
        else
            worksheet_set_portrait(ws);
        for (std::size_t c = 0; c < sheet.column_px.size(); ++c)
            check(worksheet_set_column_pixels(ws, static_cast<lxw_col_t>(c),
                                              static_cast<lxw_col_t>(c), sheet.column_px[c],
                                              nullptr));
        for (const MergeLayout& m : sheet.merges)
            check(worksheet_merge_range(ws, m.first_row, static_cast<lxw_col_t>(m.first_col),
                                        m.last_row, static_cast<lxw_col_t>(m.last_col), "",
                                        formats[m.format]));
        for (const CellLayout& c : sheet.cells) {
            const auto col = static_cast<lxw_col_t>(c.col);
            switch (c.kind) {
                case CellLayout::Kind::number:
                    check(worksheet_write_number(ws, c.row, col, c.number, formats[c.format]));
                    break;
                case CellLayout::Kind::text:
                    scratch.assign(sheet.cell_text(c));
                    check(
                        worksheet_write_string(ws, c.row, col, scratch.c_str(), formats[c.format]));
                    break;
                case CellLayout::Kind::blank:
                    check(worksheet_write_blank(ws, c.row, col, formats[c.format]));
                    break;
            }
        }
        for (const RowHeight& h : sheet.heights)
            check(worksheet_set_row(ws, h.row, h.points, nullptr));
        if (sheet.header_count > 0) {
            worksheet_freeze_panes(ws, sheet.header_first + sheet.header_count, 0);
            check(worksheet_repeat_rows(ws, sheet.header_first,
                                        sheet.header_first + sheet.header_count - 1));
        }
        if (sheet.protect) worksheet_protect(ws, nullptr, nullptr);
        for (const ValidationLayout& v : sheet.validations) {
            lxw_data_validation dv{};
            std::string f1 = v.formula1, error = v.error;
            if (v.type == ValidationLayout::Type::list) {
                dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
                dv.value_formula = f1.data();
            } else {
                dv.validate = v.type == ValidationLayout::Type::whole     ? LXW_VALIDATION_TYPE_INTEGER
                              : v.type == ValidationLayout::Type::decimal ? LXW_VALIDATION_TYPE_DECIMAL
                                                                          : LXW_VALIDATION_TYPE_DATE_NUMBER;
                if (v.formula2.empty()) {
                    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
                    dv.value_number = std::stod(v.formula1);
                } else {
                    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
                    dv.minimum_number = std::stod(v.formula1);
                    dv.maximum_number = std::stod(v.formula2);
                }
            }
            if (!error.empty()) dv.error_message = error.data();
            if (v.warning) dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            check(worksheet_data_validation_range(ws, v.first_row, static_cast<lxw_col_t>(v.col), v.last_row,
                                                  static_cast<lxw_col_t>(v.col), &dv));
        }
        if (sheet.rows > 0 && sheet.cols > 0) {
            std::array<char, LXW_MAX_CELL_RANGE_LENGTH> range{};
            lxw_rowcol_to_range(range.data(), 0, 0, sheet.rows - 1,
                                static_cast<lxw_col_t>(sheet.cols - 1));
            check(worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range.data()));
        }
        for (const ChartLayout& cl : sheet.charts) {
            lxw_chart* chart =
                must(workbook_add_chart(wb, cl.line ? LXW_CHART_LINE : LXW_CHART_COLUMN));
            for (const SeriesLayout& s : cl.series) {
                lxw_chart_series* series = must(chart_add_series(chart, nullptr, nullptr));
                const auto col = static_cast<lxw_col_t>(s.column);
                chart_series_set_values(series, sheet.name.c_str(), cl.first_row, col, cl.last_row,
                                        col);
                if (!s.values_cached) series->values->ignore_cache = LXW_TRUE;
                if (s.categories_column >= 0) {
                    const auto cat = static_cast<lxw_col_t>(s.categories_column);
                    chart_series_set_categories(series, sheet.name.c_str(), cl.first_row, cat,
                                                cl.last_row, cat);
                    if (!s.categories_cached) series->categories->ignore_cache = LXW_TRUE;
                }
                if (s.named)
                    chart_series_set_name_range(series, sheet.name.c_str(), s.name_row,
                                                static_cast<lxw_col_t>(s.name_col));
            }
            if (!cl.title.empty()) {
                chart_title_set_name(chart, cl.title.c_str());
                chart_title_set_name_font(chart, &font);
            }
            chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
            chart_legend_set_font(chart, &font);
            chart_axis_set_num_font(chart->x_axis, &font);
            chart_axis_set_num_font(chart->y_axis, &font);
            lxw_chart_options size{};
            size.x_scale = cl.width_px / 480.0;
            size.y_scale = cl.height_px / 288.0;
            check(worksheet_insert_chart_opt(ws, cl.anchor_row, static_cast<lxw_col_t>(cl.anchor_col),
                                             chart, &size));
        }
        if (sheet.print_rows > 0)
            check(worksheet_print_area(ws, 0, 0, sheet.print_rows - 1,
                                       static_cast<lxw_col_t>(sheet.cols - 1)));
        if (sheet.page_numbers) check(worksheet_set_footer(ws, "&C&P"));
        worksheet_set_paper(ws, 9);
        worksheet_fit_to_pages(ws, 1, 0);
        worksheet_set_margins(
            ws, profile.margin_left_mm / kMmPerInch, profile.margin_right_mm / kMmPerInch,
            profile.margin_top_mm / kMmPerInch, profile.margin_bottom_mm / kMmPerInch);
    }
    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
        throw std::runtime_error(std::string("libxlsxwriter: ") + lxw_strerror(err));
}

}  // namespace ppko::xlsx::oracle
