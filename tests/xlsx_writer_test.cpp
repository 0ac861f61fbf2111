#include "xlsx/xlsx_writer.h"

#include "diag/diagnostic.h"
#include "document/table_cells.h"
#include "xlsx/sheet_layout.h"
#include "xlsx_oracle.h"
#include "xlsx/sheet_name.h"

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <unistd.h>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace ppko;
namespace fs = std::filesystem;

namespace {

// A private scratch folder per test process, removed at the end.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("ppko-xlsx-test-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

doc::Cell cell(std::string text, int col_span = 1, int row_span = 1) {
    return doc::text_cell(std::move(text), col_span, row_span);
}

doc::Cell covered(int col_span = 1) { return doc::covered_cell(col_span); }

doc::Block paragraph(std::string text) {
    doc::Paragraph p;
    p.runs.push_back(doc::Run{std::move(text)});
    return doc::Block{std::move(p)};
}

const std::string kLong = [] {
    std::string s;
    for (int i = 0; s.size() < 5000; ++i) s += static_cast<char>('a' + i % 26);
    return s;
}();

// The roadmap: caption, one header row, 24 numbered rows (25 rows), merges, hostile text.
doc::Table roadmap() {
    doc::Table t;
    t.sheet_name = "Дорожная карта: 2018/2019 [план]*?";
    t.caption = "Дорожная карта проекта «Образовательный центр» на 2018 год";
    t.widths = {1, 8, 3, 4};
    doc::Row head;
    head.header = true;
    for (const char* h : {"№ п/п", "Мероприятие", "Срок", "Ответственные"})
        head.cells.push_back(cell(h));
    t.rows.push_back(head);
    for (int i = 1; i <= 24; ++i) {
        doc::Row r;
        r.cells.push_back(cell(std::to_string(i)));
        r.cells.push_back(cell("Мероприятие " + std::to_string(i)));
        r.cells.push_back(cell("март-ноябрь"));
        r.cells.push_back(cell("МОЦ"));
        t.rows.push_back(r);
    }
    // Row 3 (model index 3): term and responsible merged horizontally.
    t.rows[3].cells[2] =
        cell("в течение года, силами МОЦ, СОИРО и руководителей всех ОО района", 2);
    t.rows[3].cells.pop_back();
    // Rows 5–7: «Ответственные» merged vertically.
    t.rows[5].cells[3] = cell("Руководители ОО", 1, 3);
    t.rows[6].cells[3] = covered();
    t.rows[7].cells[3] = covered();
    // Hostile text.
    t.rows[10].cells[1] = cell("<>&\"' «ёлочки» \t tab\nnew line \x01 ctl");
    t.rows[11].cells[1] = cell(kLong);
    t.rows[12].cells[1] = cell("emoji 😀 and _x0041_ literal");
    t.rows[13].cells[0] = cell("007");
    return t;
}

// 14 equal columns of 13 mm in portrait, each with a 15-character word (~34 mm): landscape.
// No caption, no header, no sheet name.
doc::Table wide() {
    doc::Table t;
    t.widths.assign(14, 1.0);
    for (int r = 0; r < 3; ++r) {
        doc::Row row;
        for (int c = 0; c < 14; ++c)
            row.cells.push_back(cell("строка" + std::to_string(r) + "столбец" + std::to_string(c)));
        t.rows.push_back(row);
    }
    return t;
}

doc::Document two_tables() {
    doc::Document d;
    d.title = "Приказ № 43-о/д";
    d.body.push_back(paragraph("ПРИКАЗ"));
    d.body.push_back(doc::Block{roadmap()});
    d.body.push_back(paragraph("Приложение 2"));
    d.body.push_back(doc::Block{wide()});
    return d;
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::map<std::string, std::string> read_zip(std::istream& in) {
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> parts;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        in.clear();
        Poco::Zip::ZipInputStream zin(in, it->second, true);
        parts[it->first] = {std::istreambuf_iterator<char>(zin), std::istreambuf_iterator<char>()};
    }
    return parts;
}

std::map<std::string, std::string> read_zip(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return read_zip(in);
}

std::vector<std::string> all_matches(const std::string& s, const std::string& re) {
    std::vector<std::string> out;
    const std::regex r(re);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), r); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1].str());
    return out;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xlsx_writer)

BOOST_AUTO_TEST_CASE(sheet_names_are_valid_and_unique) {
    xlsx::SheetNames names;
    BOOST_TEST(names.next("Дорожная карта", 1) == "Дорожная карта");
    BOOST_TEST(names.next("дорожная КАРТА", 2) == "дорожная КАРТА (2)");
    BOOST_TEST(names.next("ДОРОЖНАЯ карта", 3) == "ДОРОЖНАЯ карта (3)");
    BOOST_TEST(names.next("", 4) == "Таблица 4");
    BOOST_TEST(names.next("  '' ", 5) == "Таблица 5");
    BOOST_TEST(names.next("a:b\\c/d?e*f[g]h", 6) == "a_b_c_d_e_f_g_h");
    BOOST_TEST(names.next("'цитата'", 7) == "цитата");
    BOOST_TEST(names.next("строка\nвторая\tтаб\x01", 8) == "строка вторая таб");
    BOOST_TEST(names.next("History", 9) == "History (2)");
    BOOST_TEST(names.next("Ёлки", 10) == "Ёлки");
    BOOST_TEST(names.next("ёЛКИ", 11) == "ёЛКИ (2)");
    BOOST_TEST(names.next("Елки", 12) == "Елки");  // Е and Ё differ in Excel too
    // 31 characters, counted as characters (a Cyrillic letter is 2 bytes).
    const std::string cyr40 = "Состав сотрудников муниципального центра";
    BOOST_TEST(names.next(cyr40, 13) == "Состав сотрудников муниципально");
    BOOST_TEST(names.next(cyr40, 14) == "Состав сотрудников муниципа (2)");
    // An emoji is two UTF-16 units for Excel: 30 letters + emoji is 32 units, so the emoji goes.
    BOOST_TEST(names.next(std::string(30, 'x') + "😀", 15) == std::string(30, 'x'));
    BOOST_TEST(names.next(std::string(29, 'y') + "😀", 16) == std::string(29, 'y') + "😀");
    // A cut that ends in a space or apostrophe is trimmed.
    BOOST_TEST(names.next(std::string(30, 'z') + " tail", 17) == std::string(30, 'z'));
    BOOST_TEST(names.next("bad \xff byte", 18) == "bad  byte");
}

BOOST_AUTO_TEST_CASE(writes_tables_as_sheets) {
    TempDir tmp;
    const fs::path file = tmp.path / "order.xlsx";
    xlsx::write_xlsx(two_tables(), doc::LayoutProfile{}, file.string());
    // For the checks outside ctest (openpyxl, the OOXML validator, LibreOffice).
    if (const char* keep = std::getenv("PPKO_XLSX_TEST_OUT"))
        fs::copy_file(file, keep, fs::copy_options::overwrite_existing);
    auto parts = read_zip(file);

    for (const char* part :
         {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
          "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
          "xl/worksheets/sheet2.xml", "docProps/core.xml", "docProps/app.xml"})
        BOOST_TEST(parts.count(part) == 1u, part);
    BOOST_TEST(parts.count("xl/worksheets/sheet3.xml") == 0u);

    const std::string& wb = parts["xl/workbook.xml"];
    BOOST_TEST(all_matches(wb, "<sheet name=\"([^\"]*)\"") ==
                   (std::vector<std::string>{"Дорожная карта_ 2018_2019 _план", "Таблица 2"}),
               boost::test_tools::per_element());
    // Header row (row 2, below the caption) repeated on every page.
    BOOST_TEST(wb.find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">"
                       "'Дорожная карта_ 2018_2019 _план'!$2:$2</definedName>") !=
               std::string::npos);
    BOOST_TEST(count(wb, "_xlnm.Print_Titles") == 1u);

    const std::string& s1 = parts["xl/worksheets/sheet1.xml"];
    // Caption row (4 cells of a merge) + 25 rows × 4 columns; covered cells are written blank.
    BOOST_TEST(count(s1, "<c r=") == 104u);
    BOOST_TEST(count(s1, "<row r=") == 26u);
    BOOST_TEST(all_matches(s1, "<mergeCell ref=\"([^\"]*)\"") ==
                   (std::vector<std::string>{"A1:D1", "C5:D5", "D7:D9"}),
               boost::test_tools::per_element());
    BOOST_TEST(
        s1.find(
            "<pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/>") !=
        std::string::npos);
    BOOST_TEST(s1.find("<pageSetUpPr fitToPage=\"1\"/>") != std::string::npos);
    BOOST_TEST(s1.find("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"portrait\"") !=
               std::string::npos);
    // GOST margins 20/10/20/20 mm, in inches.
    BOOST_TEST(s1.find("<pageMargins left=\"0.7874015748031497\" right=\"0.3937007874015748\" "
                       "top=\"0.7874015748031497\" bottom=\"0.7874015748031497\"") !=
               std::string::npos);
    // Integers are numbers (no t="s"); "007" keeps its zeros as text.
    BOOST_TEST(s1.find("<c r=\"A3\" s=\"") != std::string::npos);
    BOOST_TEST(std::regex_search(s1, std::regex("<c r=\"A3\" s=\"\\d+\"><v>1</v></c>")));
    BOOST_TEST(std::regex_search(s1, std::regex("<c r=\"A26\" s=\"\\d+\"><v>24</v></c>")));
    BOOST_TEST(std::regex_search(s1, std::regex("<c r=\"A15\" s=\"\\d+\" t=\"s\">")));
    BOOST_TEST(s1.find("<ignoredError sqref=\"A1:D26\" numberStoredAsText=\"1\"/>") !=
               std::string::npos);
    // Four columns in proportion 1:8:3:4 of 180 mm, within their measured floors and ceilings
    // (doc::TableLayout): «№ п/п» (bold) and «март-ноябрь» need no more than their one line,
    // 13 and 24 mm; «Ответственные» gets its share, 34 mm; «Мероприятие» the rest. Pixels at
    // 96 dpi stored in Excel's character units (px / 7, rounded down to 1/256).
    BOOST_TEST(
        all_matches(s1, "<col min=\"\\d+\" max=\"\\d+\" width=\"([0-9.]+)\"") ==
            (std::vector<std::string>{"7", "59", "13", "18.28515625"}),
        boost::test_tools::per_element());
    // Estimated heights: the caption (1 line: 12 × 1.2 + 3 pt), the merged cell (3 lines in
    // 58 mm), the line break (2 lines), the 5,000 characters (Excel's maximum); one-line rows,
    // the header among them (its column fits «№ п/п»), keep the default.
    BOOST_TEST(all_matches(s1, "<row r=\"(\\d+)\" spans=\"1:4\" ht=") ==
                   (std::vector<std::string>{"1", "5", "12", "13"}),
               boost::test_tools::per_element());
    for (const char* row : {"<row r=\"1\" spans=\"1:4\" ht=\"17.4\" customHeight=\"1\">",
                            "<row r=\"5\" spans=\"1:4\" ht=\"46.2\" customHeight=\"1\">",
                            "<row r=\"12\" spans=\"1:4\" ht=\"31.8\" customHeight=\"1\">",
                            "<row r=\"13\" spans=\"1:4\" ht=\"409\" customHeight=\"1\">"})
        BOOST_TEST(s1.find(row) != std::string::npos, row);

    const std::string& s2 = parts["xl/worksheets/sheet2.xml"];
    BOOST_TEST(count(s2, "<c r=") == 42u);
    BOOST_TEST(s2.find("<pane") == std::string::npos);
    BOOST_TEST(s2.find("<mergeCells") == std::string::npos);
    BOOST_TEST(s2.find("orientation=\"landscape\"") != std::string::npos);

    const std::string& sst = parts["xl/sharedStrings.xml"];
    BOOST_TEST(sst.find("&lt;&gt;&amp;\"' «ёлочки» \t tab\nnew line \xEF\xBF\xBD ctl") !=
               std::string::npos);
    BOOST_TEST(sst.find('\x01') == std::string::npos);
    BOOST_TEST(sst.find("_x0001_") == std::string::npos);
    BOOST_TEST(sst.find(kLong) != std::string::npos);
    BOOST_TEST(sst.find("emoji 😀 and _x005F_x0041_ literal") != std::string::npos);
    BOOST_TEST(sst.find("<t>007</t>") != std::string::npos);
    BOOST_TEST(sst.find("Дорожная карта проекта «Образовательный центр» на 2018 год") !=
               std::string::npos);

    const std::string& styles = parts["xl/styles.xml"];
    BOOST_TEST(styles.find("<name val=\"Times New Roman\"/>") != std::string::npos);
    BOOST_TEST(styles.find("<sz val=\"12\"/>") != std::string::npos);
    BOOST_TEST(styles.find("<left style=\"thin\">") != std::string::npos);

    const std::string& core = parts["docProps/core.xml"];
    BOOST_TEST(core.find("<dc:title>Приказ № 43-о/д</dc:title>") != std::string::npos);
    BOOST_TEST(core.find("<dcterms:created "
                         "xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z</dcterms:created>") !=
               std::string::npos);

    // Nothing but the file in the output folder.
    BOOST_TEST(std::distance(fs::directory_iterator(tmp.path), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(output_is_byte_identical) {
    TempDir tmp;
    const doc::Document d = two_tables();
    xlsx::write_xlsx(d, doc::LayoutProfile{}, (tmp.path / "a.xlsx").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // cross a second boundary
    xlsx::write_xlsx(d, doc::LayoutProfile{}, (tmp.path / "b.xlsx").string());
    const std::string a = read_bytes(tmp.path / "a.xlsx");
    const std::string b = read_bytes(tmp.path / "b.xlsx");
    BOOST_TEST(a.size() > 5000u);
    BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(document_without_tables_has_one_empty_sheet) {
    TempDir tmp;
    doc::Document d;
    d.body.push_back(paragraph("только текст"));
    const fs::path file = tmp.path / "empty.xlsx";
    xlsx::write_xlsx(d, doc::LayoutProfile{}, file.string());
    auto parts = read_zip(file);
    BOOST_TEST(all_matches(parts["xl/workbook.xml"], "<sheet name=\"([^\"]*)\"") ==
                   (std::vector<std::string>{"Лист1"}),
               boost::test_tools::per_element());
    BOOST_TEST(parts.count("xl/worksheets/sheet1.xml") == 1u);
}

BOOST_AUTO_TEST_CASE(merges_are_cut_overlaps_dropped_holes_framed) {
    TempDir tmp;
    doc::Table t;
    t.widths = {1, 1, 1};
    doc::Row r0, r1, r2, r3, r4;
    r0.cells = {cell("s")};                              // short row: B1, C1 framed blanks
    r1.cells = {cell("a"), cell("b", 1, 2), cell("c")};  // B2:B3
    r2.cells = {cell("d", 2), cell("e")};                // A3:B3 overlaps B2:B3: d alone in A3
    r3.cells = {cell("f", 3, 9)};                        // cut at the table end: A4:C5
    r4.cells = {covered(3)};
    t.rows = {r0, r1, r2, r3, r4};
    doc::Document d;
    d.body.push_back(doc::Block{t});
    const fs::path file = tmp.path / "m.xlsx";
    xlsx::write_xlsx(d, doc::LayoutProfile{}, file.string());
    auto parts = read_zip(file);
    const std::string& s = parts["xl/worksheets/sheet1.xml"];
    BOOST_TEST(all_matches(s, "<mergeCell ref=\"([^\"]*)\"") ==
                   (std::vector<std::string>{"B2:B3", "A4:C5"}),
               boost::test_tools::per_element());
    BOOST_TEST(all_matches(s, "<c r=\"([A-Z]+[0-9]+)\"") ==
                   (std::vector<std::string>{"A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3",
                                             "A4", "B4", "C4", "A5", "B5", "C5"}),
               boost::test_tools::per_element());
    // Shared strings in order of first use: s a b c d e f; A3 holds d (index 4), C3 e (5).
    BOOST_TEST(std::regex_search(s, std::regex("<c r=\"A3\" s=\"\\d+\" t=\"s\"><v>4</v></c>")));
    BOOST_TEST(std::regex_search(s, std::regex("<c r=\"C3\" s=\"\\d+\" t=\"s\"><v>5</v></c>")));
}

BOOST_AUTO_TEST_CASE(cell_text_and_numbers) {
    TempDir tmp;
    doc::Cell two = cell("первый");
    two.blocks.push_back(paragraph(""));
    two.blocks.push_back(paragraph("третий"));
    doc::Cell bold = cell("жирный");
    std::get<doc::Paragraph>(bold.blocks[0].value).runs[0].bold = true;
    doc::Table t;
    t.widths = {1, 1, 1, 1, 1, 1, 1};
    doc::Row r;
    r.cells = {two, bold, cell("-5"), cell("-0"), cell("+5"), cell("1234567890123456"), cell(" 7")};
    t.rows = {r};
    doc::Document d;
    d.body.push_back(doc::Block{t});
    const fs::path file = tmp.path / "t.xlsx";
    xlsx::write_xlsx(d, doc::LayoutProfile{}, file.string());
    auto parts = read_zip(file);
    const std::string& s = parts["xl/worksheets/sheet1.xml"];
    BOOST_TEST(std::regex_search(s, std::regex("<c r=\"C1\" s=\"\\d+\"><v>-5</v></c>")));
    for (const char* c : {"D1", "E1", "F1", "G1"})  // -0, +5, 16 digits, a leading space: text
        BOOST_TEST(
            std::regex_search(s, std::regex(std::string("<c r=\"") + c + "\" s=\"\\d+\" t=\"s\">")),
            c);
    const std::string& sst = parts["xl/sharedStrings.xml"];
    BOOST_TEST(sst.find("<t>первый\n\nтретий</t>") != std::string::npos);
    // The leading space is kept as written, without xml:space (the schema allows no attribute on <t>).
    BOOST_TEST(sst.find("<t> 7</t>") != std::string::npos);
    BOOST_TEST(sst.find("xml:space") == std::string::npos);
    // A cell whose runs are all bold gets a bold format: A1's style differs from B1's.
    const auto styles = all_matches(s, "<c r=\"[AB]1\" s=\"(\\d+)\"");
    BOOST_REQUIRE(styles.size() == 2u);
    BOOST_TEST(styles[0] != styles[1]);
}

// The monitoring report's table: caption, two header rows («Год» spans both, «Школы» spans two
// columns above its sub-headers), five years with gaps («—», empty); one column chart of two series and
// one line chart whose only valid series is column 4 (9 lies outside the grid).
doc::Document charted() {
    doc::Table t;
    t.sheet_name = "ППКО по годам's";
    t.caption = "Реализация программ повышения качества образования";
    t.widths = {1, 2, 2, 2};
    doc::Row h1, h2;
    h1.header = h2.header = true;
    h1.cells = {cell("Год", 1, 2), cell("Школы", 2), cell("Процент ОО", 1, 2)};
    h2.cells = {covered(), cell("продолжают"), cell("завершили"), covered()};
    t.rows = {h1, h2};
    const char* data[][4] = {{"2017", "12", "0", "0"},
                             {"2018", "10", "2", "17"},
                             {"2019", "—", "1", ""},
                             {"2020", "6", "6", "50"},
                             {"2021", "3", "9", "75"}};
    for (const auto& d : data) {
        doc::Row r;
        for (const char* v : d) r.cells.push_back(cell(v));
        t.rows.push_back(r);
    }
    doc::Chart bars;
    bars.title = "Число школ-участников";
    bars.value_columns = {1, 2};
    doc::Chart line;
    line.kind = doc::Chart::Kind::line;
    line.title = "=Процент ОО, реализовавших ППКО";
    line.value_columns = {9, 3};
    t.charts = {bars, line};
    doc::Document d;
    d.body.push_back(doc::Block{t});
    doc::Table plain = wide();  // no chart: no drawing for sheet 2
    d.body.push_back(doc::Block{plain});
    return d;
}

BOOST_AUTO_TEST_CASE(charts_plot_the_data_rows_beside_the_table) {
    TempDir tmp;
    const fs::path file = tmp.path / "charts.xlsx";
    xlsx::write_xlsx(charted(), doc::LayoutProfile{}, file.string());
    if (const char* keep = std::getenv("PPKO_XLSX_CHART_OUT"))
        fs::copy_file(file, keep, fs::copy_options::overwrite_existing);
    auto parts = read_zip(file);
    BOOST_REQUIRE(parts.count("xl/charts/chart1.xml") == 1u);
    BOOST_REQUIRE(parts.count("xl/charts/chart2.xml") == 1u);
    BOOST_REQUIRE(parts.count("xl/drawings/drawing1.xml") == 1u);
    BOOST_TEST(parts.count("xl/drawings/drawing2.xml") == 0u);
    BOOST_TEST(parts.count("xl/charts/chart3.xml") == 0u);
    BOOST_TEST(parts["xl/worksheets/sheet1.xml"].find("<drawing r:id=\"rId1\"/>") !=
               std::string::npos);
    BOOST_TEST(parts["xl/worksheets/sheet2.xml"].find("<drawing") == std::string::npos);

    // Data: sheet rows 4–8 (caption, two header rows above); the name quoted, ' doubled.
    const std::string q = "'ППКО по годам''s'!";
    const std::string& c1 = parts["xl/charts/chart1.xml"];
    BOOST_TEST(c1.find("<c:barDir val=\"col\"/>") != std::string::npos);
    BOOST_TEST(all_matches(c1, "<c:f>([^<]*)</c:f>") ==
                   (std::vector<std::string>{q + "$B$3", q + "$A$4:$A$8", q + "$B$4:$B$8",
                                             q + "$C$3", q + "$A$4:$A$8", q + "$C$4:$C$8"}),
               boost::test_tools::per_element());
    // Column B has a «—»: its values get no cache (libxlsxwriter would cache 0); A and C are
    // all numbers and keep theirs.
    BOOST_TEST(c1.find("<c:val><c:numRef><c:f>" + q + "$B$4:$B$8</c:f></c:numRef></c:val>") !=
               std::string::npos);
    BOOST_TEST(c1.find("<c:f>" + q + "$C$4:$C$8</c:f><c:numCache><c:formatCode>General"
                       "</c:formatCode><c:ptCount val=\"5\"/><c:pt idx=\"0\"><c:v>0</c:v></c:pt>"
                       "<c:pt idx=\"1\"><c:v>2</c:v></c:pt><c:pt idx=\"2\"><c:v>1</c:v></c:pt>") !=
               std::string::npos);
    BOOST_TEST(count(c1, "<c:numCache>") == 3u);
    BOOST_TEST(c1.find("<a:t>Число школ-участников</a:t>") != std::string::npos);
    BOOST_TEST(c1.find("<a:latin typeface=\"Times New Roman\"/>") != std::string::npos);

    // The line chart: column 9 skipped; the series name is «Процент ОО», whose merge starts in
    // the first header row; a title starting with '=' stays text.
    const std::string& c2 = parts["xl/charts/chart2.xml"];
    BOOST_TEST(c2.find("<c:lineChart>") != std::string::npos);
    BOOST_TEST(all_matches(c2, "<c:f>([^<]*)</c:f>") ==
                   (std::vector<std::string>{q + "$D$2", q + "$A$4:$A$8", q + "$D$4:$D$8"}),
               boost::test_tools::per_element());
    BOOST_TEST(count(c2, "<c:numCache>") == 1u);  // the years; column D has an empty cell
    BOOST_TEST(c2.find("<a:t>\u200B=Процент ОО, реализовавших ППКО</a:t>") != std::string::npos);

    // Both below the table (rows 1–8), in column A, one empty row after it and 16 rows apart
    // (0-based rows 9 and 25), as wide as the table; the print area holds them (rows 1–40), so
    // they print.
    const std::string& dr = parts["xl/drawings/drawing1.xml"];
    BOOST_TEST(all_matches(dr, "<xdr:from><xdr:col>(\\d+)</xdr:col>") ==
                   (std::vector<std::string>{"0", "0"}),
               boost::test_tools::per_element());
    BOOST_TEST(all_matches(dr, "<xdr:from><xdr:col>\\d+</xdr:col><xdr:colOff>\\d+</xdr:colOff>"
                               "<xdr:row>(\\d+)</xdr:row>") ==
                   (std::vector<std::string>{"9", "25"}),
               boost::test_tools::per_element());
    for (const auto& to : all_matches(dr, "<xdr:to><xdr:col>(\\d+)</xdr:col>")) BOOST_TEST(std::stoi(to) <= 3);
    for (const auto& to : all_matches(dr, "<xdr:to><xdr:col>\\d+</xdr:col><xdr:colOff>\\d+</xdr:colOff><xdr:row>(\\d+)</xdr:row>"))
        BOOST_TEST(std::stoi(to) <= 39);
    BOOST_TEST(parts["xl/workbook.xml"].find("<definedName name=\"_xlnm.Print_Area\" "
                                             "localSheetId=\"0\">" +
                                             q + "$A$1:$D$40</definedName>") != std::string::npos);

    // Deterministic with charts too.
    const fs::path again = tmp.path / "again.xlsx";
    xlsx::write_xlsx(charted(), doc::LayoutProfile{}, again.string());
    BOOST_TEST((read_bytes(file) == read_bytes(again)));
}

BOOST_AUTO_TEST_CASE(chart_without_data_rows_is_not_drawn) {
    TempDir tmp;
    doc::Table t;
    doc::Row h;
    h.header = true;
    h.cells = {cell("Год"), cell("Число")};
    t.rows = {h};
    doc::Chart c;
    c.value_columns = {1};
    t.charts = {c};
    doc::Document d;
    d.body.push_back(doc::Block{t});
    const fs::path file = tmp.path / "empty-chart.xlsx";
    xlsx::write_xlsx(d, doc::LayoutProfile{}, file.string());
    auto parts = read_zip(file);
    BOOST_TEST(parts.count("xl/worksheets/sheet1.xml") == 1u);
    BOOST_TEST(parts.count("xl/charts/chart1.xml") == 0u);
    BOOST_TEST(parts.count("xl/drawings/drawing1.xml") == 0u);
}

BOOST_AUTO_TEST_CASE(unwritable_path_throws_io_write) {
    TempDir tmp;
    const std::string file = (tmp.path / "no-such-dir" / "x.xlsx").string();
    try {
        xlsx::write_xlsx(two_tables(), doc::LayoutProfile{}, file);
        BOOST_FAIL("no exception");
    } catch (const Error& e) {
        BOOST_REQUIRE(e.diagnostics().size() == 1u);
        const Diagnostic& d = e.diagnostics().items().front();
        BOOST_TEST((d.id == ErrorId::io_write));
        BOOST_TEST(d.file == file);
        BOOST_TEST(d.format() ==
                   file +
                       ": не удаётся записать файл XLSX: No such file or directory [io.write]");
    }
    BOOST_TEST(!fs::exists(file));
}

// ---- the package against the oracle (libxlsxwriter 1.1.4 writing the same layout) ----

// Several tables with charts: text categories (cached as strings), categories mixing text and a
// number (no cache), a row taller than the default inside the chart's anchor range, a series
// named by a number and one by a blank header, sheet names that need quoting in formulas
// («Итоги») and that do not («Sheet_1», «a.b»), a right-aligned cell, short rows framed.
doc::Document charts_on_three_sheets() {
    doc::Document d;
    for (int k = 0; k < 3; ++k) {
        doc::Table t;
        t.sheet_name = k == 0 ? "Итоги" : k == 1 ? "Sheet_1" : "a.b";
        t.widths = {0.05, 1, 1};
        doc::Row h;
        h.header = true;
        h.cells = {cell("Школа"), cell("12"), cell("")};
        t.rows.push_back(h);
        for (int i = 0; i < 4; ++i) {
            doc::Row r;
            r.cells = {cell(k == 2 && i == 1 ? "5" : "школа " + std::to_string(i)),
                       cell(std::to_string(i)), cell(std::string(k == 1 ? 300 : 3, 'w') + " x")};
            r.cells[0].align = i == 0 ? doc::Align::right : doc::Align::center;
            if (i == 2) r.cells.pop_back();
            t.rows.push_back(r);
        }
        doc::Chart c;
        c.value_columns = {1, 2};
        c.categories_column = 0;
        if (k == 1) c.title = "T & <b> \"q\"";
        t.charts = {c, c};
        if (k == 0) t.charts[1].kind = doc::Chart::Kind::line;
        d.body.push_back(doc::Block{t});
    }
    return d;
}

// Formats first used in an order that differs from the grid's (a framed blank before a centred
// cell), duplicate sheet names, no title, no borders on one table, text with edge spaces, a
// table of one cell, an empty table.
doc::Document formats_and_names() {
    doc::Document d;
    doc::Table a;
    a.sheet_name = "Список";
    a.widths = {1, 1};
    doc::Row h;
    h.header = true;
    h.cells = {cell("А"), cell("Б")};
    doc::Row r1, r2;
    r1.cells = {cell("справа")};
    r1.cells[0].align = doc::Align::right;
    r2.cells = {cell(" пробел "), cell("x")};
    r2.cells[1].align = doc::Align::center;
    a.rows = {h, r1, r2};
    d.body.push_back(doc::Block{a});
    doc::Table b = a;
    b.sheet_name = "список";
    b.borders = false;
    b.caption = "Без рамок & <пробелы>";
    d.body.push_back(doc::Block{b});
    doc::Table one;
    one.rows.push_back(doc::Row{});
    one.rows[0].cells = {cell("42")};
    d.body.push_back(doc::Block{one});
    d.body.push_back(doc::Block{doc::Table{}});
    return d;
}

// A chart without categories, a column a few pixels wide, rows of different lengths over more
// than 16 rows without borders (row spans are per 16-row block), sheet names with a leading
// digit, '&' and an apostrophe.
doc::Document edge_cases() {
    doc::Document d;
    doc::Table t;
    t.sheet_name = "2018 & «год»";
    t.widths = {0.001, 1, 1, 1};
    t.borders = false;
    doc::Row h;
    h.header = true;
    h.cells = {cell("к"), cell("Число"), cell("Доля")};
    t.rows.push_back(h);
    for (int i = 0; i < 40; ++i) {
        doc::Row r;
        r.cells = {cell(""), cell(std::to_string(i * 7))};
        if (i % 3 == 0) r.cells.push_back(cell(std::to_string(i)));
        if (i >= 20) r.cells.erase(r.cells.begin());
        t.rows.push_back(r);
    }
    doc::Chart c;
    c.value_columns = {1};
    c.categories_column = 7;
    t.charts = {c};
    d.body.push_back(doc::Block{t});
    doc::Table u = t;
    u.sheet_name = "O'Neil";
    u.charts[0].categories_column = 1;
    u.charts[0].value_columns = {2, 1};
    d.body.push_back(doc::Block{u});
    doc::Table v = t;
    v.sheet_name = "2018";
    d.body.push_back(doc::Block{v});
    return d;
}

doc::Document merges_model() {
    doc::Table t;
    t.widths = {1, 1, 1};
    doc::Row r0, r1, r2, r3, r4;
    r0.cells = {cell("s")};
    r1.cells = {cell("a"), cell("b", 1, 2), cell("c")};
    r2.cells = {cell("d", 2), cell("e")};
    r3.cells = {cell("f", 3, 9)};
    r4.cells = {covered(3)};
    t.rows = {r0, r1, r2, r3, r4};
    doc::Document d;
    d.title = "Слияния";
    d.body.push_back(doc::Block{t});
    return d;
}

// The oracle's parts, with the one deliberate difference taken out: libxlsxwriter writes
// <t xml:space="preserve"> for text with outer spaces, which SpreadsheetML's schema does not allow
// (<t> has no attributes; ../shared/ooxml/validate-ooxml.sh rejects it) — ours writes <t>.
std::map<std::string, std::string> oracle_parts(const fs::path& file) {
    auto parts = read_zip(file);
    if (auto it = parts.find("xl/sharedStrings.xml"); it != parts.end()) {
        const std::string from = "<t xml:space=\"preserve\">";
        for (auto at = it->second.find(from); at != std::string::npos; at = it->second.find(from, at)) {
            it->second.replace(at, from.size(), "<t>");
        }
    }
    return parts;
}

void expect_same_parts(const std::map<std::string, std::string>& expected,
                       const std::map<std::string, std::string>& got, const std::string& label);

// Unzips our package and the oracle's for the same layout and requires the same parts with the
// same bytes.
void expect_same_as_oracle(const doc::Document& d, const std::string& label) {
    TempDir tmp;
    const doc::LayoutProfile profile;
    xlsx::LayoutBuilder builder;
    xlsx::WorkbookLayout layout;
    builder.build(d, profile, "", layout);
    const fs::path oracle_file = tmp.path / "oracle.xlsx";
    xlsx::oracle::write_with_libxlsxwriter(layout, profile, oracle_file.string());

    xlsx::XlsxWriter writer;
    std::string bytes;
    writer.write(d, profile, bytes);
    std::istringstream in(bytes);
    expect_same_parts(oracle_parts(oracle_file), read_zip(in), label);
}

// The same for a layout given (the form features LayoutBuilder never sets), through PackageWriter.
void expect_layout_same_as_oracle(const xlsx::WorkbookLayout& layout, const std::string& label) {
    TempDir tmp;
    const doc::LayoutProfile profile;
    const fs::path oracle_file = tmp.path / "oracle.xlsx";
    xlsx::oracle::write_with_libxlsxwriter(layout, profile, oracle_file.string());
    xlsx::PackageWriter writer;
    std::string bytes;
    writer.write(layout, profile, bytes);
    std::istringstream in(bytes);
    expect_same_parts(oracle_parts(oracle_file), read_zip(in), label);
}

void expect_same_parts(const std::map<std::string, std::string>& expected,
                       const std::map<std::string, std::string>& got, const std::string& label) {

    std::vector<std::string> expected_names, got_names;
    for (const auto& [name, _] : expected) expected_names.push_back(name);
    for (const auto& [name, _] : got) got_names.push_back(name);
    BOOST_TEST(got_names == expected_names, label << ": part names");
    for (const auto& [name, xml] : expected) {
        const auto it = got.find(name);
        if (it == got.end()) continue;
        if (it->second == xml) continue;
        std::size_t at = 0;
        while (at < xml.size() && at < it->second.size() && xml[at] == it->second[at]) ++at;
        const std::size_t from = at > 60 ? at - 60 : 0;
        BOOST_ERROR(label << ": " << name << " differs at byte " << at << "\n  oracle: "
                          << xml.substr(from, 160) << "\n  ours:   "
                          << it->second.substr(from, 160));
    }
}

BOOST_AUTO_TEST_CASE(package_equals_libxlsxwriter_part_by_part) {
    expect_same_as_oracle(two_tables(), "roadmap + wide");
    doc::Document only_wide;
    only_wide.body.push_back(doc::Block{wide()});
    expect_same_as_oracle(only_wide, "wide landscape table");
    doc::Document no_tables;
    no_tables.body.push_back(paragraph("только текст"));
    expect_same_as_oracle(no_tables, "no tables");
    expect_same_as_oracle(charted(), "charts");
    expect_same_as_oracle(charts_on_three_sheets(), "charts on three sheets");
    expect_same_as_oracle(formats_and_names(), "formats and names");
    expect_same_as_oracle(merges_model(), "merges");
    expect_same_as_oracle(edge_cases(), "edge cases");
    doc::Document twice = two_tables();
    twice.body.push_back(doc::Block{roadmap()});  // a duplicate sheet name: «… (2)»
    expect_same_as_oracle(twice, "duplicate sheet names");
}

// A form sheet (ppko form): sheet protection without a password, unlocked data cells, data
// validation of every kind the form writes — in ECMA-376's element order and as libxlsxwriter
// writes them.
xlsx::WorkbookLayout form_layout() {
    doc::Document d = two_tables();
    const doc::LayoutProfile profile;
    xlsx::LayoutBuilder builder;
    xlsx::WorkbookLayout layout;
    builder.build(d, profile, "", layout);
    xlsx::SheetLayout& sheet = layout.sheets[0];
    sheet.protect = true;
    for (auto& c : sheet.cells) {
        if (c.row >= sheet.header_first + sheet.header_count && c.col > 0) c.format = xlsx::unlocked_format(layout, c.format);
    }
    using T = xlsx::ValidationLayout::Type;
    const std::uint32_t first = sheet.header_first + sheet.header_count, last = sheet.rows - 1;
    sheet.validations.push_back({T::list, first, last, 1, "'" + layout.sheets[1].name + "'!$A$1:$A$3", "", "Выберите из списка", false});
    sheet.validations.push_back({T::decimal, first, last, 2, "0", "100", "Число от 0 до 100 <и> «отметки»", true});
    sheet.validations.push_back({T::whole, first, first, 3, "0", "", "", false});
    sheet.validations.push_back({T::date, first, last, 4, "1", "", "Ожидалась дата", false});
    return layout;
}

BOOST_AUTO_TEST_CASE(form_sheet_protection_unlocked_cells_and_validation) {
    const xlsx::WorkbookLayout layout = form_layout();
    expect_layout_same_as_oracle(layout, "form");

    xlsx::PackageWriter writer;
    std::string bytes;
    writer.write(layout, doc::LayoutProfile{}, bytes);
    std::istringstream in(bytes);
    const auto parts = read_zip(in);
    const std::string& s1 = parts.at("xl/worksheets/sheet1.xml");
    const std::string& s2 = parts.at("xl/worksheets/sheet2.xml");
    BOOST_TEST(count(s1, "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\"/>") == 1u);
    BOOST_TEST(s1.find("password") == std::string::npos);
    BOOST_TEST(s2.find("sheetProtection") == std::string::npos);
    // ECMA-376 §18.3.1.99 order: sheetData, sheetProtection, mergeCells, dataValidations, pageMargins.
    const auto at = [&](const char* e) { return s1.find(e); };
    BOOST_TEST(at("</sheetData>") < at("<sheetProtection"));
    if (at("<mergeCells") != std::string::npos) BOOST_TEST(at("<mergeCells") < at("<dataValidations"));
    BOOST_TEST(at("<sheetProtection") < at("<dataValidations count=\"4\">"));
    BOOST_TEST(at("</dataValidations>") < at("<pageMargins"));
    BOOST_TEST(count(s1, "type=\"list\"") == 1u);
    BOOST_TEST(count(s1, "errorStyle=\"warning\"") == 1u);
    BOOST_TEST(count(s1, "operator=\"greaterThanOrEqual\"") == 2u);
    BOOST_TEST(count(s1, "<formula2>100</formula2>") == 1u);
    BOOST_TEST(count(s1, "error=\"Число от 0 до 100 &lt;и&gt; «отметки»\"") == 1u);
    const std::string& styles = parts.at("xl/styles.xml");
    BOOST_TEST(count(styles, "<protection locked=\"0\"/>") >= 1u);
    BOOST_TEST(count(styles, "<protection locked=\"0\"/>") == count(styles, "applyProtection=\"1\""));
}

// A sheet prints like the document: the stamp at the top right and the title above the table,
// the heading before the table as its caption, page numbers in the footer, a print area and
// print titles on every sheet.
BOOST_AUTO_TEST_CASE(sheets_carry_stamp_title_and_page_numbers) {
    TempDir tmp;
    doc::Document d;
    doc::Paragraph stamp;
    stamp.role = doc::Role::stamp;
    stamp.runs.push_back({"Приложение № 3\nк приказу Отдела\nот 01.03.2018 № 43-о/д"});
    doc::Paragraph title;
    title.role = doc::Role::title;
    title.runs.push_back({"Дорожная карта проекта"});
    doc::Paragraph heading;
    heading.role = doc::Role::heading1;
    heading.runs.push_back({"1. Мероприятия"});
    d.body = {{stamp}, {title}, {heading}, {roadmap()}, {doc::PageBreak{}}, {heading}, {wide()}};
    d.body[3] = doc::Block{[] {
        doc::Table t = roadmap();
        t.caption.clear();
        return t;
    }()};
    const fs::path file = tmp.path / "head.xlsx";
    xlsx::write_xlsx(d, doc::LayoutProfile{}, file.string());
    auto parts = read_zip(file);
    const std::string& s1 = parts["xl/worksheets/sheet1.xml"];
    const std::string& sst = parts["xl/sharedStrings.xml"];
    // Row 1: the stamp, merged over the right columns (C:D: adding the wide B would start it
    // at the left); row 2: the title; row 3: the heading as the caption; the header row (4)
    // repeats.
    BOOST_TEST(sst.find("Приложение № 3\nк приказу Отдела") != std::string::npos);
    BOOST_TEST(all_matches(s1, "<mergeCell ref=\"([^\"]*)\"").at(0) == "C1:D1");
    BOOST_TEST(all_matches(s1, "<mergeCell ref=\"([^\"]*)\"").at(1) == "A2:D2");
    BOOST_TEST(all_matches(s1, "<mergeCell ref=\"([^\"]*)\"").at(2) == "A3:D3");
    BOOST_TEST(s1.find("<row r=\"1\" spans=\"1:4\" ht=\"46.2\" customHeight=\"1\">") != std::string::npos);  // 3 lines
    BOOST_TEST(s1.find("<headerFooter><oddFooter>&amp;C&amp;P</oddFooter></headerFooter>") != std::string::npos);
    const std::string& wb = parts["xl/workbook.xml"];
    BOOST_TEST(wb.find("!$A$1:$D$28</definedName>") != std::string::npos);  // 3 title rows + 25
    BOOST_TEST(wb.find("Print_Titles\" localSheetId=\"0\">'Дорожная карта_ 2018_2019 _план'!$4:$4") != std::string::npos);
    // After the page break: no stamp or title, the heading still captions the table.
    const std::string& s2 = parts["xl/worksheets/sheet2.xml"];
    BOOST_TEST(all_matches(s2, "<mergeCell ref=\"([^\"]*)\"").at(0) == "A1:N1");
    BOOST_TEST(wb.find("'Таблица 2'!$A$1:$N$4</definedName>") != std::string::npos);
    expect_same_as_oracle(d, "stamp and title rows");
}

// One writer for many workbooks: reused buffers and memoised parts give the same bytes as a
// fresh writer.
BOOST_AUTO_TEST_CASE(reused_writer_gives_the_same_bytes) {
    const doc::LayoutProfile profile;
    xlsx::XlsxWriter reused;
    std::string a, b, fresh;
    reused.write(charted(), profile, a);
    reused.write(two_tables(), profile, b);
    reused.write(charted(), profile, b);
    xlsx::XlsxWriter().write(charted(), profile, fresh);
    BOOST_TEST((a == b));
    BOOST_TEST((a == fresh));
}

BOOST_AUTO_TEST_SUITE_END()
