#include "document/prepare.h"

#include <map>
#include <string>

#include "document/table_layout.h"
#include "document/text_metrics.h"
#include "document/typography.h"

namespace ppko::doc {
namespace {

// Line height of a font size, mm (single spacing × kTableLineFactor, as Word sets Times New Roman).
double line_mm(double font_pt, double spacing) { return font_pt * kMmPerPt * spacing * kTableLineFactor; }

class Paginator {
public:
    explicit Paginator(const LayoutProfile& p)
        : p_(p),
          page_mm_(p.page_height_mm - p.margin_top_mm - p.margin_bottom_mm),
          text_mm_(p.page_width_mm - p.margin_left_mm - p.margin_right_mm) {}

    void blocks(const std::vector<Block>& bs) {
        for (const Block& b : bs) {
            if (const auto* para = std::get_if<Paragraph>(&b.value)) {
                paragraph(*para);
            } else if (const auto* t = std::get_if<Table>(&b.value)) {
                table(*t);
            } else if (const auto* s = std::get_if<Signature>(&b.value)) {
                advance(2 * line_mm(p_.font_size_pt, p_.line_spacing));
                advance(static_cast<double>(s->position_lines.size() + 1) * line_mm(p_.font_size_pt, p_.line_spacing));
            } else {
                new_page();
            }
        }
    }

    std::map<std::string, int, std::less<>> pages;

private:
    void new_page() {
        ++page_;
        y_ = 0;
    }
    // Moves down by h; a block that does not fit goes on (the rest of it on) following pages.
    void advance(double h) {
        y_ += h;
        while (y_ > page_mm_) {
            y_ -= page_mm_;
            ++page_;
        }
    }

    void paragraph(const Paragraph& para) {
        if (para.page_break_before) new_page();
        double font = p_.font_size_pt, spacing = p_.line_spacing, before = 0, after = 0;
        const double one = p_.font_size_pt * kMmPerPt;
        double width = text_mm_;
        switch (para.role) {
            case Role::cell: font = p_.table_font_size_pt; spacing = p_.table_line_spacing; break;
            case Role::stamp: font = p_.stamp_font_size_pt; spacing = 1; width -= p_.stamp_indent_mm; break;
            case Role::approval: font = p_.requisite_font_size_pt; spacing = 1; after = one; width -= p_.approval_indent_mm; break;
            case Role::agreement: font = p_.requisite_font_size_pt; spacing = 1; before = one; width -= p_.agreement_indent_mm; break;
            case Role::doc_type:
            case Role::title: before = after = one; break;
            case Role::heading1: before = one, after = one / 2; break;
            case Role::heading2: before = after = one / 2; break;
            default: break;
        }
        if (para.first_line_indent) width -= p_.first_line_indent_mm / 2;  // on one line of several
        width -= para.indent_left_mm;
        text_.clear();
        bool bold = true;
        for (const Run& r : para.runs) {
            text_ += r.text;
            if (!r.text.empty() && !r.bold) bold = false;
        }
        const double line = line_mm(font, spacing);
        const double h = before + wrapped_lines(text_, width, font, bold && !text_.empty()) * line + after;
        // A paragraph whose first line does not fit starts the next page.
        if (y_ > 0 && y_ + before + line > page_mm_) new_page();
        if (!para.bookmark.empty()) pages.emplace(para.bookmark, page_);
        advance(y_ == 0 ? h - before : h);
    }

    void table(const Table& t) {
        layout_.fit(t, p_, text_mm_, 2.0);
        double header = 0;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const double h = layout_.row_height_mm(t, r);
            if (t.rows[r].header) {
                header += h;
            } else if (y_ > 0 && y_ + h > page_mm_ && h + header <= page_mm_) {
                new_page();  // a row that may not split goes whole to the next page
                y_ = header;
            }
            advance(h);
        }
    }

    const LayoutProfile& p_;
    double page_mm_, text_mm_;
    int page_ = 1;
    double y_ = 0;
    std::string text_;
    TableLayout layout_;
};

void fill_refs(std::vector<Block>& bs, const std::map<std::string, int, std::less<>>& pages) {
    for (Block& b : bs) {
        if (auto* p = std::get_if<Paragraph>(&b.value)) {
            for (Run& r : p->runs) {
                if (r.page_ref.empty()) continue;
                const auto it = pages.find(r.page_ref);
                r.text = it == pages.end() ? "?" : std::to_string(it->second);
            }
        } else if (auto* t = std::get_if<Table>(&b.value)) {
            for (Row& row : t->rows) {
                for (Cell& c : row.cells) fill_refs(c.blocks, pages);
            }
        }
    }
}

bool has_refs(const std::vector<Block>& bs) {
    for (const Block& b : bs) {
        if (const auto* p = std::get_if<Paragraph>(&b.value)) {
            for (const Run& r : p->runs) {
                if (!r.page_ref.empty()) return true;
            }
        } else if (const auto* t = std::get_if<Table>(&b.value)) {
            for (const Row& row : t->rows) {
                for (const Cell& c : row.cells) {
                    if (has_refs(c.blocks)) return true;
                }
            }
        }
    }
    return false;
}

}  // namespace

void paginate(Document& d, const LayoutProfile& profile) {
    if (!has_refs(d.body)) return;  // nearly every document: no pass at all
    Paginator pg(profile);
    pg.blocks(d.body);
    fill_refs(d.body, pg.pages);
}

void prepare(Document& d, const LayoutProfile& profile) {
    typeset(d, profile);
    paginate(d, profile);
}

}  // namespace ppko::doc
