#include "xlsx/xlsx_package.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "docx/xml_writer.h"

namespace ppko::xlsx {
namespace {

using docx::xml::append_int;

constexpr std::uint32_t kCovered = 0xFFFFFFFF;  // Placed::cell of a merge's covered cell
constexpr double kMmPerInch = 25.4;
constexpr std::uint32_t kDefaultColumnPx = 64, kDefaultRowPx = 20;
constexpr std::uint32_t kEmuPerPx = 9525;

constexpr std::string_view kDecl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

// Numbers as libxlsxwriter prints them: up to 16 significant digits, shortest form.
void append_double(std::string& out, double v) {
    char buf[40];
    const int n = std::snprintf(buf, sizeof buf, "%.16g", v);
    out.append(buf, static_cast<std::size_t>(n));
}

// Element content: & < > escaped (the text is already valid XML characters: the layout
// sanitizes it).
void append_text(std::string& out, std::string_view s) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != '&' && c != '<' && c != '>') continue;
        out.append(s.data() + from, i - from);
        out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
        from = i + 1;
    }
    out.append(s.data() + from, s.size() - from);
}

// Attribute values: & < > " escaped.
void append_attr(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
}

void append_col_letters(std::string& out, std::uint32_t col) {
    char buf[4];
    int n = 0;
    ++col;
    while (col > 0) {
        buf[n++] = static_cast<char>('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    while (n > 0) out += buf[--n];
}

void append_ref(std::string& out, std::uint32_t row, std::uint32_t col, bool absolute = false) {
    if (absolute) out += '$';
    append_col_letters(out, col);
    if (absolute) out += '$';
    append_int(out, row + 1);
}

// A sheet name as a formula prefix ("'Дорожная карта'!"): quoted, with ' doubled, unless it is
// plain ASCII letters, digits, '_' and '.'; escaped for element content when `escape`.
void append_sheet_prefix(std::string& out, std::string_view name, bool escape = true) {
    bool plain = !name.empty();
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (!(u < 0x80 && std::isalnum(u)) && c != '_' && c != '.') plain = false;
    }
    if (!plain) out += '\'';
    for (char c : name) {
        if (c == '\'' && !plain) out += '\'';
        if (escape)
            append_text(out, std::string_view(&c, 1));
        else
            out += c;
    }
    if (!plain) out += '\'';
    out += '!';
}

std::uint32_t col_px(const SheetLayout& sheet, std::uint32_t col) {
    return col < sheet.column_px.size() ? sheet.column_px[col] : kDefaultColumnPx;
}

std::uint32_t row_px(const SheetLayout& sheet, std::uint32_t row) {
    // heights are few and ascending
    const auto it = std::lower_bound(sheet.heights.begin(), sheet.heights.end(), row,
                                     [](const RowHeight& h, std::uint32_t r) { return h.row < r; });
    if (it != sheet.heights.end() && it->row == row)
        return static_cast<std::uint32_t>(4.0 / 3.0 * it->points);
    return kDefaultRowPx;
}

std::uint64_t fnv(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

void rels_begin(std::string& x) {
    x.assign(kDecl);
    x += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
}

void rel(std::string& x, std::size_t id, std::string_view type, std::string_view target,
         std::size_t number = 0, std::string_view suffix = {}) {
    x += "<Relationship Id=\"rId";
    append_int(x, id);
    x += "\" Type=\"";
    x += type;
    x += "\" Target=\"";
    x += target;
    if (number) {
        append_int(x, number);
        x += suffix;
    }
    x += "\"/>";
}

}  // namespace

const std::string& PackageWriter::numbered(std::string_view prefix, std::size_t n, std::string_view suffix) {
    name_.assign(prefix);
    append_int(name_, n);
    name_ += suffix;
    return name_;
}

std::uint32_t PackageWriter::shared_string(std::string_view s) {
    ++sst_count_;
    if (sst_hash_.size() < 2 * (sst_items_.size() + 1)) {  // grow and rehash
        sst_hash_.assign(std::max<std::size_t>(64, sst_hash_.size() * 2), 0);
        const std::size_t mask = sst_hash_.size() - 1;
        for (std::uint32_t i = 0; i < sst_items_.size(); ++i) {
            const auto [off, len] = sst_items_[i];
            std::size_t h = fnv(std::string_view(sst_).substr(off, len)) & mask;
            while (sst_hash_[h]) h = (h + 1) & mask;
            sst_hash_[h] = i + 1;
        }
    }
    const std::size_t mask = sst_hash_.size() - 1;
    std::size_t h = fnv(s) & mask;
    while (const std::uint32_t e = sst_hash_[h]) {
        const auto [off, len] = sst_items_[e - 1];
        if (std::string_view(sst_).substr(off, len) == s) return e - 1;
        h = (h + 1) & mask;
    }
    sst_items_.emplace_back(static_cast<std::uint32_t>(sst_.size()),
                            static_cast<std::uint32_t>(s.size()));
    sst_ += s;
    sst_hash_[h] = static_cast<std::uint32_t>(sst_items_.size());
    return static_cast<std::uint32_t>(sst_items_.size() - 1);
}

// The final grid of a sheet: merged ranges' cells carry the merge's format, written cells
// replace what was there before; sorted by row, then column.
void PackageWriter::place_cells(const SheetLayout& sheet) {
    placed_.clear();
    for (const MergeLayout& m : sheet.merges)
        for (std::uint32_t r = m.first_row; r <= m.last_row; ++r)
            for (std::uint32_t c = m.first_col; c <= m.last_col; ++c)
                placed_.push_back({r, c, kCovered, m.format});
    for (std::uint32_t i = 0; i < sheet.cells.size(); ++i) {
        const CellLayout& c = sheet.cells[i];
        placed_.push_back({c.row, c.col, i, c.format});
    }
    std::stable_sort(placed_.begin(), placed_.end(), [](const Placed& a, const Placed& b) {
        return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    // Keep the last of equal positions.
    std::size_t w = 0;
    for (std::size_t i = 0; i < placed_.size(); ++i) {
        if (i + 1 < placed_.size() && placed_[i + 1].row == placed_[i].row &&
            placed_[i + 1].col == placed_[i].col)
            continue;
        placed_[w++] = placed_[i];
    }
    placed_.resize(w);
}

void PackageWriter::sheet_xml(const WorkbookLayout& layout, const doc::LayoutProfile& profile,
                              std::size_t index, bool drawing) {
    const SheetLayout& sheet = layout.sheets[index];
    std::string& x = xml_;
    x.assign(kDecl);
    x += "<worksheet xmlns=\"";
    x += kMainNs;
    x += "\" xmlns:r=\"";
    x += kRelNs;
    x += "\">";
    if (sheet.table) x += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>";

    // Dimension: the used range.
    x += "<dimension ref=\"";
    if (placed_.empty()) {
        x += "A1";
    } else {
        std::uint32_t r0 = placed_.front().row, r1 = placed_.back().row;
        std::uint32_t c0 = placed_.front().col, c1 = c0;
        for (const Placed& p : placed_) c0 = std::min(c0, p.col), c1 = std::max(c1, p.col);
        for (const RowHeight& h : sheet.heights) r0 = std::min(r0, h.row), r1 = std::max(r1, h.row);
        append_ref(x, r0, c0);
        if (r0 != r1 || c0 != c1) {
            x += ':';
            append_ref(x, r1, c1);
        }
    }
    x += "\"/><sheetViews><sheetView ";
    if (index == 0) x += "tabSelected=\"1\" ";
    x += "workbookViewId=\"0\"";
    if (sheet.header_count > 0) {
        const std::uint32_t split = sheet.header_first + sheet.header_count;
        x += "><pane ySplit=\"";
        append_int(x, split);
        x += "\" topLeftCell=\"";
        append_ref(x, split, 0);
        x += "\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/>"
             "</sheetView>";
    } else {
        x += "/>";
    }
    x += "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>";
    if (!sheet.column_px.empty()) {
        x += "<cols>";
        for (std::size_t c = 0; c < sheet.column_px.size(); ++c) {
            x += "<col min=\"";
            append_int(x, c + 1);
            x += "\" max=\"";
            append_int(x, c + 1);
            x += "\" width=\"";
            // Excel's character units: pixels / 7 (Calibri 11's digit), down to 1/256.
            append_double(x, std::floor(sheet.column_px[c] * 256.0 / 7.0) / 256.0);
            x += "\" customWidth=\"1\"/>";
        }
        x += "</cols>";
    }

    if (placed_.empty()) {
        x += "<sheetData/>";
    } else {
        x += "<sheetData>";
        std::size_t hi = 0;  // next height
        std::uint32_t span_block = kCovered, span_min = 0, span_max = 0;
        for (std::size_t i = 0; i < placed_.size();) {
            const std::uint32_t row = placed_[i].row;
            if (row / 16 != span_block) {  // spans cover blocks of 16 rows
                span_block = row / 16;
                span_min = placed_[i].col;
                span_max = span_min;
                for (std::size_t j = i; j < placed_.size() && placed_[j].row / 16 == span_block;
                     ++j)
                    span_min = std::min(span_min, placed_[j].col),
                    span_max = std::max(span_max, placed_[j].col);
            }
            while (hi < sheet.heights.size() && sheet.heights[hi].row < row) ++hi;
            x += "<row r=\"";
            append_int(x, row + 1);
            x += "\" spans=\"";
            append_int(x, span_min + 1);
            x += ':';
            append_int(x, span_max + 1);
            x += '"';
            if (hi < sheet.heights.size() && sheet.heights[hi].row == row) {
                x += " ht=\"";
                append_double(x, sheet.heights[hi].points);
                x += "\" customHeight=\"1\"";
            }
            x += '>';
            for (; i < placed_.size() && placed_[i].row == row; ++i) {
                const Placed& p = placed_[i];
                std::int16_t& xf = xf_of_format_[p.format];
                if (xf < 0) {
                    xf_formats_.push_back(p.format);
                    xf = static_cast<std::int16_t>(xf_formats_.size());
                }
                x += "<c r=\"";
                append_ref(x, row, p.col);
                x += "\" s=\"";
                append_int(x, static_cast<std::uint64_t>(xf));
                const CellLayout* c = p.cell == kCovered ? nullptr : &sheet.cells[p.cell];
                if (!c || c->kind == CellLayout::Kind::blank) {
                    x += "\"/>";
                } else if (c->kind == CellLayout::Kind::number) {
                    x += "\"><v>";
                    append_double(x, c->number);
                    x += "</v></c>";
                } else {
                    x += "\" t=\"s\"><v>";
                    append_int(x, shared_string(sheet.cell_text(*c)));
                    x += "</v></c>";
                }
            }
            x += "</row>";
        }
        x += "</sheetData>";
    }
    if (sheet.protect) x += "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\"/>";
    if (!sheet.merges.empty()) {
        x += "<mergeCells count=\"";
        append_int(x, sheet.merges.size());
        x += "\">";
        for (const MergeLayout& m : sheet.merges) {
            x += "<mergeCell ref=\"";
            append_ref(x, m.first_row, m.first_col);
            x += ':';
            append_ref(x, m.last_row, m.last_col);
            x += "\"/>";
        }
        x += "</mergeCells>";
    }
    validations_xml(sheet);
    if (!sheet.table) {
        x += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" "
             "footer=\"0.3\"/></worksheet>";
        return;
    }
    x += "<pageMargins left=\"";
    append_double(x, profile.margin_left_mm / kMmPerInch);
    x += "\" right=\"";
    append_double(x, profile.margin_right_mm / kMmPerInch);
    x += "\" top=\"";
    append_double(x, profile.margin_top_mm / kMmPerInch);
    x += "\" bottom=\"";
    append_double(x, profile.margin_bottom_mm / kMmPerInch);
    x += "\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" fitToHeight=\"0\" "
         "orientation=\"";
    x += sheet.landscape ? "landscape" : "portrait";
    x += "\"/>";
    if (sheet.page_numbers) x += "<headerFooter><oddFooter>&amp;C&amp;P</oddFooter></headerFooter>";
    if (sheet.rows > 0 && sheet.cols > 0) {
        x += "<ignoredErrors><ignoredError sqref=\"A1";
        if (sheet.rows > 1 || sheet.cols > 1) {
            x += ':';
            append_ref(x, sheet.rows - 1, sheet.cols - 1);
        }
        x += "\" numberStoredAsText=\"1\"/></ignoredErrors>";
    }
    if (drawing) x += "<drawing r:id=\"rId1\"/>";
    x += "</worksheet>";
}

void PackageWriter::drawing_xml(const SheetLayout& sheet) {
    std::string& x = xml_;
    x.assign(kDecl);
    x += "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/"
         "spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">";
    for (std::size_t i = 0; i < sheet.charts.size(); ++i) {
        const ChartLayout& c = sheet.charts[i];
        // The chart's 480 × 288 px from its anchor cell: the columns there lie right of the
        // table (default width), the rows may have estimated heights.
        std::uint32_t col = c.anchor_col, width = c.width_px;
        for (std::uint32_t px; width >= (px = col_px(sheet, col));) width -= px, ++col;
        std::uint32_t row = c.anchor_row, height = c.height_px;
        for (std::uint32_t px; height >= (px = row_px(sheet, row));) height -= px, ++row;
        x += "<xdr:twoCellAnchor><xdr:from><xdr:col>";
        append_int(x, c.anchor_col);
        x += "</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>";
        append_int(x, c.anchor_row);
        x += "</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>";
        append_int(x, col);
        x += "</xdr:col><xdr:colOff>";
        append_int(x, std::uint64_t{width} * kEmuPerPx);
        x += "</xdr:colOff><xdr:row>";
        append_int(x, row);
        x += "</xdr:row><xdr:rowOff>";
        append_int(x, std::uint64_t{height} * kEmuPerPx);
        x += "</xdr:rowOff></xdr:to><xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr>"
             "<xdr:cNvPr id=\"";
        append_int(x, i + 2);
        x += "\" name=\"Chart ";
        append_int(x, i + 1);
        x += "\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x=\"0\" "
             "y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm><a:graphic><a:graphicData "
             "uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart "
             "xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"";
        x += kRelNs;
        x += "\" r:id=\"rId";
        append_int(x, i + 1);
        x += "\"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
             "</xdr:twoCellAnchor>";
    }
    x += "</xdr:wsDr>";
}

void PackageWriter::chart_xml(const SheetLayout& sheet, const ChartLayout& chart,
                              const doc::LayoutProfile& profile) {
    std::string& x = xml_;
    std::string& font = scratch_;
    font.assign("<a:latin typeface=\"");
    append_attr(font, profile.font);
    font += "\"/>";
    const std::string_view txpr_begin =
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr baseline=\"0\">";
    const std::string_view txpr_end =
        "</a:defRPr></a:pPr><a:endParaRPr lang=\"en-US\"/></a:p></c:txPr>";

    // The cell at (row, col) of the final grid, or null when none was written there.
    auto cell_at = [&](std::uint32_t row, std::uint32_t col) -> const Placed* {
        const auto it =
            std::lower_bound(placed_.begin(), placed_.end(), std::pair{row, col},
                             [](const Placed& p, std::pair<std::uint32_t, std::uint32_t> k) {
                                 return p.row != k.first ? p.row < k.first : p.col < k.second;
                             });
        return it != placed_.end() && it->row == row && it->col == col ? &*it : nullptr;
    };
    auto range = [&](std::uint32_t col) {
        x += "<c:f>";
        append_sheet_prefix(x, sheet.name);
        append_ref(x, chart.first_row, col, true);
        x += ':';
        append_ref(x, chart.last_row, col, true);
        x += "</c:f>";
    };
    auto num_cache = [&](std::uint32_t col) {
        x += "<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"";
        append_int(x, chart.last_row - chart.first_row + 1);
        x += "\"/>";
        for (std::uint32_t r = chart.first_row; r <= chart.last_row; ++r) {
            const Placed* p = cell_at(r, col);
            x += "<c:pt idx=\"";
            append_int(x, r - chart.first_row);
            x += "\"><c:v>";
            const CellLayout* c = p && p->cell != kCovered ? &sheet.cells[p->cell] : nullptr;
            append_double(x, c && c->kind == CellLayout::Kind::number ? c->number : 0.0);
            x += "</c:v></c:pt>";
        }
        x += "</c:numCache>";
    };
    auto str_value = [&](const Placed* p) {
        const CellLayout* c = p && p->cell != kCovered ? &sheet.cells[p->cell] : nullptr;
        if (c && c->kind == CellLayout::Kind::text)
            append_text(x, sheet.cell_text(*c));
        else
            append_double(x, c && c->kind == CellLayout::Kind::number ? c->number : 0.0);
    };

    x.assign(kDecl);
    x += "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
         "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"";
    x += kRelNs;
    x += "\"><c:lang val=\"en-US\"/><c:chart>";
    if (!chart.title.empty()) {
        x += "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr "
             "baseline=\"0\">";
        x += font;
        x += "</a:defRPr></a:pPr><a:r><a:rPr lang=\"en-US\" baseline=\"0\">";
        x += font;
        x += "</a:rPr><a:t>";
        append_text(x, chart.title);
        x += "</a:t></a:r></a:p></c:rich></c:tx><c:layout/></c:title>";
    }
    x += "<c:plotArea><c:layout/>";
    x += chart.line ? "<c:lineChart><c:grouping val=\"standard\"/>"
                    : "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/>";
    // The category axis has a number format when the categories are a numRef.
    bool number_categories = false;
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const SeriesLayout& s = chart.series[i];
        x += "<c:ser><c:idx val=\"";
        append_int(x, i);
        x += "\"/><c:order val=\"";
        append_int(x, i);
        x += "\"/>";
        if (s.named) {
            x += "<c:tx><c:strRef><c:f>";
            append_sheet_prefix(x, sheet.name);
            append_ref(x, s.name_row, s.name_col, true);
            x += "</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>";
            str_value(cell_at(s.name_row, s.name_col));
            x += "</c:v></c:pt></c:strCache></c:strRef></c:tx>";
        }
        if (chart.line) x += "<c:marker><c:symbol val=\"none\"/></c:marker>";
        if (s.categories_column >= 0) {
            const auto cat = static_cast<std::uint32_t>(s.categories_column);
            // Cached categories are all numbers (numCache) or all text (strCache).
            const Placed* first = cell_at(chart.first_row, cat);
            const bool text = s.categories_cached && first && first->cell != kCovered &&
                              sheet.cells[first->cell].kind == CellLayout::Kind::text;
            if (i == 0) number_categories = !text;
            x += text ? "<c:cat><c:strRef>" : "<c:cat><c:numRef>";
            range(cat);
            if (text) {
                x += "<c:strCache><c:ptCount val=\"";
                append_int(x, chart.last_row - chart.first_row + 1);
                x += "\"/>";
                for (std::uint32_t r = chart.first_row; r <= chart.last_row; ++r) {
                    x += "<c:pt idx=\"";
                    append_int(x, r - chart.first_row);
                    x += "\"><c:v>";
                    str_value(cell_at(r, cat));
                    x += "</c:v></c:pt>";
                }
                x += "</c:strCache></c:strRef></c:cat>";
            } else {
                if (s.categories_cached) num_cache(cat);
                x += "</c:numRef></c:cat>";
            }
        }
        x += "<c:val><c:numRef>";
        range(s.column);
        if (s.values_cached) num_cache(s.column);
        x += "</c:numRef></c:val></c:ser>";
    }
    if (chart.line) x += "<c:marker val=\"1\"/>";
    x += "<c:axId val=\"50010001\"/><c:axId val=\"50010002\"/>";
    x += chart.line ? "</c:lineChart>" : "</c:barChart>";
    x += "<c:catAx><c:axId val=\"50010001\"/><c:scaling><c:orientation val=\"minMax\"/>"
         "</c:scaling><c:axPos val=\"b\"/>";
    if (number_categories) x += "<c:numFmt formatCode=\"General\" sourceLinked=\"1\"/>";
    x += "<c:tickLblPos val=\"nextTo\"/>";
    x += txpr_begin;
    x += font;
    x += txpr_end;
    x += "<c:crossAx val=\"50010002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/>"
         "<c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/></c:catAx><c:valAx><c:axId "
         "val=\"50010002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:axPos "
         "val=\"l\"/><c:majorGridlines/><c:numFmt formatCode=\"General\" sourceLinked=\"1\"/>"
         "<c:tickLblPos val=\"nextTo\"/>";
    x += txpr_begin;
    x += font;
    x += txpr_end;
    x += "<c:crossAx val=\"50010001\"/><c:crosses val=\"autoZero\"/><c:crossBetween "
         "val=\"between\"/></c:valAx></c:plotArea><c:legend><c:legendPos val=\"b\"/><c:layout/>";
    x += txpr_begin;
    x += font;
    x += txpr_end;
    x += "</c:legend><c:plotVisOnly val=\"1\"/></c:chart><c:printSettings><c:headerFooter/>"
         "<c:pageMargins b=\"0.75\" l=\"0.7\" r=\"0.7\" t=\"0.75\" header=\"0.3\" "
         "footer=\"0.3\"/><c:pageSetup/></c:printSettings></c:chartSpace>";
}

void PackageWriter::validations_xml(const SheetLayout& sheet) {
    if (sheet.validations.empty()) return;
    std::string& x = xml_;
    x += "<dataValidations count=\"";
    append_int(x, sheet.validations.size());
    x += "\">";
    for (const ValidationLayout& v : sheet.validations) {
        using T = ValidationLayout::Type;
        x += "<dataValidation type=\"";
        x += v.type == T::list ? "list" : v.type == T::whole ? "whole" : v.type == T::decimal ? "decimal" : "date";
        x += '"';
        if (v.warning) x += " errorStyle=\"warning\"";
        if (v.type != T::list && v.formula2.empty()) x += " operator=\"greaterThanOrEqual\"";
        x += " allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\"";
        if (!v.error.empty()) {
            x += " error=\"";
            append_attr(x, v.error);
            x += '"';
        }
        x += " sqref=\"";
        append_ref(x, v.first_row, v.col);
        if (v.last_row != v.first_row) {
            x += ':';
            append_ref(x, v.last_row, v.col);
        }
        x += "\"><formula1>";
        append_text(x, v.formula1);
        x += "</formula1>";
        if (v.type != T::list && !v.formula2.empty()) {
            x += "<formula2>";
            append_text(x, v.formula2);
            x += "</formula2>";
        }
        x += "</dataValidation>";
    }
    x += "</dataValidations>";
}

void PackageWriter::styles_xml(const WorkbookLayout& layout, const doc::LayoutProfile& profile) {
    // Fonts, fills and borders in order of first use by the cell formats (xf 1, 2, …).
    std::int8_t font_of[2] = {-1, -1}, fill_solid = -1, border_thin = -1;
    int fonts = 1, fills = 2, borders = 1;
    std::vector<Xf>& xfs = xf_scratch_;
    xfs.clear();
    for (std::uint8_t f : xf_formats_) {
        const CellFormat& cf = layout.formats[f];
        Xf xf{};
        std::int8_t& fo = font_of[cf.bold ? 1 : 0];
        if (fo < 0) fo = static_cast<std::int8_t>(fonts++);
        xf.font = fo;
        if (cf.fill) {
            if (fill_solid < 0) fill_solid = static_cast<std::int8_t>(fills++);
            xf.fill = fill_solid;
        }
        if (cf.border) {
            if (border_thin < 0) border_thin = static_cast<std::int8_t>(borders++);
            xf.border = border_thin;
        }
        xfs.push_back(xf);
    }
    std::string& x = xml_;
    x.assign(kDecl);
    x += "<styleSheet xmlns=\"";
    x += kMainNs;
    x += "\"><fonts count=\"";
    append_int(x, static_cast<std::uint64_t>(fonts));
    x += "\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family "
         "val=\"2\"/><scheme val=\"minor\"/></font>";
    for (int i = 1; i < fonts; ++i) {
        x += "<font>";
        if (font_of[1] == i) x += "<b/>";
        x += "<sz val=\"";
        append_double(x, profile.table_font_size_pt);
        x += "\"/><color theme=\"1\"/><name val=\"";
        append_attr(x, profile.font);
        x += "\"/><family val=\"2\"/></font>";
    }
    x += "</fonts><fills count=\"";
    append_int(x, static_cast<std::uint64_t>(fills));
    x += "\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill "
         "patternType=\"gray125\"/></fill>";
    if (fills > 2)
        x += "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFF2F2F2\"/><bgColor "
             "indexed=\"64\"/></patternFill></fill>";
    x += "</fills><borders count=\"";
    append_int(x, static_cast<std::uint64_t>(borders));
    x += "\"><border><left/><right/><top/><bottom/><diagonal/></border>";
    if (borders > 1)
        x += "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color "
             "auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom "
             "style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border>";
    x += "</borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
         "borderId=\"0\"/></cellStyleXfs><cellXfs count=\"";
    append_int(x, xfs.size() + 1);
    x += "\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>";
    for (std::size_t i = 0; i < xfs.size(); ++i) {
        const CellFormat& cf = layout.formats[xf_formats_[i]];
        x += "<xf numFmtId=\"0\" fontId=\"";
        append_int(x, static_cast<std::uint64_t>(xfs[i].font));
        x += "\" fillId=\"";
        append_int(x, static_cast<std::uint64_t>(xfs[i].fill));
        x += "\" borderId=\"";
        append_int(x, static_cast<std::uint64_t>(xfs[i].border));
        x += "\" xfId=\"0\" applyFont=\"1\"";
        if (cf.fill) x += " applyFill=\"1\"";
        if (cf.border) x += " applyBorder=\"1\"";
        x += " applyAlignment=\"1\"";
        if (cf.unlocked) x += " applyProtection=\"1\"";
        x += "><alignment horizontal=\"";
        x += cf.align == CellFormat::Align::center  ? "center"
             : cf.align == CellFormat::Align::right ? "right"
                                                    : "left";
        x += "\" vertical=\"top\" wrapText=\"1\"/>";
        if (cf.unlocked) x += "<protection locked=\"0\"/>";
        x += "</xf>";
    }
    x += "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" "
         "builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" "
         "defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/>"
         "</styleSheet>";
}

void PackageWriter::write(const WorkbookLayout& layout, const doc::LayoutProfile& profile,
                          std::string& out) {
    const std::size_t nsheets = layout.sheet_count;
    sst_.clear();
    sst_items_.clear();
    std::fill(sst_hash_.begin(), sst_hash_.end(), 0);
    sst_count_ = 0;
    xf_of_format_.assign(layout.formats.size(), -1);
    xf_formats_.clear();

    zip_.begin(out);
    // Sheets first: they fix the shared strings' and formats' order. Kept in sheets_xml_.
    if (sheets_xml_.size() < nsheets) sheets_xml_.resize(nsheets);
    std::size_t charts = 0, drawings = 0;
    for (std::size_t i = 0; i < nsheets; ++i) {
        const SheetLayout& sheet = layout.sheets[i];
        place_cells(sheet);
        sheet_xml(layout, profile, i, !sheet.charts.empty());
        sheets_xml_[i].swap(xml_);
        if (!sheet.charts.empty()) {
            ++drawings;
            charts_xml_.resize(std::max(charts_xml_.size(), charts + sheet.charts.size()));
            for (const ChartLayout& c : sheet.charts) {
                chart_xml(sheet, c, profile);
                charts_xml_[charts++].swap(xml_);
            }
        }
    }
    const std::size_t nstrings = sst_items_.size();

    // [Content_Types].xml
    std::string& x = xml_;
    x.assign(kDecl);
    x += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
         "Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+"
         "xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
         "PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-"
         "officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" "
         "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override "
         "PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-"
         "officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/theme/theme1.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/><Override "
         "PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
         "officedocument.spreadsheetml.sheet.main+xml\"/>";
    for (std::size_t i = 1; i <= nsheets; ++i) {
        x += "<Override PartName=\"/xl/worksheets/sheet";
        append_int(x, i);
        x += ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
             "worksheet+xml\"/>";
    }
    for (std::size_t i = 1; i <= charts; ++i) {
        x += "<Override PartName=\"/xl/charts/chart";
        append_int(x, i);
        x += ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+"
             "xml\"/>";
    }
    for (std::size_t i = 1; i <= drawings; ++i) {
        x += "<Override PartName=\"/xl/drawings/drawing";
        append_int(x, i);
        x += ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawing+xml\"/>";
    }
    if (nstrings > 0)
        x += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>";
    x += "</Types>";
    zip_.add_reusing("[Content_Types].xml", x);

    rels_begin(x);
    rel(x, 1, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        "xl/workbook.xml");
    rel(x, 2,
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml");
    rel(x, 3,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        "docProps/app.xml");
    x += "</Relationships>";
    zip_.add_reusing("_rels/.rels", x);

    rels_begin(x);
    std::size_t id = 0;
    for (std::size_t i = 1; i <= nsheets; ++i)
        rel(x, ++id,
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
            "worksheets/sheet", i, ".xml");
    rel(x, ++id, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme",
        "theme/theme1.xml");
    rel(x, ++id, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
        "styles.xml");
    if (nstrings > 0)
        rel(x, ++id,
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
            "sharedStrings.xml");
    x += "</Relationships>";
    zip_.add_reusing("xl/_rels/workbook.xml.rels", x);

    for (std::size_t i = 0; i < nsheets; ++i) {
        zip_.add(numbered("xl/worksheets/sheet", i + 1, ".xml"), sheets_xml_[i]);
    }
    workbook_parts(layout);  // xl/workbook.xml, docProps/app.xml into wb_xml_, app_xml_
    zip_.add("xl/workbook.xml", wb_xml_);
    for (std::size_t i = 0; i < charts; ++i) {
        zip_.add(numbered("xl/charts/chart", i + 1, ".xml"), charts_xml_[i]);
    }
    for (std::size_t i = 0, d = 0; i < nsheets; ++i) {
        const SheetLayout& sheet = layout.sheets[i];
        if (sheet.charts.empty()) continue;
        drawing_xml(sheet);
        zip_.add(numbered("xl/drawings/drawing", ++d, ".xml"), x);
    }
    if (nstrings > 0) {
        x.assign(kDecl);
        x += "<sst xmlns=\"";
        x += kMainNs;
        x += "\" count=\"";
        append_int(x, sst_count_);
        x += "\" uniqueCount=\"";
        append_int(x, nstrings);
        x += "\">";
        for (const auto& [off, len] : sst_items_) {
            const std::string_view s = std::string_view(sst_).substr(off, len);
            // No xml:space on <t>: SpreadsheetML's schema gives <t> no attributes (unlike
            // WordprocessingML's <w:t>), and an XML reader keeps the text's spaces as written.
            x += "<si><t>";
            append_text(x, s);
            x += "</t></si>";
        }
        x += "</sst>";
        zip_.add("xl/sharedStrings.xml", x);
    }
    zip_.add_reusing("xl/theme/theme1.xml", kThemeXml);
    styles_xml(layout, profile);
    zip_.add_reusing("xl/styles.xml", x);
    for (std::size_t i = 0, d = 0, c = 0; i < nsheets; ++i) {
        const SheetLayout& sheet = layout.sheets[i];
        if (sheet.charts.empty()) continue;
        rels_begin(x);
        rel(x, 1, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
            "../drawings/drawing", ++d, ".xml");
        x += "</Relationships>";
        zip_.add_reusing(numbered("xl/worksheets/_rels/sheet", i + 1, ".xml.rels"), x);
        rels_begin(x);
        for (std::size_t k = 0; k < sheet.charts.size(); ++k)
            rel(x, k + 1,
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart",
                "../charts/chart", ++c, ".xml");
        x += "</Relationships>";
        zip_.add_reusing(numbered("xl/drawings/_rels/drawing", d, ".xml.rels"), x);
    }

    x.assign(kDecl);
    x += "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
         "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/"
         "dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
    if (!layout.title.empty()) {
        x += "<dc:title>";
        append_text(x, layout.title);
        x += "</dc:title>";
    }
    x += "<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dcterms:created "
         "xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z</dcterms:created><dcterms:modified "
         "xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z</dcterms:modified>"
         "</cp:coreProperties>";
    zip_.add("docProps/core.xml", x);
    zip_.add_reusing("docProps/app.xml", app_xml_);
    zip_.finish();
}

// xl/workbook.xml and docProps/app.xml: the sheets and the defined names (print area, print
// titles), sorted by name and then by the sheet name as the formula writes it.
void PackageWriter::workbook_parts(const WorkbookLayout& layout) {
    const std::size_t nsheets = layout.sheet_count;
    std::vector<Name>& names = names_;
    names.clear();
    for (int titles = 0; titles < 2; ++titles)
        for (std::size_t i = 0; i < nsheets; ++i) {
            const SheetLayout& s = layout.sheets[i];
            if (titles ? s.header_count == 0 : s.print_rows == 0) continue;
            Name n{titles == 1, i, {}};
            append_sheet_prefix(n.prefix, s.name, false);
            n.prefix.pop_back();  // the '!'
            names.push_back(std::move(n));
        }
    auto lower = [](std::string_view s) {
        std::string r(s);
        for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return r;
    };
    std::stable_sort(names.begin(), names.end(), [&](const Name& a, const Name& b) {
        if (a.titles != b.titles) return !a.titles;
        return lower(a.prefix) < lower(b.prefix);
    });

    std::string& x = wb_xml_;
    x.assign(kDecl);
    x += "<workbook xmlns=\"";
    x += kMainNs;
    x += "\" xmlns:r=\"";
    x += kRelNs;
    x += "\"><fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/>"
         "<workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\" "
         "yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>";
    for (std::size_t i = 0; i < nsheets; ++i) {
        x += "<sheet name=\"";
        append_attr(x, layout.sheets[i].name);
        x += "\" sheetId=\"";
        append_int(x, i + 1);
        x += "\" r:id=\"rId";
        append_int(x, i + 1);
        x += "\"/>";
    }
    x += "</sheets>";
    if (!names.empty()) {
        x += "<definedNames>";
        for (const Name& n : names) {
            const SheetLayout& s = layout.sheets[n.sheet];
            x += n.titles ? "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\""
                          : "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"";
            append_int(x, n.sheet);
            x += "\">";
            append_text(x, n.prefix);
            x += '!';
            if (n.titles) {
                x += '$';
                append_int(x, s.header_first + 1);
                x += ":$";
                append_int(x, s.header_first + s.header_count);
            } else {
                append_ref(x, 0, 0, true);
                if (s.print_rows > 1 || s.cols > 1) {  // one cell: «$A$1», as Excel writes it
                    x += ':';
                    append_ref(x, s.print_rows - 1, s.cols - 1, true);
                }
            }
            x += "</definedName>";
        }
        x += "</definedNames>";
    }
    x += "<calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>";

    std::string& a = app_xml_;
    a.assign(kDecl);
    a += "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-"
         "properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "docPropsVTypes\"><Application>Microsoft Excel</Application><DocSecurity>0"
         "</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size=\"";
    a += names.empty() ? "2" : "4";
    a += "\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"
         "<vt:variant><vt:i4>";
    append_int(a, nsheets);
    a += "</vt:i4></vt:variant>";
    if (!names.empty()) {
        a += "<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>";
        append_int(a, names.size());
        a += "</vt:i4></vt:variant>";
    }
    a += "</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size=\"";
    append_int(a, nsheets + names.size());
    a += "\" baseType=\"lpstr\">";
    for (std::size_t i = 0; i < nsheets; ++i) {
        a += "<vt:lpstr>";
        append_text(a, layout.sheets[i].name);
        a += "</vt:lpstr>";
    }
    for (const Name& n : names) {
        a += "<vt:lpstr>";
        append_text(a, n.prefix);
        a += n.titles ? "!Print_Titles" : "!Print_Area";
        a += "</vt:lpstr>";
    }
    a += "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>"
         "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>"
         "12.0000</AppVersion></Properties>";
}

}  // namespace ppko::xlsx
