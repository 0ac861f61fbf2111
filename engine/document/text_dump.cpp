#include "document/text_dump.h"

#include <map>

namespace ppko::doc {
namespace {

class Dumper {
public:
    explicit Dumper(const TextDumpOptions& o) : o_(o) {}

    void blocks(const std::vector<Block>& bs, std::string& out, bool in_cell) {
        for (const auto& b : bs) {
            if (const auto* p = std::get_if<Paragraph>(&b.value)) {
                separate(out, in_cell);
                paragraph(*p, out);
            } else if (const auto* t = std::get_if<Table>(&b.value)) {
                separate(out, in_cell);
                table(*t, out);
            } else if (std::holds_alternative<PageBreak>(b.value)) {
                separate(out, in_cell);
                out += "[разрыв страницы]";
            } else if (const auto* s = std::get_if<Signature>(&b.value)) {
                separate(out, in_cell);
                for (const auto& l : s->position_lines) out += l + "\n";
                out += "\t" + s->name;
            }
        }
    }

private:
    void separate(std::string& out, bool in_cell) {
        if (out.empty()) return;
        out += in_cell ? " ¶ " : "\n\n";
    }

    void paragraph(const Paragraph& p, std::string& out) {
        if (p.list.list >= 0) {
            if (p.list.kind == ListRef::Kind::bulleted) {
                if (o_.list_numbers) out += "– ";
            } else {
                auto& counters = counters_[p.list.list];
                if (counters.empty()) counters.assign(3, 0), counters[0] = p.list.start - 1;
                const auto level = static_cast<std::size_t>(p.list.level);
                ++counters[level];
                for (std::size_t k = level + 1; k < counters.size(); ++k) counters[k] = 0;
                if (o_.list_numbers) {
                    for (std::size_t k = 0; k <= level; ++k) out += std::to_string(counters[k]) + ".";
                    out += ' ';
                }
            }
        }
        for (const auto& r : p.runs) out += r.text;
    }

    void table(const Table& t, std::string& out) {
        out += "[таблица " + std::to_string(t.rows.size()) + "×" + std::to_string(t.widths.size()) + "]";
        for (const auto& row : t.rows) {
            out += row.header ? "\n|*" : "\n|";
            for (const auto& c : row.cells) {
                out += ' ';
                if (c.merged_below) {
                    out += '^';
                } else {
                    std::string cell;
                    blocks(c.blocks, cell, true);
                    for (char ch : cell) out += ch == '\n' ? ' ' : ch;
                }
                out += " |";
            }
        }
        out += "\n[/таблица]";
    }

    const TextDumpOptions& o_;
    std::map<int, std::vector<int>> counters_;
};

}  // namespace

std::string dump_text(const Document& doc, const TextDumpOptions& options) {
    std::string out;
    Dumper(options).blocks(doc.body, out, false);
    out += '\n';
    return out;
}

}  // namespace ppko::doc
