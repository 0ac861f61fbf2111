// Tests of the DOCX writer (engine/docx) and of the layout profiles it reads
// (engine/document/layout_profile.cpp, templates/profiles/*.json).
//
// Packages are read back with Poco::Zip (an independent ZIP reader) and a small XML reader
// written here, and the XML is checked against ECMA-376 rules: element order, table grids,
// a paragraph ending every cell, numbering ids that resolve, escaping, legal characters.
// Set PPKO_DOCX_DUMP=DIR to also write the packages to DIR (for validate-ooxml.sh, python-docx,
// LibreOffice).

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "document/layout_profile.h"
#include "document/model.h"
#include "docx/docx_writer.h"
#include "docx/xml_writer.h"
#include "docx/zip_writer.h"

using namespace ppko;
using doc::Align;
using doc::Role;

namespace {

// ---------------------------------------------------------------------------------------------
// Reading packages back

struct Entry {
    std::string name;
    std::string data;
    std::size_t offset;  // of the local header: gives the order in the archive
};

// Every entry of the archive, in archive order; fails the test on a CRC mismatch.
std::vector<Entry> unzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    std::vector<Entry> entries;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        Poco::Zip::ZipInputStream zin(in, it->second);
        std::string data{std::istreambuf_iterator<char>(zin), std::istreambuf_iterator<char>()};
        BOOST_TEST(zin.crcValid(), "CRC of " << it->first);
        BOOST_TEST(data.size() == it->second.getUncompressedSize());
        entries.push_back({it->first, std::move(data), static_cast<std::size_t>(it->second.getStartPos())});
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.offset < b.offset; });
    return entries;
}

std::map<std::string, std::string> parts_of(const std::string& bytes) {
    std::map<std::string, std::string> parts;
    for (auto& e : unzip(bytes)) parts.emplace(e.name, std::move(e.data));
    return parts;
}

// A minimal XML reader: elements, attributes and character data; the five predefined entities
// and character references; no DTD, comments or CDATA (the writer never emits them). Throws
// std::runtime_error on anything malformed.
struct Node {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attrs;
    std::vector<Node> children;
    std::string text;  // character data directly inside

    const std::string* attr(std::string_view n) const {
        for (const auto& [k, v] : attrs)
            if (k == n) return &v;
        return nullptr;
    }
    std::string val(std::string_view n) const {
        const std::string* v = attr(n);
        return v ? *v : std::string("<none>");
    }
    const Node* child(std::string_view n) const {
        for (const Node& c : children)
            if (c.name == n) return &c;
        return nullptr;
    }
    std::vector<std::string> child_names() const {
        std::vector<std::string> names;
        for (const Node& c : children) names.push_back(c.name);
        return names;
    }
    void collect(std::string_view n, std::vector<const Node*>& out) const {
        for (const Node& c : children) {
            if (c.name == n) out.push_back(&c);
            c.collect(n, out);
        }
    }
    std::vector<const Node*> all(std::string_view n) const {
        std::vector<const Node*> out;
        collect(n, out);
        return out;
    }
};

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Every character of the part is an XML 1.0 Char in well-formed UTF-8.
void check_xml_chars(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                throw std::runtime_error("control character " + std::to_string(c) + " at " +
                                         std::to_string(i));
            ++i;
            continue;
        }
        int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (n == 0 || c > 0xF4 || c == 0xC0 || c == 0xC1 || i + n > s.size())
            throw std::runtime_error("bad UTF-8 at " + std::to_string(i));
        unsigned long cp = c & (0x7F >> n);
        for (int k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) throw std::runtime_error("bad UTF-8 at " + std::to_string(i));
            cp = (cp << 6) | (cc & 0x3F);
        }
        const unsigned long min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
            cp == 0xFFFF)
            throw std::runtime_error("not an XML character at " + std::to_string(i));
        i += n;
    }
}

class XmlReader {
public:
    explicit XmlReader(std::string_view s) : s_(s) {}

    Node parse() {
        check_xml_chars(s_);
        skip_space();
        if (s_.substr(i_, 5) == "<?xml") {
            const auto end = s_.find("?>", i_);
            if (end == std::string_view::npos) fail("unterminated declaration");
            i_ = end + 2;
        }
        skip_space();
        Node root = element();
        skip_space();
        if (i_ != s_.size()) fail("content after the root element");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error("XML: " + what + " at byte " + std::to_string(i_));
    }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
            ++i_;
    }
    std::string name() {
        const std::size_t b = i_;
        while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '/' && s_[i_] != '>' && s_[i_] != '=')
            ++i_;
        if (i_ == b) fail("empty name");
        return std::string(s_.substr(b, i_ - b));
    }
    std::string chars(char stop) {  // character data up to `stop`, entities resolved
        std::string out;
        while (i_ < s_.size() && s_[i_] != stop) {
            const char c = s_[i_];
            if (c == '<') fail("'<' in character data");
            if (c != '&') {
                out += c;
                ++i_;
                continue;
            }
            const auto semi = s_.find(';', i_);
            if (semi == std::string_view::npos) fail("unterminated reference");
            const std::string_view ref = s_.substr(i_ + 1, semi - i_ - 1);
            if (ref == "amp") out += '&';
            else if (ref == "lt") out += '<';
            else if (ref == "gt") out += '>';
            else if (ref == "quot") out += '"';
            else if (ref == "apos") out += '\'';
            else if (ref.size() > 1 && ref[0] == '#') {
                const bool hex = ref[1] == 'x';
                append_utf8(out, std::stoul(std::string(ref.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
            } else {
                fail("unknown entity &" + std::string(ref) + ";");
            }
            i_ = semi + 1;
        }
        return out;
    }
    Node element() {
        if (i_ >= s_.size() || s_[i_] != '<') fail("expected '<'");
        ++i_;
        Node n;
        n.name = name();
        for (;;) {
            skip_space();
            if (i_ >= s_.size()) fail("unterminated tag");
            if (s_.substr(i_, 2) == "/>") {
                i_ += 2;
                return n;
            }
            if (s_[i_] == '>') {
                ++i_;
                break;
            }
            std::string key = name();
            if (s_.substr(i_, 2) != "=\"") fail("expected =\"");
            i_ += 2;
            std::string value = chars('"');
            ++i_;
            if (n.attr(key)) fail("duplicate attribute " + key);
            n.attrs.emplace_back(std::move(key), std::move(value));
        }
        for (;;) {
            if (i_ >= s_.size()) fail("unclosed element " + n.name);
            if (s_.substr(i_, 2) == "</") {
                i_ += 2;
                if (name() != n.name) fail("mismatched end tag for " + n.name);
                if (i_ >= s_.size() || s_[i_] != '>') fail("bad end tag");
                ++i_;
                return n;
            }
            if (s_[i_] == '<') {
                if (s_.substr(i_, 2) == "<!" || s_.substr(i_, 2) == "<?") fail("unexpected markup");
                n.children.push_back(element());
            } else {
                n.text += chars('<');
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

Node parse(const std::string& xml) { return XmlReader(xml).parse(); }

// Text of a paragraph as a reader sees it: w:t text, w:tab → '\t', w:br → '\n'.
std::string paragraph_text(const Node& p) {
    std::string out;
    for (const Node* r : p.all("w:r")) {
        for (const Node& c : r->children) {
            if (c.name == "w:t") out += c.text;
            if (c.name == "w:tab") out += '\t';
            if (c.name == "w:br" && !c.attr("w:type")) out += '\n';
        }
    }
    return out;
}

std::string style_of(const Node& p) {
    const Node* ppr = p.child("w:pPr");
    const Node* ps = ppr ? ppr->child("w:pStyle") : nullptr;
    return ps ? ps->val("w:val") : "";
}

// The children of `n` appear in the order of the schema sequence `order` (each at most in its
// place; names outside `order` are an error).
bool in_order(const Node& n, const std::vector<std::string_view>& order, std::string& why) {
    std::size_t pos = 0;
    for (const Node& c : n.children) {
        const auto it = std::find(order.begin() + static_cast<long>(pos), order.end(), c.name);
        if (it == order.end()) {
            why = n.name + ": " + c.name + " out of order or unknown";
            return false;
        }
        pos = static_cast<std::size_t>(it - order.begin());
    }
    return true;
}

// ECMA-376 Part 1, wml.xsd (transitional) sequences the writer uses.
const std::vector<std::string_view> kPPrOrder = {
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange"};
const std::vector<std::string_view> kRPrOrder = {
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang"};
const std::vector<std::string_view> kTblPrOrder = {
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"};
const std::vector<std::string_view> kTcPrOrder = {
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"};
const std::vector<std::string_view> kSectPrOrder = {
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
    "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
    "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid"};
const std::vector<std::string_view> kLvlOrder = {
    "w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff", "w:lvlText",
    "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr"};
const std::vector<std::string_view> kStyleOrder = {
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
    "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr",
    "w:tcPr", "w:tblStylePr"};

void check_order_everywhere(const Node& root) {
    const std::pair<std::string_view, const std::vector<std::string_view>*> rules[] = {
        {"w:pPr", &kPPrOrder},   {"w:rPr", &kRPrOrder},     {"w:tblPr", &kTblPrOrder},
        {"w:tcPr", &kTcPrOrder}, {"w:sectPr", &kSectPrOrder}, {"w:lvl", &kLvlOrder},
        {"w:style", &kStyleOrder}};
    for (const auto& [name, order] : rules) {
        for (const Node* n : root.all(name)) {
            std::string why;
            BOOST_TEST(in_order(*n, *order, why), why);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building documents

doc::Run run(std::string text, bool bold = false, bool italic = false, bool underline = false) {
    return doc::Run{std::move(text), bold, italic, underline};
}

doc::Paragraph para(Role role, std::vector<doc::Run> runs, Align align, bool first_line_indent) {
    doc::Paragraph p;
    p.role = role;
    p.align = align;
    p.first_line_indent = first_line_indent;
    p.runs = std::move(runs);
    return p;
}

doc::Paragraph body(std::string text) { return para(Role::body, {run(std::move(text))}, Align::justify, true); }
doc::Paragraph centred(Role role, std::string text) {
    return para(role, {run(std::move(text))}, Align::center, false);
}

doc::Paragraph item(int list, int level, std::string text,
                    doc::ListRef::Kind kind = doc::ListRef::Kind::numbered, int start = 1) {
    doc::Paragraph p = para(Role::list_item, {run(std::move(text))}, Align::justify, true);
    p.list = doc::ListRef{kind, list, level, start};
    return p;
}

doc::Cell cell(std::string text, int col_span = 1, int row_span = 1) {
    doc::Cell c;
    c.blocks.push_back({para(Role::cell, {run(std::move(text))}, Align::left, false)});
    c.col_span = col_span;
    c.row_span = row_span;
    return c;
}

doc::Cell merged() {
    doc::Cell c;
    c.merged_below = true;
    return c;
}

const std::string kHostile = std::string("<>&\"' «ёлочки» „лапки“ a\tb\nc \x01\x02\x1f") +
                             "\xEF\xBF\xBE\xEF\xBF\xBF" + "эмодзи 😀 Latin и кириллица " +
                             "\xFF\xC0\xAF\xED\xA0\x80 end";
const std::string kHostileExpected =
    "<>&\"' «ёлочки» „лапки“ a\tb\nc эмодзи 😀 Latin и кириллица "
    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end";

std::string long_text() {
    std::string s;
    while (s.size() < 5000) s += "Длинный текст без переносов, abc. ";  // mixed 1- and 2-byte
    return s;
}

// A document with every block kind, role, list and table feature.
doc::Document kitchen_sink() {
    doc::Document d;
    d.title = "Об организации центра <№ 43-о/д> & «проверка»";
    auto add = [&](auto value) { d.body.push_back(doc::Block{std::move(value)}); };

    add(centred(Role::plain, "ОТДЕЛ ПО ОБРАЗОВАНИЮ АДМИНИСТРАЦИИ"));
    add(centred(Role::doc_type, "ПРИКАЗ"));
    add(para(Role::plain, {run("от 01.03.2018\t№ 43-о/д")}, Align::left, false));
    add(centred(Role::title, "Об организации образовательного центра"));
    doc::Paragraph formatted = body("");
    formatted.runs = {run("Обычный, "), run("жирный", true), run(", "), run("курсив", false, true),
                      run(", "), run("подчёркнутый", false, false, true), run(""),
                      run(" и всё сразу", true, true, true)};
    add(formatted);
    add(para(Role::plain, {run("ПРИКАЗЫВАЮ:")}, Align::left, false));
    add(item(7, 0, "Создать центр."));
    add(item(7, 1, "Утвердить положение."));
    add(item(7, 2, "Третий уровень."));
    add(item(7, 2, "Третий уровень, второй пункт."));
    add(item(7, 0, "Контроль оставляю за собой."));
    add(item(8, 0, "маркер первый", doc::ListRef::Kind::bulleted));
    add(item(8, 1, "маркер вложенный", doc::ListRef::Kind::bulleted));
    add(doc::Signature{{"Начальник Отдела", "по образованию"}, "Т.И. Ковальская"});
    add(doc::PageBreak{});

    doc::Paragraph stamp = para(Role::stamp, {run("Приложение № 1\nк приказу Отдела\nот 01.03.2018 № 43-о/д")},
                                Align::left, false);
    add(stamp);
    doc::Paragraph h1 = centred(Role::heading1, "1. Общие положения");
    h1.bookmark = "sec-1";
    add(h1);
    doc::Paragraph h1dup = centred(Role::heading2, "Повтор закладки");
    h1dup.bookmark = "sec-1";  // the same name again: written once
    add(h1dup);
    doc::Paragraph h2 = centred(Role::heading2, "1.1. Подраздел");
    h2.bookmark = "2nd section";
    add(h2);
    add(item(3, 0, "Пункт, начинающийся с пяти.", doc::ListRef::Kind::numbered, 5));
    add(item(3, 0, "Следующий."));
    doc::Paragraph overrides = body("Абзац с отличиями от стиля.");
    overrides.align = Align::center;
    overrides.first_line_indent = false;
    overrides.indent_left_mm = 10;
    overrides.keep_with_next = true;
    overrides.page_break_before = true;
    add(overrides);
    doc::Paragraph heading_no_keep = centred(Role::heading1, "Заголовок, keep_with_next = false");
    heading_no_keep.keep_with_next = false;
    add(heading_no_keep);
    add(body(kHostile));
    add(body(long_text()));

    // Table: 4 columns; header row; col_span; row_span with merged_below; empty cell; nested
    // table as the last block of a cell; a list and a signature inside cells; centred bold cell.
    doc::Table t;
    t.widths = {1, 6, 3, 3};
    t.sheet_name = "Дорожная карта";
    doc::Row header;
    header.header = true;
    for (auto text : {"№ п/п", "Мероприятие", "Срок", "Ответственный"}) {
        doc::Cell c = cell(text);
        c.bold = true;
        c.align = Align::center;
        header.cells.push_back(c);
    }
    t.rows.push_back(header);
    t.rows.push_back(doc::Row{{cell("1"), cell("Разработка программы", 1, 3), cell("март-ноябрь", 2)}, false});
    t.rows.push_back(doc::Row{{cell("2"), merged(), cell("в течение года"), cell("")}, false});
    doc::Cell with_list = cell("Список в ячейке:");
    with_list.blocks.push_back({item(11, 0, "раз")});
    with_list.blocks.push_back({item(11, 0, "два")});
    doc::Cell with_nested = cell("Вложенная таблица:");
    doc::Table nested;
    nested.widths = {1, 1};
    nested.rows.push_back(doc::Row{{cell("a"), cell("b")}, false});
    with_nested.blocks.push_back({nested});
    t.rows.push_back(doc::Row{{with_list, merged(), with_nested, doc::Cell{}}, false});
    doc::Cell sig;
    sig.blocks.push_back({doc::Signature{{"Директор"}, "А.Б. Иванов"}});
    doc::Cell justified = cell("По ширине");
    std::get<doc::Paragraph>(justified.blocks[0].value).align = Align::justify;
    justified.align = Align::right;
    doc::Cell cell_default_align;  // a body paragraph in a cell: takes Cell::align
    cell_default_align.blocks.push_back({body("берёт выравнивание ячейки")});
    cell_default_align.align = Align::center;
    t.rows.push_back(doc::Row{{cell("Итого", 2), sig, cell_default_align}, false});
    t.rows.push_back(doc::Row{{justified, cell("x", 1, 2), cell("y"), cell("z")}, false});
    t.rows.push_back(doc::Row{{cell("last"), merged(), cell("y2"), cell("z2")}, false});
    add(t);

    doc::Table two_by_two_merge;  // a 2×3 block: col_span 2 and row_span 3
    two_by_two_merge.widths = {1, 1, 1};
    two_by_two_merge.borders = false;
    two_by_two_merge.rows.push_back(doc::Row{{cell("big", 2, 3), cell("r")}, false});
    doc::Cell cont = merged();
    cont.col_span = 2;  // the covered cells as one cell with the start's span …
    two_by_two_merge.rows.push_back(doc::Row{{cont, cell("s")}, false});
    // … or as one merged_below cell per grid column: both become one continuation cell.
    two_by_two_merge.rows.push_back(doc::Row{{merged(), merged(), cell("t")}, false});
    add(two_by_two_merge);
    add(para(Role::plain, {run("Конец.")}, Align::left, false));
    return d;
}

// Deterministic varied Russian prose (so that it compresses like real text, not like a repeat).
class Prose {
public:
    std::string sentence() {
        static const char* const words[] = {
            "образования", "качества", "программы", "школы", "обучающихся", "педагогов",
            "мониторинга", "результатов", "муниципального", "района", "поддержки", "развития",
            "центра", "мероприятий", "реализации", "повышения", "методической", "работы",
            "организаций", "учителей", "оценки", "показателей", "низкими", "условиях",
            "партнёрства", "деятельности", "руководителей", "плана", "года", "этапа",
            "в", "и", "на", "с", "по", "для", "о", "к", "при", "из"};
        static const char* const openings[] = {"В целях", "Согласно плану", "Для", "При этом",
                                               "Обеспечить", "Рассмотреть"};
        std::string out = openings[next() % std::size(openings)];
        const int n = 8 + static_cast<int>(next() % 14);
        for (int i = 0; i < n; ++i) {
            out += ' ';
            out += words[next() % std::size(words)];
        }
        out += ". ";
        return out;
    }

private:
    std::uint32_t next() {
        state_ = state_ * 1664525u + 1013904223u;
        return state_ >> 8;
    }
    std::uint32_t state_ = 12345;
};

// ~70 KB of text in ~60 paragraphs (a fifth of them list items on 3 levels) and a 25-row table:
// the typical order of the benchmark.
doc::Document typical_order() {
    doc::Document d;
    d.title = "Типичный приказ";
    auto add = [&](auto value) { d.body.push_back(doc::Block{std::move(value)}); };
    add(centred(Role::doc_type, "ПРИКАЗ"));
    Prose prose;
    std::size_t size = 0;
    int n = 0;
    while (size < 70000) {
        std::string text;
        for (int k = 0; k < 6; ++k) text += prose.sentence();
        size += text.size();
        if (n % 5 == 0)
            add(item(1 + n / 50, n % 3, text));
        else
            add(body(text));
        ++n;
    }
    doc::Table t;
    t.widths = {1, 8, 3, 4};
    doc::Row h;
    h.header = true;
    for (auto s : {"№", "Мероприятие", "Срок", "Ответственный"}) h.cells.push_back(cell(s));
    t.rows.push_back(h);
    for (int r = 1; r < 25; ++r)
        t.rows.push_back(doc::Row{{cell(std::to_string(r)), cell(prose.sentence()), cell("март-ноябрь"),
                                   cell("Борисенкова Ю.Н.")},
                                  false});
    add(t);
    add(doc::Signature{{"Начальник Отдела", "по образованию"}, "Т.И. Ковальская"});
    return d;
}

void dump(const std::string& name, const std::string& bytes) {
    const char* dir = std::getenv("PPKO_DOCX_DUMP");
    if (dir == nullptr) return;
    std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << bytes;
}

std::string write(const doc::Document& d, const doc::LayoutProfile& p = {}) {
    docx::DocxWriter w;
    std::string out;
    w.write(d, p, out);
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<const Node*> body_children(const Node& document) {
    std::vector<const Node*> out;
    for (const Node& c : document.child("w:body")->children) out.push_back(&c);
    return out;
}

}  // namespace

// =============================================================================================

BOOST_AUTO_TEST_SUITE(docx_zip_writer)

BOOST_AUTO_TEST_CASE(poco_reads_every_entry_in_order_with_valid_crc) {
    docx::ZipWriter zip;
    std::string bytes;
    std::string big;
    for (int i = 0; i < 2000; ++i) big += "<w:p>строка " + std::to_string(i) + "</w:p>";
    for (int round = 0; round < 2; ++round) {  // the writer is reused for a second archive
        zip.begin(bytes);
        zip.add("[Content_Types].xml", "<Types/>");
        zip.add("word/document.xml", big);
        zip.add("stored.bin", "stored as is", false);
        zip.add("empty.xml", "");
        zip.add("папка/файл.txt", "non-ASCII name");
        zip.finish();
        const auto entries = unzip(bytes);
        BOOST_TEST_REQUIRE(entries.size() == 5u);
        BOOST_TEST(entries[0].name == "[Content_Types].xml");
        BOOST_TEST(entries[1].name == "word/document.xml");
        BOOST_TEST(entries[1].data == big);
        BOOST_TEST(entries[2].data == "stored as is");
        BOOST_TEST(entries[3].data.empty());
        BOOST_TEST(entries[4].name == "папка/файл.txt");
        BOOST_TEST(bytes.size() < big.size() / 3, "deflate must compress repetitive XML");
    }
}

BOOST_AUTO_TEST_CASE(fixed_time_and_methods_in_local_headers) {
    docx::ZipWriter zip(docx::ZipWriter::default_level, docx::ZipWriter::small_part_size);
    std::string bytes;
    zip.begin(bytes);
    zip.add("a.xml", std::string(2000, 'a'));
    zip.add("b.xml", std::string(1000, 'b'), true);  // under store_below (1 KiB): stored
    zip.finish();
    const auto u16 = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[at])) |
               static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 8;
    };
    BOOST_TEST(bytes.substr(0, 4) == std::string("PK\x03\x04"));
    BOOST_TEST(u16(8) == 8u);       // deflated
    BOOST_TEST(u16(10) == 0u);      // 00:00
    BOOST_TEST(u16(12) == 0x21u);   // 1980-01-01
    const std::size_t second = bytes.find(std::string("PK\x03\x04"), 4);
    BOOST_TEST_REQUIRE(second != std::string::npos);
    BOOST_TEST(u16(second + 8) == 0u);  // stored
    BOOST_TEST(u16(second + 18) == 1000u);  // compressed size = size
    BOOST_TEST(bytes.substr(bytes.size() - 22, 4) == std::string("PK\x05\x06"));
    BOOST_TEST(u16(bytes.size() - 22 + 10) == 2u);  // entries in the end record

    // Without the size rule (the default) a part is still stored when deflate would not
    // shrink it.
    docx::ZipWriter always;
    always.begin(bytes);
    always.add("b.xml", std::string(1000, 'b'));
    always.add("c.bin", "xyz");
    always.finish();
    BOOST_TEST(u16(8) == 8u);
    const std::size_t third = bytes.find(std::string("PK\x03\x04"), 4);
    BOOST_TEST_REQUIRE(third != std::string::npos);
    BOOST_TEST(u16(third + 8) == 0u);
}

// add_reusing gives the bytes add() gives without the size rule, whatever it remembers: two
// contents alternating under one name (kept as variants), more variants than it keeps, and a
// part too large to keep.
BOOST_AUTO_TEST_CASE(reusing_parts_gives_the_same_archive_as_adding_them) {
    std::vector<std::string> variants;
    for (int v = 0; v < 6; ++v) variants.push_back("<Types>" + std::string(200 + v, 'x') + "</Types>");
    std::string big;
    for (int i = 0; big.size() <= docx::ZipWriter::memo_max_size; ++i) big += "<w:p>" + std::to_string(i) + "</w:p>";
    docx::ZipWriter reusing(docx::ZipWriter::default_level, docx::ZipWriter::small_part_size);
    docx::ZipWriter plain;
    std::string a, b;
    const int order[] = {0, 1, 0, 1, 2, 3, 4, 5, 0, 1, 5, 5};
    for (int v : order) {
        reusing.begin(a);
        plain.begin(b);
        reusing.add_reusing("[Content_Types].xml", variants[static_cast<std::size_t>(v)]);
        plain.add("[Content_Types].xml", variants[static_cast<std::size_t>(v)]);
        reusing.add_reusing("word/styles.xml", "<w:styles/>");
        plain.add("word/styles.xml", "<w:styles/>");
        reusing.add_reusing("word/document.xml", big);
        plain.add("word/document.xml", big);
        reusing.finish();
        plain.finish();
        BOOST_TEST_REQUIRE((a == b), "variant " << v);
        const auto entries = unzip(a);
        BOOST_TEST_REQUIRE(entries.size() == 3u);
        BOOST_TEST(entries[0].data == variants[static_cast<std::size_t>(v)]);
        BOOST_TEST(entries[2].data == big);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// =============================================================================================

BOOST_AUTO_TEST_SUITE(docx_xml_escaping)

std::string escaped(std::string_view s) {
    std::string out;
    docx::xml::append_escaped(out, s);
    return out;
}

BOOST_AUTO_TEST_CASE(escapes_markup_characters) {
    BOOST_TEST(escaped("<>&\"'") == "&lt;&gt;&amp;&quot;'");
    BOOST_TEST(escaped("a & b") == "a &amp; b");
    BOOST_TEST(escaped("«Текст» — 😀") == "«Текст» — 😀");
}

BOOST_AUTO_TEST_CASE(drops_characters_xml_forbids) {
    BOOST_TEST(escaped(std::string("a\x01\x08\x0b\x0c\x1f" "b", 7)) == "ab");
    BOOST_TEST(escaped(std::string("\0x", 2)) == "x");
    BOOST_TEST(escaped("\t\n\r") == "\t\n\r");
    BOOST_TEST(escaped("a\xEF\xBF\xBE" "b\xEF\xBF\xBF") == "ab");  // U+FFFE, U+FFFF
    BOOST_TEST(escaped("\xEF\xBF\xBD") == "\xEF\xBF\xBD");        // U+FFFD itself stays
}

BOOST_AUTO_TEST_CASE(replaces_each_invalid_utf8_byte) {
    const std::string r = "\xEF\xBF\xBD";
    BOOST_TEST(escaped("\xFF") == r);
    BOOST_TEST(escaped("a\x80z") == "a" + r + "z");               // stray continuation
    BOOST_TEST(escaped("\xC0\xAF") == r + r);                      // overlong '/'
    BOOST_TEST(escaped("\xED\xA0\x80") == r + r + r);              // encoded surrogate
    BOOST_TEST(escaped("\xF4\x90\x80\x80") == r + r + r + r);      // above U+10FFFF
    BOOST_TEST(escaped("\xE2\x82") == r + r);                      // truncated at the end
    BOOST_TEST(escaped("\xD0<") == r + "&lt;");                    // truncated before ASCII
    BOOST_TEST(escaped("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80"); // U+1F600 kept
}

BOOST_AUTO_TEST_SUITE_END()

// =============================================================================================

BOOST_AUTO_TEST_SUITE(docx_writer)

BOOST_AUTO_TEST_CASE(package_parts_types_and_relationships) {
    const std::string bytes = write(kitchen_sink());
    dump("kitchen-sink.docx", bytes);
    const auto entries = unzip(bytes);
    std::vector<std::string> names;
    for (const auto& e : entries) names.push_back(e.name);
    const std::vector<std::string> expected = {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
        "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
        "word/settings.xml", "word/fontTable.xml", "word/numbering.xml", "word/header1.xml",
        "word/header2.xml"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());

    std::map<std::string, std::string> parts;
    for (const auto& e : entries) parts[e.name] = e.data;
    for (const auto& [name, data] : parts) {
        BOOST_TEST_CONTEXT("part " << name) {
            BOOST_CHECK_NO_THROW(parse(data));
        }
    }

    // Every part except [Content_Types].xml and .rels has an Override; every Override exists.
    const Node types = parse(parts.at("[Content_Types].xml"));
    std::set<std::string> overridden;
    for (const Node* o : types.all("Override")) {
        overridden.insert(o->val("PartName"));
        BOOST_TEST(parts.count(o->val("PartName").substr(1)) == 1u, o->val("PartName"));
    }
    for (const auto& [name, data] : parts) {
        if (name == "[Content_Types].xml" || name.ends_with(".rels")) continue;
        BOOST_TEST(overridden.count("/" + name) == 1u, name);
    }
    for (const Node* o : types.all("Override")) {
        if (o->val("PartName") == "/word/document.xml")
            BOOST_TEST(o->val("ContentType") ==
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
    }

    // Relationship ids unique, targets exist.
    for (const auto& [rels_name, base] :
         {std::pair<std::string, std::string>{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}}) {
        const Node rels = parse(parts.at(rels_name));
        std::set<std::string> ids;
        for (const Node* r : rels.all("Relationship")) {
            BOOST_TEST(ids.insert(r->val("Id")).second, "duplicate id " << r->val("Id"));
            BOOST_TEST(parts.count(base + r->val("Target")) == 1u, r->val("Target"));
        }
    }
    const Node core = parse(parts.at("docProps/core.xml"));
    BOOST_TEST(core.child("dc:title")->text == "Об организации центра <№ 43-о/д> & «проверка»");
    BOOST_TEST(parts.at("docProps/core.xml").find("dcterms:created") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(element_order_follows_the_schema_in_every_part) {
    const auto parts = parts_of(write(kitchen_sink()));
    for (const char* name : {"word/document.xml", "word/styles.xml", "word/numbering.xml",
                             "word/header1.xml", "word/header2.xml", "word/settings.xml"}) {
        BOOST_TEST_CONTEXT(name) { check_order_everywhere(parse(parts.at(name))); }
    }
    // numbering: every abstractNum before every num.
    const Node numbering = parse(parts.at("word/numbering.xml"));
    bool seen_num = false;
    for (const Node& c : numbering.children) {
        if (c.name == "w:num") seen_num = true;
        if (c.name == "w:abstractNum") BOOST_TEST(!seen_num, "abstractNum after a num");
    }
    // settings in schema order (a subset of CT_Settings).
    const Node settings = parse(parts.at("word/settings.xml"));
    std::string why;
    BOOST_TEST(in_order(settings,
                        {"w:zoom", "w:defaultTabStop", "w:characterSpacingControl", "w:compat",
                         "w:decimalSymbol", "w:listSeparator"},
                        why),
               why);
}

BOOST_AUTO_TEST_CASE(body_structure_and_section) {
    const auto parts = parts_of(write(kitchen_sink()));
    const Node document = parse(parts.at("word/document.xml"));
    const auto children = body_children(document);
    BOOST_TEST_REQUIRE(!children.empty());
    BOOST_TEST(children.back()->name == "w:sectPr");
    const auto count = [&](std::string_view name) {
        return std::count_if(children.begin(), children.end(),
                             [&](const Node* n) { return n->name == name; });
    };
    const doc::Document d = kitchen_sink();
    BOOST_TEST(count("w:tbl") == 2);
    BOOST_TEST(static_cast<std::size_t>(count("w:p")) == d.body.size() - 2);

    const Node& sect = *children.back();
    BOOST_TEST(sect.child("w:pgSz")->val("w:w") == "11906");
    BOOST_TEST(sect.child("w:pgSz")->val("w:h") == "16838");
    const Node* mar = sect.child("w:pgMar");
    BOOST_TEST(mar->val("w:top") == "1134");
    BOOST_TEST(mar->val("w:bottom") == "1134");
    BOOST_TEST(mar->val("w:left") == "1134");
    BOOST_TEST(mar->val("w:right") == "567");
    BOOST_TEST(mar->val("w:header") == "567");
    BOOST_TEST(mar->val("w:gutter") == "0");
    BOOST_TEST(sect.child("w:titlePg") != nullptr);

    // Header references resolve to header parts: default → page number, first → empty.
    const Node rels = parse(parts.at("word/_rels/document.xml.rels"));
    std::map<std::string, std::string> targets;
    for (const Node* r : rels.all("Relationship")) targets[r->val("Id")] = r->val("Target");
    std::map<std::string, std::string> header_of;
    for (const Node* h : sect.all("w:headerReference")) header_of[h->val("w:type")] = targets[h->val("r:id")];
    BOOST_TEST(header_of["default"] == "header1.xml");
    BOOST_TEST(header_of["first"] == "header2.xml");
    const Node header = parse(parts.at("word/header1.xml"));
    BOOST_TEST(header.all("w:instrText").size() == 1u);
    BOOST_TEST(header.all("w:instrText")[0]->text == " PAGE ");
    BOOST_TEST(style_of(*header.child("w:p")) == "PpkoPageNumber");
    BOOST_TEST(parse(parts.at("word/header2.xml")).all("w:r").empty());
}

BOOST_AUTO_TEST_CASE(text_is_escaped_and_sanitised) {
    const std::string bytes = write(kitchen_sink());
    const auto parts = parts_of(bytes);
    const Node document = parse(parts.at("word/document.xml"));
    std::vector<std::string> texts;
    for (const Node* p : document.child("w:body")->all("w:p")) texts.push_back(paragraph_text(*p));
    BOOST_TEST(std::count(texts.begin(), texts.end(), kHostileExpected) == 1);
    BOOST_TEST(std::count(texts.begin(), texts.end(), long_text()) == 1);
    BOOST_TEST(std::count(texts.begin(), texts.end(), "от 01.03.2018\t№ 43-о/д") == 1);
    BOOST_TEST(std::count(texts.begin(), texts.end(),
                          "Приложение № 1\nк приказу Отдела\nот 01.03.2018 № 43-о/д") == 1);
    BOOST_TEST(std::count(texts.begin(), texts.end(),
                          "Обычный, жирный, курсив, подчёркнутый и всё сразу") == 1);
    // Raw checks on the bytes: entities used, no control characters or U+FFFE anywhere.
    const std::string& xml = parts.at("word/document.xml");
    BOOST_TEST(xml.find("&lt;&gt;&amp;&quot;'") != std::string::npos);
    BOOST_TEST(xml.find("\xEF\xBF\xBE") == std::string::npos);
    for (const auto& [name, data] : parts) {
        BOOST_TEST_CONTEXT(name) { BOOST_CHECK_NO_THROW(check_xml_chars(data)); }
    }
    // Every w:t keeps its spaces.
    for (const Node* t : document.all("w:t")) BOOST_TEST(t->val("xml:space") == "preserve");
}

BOOST_AUTO_TEST_CASE(runs_formatting_and_paragraph_overrides) {
    const Node document = parse(parts_of(write(kitchen_sink())).at("word/document.xml"));
    const auto paragraphs = document.child("w:body")->all("w:p");
    const auto find = [&](const std::string& text) -> const Node& {
        for (const Node* p : paragraphs)
            if (paragraph_text(*p) == text) return *p;
        BOOST_FAIL("no paragraph «" << text << "»");
        throw;
    };
    const Node& formatted = find("Обычный, жирный, курсив, подчёркнутый и всё сразу");
    const auto runs = formatted.all("w:r");
    BOOST_TEST_REQUIRE(runs.size() == 7u);  // the empty run is not written
    BOOST_TEST(runs[0]->child("w:rPr") == nullptr);
    BOOST_TEST(runs[1]->child("w:rPr")->child_names() == (std::vector<std::string>{"w:b", "w:bCs"}),
               boost::test_tools::per_element());
    BOOST_TEST(runs[3]->child("w:rPr")->child("w:i") != nullptr);
    BOOST_TEST(runs[5]->child("w:rPr")->child("w:u")->val("w:val") == "single");
    BOOST_TEST(runs[6]->child("w:rPr")->child_names().size() == 5u);

    // A body paragraph equal to its style: only pStyle.
    const Node& plain_body = find(long_text());
    BOOST_TEST(plain_body.child("w:pPr")->child_names() == (std::vector<std::string>{"w:pStyle"}),
               boost::test_tools::per_element());
    BOOST_TEST(style_of(plain_body) == "PpkoBody");

    const Node& ov = *find("Абзац с отличиями от стиля.").child("w:pPr");
    BOOST_TEST(ov.child_names() ==
                   (std::vector<std::string>{"w:pStyle", "w:keepNext", "w:pageBreakBefore", "w:ind", "w:jc"}),
               boost::test_tools::per_element());
    BOOST_TEST(ov.child("w:ind")->val("w:left") == "567");
    BOOST_TEST(ov.child("w:ind")->val("w:firstLine") == "0");
    BOOST_TEST(ov.child("w:jc")->val("w:val") == "center");

    // keep_with_next = false is no request: the heading style's keepNext stays.
    const Node& no_keep = *find("Заголовок, keep_with_next = false").child("w:pPr");
    BOOST_TEST(no_keep.child("w:keepNext") == nullptr);
    BOOST_TEST(no_keep.child_names() == (std::vector<std::string>{"w:pStyle"}), boost::test_tools::per_element());
    BOOST_TEST(style_of(find("ПРИКАЗ")) == "PpkoDocType");
    BOOST_TEST(find("ПРИКАЗ").child("w:pPr")->child("w:jc") == nullptr);

    const Node& stamp = find("Приложение № 1\nк приказу Отдела\nот 01.03.2018 № 43-о/д");
    BOOST_TEST(style_of(stamp) == "PpkoStamp");
    BOOST_TEST(stamp.all("w:br").size() == 2u);
}

BOOST_AUTO_TEST_CASE(signature_is_one_paragraph_with_a_right_tab) {
    const auto parts = parts_of(write(kitchen_sink()));
    const Node document = parse(parts.at("word/document.xml"));
    std::vector<const Node*> signatures;
    for (const Node* p : document.child("w:body")->all("w:p"))
        if (style_of(*p) == "PpkoSignature") signatures.push_back(p);
    BOOST_TEST_REQUIRE(signatures.size() == 2u);  // top level and in a cell
    BOOST_TEST(paragraph_text(*signatures[0]) == "Начальник Отдела\nпо образованию\tТ.И. Ковальская");
    // The tab stop: in the style at the text width (210 − 20 − 10 mm = 10205 twips).
    const Node styles = parse(parts.at("word/styles.xml"));
    const Node* style = nullptr;
    for (const Node* s : styles.all("w:style"))
        if (s->val("w:styleId") == "PpkoSignature") style = s;
    BOOST_TEST_REQUIRE(style != nullptr);
    const Node* tab = style->child("w:pPr")->child("w:tabs")->child("w:tab");
    BOOST_TEST(tab->val("w:val") == "right");
    BOOST_TEST(tab->val("w:pos") == "10205");
    BOOST_TEST(style->child("w:pPr")->child("w:keepLines") != nullptr);
    BOOST_TEST(std::stol(style->child("w:pPr")->child("w:spacing")->val("w:before")) > 0);
    // In a cell the stop moves to the cell's inner width.
    const Node* cell_tabs = signatures[1]->child("w:pPr")->child("w:tabs");
    BOOST_TEST_REQUIRE(cell_tabs != nullptr);
    BOOST_TEST(cell_tabs->children.size() == 2u);
    BOOST_TEST(cell_tabs->children[0].val("w:val") == "clear");
    BOOST_TEST(std::stol(cell_tabs->children[1].val("w:pos")) < 10205);
}

BOOST_AUTO_TEST_CASE(page_break_paragraph) {
    const Node document = parse(parts_of(write(kitchen_sink())).at("word/document.xml"));
    int breaks = 0;
    for (const Node* p : document.child("w:body")->all("w:p")) {
        for (const Node* br : p->all("w:br")) {
            if (br->val("w:type") != "page") continue;
            ++breaks;
            BOOST_TEST(p->all("w:r").size() == 1u);
            BOOST_TEST(p->all("w:t").empty());
        }
    }
    BOOST_TEST(breaks == 1);
}

BOOST_AUTO_TEST_CASE(lists_resolve_and_restart) {
    const auto parts = parts_of(write(kitchen_sink()));
    const Node document = parse(parts.at("word/document.xml"));
    const Node numbering = parse(parts.at("word/numbering.xml"));

    std::map<std::string, std::string> abstract_of;   // numId → abstractNumId
    std::map<std::string, std::string> start_of;      // numId → level-0 start
    std::set<std::string> abstract_ids;
    for (const Node* a : numbering.all("w:abstractNum")) abstract_ids.insert(a->val("w:abstractNumId"));
    for (const Node* n : numbering.all("w:num")) {
        abstract_of[n->val("w:numId")] = n->child("w:abstractNumId")->val("w:val");
        BOOST_TEST(abstract_ids.count(abstract_of[n->val("w:numId")]) == 1u);
        for (const Node* o : n->all("w:lvlOverride"))
            if (o->val("w:ilvl") == "0") start_of[n->val("w:numId")] = o->child("w:startOverride")->val("w:val");
    }
    // Four list instances (7, 8, 3, 11) in order of appearance.
    BOOST_TEST(abstract_of.size() == 4u);
    BOOST_TEST(start_of["1"] == "1");
    BOOST_TEST(start_of["3"] == "5");
    BOOST_TEST(abstract_of["1"] == abstract_of["3"]);   // both numbered
    BOOST_TEST(abstract_of["1"] != abstract_of["2"]);   // bulleted

    std::vector<std::string> used;  // "numId/ilvl" in document order
    for (const Node* np : document.all("w:numPr")) {
        const std::string num = np->child("w:numId")->val("w:val");
        used.push_back(num + "/" + np->child("w:ilvl")->val("w:val"));
        BOOST_TEST(abstract_of.count(num) == 1u, "numId " << num << " resolves");
    }
    const std::vector<std::string> expected = {"1/0", "1/1", "1/2", "1/2", "1/0", "2/0",
                                               "2/1", "3/0", "3/0", "4/0", "4/0"};
    BOOST_TEST(used == expected, boost::test_tools::per_element());

    // Level texts: «%1.», «%1.%2.», «%1.%2.%3.»; bullets «–»; number inline (suff space).
    for (const Node* a : numbering.all("w:abstractNum")) {
        const auto levels = a->all("w:lvl");
        BOOST_TEST_REQUIRE(levels.size() == 9u);
        for (const Node* l : levels) BOOST_TEST(l->child("w:suff")->val("w:val") == "space");
        const Node* ind = levels[0]->child("w:pPr")->child("w:ind");
        BOOST_TEST(ind->val("w:left") == "0");
        BOOST_TEST(ind->val("w:firstLine") == "709");
        if (levels[0]->child("w:numFmt")->val("w:val") == "decimal") {
            BOOST_TEST(levels[0]->child("w:lvlText")->val("w:val") == "%1.");
            BOOST_TEST(levels[1]->child("w:lvlText")->val("w:val") == "%1.%2.");
            BOOST_TEST(levels[2]->child("w:lvlText")->val("w:val") == "%1.%2.%3.");
        } else {
            BOOST_TEST(levels[0]->child("w:numFmt")->val("w:val") == "bullet");
            BOOST_TEST(levels[0]->child("w:lvlText")->val("w:val") == "–");
        }
    }
}

BOOST_AUTO_TEST_CASE(tables_grid_cells_and_merges) {
    const Node document = parse(parts_of(write(kitchen_sink())).at("word/document.xml"));
    const auto tables = document.all("w:tbl");
    BOOST_TEST_REQUIRE(tables.size() == 3u);  // two top-level, one nested

    // Every w:tc has content ending with a w:p; tcW equals the spanned grid columns.
    for (const Node* tbl : tables) {
        std::vector<long> grid;
        for (const Node& g : tbl->child("w:tblGrid")->children) grid.push_back(std::stol(g.val("w:w")));
        for (const Node& tr : tbl->children) {
            if (tr.name != "w:tr") continue;
            std::size_t column = 0;
            for (const Node& tc : tr.children) {
                if (tc.name != "w:tc") continue;
                BOOST_TEST_REQUIRE(tc.children.size() >= 2u);
                BOOST_TEST(tc.children.front().name == "w:tcPr");
                BOOST_TEST(tc.children.back().name == "w:p");
                const Node* span = tc.child("w:tcPr")->child("w:gridSpan");
                const std::size_t n = span ? std::stoul(span->val("w:val")) : 1;
                long width = 0;
                for (std::size_t k = column; k < column + n && k < grid.size(); ++k) width += grid[k];
                BOOST_TEST(std::stol(tc.child("w:tcPr")->child("w:tcW")->val("w:w")) == width);
                column += n;
            }
            BOOST_TEST(column <= grid.size());
        }
    }

    const Node& main = *tables[0];
    const auto grid = main.child("w:tblGrid")->children;
    BOOST_TEST(grid.size() == 4u);
    long total = 0;
    for (const Node& g : grid) total += std::stol(g.val("w:w"));
    BOOST_TEST(total == 10205);
    // Widths from doc::TableLayout: every column at least as wide as its longest word.
    for (const Node& g : grid) BOOST_TEST(std::stol(g.val("w:w")) > 2 * 57);
    BOOST_TEST(main.child("w:tblPr")->child("w:tblBorders")->children.size() == 6u);
    BOOST_TEST(main.child("w:tblPr")->child("w:tblLayout")->val("w:type") == "fixed");
    BOOST_TEST(tables[2]->child("w:tblPr")->child("w:tblBorders") == nullptr);  // borders = false

    std::vector<const Node*> rows;
    for (const Node& c : main.children)
        if (c.name == "w:tr") rows.push_back(&c);
    BOOST_TEST_REQUIRE(rows.size() == 7u);
    BOOST_TEST(rows[0]->child("w:trPr")->child("w:tblHeader") != nullptr);
    // Body rows do not break across pages (none is taller than a page).
    BOOST_TEST(rows[1]->child("w:trPr")->child("w:cantSplit") != nullptr);
    BOOST_TEST(rows[1]->child("w:trPr")->child("w:tblHeader") == nullptr);
    const auto cells = [](const Node* tr) {
        std::vector<const Node*> out;
        for (const Node& c : tr->children)
            if (c.name == "w:tc") out.push_back(&c);
        return out;
    };
    const auto vmerge = [](const Node* tc) -> std::string {
        const Node* v = tc->child("w:tcPr")->child("w:vMerge");
        return v == nullptr ? "none" : v->attr("w:val") ? *v->attr("w:val") : "continue";
    };
    // Header cells: bold runs, centred.
    const Node* h = cells(rows[0])[1];
    BOOST_TEST(h->all("w:b").size() == 1u);
    BOOST_TEST(h->child("w:p")->child("w:pPr")->child("w:jc")->val("w:val") == "center");
    // Row 1: «Разработка программы» restarts a vertical merge of 3 rows; «март-ноябрь» spans 2.
    BOOST_TEST(vmerge(cells(rows[1])[1]) == "restart");
    BOOST_TEST(cells(rows[1])[2]->child("w:tcPr")->child("w:gridSpan")->val("w:val") == "2");
    BOOST_TEST(vmerge(cells(rows[2])[1]) == "continue");
    BOOST_TEST(vmerge(cells(rows[3])[1]) == "continue");
    BOOST_TEST(paragraph_text(*cells(rows[2])[1]->child("w:p")).empty());
    // Row 3: a list inside a cell, a nested table followed by a paragraph, an empty cell.
    BOOST_TEST(cells(rows[3])[0]->all("w:numPr").size() == 2u);
    BOOST_TEST(cells(rows[3])[2]->child("w:tbl") != nullptr);
    BOOST_TEST(cells(rows[3])[3]->all("w:p").size() == 1u);
    // Row 4: a body paragraph in a centred cell takes the cell's alignment.
    const Node* takes = cells(rows[4])[2]->child("w:p");
    BOOST_TEST(takes->child("w:pPr")->child("w:jc")->val("w:val") == "center");
    // Row 5: a paragraph with its own alignment (justify, not the cell style's left) keeps it.
    const Node* own = cells(rows[5])[0]->child("w:p");
    BOOST_TEST(own->child("w:pPr")->child("w:jc")->val("w:val") == "both");
    BOOST_TEST(vmerge(cells(rows[5])[1]) == "restart");
    BOOST_TEST(vmerge(cells(rows[6])[1]) == "continue");

    // The 2-column merge: continuation cells carry gridSpan 2 as the start does, whichever way
    // the model lists the covered cells.
    std::vector<const Node*> rows2;
    for (const Node& c : tables[2]->children)
        if (c.name == "w:tr") rows2.push_back(&c);
    BOOST_TEST_REQUIRE(rows2.size() == 3u);
    BOOST_TEST(vmerge(cells(rows2[0])[0]) == "restart");
    for (std::size_t r = 1; r < 3; ++r) {
        BOOST_TEST_REQUIRE(cells(rows2[r]).size() == 2u);
        BOOST_TEST(vmerge(cells(rows2[r])[0]) == "continue");
        BOOST_TEST(cells(rows2[r])[0]->child("w:tcPr")->child("w:gridSpan")->val("w:val") == "2");
        BOOST_TEST(vmerge(cells(rows2[r])[1]) == "none");
        BOOST_TEST(paragraph_text(*cells(rows2[r])[1]->child("w:p")) == (r == 1 ? "s" : "t"));
    }
}

// Rows that print: a row taller than a page may split (it has to), every other may not; the
// narrow column keeps its longest word whole.
BOOST_AUTO_TEST_CASE(rows_split_only_when_taller_than_a_page) {
    doc::Document d;
    doc::Table t;
    t.widths = {1, 20};
    doc::Row head;
    head.header = true;
    doc::Row small, tall;
    for (doc::Row* r : {&head, &small, &tall}) {
        for (int k = 0; k < 2; ++k) {
            doc::Cell c;
            c.blocks.push_back({para(Role::cell, {run(k == 0 ? "общеобразовательных" : "текст")}, Align::left, false)});
            r->cells.push_back(c);
        }
    }
    for (int i = 0; i < 80; ++i) tall.cells[1].blocks.push_back({para(Role::cell, {run("строка")}, Align::left, false)});
    t.rows = {head, small, tall};
    d.body.push_back({t});
    const Node document = parse(parts_of(write(d)).at("word/document.xml"));
    std::vector<const Node*> rows = document.all("w:tr");
    BOOST_TEST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[0]->child("w:trPr")->child("w:tblHeader") != nullptr);
    BOOST_TEST(rows[1]->child("w:trPr")->child("w:cantSplit") != nullptr);
    BOOST_TEST(rows[2]->child("w:trPr") == nullptr);  // 81 lines of 12 pt: taller than 257 mm
    // «общеобразовательных» is about 40 mm in Times New Roman 12 pt: 1/21 of 180 mm would break it.
    const auto grid = document.all("w:gridCol");
    BOOST_TEST(std::stol(grid[0]->val("w:w")) > 40 * 1440 / 25.4);
}

// Contents with page numbers: a PAGEREF field per reference, its cached value the run's text,
// and Word told to update fields; documents without references do not ask.
BOOST_AUTO_TEST_CASE(page_references_are_pageref_fields) {
    doc::Document d;
    doc::Paragraph toc = para(Role::toc, {run("1. Записка\tстр. ")}, Align::left, false);
    doc::Run ref = run("3");
    ref.page_ref = "note-1";
    toc.runs.push_back(ref);
    d.body.push_back({toc});
    d.body.push_back({doc::PageBreak{}});
    doc::Paragraph h = centred(Role::heading1, "1. Записка");
    h.bookmark = "note-1";
    d.body.push_back({h});
    const auto parts = parts_of(write(d));
    const Node document = parse(parts.at("word/document.xml"));
    const auto chars = document.all("w:fldChar");
    BOOST_TEST_REQUIRE(chars.size() == 3u);
    BOOST_TEST(chars[0]->val("w:fldCharType") == "begin");
    BOOST_TEST(chars[1]->val("w:fldCharType") == "separate");
    BOOST_TEST(chars[2]->val("w:fldCharType") == "end");
    BOOST_TEST(document.all("w:instrText")[0]->text == " PAGEREF note_1 \\h ");
    BOOST_TEST(document.all("w:bookmarkStart")[0]->val("w:name") == "note_1");
    BOOST_TEST(parts.at("word/settings.xml").find("<w:updateFields w:val=\"true\"/><w:compat>") != std::string::npos);
    // The contents style: a right tab with a dot leader at the text width.
    const Node styles = parse(parts.at("word/styles.xml"));
    for (const Node* st : styles.all("w:style")) {
        if (st->val("w:styleId") != "PpkoToc") continue;
        const Node* tab = st->child("w:pPr")->child("w:tabs")->child("w:tab");
        BOOST_TEST(tab->val("w:leader") == "dot");
        BOOST_TEST(tab->val("w:pos") == "10205");
    }
    BOOST_TEST(parts_of(write(kitchen_sink())).at("word/settings.xml").find("updateFields") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bookmarks_have_unique_ids_and_valid_names) {
    const Node document = parse(parts_of(write(kitchen_sink())).at("word/document.xml"));
    const auto starts = document.all("w:bookmarkStart");
    const auto ends = document.all("w:bookmarkEnd");
    BOOST_TEST_REQUIRE(starts.size() == 2u);  // "sec-1" twice → once
    BOOST_TEST(ends.size() == 2u);
    BOOST_TEST(starts[0]->val("w:name") == "sec_1");
    BOOST_TEST(starts[1]->val("w:name") == "b2nd_section");
    BOOST_TEST(starts[0]->val("w:id") != starts[1]->val("w:id"));
    BOOST_TEST(starts[0]->val("w:id") == ends[0]->val("w:id"));
    BOOST_TEST(starts[1]->val("w:id") == ends[1]->val("w:id"));
}

BOOST_AUTO_TEST_CASE(styles_follow_the_profile) {
    doc::LayoutProfile p;
    p.font = "Arial";
    p.font_size_pt = 13;
    p.line_spacing = 1.5;
    p.space_after_pt = 6;
    p.table_font_size_pt = 11;
    const auto parts = parts_of(write(kitchen_sink(), p));
    const Node styles = parse(parts.at("word/styles.xml"));
    const Node* defaults = styles.child("w:docDefaults");
    const Node* fonts = defaults->all("w:rFonts")[0];
    for (const char* a : {"w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"}) BOOST_TEST(fonts->val(a) == "Arial");
    BOOST_TEST(defaults->all("w:sz")[0]->val("w:val") == "26");
    BOOST_TEST(defaults->all("w:lang")[0]->val("w:val") == "ru-RU");
    const Node* spacing = defaults->all("w:spacing")[0];
    BOOST_TEST(spacing->val("w:line") == "360");
    BOOST_TEST(spacing->val("w:lineRule") == "auto");
    BOOST_TEST(spacing->val("w:after") == "120");

    std::map<std::string, const Node*> by_id;
    for (const Node* s : styles.all("w:style")) by_id[s->val("w:styleId")] = s;
    for (const char* id : {"PpkoBody", "PpkoPlain", "PpkoDocType", "PpkoTitle", "PpkoHeading1",
                           "PpkoHeading2", "PpkoStamp", "PpkoSignature", "PpkoListItem", "PpkoCell"}) {
        BOOST_TEST_REQUIRE(by_id.count(id) == 1u, id);
        BOOST_TEST(by_id[id]->child("w:name")->val("w:val").starts_with("ППКО: "), id);
    }
    BOOST_TEST(by_id["PpkoBody"]->child("w:pPr")->child("w:jc")->val("w:val") == "both");
    BOOST_TEST(by_id["PpkoBody"]->child("w:pPr")->child("w:ind")->val("w:firstLine") == "709");
    BOOST_TEST(by_id["PpkoHeading1"]->child("w:pPr")->child("w:keepNext") != nullptr);
    BOOST_TEST(by_id["PpkoHeading1"]->child("w:rPr")->child("w:b") != nullptr);
    BOOST_TEST(by_id["PpkoStamp"]->child("w:pPr")->child("w:ind")->val("w:left") == "5669");
    BOOST_TEST(by_id["PpkoCell"]->child("w:rPr")->child("w:sz")->val("w:val") == "22");

    // Every style the document uses is defined.
    const Node document = parse(parts.at("word/document.xml"));
    for (const Node* ps : document.all("w:pStyle")) BOOST_TEST(by_id.count(ps->val("w:val")) == 1u);
    const Node fonts_part = parse(parts.at("word/fontTable.xml"));
    BOOST_TEST(fonts_part.child("w:font")->val("w:name") == "Arial");
}

// The requisites of templates/common.tpl: each role has its style, placed by the profile; a
// paragraph's own alignment never moves a requisite the profile places.
BOOST_AUTO_TEST_CASE(requisite_styles_follow_the_profile) {
    doc::LayoutProfile p;
    p.heading_align = "left";
    p.heading_bold = false;
    p.approval_indent_mm = 90;
    p.agreement_indent_mm = 5;
    p.requisite_font_size_pt = 12;
    doc::Document d;
    d.body.push_back({para(Role::heading, {run("ОТДЕЛ")}, Align::center, false)});
    d.body.push_back({para(Role::date_number, {run("от 01.03.2018")}, Align::center, false)});
    d.body.push_back({para(Role::place, {run("г. Демидов")}, Align::center, false)});
    d.body.push_back({para(Role::approval, {run("УТВЕРЖДАЮ")}, Align::left, false)});
    d.body.push_back({para(Role::agreement, {run("СОГЛАСОВАНО")}, Align::left, false)});
    const auto parts = parts_of(write(d, p));
    std::map<std::string, const Node*> by_id;
    const Node styles = parse(parts.at("word/styles.xml"));
    for (const Node* s : styles.all("w:style")) by_id[s->val("w:styleId")] = s;
    for (const char* id : {"PpkoHeading", "PpkoDateNumber", "PpkoPlace", "PpkoApproval", "PpkoAgreement"}) {
        BOOST_TEST_REQUIRE(by_id.count(id) == 1u, id);
        BOOST_TEST(by_id[id]->child("w:name")->val("w:val").starts_with("ППКО: "), id);
    }
    BOOST_TEST(by_id["PpkoHeading"]->child("w:pPr")->child("w:jc")->val("w:val") == "left");
    BOOST_TEST(by_id["PpkoHeading"]->child("w:rPr") == nullptr);  // heading_bold = false
    BOOST_TEST(by_id["PpkoDateNumber"]->child("w:pPr")->child("w:jc")->val("w:val") == "center");
    BOOST_TEST(by_id["PpkoApproval"]->child("w:pPr")->child("w:ind")->val("w:left") == "5102");
    BOOST_TEST(by_id["PpkoApproval"]->child("w:pPr")->child("w:keepLines") != nullptr);
    BOOST_TEST(by_id["PpkoApproval"]->child("w:rPr")->child("w:sz")->val("w:val") == "24");
    BOOST_TEST(by_id["PpkoAgreement"]->child("w:pPr")->child("w:ind")->val("w:left") == "283");
    // No direct alignment on the heading although the paragraph says «center»: the profile's.
    const Node document = parse(parts.at("word/document.xml"));
    const auto paragraphs = document.all("w:p");
    BOOST_TEST_REQUIRE(paragraphs.size() == 5u);
    BOOST_TEST(paragraphs[0]->all("w:jc").empty());
    BOOST_TEST(paragraphs[1]->all("w:jc").empty());
}

BOOST_AUTO_TEST_CASE(parts_depend_on_page_numbers_and_lists) {
    doc::Document no_lists;
    no_lists.body.push_back({body("Текст.")});
    doc::LayoutProfile p;
    auto parts = parts_of(write(no_lists, p));
    BOOST_TEST(parts.count("word/numbering.xml") == 0u);
    BOOST_TEST(parts.at("word/_rels/document.xml.rels").find("numbering") == std::string::npos);
    BOOST_TEST(parts.at("[Content_Types].xml").find("numbering") == std::string::npos);

    p.page_number_on_first_page = true;
    dump("numbers-from-page-1.docx", write(no_lists, p));
    parts = parts_of(write(no_lists, p));
    BOOST_TEST(parts.count("word/header1.xml") == 1u);
    BOOST_TEST(parts.count("word/header2.xml") == 0u);
    Node sect = *body_children(parse(parts.at("word/document.xml"))).back();
    BOOST_TEST(sect.child("w:titlePg") == nullptr);
    BOOST_TEST(sect.all("w:headerReference").size() == 1u);

    p.page_numbers = false;
    dump("no-page-numbers.docx", write(no_lists, p));
    parts = parts_of(write(no_lists, p));
    BOOST_TEST(parts.count("word/header1.xml") == 0u);
    sect = *body_children(parse(parts.at("word/document.xml"))).back();
    BOOST_TEST(sect.all("w:headerReference").empty());

    doc::Document empty;  // no blocks at all: still a valid body
    dump("empty.docx", write(empty));
    parts = parts_of(write(empty));
    BOOST_TEST(body_children(parse(parts.at("word/document.xml"))).size() == 1u);
}

BOOST_AUTO_TEST_CASE(output_is_deterministic_and_the_writer_reusable) {
    docx::DocxWriter writer;
    std::string first, second, other, fresh;
    writer.write(kitchen_sink(), {}, first);
    writer.write(typical_order(), {}, other);
    writer.write(kitchen_sink(), {}, second);
    BOOST_TEST((first == second));
    BOOST_TEST((first != other));
    docx::DocxWriter another;
    another.write(kitchen_sink(), {}, fresh);
    BOOST_TEST((first == fresh));
    dump("typical-order.docx", other);
    // The typical order really is the benchmark's size.
    const auto parts = parts_of(other);
    std::size_t text = 0;
    const Node document = parse(parts.at("word/document.xml"));
    for (const Node* t : document.all("w:t")) text += t->text.size();
    BOOST_TEST(text > 70000u);
}

BOOST_AUTO_TEST_SUITE_END()

// =============================================================================================

BOOST_AUTO_TEST_SUITE(layout_profile)

BOOST_AUTO_TEST_CASE(shipped_profiles_set_every_key_to_gost_values) {
    for (const std::string edition : {"2016", "2025"}) {
        const std::string path = std::string(PPKO_SOURCE_DIR) + "/templates/profiles/gost-r-7.0.97-" +
                                 edition + ".json";
        const std::string text = read_file(path);
        const doc::LayoutProfile p = doc::parse_layout_profile(text, path);
        BOOST_TEST(p.id == "gost-r-7.0.97-" + edition);
        BOOST_TEST(p.name == "ГОСТ Р 7.0.97-" + edition);
        BOOST_TEST(p.page_width_mm == 210);
        BOOST_TEST(p.page_height_mm == 297);
        BOOST_TEST(p.margin_top_mm == 20);
        BOOST_TEST(p.margin_bottom_mm == 20);
        BOOST_TEST(p.margin_left_mm == 20);
        BOOST_TEST(p.margin_right_mm == 10);
        BOOST_TEST(p.font == "Times New Roman");
        BOOST_TEST(p.font_size_pt == 14);
        BOOST_TEST(p.table_font_size_pt == 12);
        BOOST_TEST(p.line_spacing == 1.0);
        BOOST_TEST(p.first_line_indent_mm == 12.5);
        BOOST_TEST(p.page_numbers);
        BOOST_TEST(!p.page_number_on_first_page);
        BOOST_TEST(p.heading_align == "center");
        BOOST_TEST(p.approval_indent_mm == 100);
        BOOST_TEST(p.typography);
        BOOST_TEST(p.range_dash == "–");
        BOOST_TEST(!p.letter_yo);
        // All 33 keys present (none left to the defaults).
        for (const char* key : {"\"id\"", "\"name\"", "\"page_width_mm\"", "\"page_height_mm\"",
                                "\"margin_top_mm\"", "\"margin_bottom_mm\"", "\"margin_left_mm\"",
                                "\"margin_right_mm\"", "\"header_distance_mm\"", "\"font\"",
                                "\"font_size_pt\"", "\"table_font_size_pt\"", "\"stamp_font_size_pt\"",
                                "\"line_spacing\"", "\"table_line_spacing\"", "\"first_line_indent_mm\"",
                                "\"space_after_pt\"", "\"stamp_indent_mm\"", "\"list_indent_mm\"",
                                "\"page_numbers\"", "\"page_number_on_first_page\"", "\"heading_align\"",
                                "\"heading_bold\"", "\"date_number_align\"", "\"place_align\"",
                                "\"approval_indent_mm\"", "\"agreement_indent_mm\"", "\"requisite_font_size_pt\"",
                                "\"typography\"", "\"dash\"", "\"range_dash\"", "\"month_range_spaced\"", "\"letter_yo\""})
            BOOST_TEST(text.find(key) != std::string::npos, path << " lacks " << key);
    }
}

BOOST_AUTO_TEST_CASE(missing_keys_keep_defaults) {
    const doc::LayoutProfile p = doc::parse_layout_profile(R"({"font_size_pt": 12})", "p.json");
    BOOST_TEST(p.font_size_pt == 12);
    BOOST_TEST(p.margin_left_mm == 20);
    BOOST_TEST(p.font == "Times New Roman");
}

std::string error_text(const std::string& json) {
    try {
        doc::parse_layout_profile(json, "profiles/x.json");
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

BOOST_AUTO_TEST_CASE(collects_unknown_keys_and_wrong_types_with_positions) {
    // The profile is read by the schema module (schemas/methodology/layout_profile.schema.json):
    // every problem at once, each with line:column, and the nearest name for a misspelt key.
    BOOST_TEST(error_text(R"({"font_sise_pt": 14, "font": 14, "page_numbers": "да",
"margin_top_mm": true, "id": "x", "comment": null})") ==
               "profiles/x.json:1:2: $.font_sise_pt: поле «font_sise_pt» здесь не предусмотрено; возможно, имелось в виду «font_size_pt» [data.unknown_key]\n"
               "profiles/x.json:2:35: $.comment: поле «comment» здесь не предусмотрено; допустимые поля: «id», «name», «page_width_mm», «page_height_mm», «margin_top_mm», «margin_bottom_mm», «margin_left_mm», «margin_right_mm», «header_distance_mm», «font», «font_size_pt», «table_font_size_pt», «stamp_font_size_pt», «line_spacing», «table_line_spacing», «first_line_indent_mm», «space_after_pt», «stamp_indent_mm», «list_indent_mm», «page_numbers», «page_number_on_first_page», «heading_align», «heading_bold», «date_number_align», «place_align», «approval_indent_mm», «agreement_indent_mm», «requisite_font_size_pt», «typography», «dash», «range_dash», «month_range_spaced», «letter_yo» [data.unknown_key]\n"
               "profiles/x.json:2:18: $.margin_top_mm: ожидалось: число, а записано: true [data.wrong_type]\n"
               "profiles/x.json:1:30: $.font: ожидалось: текст в кавычках, а записано: число 14 [data.wrong_type]\n"
               "profiles/x.json:1:50: $.page_numbers: ожидалось: true или false, а записано: текст «да» [data.wrong_type]\n");
    BOOST_TEST(error_text("[1, 2]") ==
               "profiles/x.json:1:1: $: ожидалось: объект { … }, а записано: список из 2 элем. [data.wrong_type]\n");
    BOOST_TEST(error_text("{\"font\": \"Times\",}").find("profiles/x.json:1:18: ") == 0u);  // JSON syntax, located
}

BOOST_AUTO_TEST_CASE(rejects_values_out_of_range) {
    // Ranges and lists the schema states: negative sizes, spacing over 10, unknown alignments and dashes.
    BOOST_TEST(error_text(R"({"line_spacing": 11, "agreement_indent_mm": -1, "heading_align": "right", "dash": "-", "range_dash": "—"})") ==
               "profiles/x.json:1:18: $.line_spacing: значение 11 вне допустимого диапазона: от 0 до 10 [data.bad_value]\n"
               "profiles/x.json:1:66: $.heading_align: значение «right» не из списка допустимых: «left», «center» [data.bad_value]\n"
               "profiles/x.json:1:45: $.agreement_indent_mm: значение -1 вне допустимого диапазона: не меньше 0 [data.bad_value]\n"
               "profiles/x.json:1:83: $.dash: значение «-» не из списка допустимых: «–», «—» [data.bad_value]\n"
               "profiles/x.json:1:102: $.range_dash: значение «—» не из списка допустимых: «–», «-» [data.bad_value]\n");
    // What a schema cannot say: zero sizes, margins that leave no text, indents wider than the text.
    BOOST_TEST(error_text(R"({"font_size_pt": 0, "line_spacing": 0, "margin_left_mm": 150,
"margin_right_mm": 70, "font": "", "approval_indent_mm": 180, "requisite_font_size_pt": 0})") ==
               "profiles/x.json:2:32: $.font: не указан шрифт [data.bad_value]\n"
               "profiles/x.json:1:18: $.font_size_pt: значение должно быть больше нуля [data.bad_value]\n"
               "profiles/x.json:1:37: $.line_spacing: межстрочный интервал должен быть больше 0 и не больше 10 [data.bad_value]\n"
               "profiles/x.json:2:20: $.margin_right_mm: левое и правое поля не оставляют места для текста [data.bad_value]\n"
               "profiles/x.json:2:89: $.requisite_font_size_pt: значение должно быть больше нуля [data.bad_value]\n");
}

BOOST_AUTO_TEST_CASE(syntax_errors_carry_line_and_column) {
    BOOST_TEST(error_text("{\n  \"font\": «Arial»\n}") ==
               "profiles/x.json:2:11: ошибка в записи JSON: ожидалось значение (текст в кавычках, число, true, false, null, [ или {), а встретилось ««» [json.syntax]\n");
    BOOST_TEST(error_text("{\"font\": \"\xFF\"}") ==
               "profiles/x.json:1:11: файл не в кодировке UTF-8 (неверный байт); сохраните его как UTF-8 [json.encoding]\n");
}

BOOST_AUTO_TEST_SUITE_END()
