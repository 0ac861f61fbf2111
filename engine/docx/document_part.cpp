#include "docx/document_part.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "docx/styles_part.h"
#include "docx/xml_writer.h"

namespace ppko::docx {
namespace {

using doc::Align;
using doc::Role;

constexpr long kCellMargin = 57;  // left and right cell margin, twips (1 mm)

bool all_bold(const doc::Paragraph& p) {
    bool any = false;
    for (const doc::Run& r : p.runs) {
        if (r.text.empty()) continue;
        if (!r.bold) return false;
        any = true;
    }
    return any;
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void DocumentPart::write(const doc::Document& doc, const doc::LayoutProfile& profile,
                         HeaderRefs headers, std::string& out) {
    out.clear();
    out_ = &out;
    profile_ = &profile;
    geometry_ = PageGeometry(profile);
    first_line_ = xml::twips_from_mm(profile.first_line_indent_mm);
    stamp_left_ = xml::twips_from_mm(profile.stamp_indent_mm);
    next_bookmark_ = 0;
    has_fields_ = false;
    lists_.clear();
    num_ids_.clear();
    bookmarks_.clear();

    out += xml::declaration;
    out += "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
           " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
           "<w:body>";
    const Context body{geometry_.text_width, nullptr};
    for (const doc::Block& b : doc.body) block(b, body);

    const PageGeometry& g = geometry_;
    out += "<w:sectPr>";
    if (!headers.default_id.empty()) {
        out += "<w:headerReference w:type=\"default\" r:id=\"";
        xml::append_escaped(out, headers.default_id);
        out += "\"/>";
    }
    if (!headers.first_id.empty()) {
        out += "<w:headerReference w:type=\"first\" r:id=\"";
        xml::append_escaped(out, headers.first_id);
        out += "\"/>";
    }
    out += "<w:pgSz w:w=\"";
    xml::append_int(out, g.page_width);
    out += "\" w:h=\"";
    xml::append_int(out, g.page_height);
    out += g.page_width > g.page_height ? "\" w:orient=\"landscape\"/>" : "\"/>";
    out += "<w:pgMar w:top=\"";
    xml::append_int(out, g.margin_top);
    out += "\" w:right=\"";
    xml::append_int(out, g.margin_right);
    out += "\" w:bottom=\"";
    xml::append_int(out, g.margin_bottom);
    out += "\" w:left=\"";
    xml::append_int(out, g.margin_left);
    out += "\" w:header=\"";
    xml::append_int(out, g.header);
    out += "\" w:footer=\"";
    xml::append_int(out, g.header);
    out += "\" w:gutter=\"0\"/><w:cols w:space=\"708\"/>";
    if (!headers.first_id.empty()) out += "<w:titlePg/>";
    out += "<w:docGrid w:linePitch=\"360\"/></w:sectPr></w:body></w:document>";
    out_ = nullptr;
}

void DocumentPart::block(const doc::Block& b, const Context& ctx) {
    if (const auto* p = std::get_if<doc::Paragraph>(&b.value)) {
        paragraph(*p, ctx);
    } else if (const auto* t = std::get_if<doc::Table>(&b.value)) {
        table(*t, ctx);
    } else if (const auto* s = std::get_if<doc::Signature>(&b.value)) {
        signature(*s, ctx);
    } else {
        page_break();
    }
}

int DocumentPart::num_id(const doc::ListRef& l) {
    const auto [it, inserted] = num_ids_.try_emplace(l.list, static_cast<int>(lists_.size()) + 1);
    if (inserted) lists_.push_back(ListInstance{it->second, l.kind, std::max(0, l.start)});
    return it->second;
}

void DocumentPart::word_bookmark_name(std::string_view raw) {
    name_.clear();
    for (char c : raw) name_ += is_ascii_alnum(c) || c == '_' ? c : '_';
    if (name_.empty()) return;
    if (name_[0] >= '0' && name_[0] <= '9') name_.insert(0, 1, 'b');
    if (name_.size() > 40) name_.resize(40);
}

bool DocumentPart::bookmark_name(std::string_view raw) {
    word_bookmark_name(raw);
    if (name_.empty()) return false;
    return bookmarks_.insert(name_).second;
}

void DocumentPart::run_text(std::string_view text) {
    std::string& out = *out_;
    std::size_t start = 0;
    for (;;) {
        std::size_t stop = start;  // one pass with a byte test (find_first_of calls memchr per byte)
        while (stop < text.size() && text[stop] != '\t' && text[stop] != '\n' && text[stop] != '\r') ++stop;
        if (stop > start) {
            out += "<w:t xml:space=\"preserve\">";
            xml::append_escaped(out, text.substr(start, stop - start));
            out += "</w:t>";
        }
        if (stop == text.size()) break;
        const char c = text[stop];
        out += c == '\t' ? "<w:tab/>" : "<w:br/>";
        start = stop + 1;
        if (c == '\r' && start < text.size() && text[start] == '\n') ++start;  // CR LF: one break
    }
}

void DocumentPart::paragraph(const doc::Paragraph& p, const Context& ctx) {
    std::string& out = *out_;
    const RoleStyle& st = role_style(p.role);
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += st.id;
    out += "\"/>";
    if (p.keep_with_next && !st.keep_next) out += "<w:keepNext/>";
    if (p.page_break_before) out += "<w:pageBreakBefore/>";

    const bool in_list = p.list.list >= 0;
    const int level = std::clamp(p.list.level, 0, max_list_level);
    if (in_list) {
        out += "<w:numPr>";
        xml::append_val(out, "w:ilvl", level);
        xml::append_val(out, "w:numId", num_id(p.list));
        out += "</w:numPr>";
    }
    if (p.role == Role::signature && ctx.width != geometry_.text_width) {
        out += "<w:tabs><w:tab w:val=\"clear\" w:pos=\"";
        xml::append_int(out, geometry_.text_width);
        out += "\"/><w:tab w:val=\"right\" w:pos=\"";
        xml::append_int(out, ctx.width);
        out += "\"/></w:tabs>";
    }
    // A numbering level sets its own indents (left by level, the first-line indent) and they
    // override the style's, so for list paragraphs those are what direct formatting differs from.
    const bool inherited_first_line = in_list || st.first_line_indent;
    if (p.first_line_indent != inherited_first_line || p.indent_left_mm != 0) {
        long left = xml::twips_from_mm(p.indent_left_mm);
        if (in_list) {
            left += list_level_left(*profile_, level);
        } else if (st.stamp_indent) {
            left += stamp_left_;
        } else if (p.role == Role::approval) {
            left += xml::twips_from_mm(profile_->approval_indent_mm);
        } else if (p.role == Role::agreement) {
            left += xml::twips_from_mm(profile_->agreement_indent_mm);
        }
        out += "<w:ind w:left=\"";
        xml::append_int(out, left);
        out += "\" w:firstLine=\"";
        xml::append_int(out, p.first_line_indent ? first_line_ : 0);
        out += "\"/>";
    }
    // A requisite's alignment is the profile's (its style's), whatever the paragraph says.
    const auto fixed = doc::requisite_align(*profile_, p.role);
    const Align align = fixed ? *fixed : ctx.cell != nullptr && p.align == st.align ? ctx.cell->align : p.align;
    if (align != fixed.value_or(st.align)) xml::append_val(out, "w:jc", jc_value(align));
    // The number of a list item takes the paragraph mark's formatting: bold when the item's
    // text is all bold (<li bold>), so «1.» is as bold as its line.
    if (in_list && all_bold(p)) out += "<w:rPr><w:b/><w:bCs/></w:rPr>";
    out += "</w:pPr>";

    int bookmark = -1;
    if (!p.bookmark.empty() && bookmark_name(p.bookmark)) {
        bookmark = next_bookmark_++;
        out += "<w:bookmarkStart w:id=\"";
        xml::append_int(out, bookmark);
        out += "\" w:name=\"";
        out += name_;
        out += "\"/>";
    }
    const bool cell_bold = ctx.cell != nullptr && ctx.cell->bold;
    for (const doc::Run& r : p.runs) {
        if (r.text.empty()) continue;
        const bool bold = r.bold || cell_bold;
        const auto run_start = [&] {
            out += "<w:r>";
            if (bold || r.italic || r.underline) {
                out += "<w:rPr>";
                if (bold) out += "<w:b/><w:bCs/>";
                if (r.italic) out += "<w:i/><w:iCs/>";
                if (r.underline) out += "<w:u w:val=\"single\"/>";
                out += "</w:rPr>";
            }
        };
        if (!r.page_ref.empty()) {
            // PAGEREF to the bookmark, `text` as the cached result (ECMA-376 §17.16.5.45).
            word_bookmark_name(r.page_ref);
            has_fields_ = true;
            run_start();
            out += "<w:fldChar w:fldCharType=\"begin\"/></w:r>";
            run_start();
            out += "<w:instrText xml:space=\"preserve\"> PAGEREF ";
            out += name_;
            out += " \\h </w:instrText></w:r>";
            run_start();
            out += "<w:fldChar w:fldCharType=\"separate\"/></w:r>";
            run_start();
            run_text(r.text);
            out += "</w:r>";
            run_start();
            out += "<w:fldChar w:fldCharType=\"end\"/></w:r>";
            continue;
        }
        run_start();
        run_text(r.text);
        out += "</w:r>";
    }
    if (bookmark >= 0) {
        out += "<w:bookmarkEnd w:id=\"";
        xml::append_int(out, bookmark);
        out += "\"/>";
    }
    out += "</w:p>";
}

void DocumentPart::signature(const doc::Signature& s, const Context& ctx) {
    std::string& out = *out_;
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += role_style(Role::signature).id;
    out += "\"/>";
    if (ctx.width != geometry_.text_width) {
        out += "<w:tabs><w:tab w:val=\"clear\" w:pos=\"";
        xml::append_int(out, geometry_.text_width);
        out += "\"/><w:tab w:val=\"right\" w:pos=\"";
        xml::append_int(out, ctx.width);
        out += "\"/></w:tabs>";
    }
    out += "</w:pPr>";
    if (!s.position_lines.empty() || !s.name.empty()) {
        out += "<w:r>";
        if (ctx.cell != nullptr && ctx.cell->bold) out += "<w:rPr><w:b/><w:bCs/></w:rPr>";
        for (std::size_t i = 0; i < s.position_lines.size(); ++i) {
            if (i > 0) out += "<w:br/>";
            run_text(s.position_lines[i]);
        }
        if (!s.name.empty()) {
            out += "<w:tab/>";
            run_text(s.name);
        }
        out += "</w:r>";
    }
    out += "</w:p>";
}

void DocumentPart::page_break() {
    // The paragraph mark is 1 pt high: the empty line it leaves at the top of the next page
    // is then invisible.
    std::string& out = *out_;
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += role_style(Role::plain).id;
    out += "\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
           "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr>"
           "<w:r><w:br w:type=\"page\"/></w:r></w:p>";
}

void DocumentPart::empty_cell_paragraph(const doc::Cell* c) {
    std::string& out = *out_;
    out += "<w:p><w:pPr><w:pStyle w:val=\"";
    out += role_style(Role::cell).id;
    out += "\"/>";
    if (c != nullptr && c->align != role_style(Role::cell).align)
        xml::append_val(out, "w:jc", jc_value(c->align));
    out += "</w:pPr></w:p>";
}

void DocumentPart::cell(const doc::Cell& c, long width, int grid_span, VMerge vmerge) {
    std::string& out = *out_;
    out += "<w:tc><w:tcPr><w:tcW w:w=\"";
    xml::append_int(out, width);
    out += "\" w:type=\"dxa\"/>";
    if (grid_span > 1) xml::append_val(out, "w:gridSpan", grid_span);
    if (vmerge == VMerge::restart) out += "<w:vMerge w:val=\"restart\"/>";
    if (vmerge == VMerge::continue_) out += "<w:vMerge/>";
    out += "<w:vAlign w:val=\"top\"/></w:tcPr>";
    bool ends_with_paragraph = false;
    if (vmerge != VMerge::continue_) {
        const Context inner{std::max(width - 2 * kCellMargin, 1L), &c};
        for (const doc::Block& b : c.blocks) {
            if (std::holds_alternative<doc::PageBreak>(b.value)) continue;
            block(b, inner);
            ends_with_paragraph = !std::holds_alternative<doc::Table>(b.value);
        }
    }
    if (!ends_with_paragraph) empty_cell_paragraph(&c);
    out += "</w:tc>";
}

void DocumentPart::table(const doc::Table& t, const Context& ctx) {
    if (t.rows.empty()) return;
    std::string& out = *out_;

    // Column widths from measured text (doc::TableLayout), cut to whole twips that add up to
    // the width exactly; computed before any nested table reuses layout_.
    const long total = std::max(ctx.width, 1L);
    const double twips_per_mm = 1440.0 / 25.4;
    layout_.fit(t, *profile_, static_cast<double>(total) / twips_per_mm, 2.0 * kCellMargin / twips_per_mm);
    const std::size_t columns = std::max<std::size_t>(layout_.widths_mm().size(), 1);
    std::vector<long> grid(columns);
    std::vector<long> edge(columns + 1, 0);  // edge[i] = left edge of column i
    {
        const auto& mm = layout_.widths_mm();
        const double sum_mm = mm.empty() ? 1.0 : std::accumulate(mm.begin(), mm.end(), 0.0);
        double cumulative = 0;
        for (std::size_t i = 0; i < columns; ++i) {
            cumulative += i < mm.size() ? mm[i] : 0.0;
            edge[i + 1] = std::lround(static_cast<double>(total) * cumulative / sum_mm);
        }
        edge[columns] = total;
        for (std::size_t i = 0; i < columns; ++i) grid[i] = edge[i + 1] - edge[i];
    }
    // A body row may not break across pages unless it is taller than a page's text area less
    // the repeated header rows (a taller row has to break somewhere).
    std::vector<char> cant_split(t.rows.size(), 0);
    {
        const double page_mm = profile_->page_height_mm - profile_->margin_top_mm - profile_->margin_bottom_mm;
        double header_mm = 0;
        for (std::size_t r = 0; r < t.rows.size() && t.rows[r].header; ++r) header_mm += layout_.row_height_mm(t, r);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            cant_split[r] = t.rows[r].header || !layout_.row_taller_than(t, r, page_mm - header_mm);
        }
    }

    out += "<w:tbl><w:tblPr><w:tblW w:w=\"";
    xml::append_int(out, total);
    out += "\" w:type=\"dxa\"/>";
    if (t.borders) {
        out += "<w:tblBorders>";
        for (std::string_view side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
            out += "<w:";
            out += side;
            out += " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>";
        }
        out += "</w:tblBorders>";
    }
    out += "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
           "<w:left w:w=\"";
    xml::append_int(out, kCellMargin);
    out += "\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"";
    xml::append_int(out, kCellMargin);
    out += "\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>";
    for (long w : grid) {
        out += "<w:gridCol w:w=\"";
        xml::append_int(out, w);
        out += "\"/>";
    }
    out += "</w:tblGrid>";

    struct Merge {
        int span = 0;        // grid columns of the merge; 0: none starts here
        int start_row = -1;
        int last_row = -1;
    };
    std::vector<Merge> merges(columns);
    const auto width_of = [&](std::size_t g, int span) {
        return edge[g + static_cast<std::size_t>(span)] - edge[g];
    };

    const doc::Cell empty_cell;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const doc::Row& row = t.rows[r];
        const int row_index = static_cast<int>(r);
        out += "<w:tr>";
        if (row.header) {
            out += "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
        } else if (cant_split[r]) {
            out += "<w:trPr><w:cantSplit/></w:trPr>";
        }
        if (row.cells.empty()) {
            cell(empty_cell, total, static_cast<int>(columns), VMerge::none);
        }
        std::size_t g = 0;
        for (std::size_t i = 0; i < row.cells.size() && g < columns; ++i) {
            const doc::Cell& c = row.cells[i];
            const int room = static_cast<int>(columns - g);
            int span = std::min(std::max(1, c.col_span), room);
            const Merge& m = merges[g];
            if (c.merged_below && m.span > 0 && m.start_row < row_index && row_index <= m.last_row) {
                span = std::min(m.span, room);
                int covered = std::max(1, c.col_span);
                while (covered < span && i + 1 < row.cells.size() && row.cells[i + 1].merged_below) {
                    ++i;
                    covered += std::max(1, row.cells[i].col_span);
                }
                cell(c, width_of(g, span), span, VMerge::continue_);
            } else {
                for (int k = 0; k < span; ++k) merges[g + static_cast<std::size_t>(k)] = Merge{};
                VMerge vm = VMerge::none;
                if (c.row_span > 1) {
                    merges[g] = Merge{span, row_index, row_index + c.row_span - 1};
                    vm = VMerge::restart;
                }
                cell(c, width_of(g, span), span, vm);
            }
            g += static_cast<std::size_t>(span);
        }
        out += "</w:tr>";
    }
    out += "</w:tbl>";
}

}  // namespace ppko::docx
