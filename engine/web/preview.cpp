#include "web/preview.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace ppko::web {
namespace {

using doc::Align;
using doc::Block;
using doc::ListRef;
using doc::Paragraph;
using doc::Role;

std::string_view role_class(Role r) {
    switch (r) {
        case Role::body: return "doc-body";
        case Role::plain: return "doc-plain";
        case Role::doc_type: return "doc-type";
        case Role::title: return "doc-title";
        case Role::heading1: return "doc-h1";
        case Role::heading2: return "doc-h2";
        case Role::stamp: return "doc-stamp";
        case Role::signature: return "doc-signature";
        case Role::list_item: return "doc-item";
        case Role::cell: return "doc-cell";
        case Role::heading: return "doc-heading";
        case Role::date_number: return "doc-date-number";
        case Role::place: return "doc-place";
        case Role::approval: return "doc-approval";
        case Role::agreement: return "doc-agreement";
        case Role::toc: return "doc-toc";
    }
    return "doc-body";
}

std::string_view align_class(Align a) {
    switch (a) {
        case Align::left: return "al-left";
        case Align::center: return "al-center";
        case Align::right: return "al-right";
        case Align::justify: return "al-justify";
    }
    return "al-left";
}

// A visible blank of the templates: an italic bracketed run — common.tpl's «[не указано: …]» and
// the plans' «[Заполняет школа: …]».
bool is_blank(const doc::Run& r) { return r.italic && r.text.size() > 2 && r.text.front() == '[' && r.text.back() == ']'; }

class Writer {
public:
    explicit Writer(Html& h) : h_(h) {}

    void blocks(const std::vector<Block>& bs) {
        for (std::size_t i = 0; i < bs.size();) {
            const auto* p = std::get_if<Paragraph>(&bs[i].value);
            if (p && p->list.list >= 0) {
                i = list(bs, i);
                continue;
            }
            block(bs[i]);
            ++i;
        }
    }

private:
    void block(const Block& b) {
        if (const auto* p = std::get_if<Paragraph>(&b.value)) {
            paragraph(*p, {});
        } else if (const auto* t = std::get_if<doc::Table>(&b.value)) {
            table(*t);
        } else if (std::holds_alternative<doc::PageBreak>(b.value)) {
            h_.empty("hr", {{"class", "doc-break"}, {"aria-label", "разрыв страницы"}});
        } else if (const auto* s = std::get_if<doc::Signature>(&b.value)) {
            h_.open("div", {{"class", "doc-sign"}});
            h_.open("p", {{"class", "doc-sign-position"}});
            for (std::size_t k = 0; k < s->position_lines.size(); ++k) {
                if (k) h_.empty("br");
                h_.text(s->position_lines[k]);
            }
            h_.close();
            h_.element("p", {{"class", "doc-sign-name"}}, s->name);
            h_.close();
        }
    }

    // The paragraphs of one list instance from `from` on (and any nested in it) as one <ol>/<ul>
    // whose items carry the number Word shows («1.», «1.2.», «–»). Returns the next block.
    std::size_t list(const std::vector<Block>& bs, std::size_t from) {
        const int id = std::get<Paragraph>(bs[from].value).list.list;
        const bool numbered = std::get<Paragraph>(bs[from].value).list.kind == ListRef::Kind::numbered;
        if (numbered) h_.open("ol", {{"class", "doc-list"}});
        else h_.open("ul", {{"class", "doc-list"}});
        std::size_t i = from;
        for (; i < bs.size(); ++i) {
            const auto* p = std::get_if<Paragraph>(&bs[i].value);
            if (!p || p->list.list != id) break;
            const int level = std::min(p->list.level, 2);
            h_.open("li", {{"class", level == 0 ? "lvl-0" : level == 1 ? "lvl-1" : "lvl-2"}});
            paragraph(*p, number(p->list));
            h_.close();
        }
        h_.close();
        return i;
    }

    std::string number(const ListRef& l) {
        if (l.kind == ListRef::Kind::bulleted) return "–";
        auto& counters = counters_[l.list];
        if (counters.empty()) counters.assign(3, 0), counters[0] = l.start - 1;
        const auto level = static_cast<std::size_t>(std::clamp(l.level, 0, 2));
        ++counters[level];
        for (std::size_t k = level + 1; k < counters.size(); ++k) counters[k] = 0;
        std::string out;
        for (std::size_t k = 0; k <= level; ++k) out += std::to_string(counters[k]) + ".";
        return out;
    }

    void paragraph(const Paragraph& p, std::string_view list_number) {
        std::string cls = std::string(role_class(p.role)) + " " + std::string(align_class(p.align));
        if (p.first_line_indent && p.role == Role::body) cls += " indent";
        if (p.indent_left_mm > 0) cls += " shifted";
        if (p.role == Role::heading1) h_.open("h3", {{"class", cls}});
        else if (p.role == Role::heading2) h_.open("h4", {{"class", cls}});
        else h_.open("p", {{"class", cls}});
        if (!list_number.empty()) h_.element("span", {{"class", "doc-num"}}, list_number);
        for (const auto& r : p.runs) run(r);
        h_.close();
    }

    void run(const doc::Run& r) {
        int opened = 0;
        if (is_blank(r)) {
            h_.open("mark", {{"class", "doc-blank"}, {"title", "пропуск: заполняется вручную"}});
            ++opened;
        }
        if (r.bold) h_.open("strong"), ++opened;
        if (r.italic) h_.open("em"), ++opened;
        if (r.underline) h_.open("span", {{"class", "doc-u"}}), ++opened;
        std::string_view t = r.text;
        for (std::size_t start = 0;;) {
            const std::size_t at = t.find_first_of("\n\t", start);
            h_.text(t.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
            if (at == std::string_view::npos) break;
            if (t[at] == '\n') h_.empty("br");
            else h_.element("span", {{"class", "doc-tab"}}, " ");
            start = at + 1;
        }
        for (; opened > 0; --opened) h_.close();
    }

    void table(const doc::Table& t) {
        h_.open("div", {{"class", "doc-table-wrap"}});
        h_.open("table", {{"class", t.borders ? "doc-table" : "doc-table plain"}});
        if (!t.caption.empty()) h_.element("caption", t.caption);
        std::size_t r = 0;
        if (!t.rows.empty() && t.rows[0].header) {
            h_.open("thead");
            for (; r < t.rows.size() && t.rows[r].header; ++r) row(t.rows[r], true);
            h_.close();
        }
        h_.open("tbody");
        for (; r < t.rows.size(); ++r) row(t.rows[r], false);
        h_.close();
        h_.close().close();
    }

    void row(const doc::Row& row, bool header) {
        h_.open("tr");
        for (const auto& c : row.cells) {
            if (c.merged_below) continue;  // covered by the cell above that spans it
            const std::string cs = std::to_string(c.col_span), rs = std::to_string(c.row_span);
            std::string cls(align_class(c.align));
            if (c.bold) cls += " bold";
            const Attrs attrs = {{"class", cls}, {"colspan", cs, c.col_span > 1}, {"rowspan", rs, c.row_span > 1}};
            if (header) h_.open("th", attrs);
            else h_.open("td", attrs);
            cell_blocks(c.blocks);
            h_.close();
        }
        h_.close();
    }

    // A cell's blocks: a lone paragraph as text, more as paragraphs.
    void cell_blocks(const std::vector<Block>& bs) {
        if (bs.size() == 1) {
            if (const auto* p = std::get_if<Paragraph>(&bs[0].value); p && p->list.list < 0) {
                for (const auto& r : p->runs) run(r);
                return;
            }
        }
        blocks(bs);
    }

    Html& h_;
    std::map<int, std::vector<int>> counters_;
};

}  // namespace

void document_preview(Html& h, const doc::Document& d, std::string_view label) {
    h.open("article", {{"class", "doc-page"}, {"aria-label", label}});
    Writer(h).blocks(d.body);
    h.close();
}

}  // namespace ppko::web
