// engine/sheets: the XLSX and CSV readers and the table layer. The same results table written by
// openpyxl (1900 and 1904 date systems), by LibreOffice (from CSV), as CSV (UTF-8, Windows-1251,
// ';' and ',') and by our own XLSX writer must read back to the same columns and values; hostile
// and broken files are refused with their exact messages.
//
// Fixtures: tests/data/sheets/ (made by make_fixtures.py there); PPKO_SHEETS_FIXTURES names
// another folder with the same files (tests/sheets_writers.sh regenerates them with the installed
// LibreOffice and openpyxl and runs the writer tests on those).
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "docx/zip_writer.h"
#include "io/atomic_file.h"
#include "sheets/csv_reader.h"
#include "sheets/number_format.h"
#include "sheets/read.h"
#include "sheets/table.h"
#include "sheets/xlsx_reader.h"
#include "document/table_cells.h"
#include "xlsx/xlsx_writer.h"

using namespace ppko;
using doc::covered_cell;
using doc::text_cell;
using namespace ppko::sheets;
namespace fs = std::filesystem;

// Optional values print as "none" or their value in failure messages.
namespace boost::test_tools::tt_detail {
template <class T>
struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& out, const std::optional<T>& v) {
        if (v) out << *v;
        else out << "none";
    }
};
}  // namespace boost::test_tools::tt_detail

namespace {

fs::path fixtures() {
    if (const char* dir = std::getenv("PPKO_SHEETS_FIXTURES")) return dir;
    return fs::path(PPKO_TEST_DATA) / "sheets";
}

Workbook fixture(const std::string& name) {
    const std::string bytes = io::read_file(fixtures() / name);
    return read_workbook_bytes(bytes, name);
}

// The message of the error `f` throws (one line, with the id), or "no error".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

std::string error_reading(std::string_view bytes, const std::string& name, const Limits& limits = {}) {
    return error_of([&] { read_workbook_bytes(bytes, name, limits); });
}

// ---- Packages built in the test --------------------------------------------------------------

using Parts = std::vector<std::pair<std::string, std::string>>;

// Deflated at `level` (a real zip bomb uses 9), or stored with level 0.
std::string zip(const Parts& parts, int level = docx::ZipWriter::default_level) {
    docx::ZipWriter z(level == 0 ? docx::ZipWriter::default_level : level);
    std::string out;
    z.begin(out);
    for (const auto& [name, data] : parts) z.add(name, data, level != 0);
    z.finish();
    return out;
}

const std::string kMain = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                          "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
const std::string kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string sheet_xml(const std::string& data, const std::string& after = {}) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " + kMain + "><sheetData>" + data +
           "</sheetData>" + after + "</worksheet>";
}

// A workbook with one sheet «Лист1» (and, when given, shared strings and styles).
Parts workbook_parts(const std::string& sheet, const std::string& shared = {}, const std::string& styles = {},
                     const std::string& workbook_pr = {}) {
    Parts p;
    p.emplace_back("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
    p.emplace_back("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                                  "<Relationship Id=\"rId1\" Type=\"" + kRel + "officeDocument\" Target=\"xl/workbook.xml\"/>"
                                  "</Relationships>");
    p.emplace_back("xl/workbook.xml", "<workbook " + kMain + ">" + workbook_pr +
                                          "<sheets><sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    p.emplace_back("xl/_rels/workbook.xml.rels",
                   "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                   "<Relationship Id=\"rId1\" Type=\"" + kRel + "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                   "<Relationship Id=\"rId2\" Type=\"" + kRel + "sharedStrings\" Target=\"sharedStrings.xml\"/>"
                   "<Relationship Id=\"rId3\" Type=\"" + kRel + "styles\" Target=\"/xl/styles.xml\"/>"
                   "</Relationships>");
    p.emplace_back("xl/worksheets/sheet1.xml", sheet);
    if (!shared.empty()) p.emplace_back("xl/sharedStrings.xml", shared);
    if (!styles.empty()) p.emplace_back("xl/styles.xml", styles);
    return p;
}

std::string workbook(const std::string& sheet, const std::string& shared = {}, const std::string& styles = {},
                     const std::string& workbook_pr = {}, int level = docx::ZipWriter::default_level) {
    return zip(workbook_parts(sheet, shared, styles, workbook_pr), level);
}

// ---- The results table -----------------------------------------------------------------------

const std::vector<std::string> kTitles = {"№ п/п", "Код ОО", "Наименование ОО", "ОГЭ, математика / Участников",
                                          "ОГЭ, математика / Доля «2», %", "Дата проведения"};

struct Expected {
    std::string code, name;
    double participants;
    std::optional<double> share;
    text::Date day;
};
const std::vector<Expected> kRows = {
    {"sh-1", "МБОУ «СШ № 1»", 45, 16, {2020, 12, 22}},
    {"sh-2", "МБОУ \"СШ № 2\"; корпус 2", 1045, 16.5, {2020, 12, 22}},
    {"sh-3", "МБОУ «Гимназия № 4» им. А.С. Пушкина", 30, std::nullopt, {2020, 12, 23}},
    {"sh-4", "МБОУ «СШ № 7»", 12, 0, {2020, 12, 23}},
};

// The results table of `book`'s first sheet reads as the fixture script wrote it.
void check_results(const Workbook& book) {
    BOOST_TEST_CONTEXT(book.file) {
        const Table t = read_table(book, book.sheets.front());
        std::vector<std::string> titles;
        for (const auto& c : t.columns) titles.push_back(c.title);
        BOOST_TEST(titles == kTitles, boost::test_tools::per_element());
        BOOST_REQUIRE_EQUAL(t.rows.size(), kRows.size());
        BOOST_TEST(t.totals_row.has_value());
        Diagnostics diags;
        for (std::size_t i = 0; i < kRows.size(); ++i) {
            const TableRow& r = t.rows[i];
            BOOST_TEST_CONTEXT("row " << r.row + 1) {
                BOOST_TEST(t.number(r, 0, diags) == std::optional<double>(static_cast<double>(i + 1)));
                BOOST_TEST(t.text(r, 1) == kRows[i].code);
                BOOST_TEST(t.text(r, 2) == kRows[i].name);
                BOOST_TEST(t.number(r, 3, diags) == std::optional<double>(kRows[i].participants));
                BOOST_TEST(t.number(r, 4, diags) == kRows[i].share);
                const auto d = t.date(r, 5, diags);
                BOOST_REQUIRE(d.has_value());
                BOOST_TEST(text::format_date_short(*d) == text::format_date_short(kRows[i].day));
            }
        }
        BOOST_TEST(diags.format() == "");
        BOOST_TEST(t.find("ОГЭ, МАТЕМАТИКА /  участников") == &t.columns[3]);
    }
}

// The results table through engine/xlsx: caption, two header rows with merges, numbers where the
// writer makes them (integers), the rest as text the way the CSV has it.
std::string results_by_our_writer() {
    doc::Table t;
    t.sheet_name = "Результаты";
    t.caption = "Результаты ОГЭ по математике, 2020-2021 учебный год";
    t.widths = {1, 2, 6, 2, 2, 3};
    doc::Row h1, h2;
    h1.header = h2.header = true;
    h1.cells = {text_cell("№ п/п", 1, 2), text_cell("Код ОО", 1, 2), text_cell("Наименование ОО", 1, 2),
                text_cell("ОГЭ, математика", 2), text_cell("Дата проведения", 1, 2)};
    h2.cells = {covered_cell(), covered_cell(), covered_cell(), text_cell("Участников"), text_cell("Доля «2», %"),
                covered_cell()};
    t.rows = {h1, h2};
    const std::vector<std::vector<std::string>> data = {
        {"1", "sh-1", "МБОУ «СШ № 1»", "45", "16%", "22.12.2020"},
        {"2", "sh-2", "МБОУ \"СШ № 2\"; корпус 2", "1 045", "16,5", "22.12.2020"},
        {"3", "sh-3", "МБОУ «Гимназия № 4»\nим. А.С. Пушкина", "30", "", "2020-12-23"},
        {"4", "sh-4", "МБОУ «СШ № 7»", "12", "0", "44188"},
        {"Итого", "", "", "1132", "11,6", ""},
    };
    for (const auto& values : data) {
        doc::Row r;
        for (const auto& v : values) r.cells.push_back(text_cell(v));
        t.rows.push_back(r);
    }
    doc::Document d;
    d.body.push_back(doc::Block{t});
    xlsx::XlsxWriter writer;
    std::string bytes;
    writer.write(d, doc::LayoutProfile{}, bytes);
    return bytes;
}

std::string deflated_bomb(std::size_t size) {
    // A sheet of `size` bytes that is almost all one repeated character.
    std::string xml = sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    xml.insert(xml.size() - std::string("</worksheet>").size(), size, ' ');
    return workbook(xml, {}, {}, {}, 9);
}

// One entry whose ZIP64 extra field (id 1) claims 8 bytes and holds none, its size 0xFFFFFFFF
// pointing there: Poco 1.11's ZipLocalFileHeader::parse reads 8 bytes past its buffer on this
// (valgrind shows it), which is why engine/sheets walks ZIP structures itself.
std::string short_zip64_extra() {
    std::string local, central;
    auto put = [](std::string& s, std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) s += static_cast<char>(v >> (8 * i) & 0xFF);
    };
    const std::string name = "a.xml", data = "<a/>", extra = std::string("\x01\x00\x08\x00", 4);
    const auto crc = crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
    put(local, 0x04034b50, 4), put(local, 20, 2), put(local, 0, 2), put(local, 0, 2), put(local, 0, 4);
    put(local, crc, 4), put(local, data.size(), 4), put(local, 0xFFFFFFFF, 4), put(local, name.size(), 2);
    put(local, extra.size(), 2);
    local += name + extra + data;
    put(central, 0x02014b50, 4), put(central, 20, 2), put(central, 20, 2), put(central, 0, 2), put(central, 0, 2);
    put(central, 0, 4), put(central, crc, 4), put(central, data.size(), 4), put(central, 0xFFFFFFFF, 4);
    put(central, name.size(), 2), put(central, extra.size(), 2), put(central, 0, 2), put(central, 0, 2);
    put(central, 0, 2), put(central, 0, 4), put(central, 0, 4);
    central += name + extra;
    std::string end;
    put(end, 0x06054b50, 4), put(end, 0, 2), put(end, 0, 2), put(end, 1, 2), put(end, 1, 2);
    put(end, central.size(), 4), put(end, local.size(), 4), put(end, 0, 2);
    return local + central + end;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sheets)

// ---- The model ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cell_names) {
    BOOST_TEST(column_name(0) == "A");
    BOOST_TEST(column_name(25) == "Z");
    BOOST_TEST(column_name(26) == "AA");
    BOOST_TEST(column_name(16383) == "XFD");
    BOOST_TEST(cell_name(6, 2) == "C7");
    BOOST_TEST((parse_cell_name("C7") == CellRef{6, 2}));
    BOOST_TEST((parse_cell_name("$c$7") == CellRef{6, 2}));
    BOOST_TEST((parse_cell_name("XFD1048576") == CellRef{1048575, 16383}));
    for (const char* bad : {"", "7", "C", "C0", "XFE1", "A1048577", "A1:B2", "A 1", "Ж1"})
        BOOST_TEST(!parse_cell_name(bad).has_value(), bad);
    Sheet s;
    s.name = "Лист1";
    BOOST_TEST(s.where(6, 2) == "Лист1!C7");
    s.name = "Итоги 2021";
    BOOST_TEST(s.where(0, 0) == "'Итоги 2021'!A1");
    s.name = "О'Нил";
    BOOST_TEST(s.where(0, 0) == "'О''Нил'!A1");
    s.name = "2021";
    BOOST_TEST(s.where(0, 0) == "'2021'!A1");
}

BOOST_AUTO_TEST_CASE(excel_serials) {
    auto day = [](double serial, bool mac) {
        const auto dt = serial_to_date(serial, mac);
        return dt ? text::format_date_short(dt->date) + " " + std::to_string(dt->seconds) : std::string("none");
    };
    BOOST_TEST(day(1, false) == "01.01.1900 0");
    BOOST_TEST(day(59, false) == "28.02.1900 0");
    BOOST_TEST(day(60, false) == "29.02.1900 0");  // the phantom day of the 1900 leap-year bug
    BOOST_TEST(day(61, false) == "01.03.1900 0");
    BOOST_TEST(day(44187, false) == "22.12.2020 0");
    BOOST_TEST(day(44187.5, false) == "22.12.2020 43200");
    BOOST_TEST(day(44187.99999999, false) == "23.12.2020 0");
    BOOST_TEST(day(2958465, false) == "31.12.9999 0");
    BOOST_TEST(day(2958466, false) == "none");
    BOOST_TEST(day(0, false) == "none");
    BOOST_TEST(day(-1, false) == "none");
    BOOST_TEST(day(0, true) == "01.01.1904 0");
    BOOST_TEST(day(44187 - 1462, true) == "22.12.2020 0");
    BOOST_TEST(!text::is_valid(serial_to_date(60, false)->date));
}

BOOST_AUTO_TEST_CASE(number_formats) {
    using K = NumberFormat::Kind;
    auto kind = [](std::uint32_t id, std::string_view code) { return classify_format(id, code).kind; };
    for (std::uint32_t id : {14u, 15u, 16u, 17u}) BOOST_TEST((kind(id, "") == K::date), id);
    for (std::uint32_t id : {18u, 19u, 20u, 21u, 45u, 46u, 47u}) BOOST_TEST((kind(id, "") == K::time), id);
    BOOST_TEST((kind(22, "") == K::datetime));
    BOOST_TEST((kind(0, "") == K::general));
    BOOST_TEST((kind(9, "") == K::percent));
    BOOST_TEST((kind(14, "0.00") == K::number));  // a workbook may redefine a built-in id
    BOOST_TEST((kind(164, "dd/mm/yyyy") == K::date));
    BOOST_TEST((kind(164, "DD.MM.YYYY") == K::date));
    BOOST_TEST((kind(164, "[$-419]d mmmm yyyy\\ \"г.\"") == K::date));
    BOOST_TEST((kind(164, "mmm") == K::date));
    BOOST_TEST((kind(164, "dd/mm/yyyy\\ hh:mm") == K::datetime));
    BOOST_TEST((kind(164, "hh:mm") == K::time));
    BOOST_TEST((kind(164, "[h]:mm") == K::time));
    BOOST_TEST((kind(164, "[mm]") == K::time));
    BOOST_TEST((kind(164, "General") == K::general));
    BOOST_TEST((kind(164, "[Red]General;-General") == K::general));
    BOOST_TEST((kind(164, "0.00E+00") == K::number));
    BOOST_TEST((kind(164, "\"day\" 0") == K::number));  // letters in quotes are text
    BOOST_TEST((kind(164, "0\\d") == K::number));       // an escaped letter too
    BOOST_TEST((kind(164, "@") == K::text));
    BOOST_TEST((kind(164, "0.0%") == K::percent));
    BOOST_TEST((kind(164, "[Red][<0]0;0") == K::number));

    BOOST_TEST(format_number(16.5, {}) == "16,5");
    BOOST_TEST(format_number(0.1 + 0.2, {}) == "0,3");
    BOOST_TEST(format_number(1045, {}) == "1045");
    BOOST_TEST(format_number(-3, {}) == "-3");
    BOOST_TEST(format_number(0.16, classify_format(9, "")) == "16%");
    BOOST_TEST(format_number(0.165, classify_format(164, "0.0%")) == "16,5%");
    BOOST_TEST(format_number(1234567.891, classify_format(4, "")) == "1\u00A0234\u00A0567,89");
    BOOST_TEST(format_number(-1234.5, classify_format(164, "#,##0")) == "-1\u00A0235");
    BOOST_TEST(format_number(-0.001, classify_format(2, "")) == "0,00");
    BOOST_TEST(format_date_time({{2020, 12, 22}, 0}, K::date) == "22.12.2020");
    BOOST_TEST(format_date_time({{2020, 12, 22}, 37800}, K::datetime) == "22.12.2020 10:30");
    BOOST_TEST(format_date_time({{}, 37815}, K::time) == "10:30:15");
}

// ---- Russian numbers and dates in text ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(russian_numbers) {
    const std::vector<std::pair<std::string, double>> good = {
        {"16", 16},          {"16%", 16},        {"16 %", 16},          {"16,5", 16.5},      {"16.5", 16.5},
        {"1 045", 1045},     {"1\u00A0045", 1045}, {"1\u202F045,5", 1045.5}, {"12 345 678", 12345678}, {"1  045", 1045},
        {"-5", -5},          {"\u22125", -5},    {"+5", 5},             {" 7 ", 7},          {"0,5", 0.5},
        {",5", 0.5},         {"1045", 1045},     {"-16,5%", -16.5}};
    for (const auto& [s, v] : good) BOOST_TEST(parse_number_ru(s) == std::optional<double>(v), s);
    for (const char* bad : {"", "abc", "1.045,5", "1,045.5", "1 04", "10 45", "1e5", "5-", "16%%",
                            "12 345678", "-", "—", "16,", "1 045 ,5", "№ 5"})
        BOOST_TEST(!parse_number_ru(bad).has_value(), bad);
    BOOST_TEST(is_blank(""));
    BOOST_TEST(is_blank(" \u00A0\n"));
    BOOST_TEST(is_blank("-"));
    BOOST_TEST(is_blank(" — "));
    BOOST_TEST(!is_blank("--"));
    BOOST_TEST(!is_blank("0"));
    BOOST_TEST(normalize_title("  Доля\u00A0«2»,\n %  ") == "доля «2», %");
    BOOST_TEST(normalize_title("ЁЛКА Ёж") == "елка еж");
}

BOOST_AUTO_TEST_CASE(russian_dates) {
    auto d = [](std::string_view s) {
        const auto v = parse_date_ru(s);
        return v ? text::format_date_short(*v) : std::string("none");
    };
    BOOST_TEST(d("22.12.2020") == "22.12.2020");
    BOOST_TEST(d("1.9.2020") == "01.09.2020");
    BOOST_TEST(d("2020-12-22") == "22.12.2020");
    BOOST_TEST(d("22.12.2020 г.") == "22.12.2020");
    BOOST_TEST(d("22.12.2020г") == "22.12.2020");
    BOOST_TEST(d("22.12.2020 0:00:00") == "22.12.2020");
    BOOST_TEST(d("31.02.2020") == "31.02.2020");  // the shape only; Table::date checks the calendar
    for (const char* bad : {"", "22.12.20", "22/12/2020", "2020-1-2", "22.12.2020 утром", "22.12", "44188"})
        BOOST_TEST(d(bad) == "none", bad);
}

// ---- The same table from every writer ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(results_from_csv) {
    CsvFormat f;
    const std::string utf8 = io::read_file(fixtures() / "results_utf8.csv");
    const Workbook a = read_csv(utf8, "results_utf8.csv", {}, &f);
    BOOST_TEST((f.encoding == CsvEncoding::utf8));
    BOOST_TEST(f.separator == ';');
    BOOST_TEST(a.sheets.front().name == "results_utf8");
    check_results(a);

    const std::string cp1251 = io::read_file(fixtures() / "results_cp1251.csv");
    const Workbook b = read_csv(cp1251, "results_cp1251.csv", {}, &f);
    BOOST_TEST((f.encoding == CsvEncoding::cp1251));
    BOOST_TEST(f.separator == ';');
    check_results(b);

    const std::string comma = io::read_file(fixtures() / "results_comma.csv");
    const Workbook c = read_csv(comma, "results_comma.csv", {}, &f);
    BOOST_TEST(f.separator == ',');
    check_results(c);
}

BOOST_AUTO_TEST_CASE(results_from_openpyxl) {
    const Workbook book = fixture("results_openpyxl.xlsx");
    BOOST_REQUIRE_EQUAL(book.sheets.size(), 3u);
    BOOST_TEST(book.sheets[0].name == "Результаты");
    BOOST_TEST(book.sheets[1].name == "Школы");
    BOOST_TEST(book.sheets[2].name == "Служебный");
    BOOST_TEST(!book.sheets[0].hidden);
    BOOST_TEST(book.sheets[2].hidden);
    check_results(book);

    // Cell kinds and the text as shown.
    const Sheet& s = book.sheets[0];
    BOOST_TEST((s.find(5, 4)->kind == CellKind::number));
    BOOST_TEST(s.find(5, 4)->percent);
    BOOST_TEST(s.find(5, 4)->text == "16%");
    BOOST_TEST(s.find(6, 4)->text == "16,5");
    BOOST_TEST((s.find(5, 5)->kind == CellKind::date));
    BOOST_TEST(s.find(5, 5)->text == "22.12.2020");
    BOOST_TEST(s.find(6, 5)->text == "22.12.2020 00:00");
    BOOST_TEST((s.find(8, 3)->kind == CellKind::text));  // "12", a number stored as text
    BOOST_TEST(s.find(9, 3)->formula);                   // =SUM(…), openpyxl stores no value
    BOOST_TEST((s.find(9, 3)->kind == CellKind::empty));
    BOOST_TEST(s.merges.size() == 6u);
    BOOST_TEST(s.merge_at(3, 4)->name() == "D4:E4");

    const Sheet& schools = book.sheets[1];
    BOOST_TEST((schools.find(1, 4)->kind == CellKind::boolean));
    BOOST_TEST(schools.find(1, 4)->text == "ИСТИНА");
    BOOST_TEST(schools.find(2, 4)->text == "ЛОЖЬ");
    const Table t = read_table(book, schools, {.expected_titles = {"Школа", "Открыта"}});
    BOOST_TEST(t.rows.size() == 2u);
    Diagnostics diags;
    BOOST_TEST(text::format_date_short(*t.date(t.rows[0], 3, diags)) == "01.09.1936");
    BOOST_TEST(t.number(t.rows[1], 2, diags) == std::optional<double>(640));
    BOOST_TEST(diags.empty());
}

BOOST_AUTO_TEST_CASE(results_from_openpyxl_1904) {
    const Workbook book = fixture("results_openpyxl_1904.xlsx");
    BOOST_TEST(book.sheets[0].date1904);
    BOOST_TEST(book.sheets[0].find(5, 5)->number == 44187 - 1462);
    BOOST_TEST(book.sheets[0].find(5, 5)->text == "22.12.2020");
    check_results(book);
}

BOOST_AUTO_TEST_CASE(results_from_libreoffice) {
    const Workbook book = fixture("results_libreoffice.xlsx");
    BOOST_TEST(book.sheets[0].name == "results_libreoffice");
    check_results(book);
}

BOOST_AUTO_TEST_CASE(results_from_our_writer) {
    const std::string bytes = results_by_our_writer();
    const Workbook book = read_workbook_bytes(bytes, "ours.xlsx");
    BOOST_TEST(book.sheets[0].name == "Результаты");
    check_results(book);
}

// ---- XLSX details -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(xlsx_cell_types) {
    const std::string shared =
        "<sst " + kMain + " count=\"3\" uniqueCount=\"3\">"
        "<si><t>простая</t></si>"
        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">жирная </t></r><r><t>и обычная</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh><phoneticPr fontId=\"1\"/></si>"
        "<si><t>строка_x000D_\nвторая _x005F_x0041_ и _x0041_</t></si></sst>";
    const std::string sheet = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>встроенная</t></is></c>"
        "<c r=\"B2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"e\"><v>#DIV/0!</v></c>"
        "<c r=\"D2\" t=\"str\"><f>A1&amp;\"!\"</f><v>простая!</v></c><c r=\"E2\"><f>1+1</f><v>2</v></c>"
        "<c r=\"F2\" t=\"d\"><v>2020-12-22T10:30:00</v></c><c r=\"G2\" t=\"s\"/><c r=\"H2\" s=\"1\"/></row>"
        // Cells and rows without r follow the one before.
        "<row><c><v>1.5</v></c><c><v>-2E-3</v></c><c r=\"E3\"><v>7</v></c><c><v>8</v></c></row>");
    const Workbook book = read_workbook_bytes(workbook(sheet, shared), "types.xlsx");
    const Sheet& s = book.sheets[0];
    auto text_at = [&](const char* ref) {
        const auto r = parse_cell_name(ref);
        const Cell* c = s.find(r->row, r->col);
        return c ? c->text : std::string("(none)");
    };
    BOOST_TEST(text_at("A1") == "простая");
    BOOST_TEST(text_at("B1") == "жирная и обычная");
    BOOST_TEST(text_at("C1") == "строка\r\nвторая _x0041_ и A");
    BOOST_TEST(text_at("A2") == "встроенная");
    BOOST_TEST(text_at("B2") == "ИСТИНА");
    BOOST_TEST(text_at("C2") == "#DIV/0!");
    BOOST_TEST((s.find(1, 2)->kind == CellKind::error));
    BOOST_TEST(text_at("D2") == "простая!");
    BOOST_TEST(s.find(1, 3)->formula);
    BOOST_TEST(text_at("E2") == "2");
    BOOST_TEST(text_at("F2") == "22.12.2020 10:30");
    BOOST_TEST(s.find(1, 5)->seconds == 37800);
    BOOST_TEST(text_at("G2") == "(none)");  // no value
    BOOST_TEST(text_at("H2") == "(none)");  // only a style
    BOOST_TEST(text_at("A3") == "1,5");
    BOOST_TEST(text_at("B3") == "-0,002");
    BOOST_TEST(text_at("E3") == "7");
    BOOST_TEST(text_at("F3") == "8");
    BOOST_TEST(s.cells.size() == 13u);
}

BOOST_AUTO_TEST_CASE(xlsx_dates_by_format) {
    const std::string styles =
        "<styleSheet " + kMain + "><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "<xf numFmtId=\"20\"/></cellXfs></styleSheet>";
    const std::string sheet = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" s=\"0\"><v>44187</v></c><c r=\"B1\" s=\"1\"><v>44187</v></c>"
        "<c r=\"C1\" s=\"2\"><v>44187.25</v></c><c r=\"D1\" s=\"3\"><v>0.1234</v></c><c r=\"E1\" s=\"4\"><v>0.75</v></c>"
        "<c r=\"F1\" s=\"1\"><v>60</v></c><c r=\"G1\" s=\"1\"><v>-5</v></c><c r=\"H1\" s=\"99\"><v>5</v></c></row>");
    for (const bool mac : {false, true}) {
        const Workbook book =
            read_workbook_bytes(workbook(sheet, {}, styles, mac ? "<workbookPr date1904=\"1\"/>" : ""), "d.xlsx");
        const Sheet& s = book.sheets[0];
        BOOST_TEST(s.date1904 == mac);
        BOOST_TEST((s.find(0, 0)->kind == CellKind::number));
        BOOST_TEST((s.find(0, 1)->kind == CellKind::date));
        BOOST_TEST(s.find(0, 1)->text == (mac ? "23.12.2024" : "22.12.2020"));
        BOOST_TEST(s.find(0, 2)->text == (mac ? "23.12.2024" : "22.12.2020"));
        BOOST_TEST(s.find(0, 2)->seconds == 6 * 3600);
        BOOST_TEST(s.find(0, 3)->text == "12,3%");
        BOOST_TEST(s.find(0, 4)->text == "18:00");
        BOOST_TEST(s.find(0, 5)->text == (mac ? "01.03.1904" : "29.02.1900"));
        BOOST_TEST((s.find(0, 6)->kind == CellKind::number));  // no date before the epoch
        BOOST_TEST(s.find(0, 7)->text == "5");                 // an unknown style: general
    }
}

BOOST_AUTO_TEST_CASE(xlsx_package_variants) {
    // Prefixed names (x:c), strict OOXML namespaces and relationship types, a workbook in another
    // folder, part names in another case, cells out of order, two sheets in workbook order.
    const std::string strict = "http://purl.oclc.org/ooxml/officeDocument/relationships/";
    Parts p;
    p.emplace_back("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                                  "<Relationship Id=\"a\" Type=\"" + strict + "officeDocument\" Target=\"/Book/Main.xml\"/>"
                                  "</Relationships>");
    p.emplace_back("book/main.xml", "<x:workbook xmlns:x=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
                                    "xmlns:r=\"" + strict + "\"><x:sheets>"
                                    "<x:sheet name=\"Второй\" sheetId=\"2\" r:id=\"s2\"/>"
                                    "<x:sheet name=\"Диаграмма\" sheetId=\"3\" r:id=\"s3\"/>"
                                    "<x:sheet name=\"Первый\" sheetId=\"1\" r:id=\"s1\"/></x:sheets></x:workbook>");
    p.emplace_back("Book/_rels/Main.xml.rels",
                   "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                   "<Relationship Id=\"s1\" Type=\"" + strict + "worksheet\" Target=\"../sheets/one.xml\"/>"
                   "<Relationship Id=\"s2\" Type=\"" + strict + "worksheet\" Target=\"./two.xml\"/>"
                   "<Relationship Id=\"s3\" Type=\"" + strict + "chartsheet\" Target=\"chart.xml\"/>"
                   "<Relationship Id=\"x\" Type=\"" + strict + "hyperlink\" Target=\"http://example.org\" TargetMode=\"External\"/>"
                   "</Relationships>");
    const std::string ns = "xmlns:x=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"";
    p.emplace_back("sheets/one.xml", "<x:worksheet " + ns + "><x:sheetData><x:row r=\"2\"><x:c r=\"B2\"><x:v>2</x:v></x:c>"
                                     "</x:row><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>один</x:t></x:is></x:c>"
                                     "</x:row></x:sheetData></x:worksheet>");
    p.emplace_back("book/two.xml", "<x:worksheet " + ns + "><x:sheetData/></x:worksheet>");
    p.emplace_back("book/chart.xml", "<chartsheet/>");
    const Workbook book = read_workbook_bytes(zip(p), "variants.xlsx");
    BOOST_REQUIRE_EQUAL(book.sheets.size(), 2u);
    BOOST_TEST(book.sheets[0].name == "Второй");
    BOOST_TEST(book.sheets[0].cells.empty());
    BOOST_TEST(book.sheets[1].name == "Первый");
    BOOST_REQUIRE_EQUAL(book.sheets[1].cells.size(), 2u);
    BOOST_TEST(book.sheets[1].cells[0].text == "один");  // sorted by row
    BOOST_TEST(book.sheets[1].cells[1].name() == "B2");
    BOOST_TEST(book.find("Первый") == &book.sheets[1]);
    BOOST_TEST(book.find("Третий") == nullptr);
    BOOST_TEST(&book.sheet("Первый") == &book.sheets[1]);
    BOOST_TEST(error_of([&] { book.sheet("Итоги"); }) ==
               "variants.xlsx: в книге нет листа «Итоги»; есть: Второй, Первый [sheet.not_found]\n");
}

BOOST_AUTO_TEST_CASE(part_names_are_never_paths) {
    // Targets climbing out of the package, and entry names that would be paths outside it, are
    // only keys into the archive: nothing on disk is looked at.
    Parts p = workbook_parts(sheet_xml(""));
    p[3].second = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                  "<Relationship Id=\"rId1\" Type=\"" + kRel + "worksheet\" Target=\"../../../../etc/hostname\"/>"
                  "</Relationships>";
    p.emplace_back("../../etc/hostname", "<worksheet/>");
    BOOST_TEST(error_reading(zip(p), "climb.xlsx") ==
               "climb.xlsx: файл повреждён: в архиве нет части «etc/hostname» листа «Лист1» [sheet.corrupt]\n");
}

BOOST_AUTO_TEST_CASE(dimension_claims_are_not_trusted) {
    // A sheet claiming two million rows in its dimension, with two: read as it is, nothing
    // allocated for the claim.
    const std::string sheet = "<worksheet " + kMain + "><dimension ref=\"A1:Z2000000\"/><sheetData>"
                              "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
                              "</sheetData></worksheet>";
    const Workbook book = read_workbook_bytes(workbook(sheet), "claims.xlsx");
    BOOST_TEST(book.sheets[0].cells.size() == 2u);
}

// ---- CSV details --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(csv_fields) {
    const std::string csv = "a;\"b;c\";\"d \"\"e\"\"\"\r\n"
                            "\"multi\nline\";x\"y\"z;\"q\"tail\r"
                            ";;last\n"
                            "\n"
                            "end";
    const Workbook book = read_csv(csv, "fields.csv");
    const Sheet& s = book.sheets[0];
    auto at = [&](std::uint32_t r, std::uint32_t c) {
        const Cell* cell = s.find(r, c);
        return cell ? cell->text : std::string("(none)");
    };
    BOOST_TEST(at(0, 0) == "a");
    BOOST_TEST(at(0, 1) == "b;c");
    BOOST_TEST(at(0, 2) == "d \"e\"");
    BOOST_TEST(at(1, 0) == "multi\nline");
    BOOST_TEST(at(1, 1) == "x\"y\"z");
    BOOST_TEST(at(1, 2) == "qtail");
    BOOST_TEST(at(2, 0) == "(none)");
    BOOST_TEST(at(2, 2) == "last");
    BOOST_TEST(at(4, 0) == "end");
    BOOST_TEST(s.cells.size() == 8u);
}

BOOST_AUTO_TEST_CASE(csv_encodings_and_separators) {
    CsvFormat f;
    read_csv("\xEF\xBB\xBF" "a,b;c;d", "x.csv", {}, &f);
    BOOST_TEST(f.separator == ';');
    read_csv("a\tb\tc;d", "x.csv", {}, &f);
    BOOST_TEST(f.separator == '\t');
    read_csv("\"a;b\",c", "x.csv", {}, &f);
    BOOST_TEST(f.separator == ',');  // separators in quotes do not count
    read_csv("один", "x.csv", {}, &f);
    BOOST_TEST(f.separator == ',');
    BOOST_TEST(read_csv("a;b", "x.csv").sheets[0].cells.size() == 2u);

    // Windows-1251: «Школа;Доля» and the letters outside А..я.
    const Workbook w = read_csv("\xD8\xEA\xEE\xEB\xE0;\xC4\xEE\xEB\xFF;\xA8\xB8\xB9\xAB\xBB\xA0", "w.csv", {}, &f);
    BOOST_TEST((f.encoding == CsvEncoding::cp1251));
    BOOST_TEST(w.sheets[0].cells[0].text == "Школа");
    BOOST_TEST(w.sheets[0].cells[2].text == "Ёё№«»\u00A0");
    BOOST_TEST(cp1251_to_utf8("\x80\x98\xFF") == "Ђ\uFFFDя");

    // UTF-16LE with a BOM (Excel's «Текст Юникод», tab-separated).
    std::string utf16 = "\xFF\xFE";
    for (char16_t c : std::u16string(u"Код\tШкола\r\n1\tСШ")) {
        utf16 += static_cast<char>(c & 0xFF);
        utf16 += static_cast<char>(c >> 8);
    }
    const Workbook u = read_csv(utf16, "u.txt", {}, &f);
    BOOST_TEST((f.encoding == CsvEncoding::utf16));
    BOOST_TEST(f.separator == '\t');
    BOOST_TEST(u.sheets[0].find(1, 1)->text == "СШ");
}

// ---- The table layer ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(table_finds_header_data_totals_and_notes) {
    const std::string csv = "Отчёт;;\n"
                            "за 2021 год;;\n"
                            "\n"
                            "Школа;Участников;Доля\n"
                            "СШ 1;10;5%\n"
                            "\n"
                            "СШ 2;20;\n"
                            "СШ 3;;-\n"
                            ";Всего:;30\n"
                            "СШ 4;40;1\n";
    const Workbook book = read_csv(csv, "t.csv");
    const Table t = read_table(book, book.sheets[0]);
    BOOST_TEST(t.header_first == 3u);
    BOOST_TEST(t.header_last == 3u);
    BOOST_REQUIRE_EQUAL(t.rows.size(), 3u);  // the empty row skipped, «Всего» ends the table
    BOOST_TEST(t.rows[1].row == 6u);
    BOOST_TEST(t.totals_row == std::optional<std::uint32_t>(8));
    Diagnostics d;
    BOOST_TEST(!t.number(t.rows[2], 1, d).has_value());
    BOOST_TEST(!t.number(t.rows[2], 2, d).has_value());  // «-»: no data
    BOOST_TEST(d.empty());

    // A note after an empty row ends the table; a one-cell row without a gap does not.
    const Workbook notes = read_csv("Школа;Балл\nСШ 1;5\nСШ 2\n\nИсполнитель: Иванова;\nСШ 3;4\n", "n.csv");
    const Table n = read_table(notes, notes.sheets[0]);
    BOOST_TEST(n.rows.size() == 2u);
    BOOST_TEST(!n.totals_row.has_value());
}

BOOST_AUTO_TEST_CASE(table_header_by_expected_titles) {
    // Two rows that look like headers; the expected titles pick the second.
    const Workbook book = read_csv("Район;Год\nСмоленск;2021\nШкола;Балл\nСШ 1;5\n", "e.csv");
    BOOST_TEST(read_table(book, book.sheets[0]).header_first == 0u);
    const Table t = read_table(book, book.sheets[0], {.expected_titles = {"балл", "ШКОЛА"}});
    BOOST_TEST(t.header_first == 2u);
    BOOST_TEST(t.rows.size() == 1u);

    // Years as titles are numbers: only the expected titles find such a header.
    const Workbook years = read_csv("Школа;2019;2020\nСШ 1;5;6\nСШ 2;7;8\n", "y.csv");
    BOOST_TEST(error_of([&] { read_table(years, years.sheets[0]); }).find("[sheet.no_header]") != std::string::npos);
    const Table y = read_table(years, years.sheets[0], {.expected_titles = {"Школа", "2020"}});
    BOOST_TEST(y.columns.size() == 3u);
    BOOST_TEST(y.columns[2].title == "2020");
    BOOST_TEST(y.rows.size() == 2u);
}

BOOST_AUTO_TEST_CASE(table_fills_cells_of_vertical_merges) {
    // «Район» merged over three data rows: each row sees it.
    const std::string sheet = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Район</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Школа</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Заднепровский</t></is></c><c r=\"B2\"><v>1</v></c></row>"
        "<row r=\"3\"><c r=\"B3\"><v>2</v></c></row><row r=\"4\"><c r=\"B4\"><v>3</v></c></row>"
        "<row r=\"5\"><c r=\"B5\"><v>4</v></c></row>",
        "<mergeCells count=\"1\"><mergeCell ref=\"A2:A4\"/></mergeCells>");
    const Workbook book = read_workbook_bytes(workbook(sheet), "m.xlsx");
    const Table t = read_table(book, book.sheets[0]);
    BOOST_REQUIRE_EQUAL(t.rows.size(), 4u);
    BOOST_TEST(t.text(t.rows[0], 0) == "Заднепровский");
    BOOST_TEST(t.text(t.rows[2], 0) == "Заднепровский");
    BOOST_TEST(t.text(t.rows[3], 0) == "");

    // A merge that ended above does not hide one that covers the cell now: B2:B3 ended, A5:B6
    // covers B6.
    const std::string two = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Район</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Школа</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>Балл</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\"><v>2</v></c><c r=\"C2\"><v>3</v></c></row>"
        "<row r=\"3\"><c r=\"C3\"><v>4</v></c></row><row r=\"4\"><c r=\"C4\"><v>5</v></c></row>"
        "<row r=\"5\"><c r=\"A5\"><v>7</v></c><c r=\"C5\"><v>6</v></c></row><row r=\"6\"><c r=\"C6\"><v>7</v></c></row>",
        "<mergeCells count=\"2\"><mergeCell ref=\"B2:B3\"/><mergeCell ref=\"A5:B6\"/></mergeCells>");
    const Workbook book2 = read_workbook_bytes(workbook(two), "m2.xlsx");
    const Table t2 = read_table(book2, book2.sheets[0]);
    BOOST_REQUIRE_EQUAL(t2.rows.size(), 5u);
    BOOST_TEST(t2.text(t2.rows[1], 1) == "2");  // B3 from B2
    BOOST_TEST(t2.text(t2.rows[2], 1) == "");   // B4: nothing
    BOOST_TEST(t2.text(t2.rows[3], 1) == "7");  // B5 from A5, in the merge's first row too
    BOOST_TEST(t2.text(t2.rows[4], 0) == "7");  // A6 from A5
    BOOST_TEST(t2.text(t2.rows[4], 1) == "7");  // B6 from A5
}

BOOST_AUTO_TEST_CASE(table_bears_many_overlapping_merges) {
    // Thousands of merges as wide as a sheet, overlapping (a file Excel would refuse): the
    // table layer's work grows with the number of merges, not with their width (16,384 columns
    // × 3,000 merges would be 49 million steps).
    std::string merges;
    for (int i = 1; i <= 3000; ++i)
        merges += "<mergeCell ref=\"A" + std::to_string(i) + ":XFD" + std::to_string(i + 2) + "\"/>";
    const std::string sheet = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Школа</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Балл</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\"><v>2</v></c></row>",
        "<mergeCells>" + merges + "</mergeCells>");
    const Workbook book = read_workbook_bytes(workbook(sheet), "merges.xlsx");
    BOOST_TEST(book.sheets[0].merges.size() == 3000u);
    // The first merge makes rows 1–3 the header; what matters is that this returns at all.
    BOOST_TEST(error_of([&] { read_table(book, book.sheets[0]); }) ==
               "merges.xlsx: Лист1: под заголовком таблицы (строки 1–3) нет ни одной строки с данными [sheet.empty]\n");
}

// ---- Must fail: exact messages -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bad_values_are_reported_with_sheet_and_cell) {
    const std::string csv = "Школа;Доля;Дата\n"
                            "СШ 1;abc;22.12.2020\n"
                            "СШ 2;16,5;31.02.2020\n"
                            "СШ 3;1.045,5;вчера\n"
                            "СШ 4;5;2021\n";
    const Workbook book = read_csv(csv, "Результаты.csv");
    const Table t = read_table(book, book.sheets[0]);
    Diagnostics d;
    for (const TableRow& r : t.rows) {
        t.number(r, 1, d);
        t.date(r, 2, d);
    }
    BOOST_TEST(d.format() ==
               "Результаты.csv: Результаты!B2: столбец «Доля»: ожидалось число, а записано «abc» [sheet.bad_number]\n"
               "Результаты.csv: Результаты!C3: столбец «Дата»: даты «31.02.2020» не существует в календаре [sheet.bad_date]\n"
               "Результаты.csv: Результаты!B4: столбец «Доля»: ожидалось число, а записано «1.045,5» [sheet.bad_number]\n"
               "Результаты.csv: Результаты!C4: столбец «Дата»: ожидалась дата в виде ДД.ММ.ГГГГ, а записано «вчера» [sheet.bad_date]\n"
               "Результаты.csv: Результаты!C5: столбец «Дата»: ожидалась дата, а записано число «2021» [sheet.bad_date]\n");

    // A date in a number column, Excel's errors, a formula without a value (openpyxl's «Итого»).
    const Workbook xl = fixture("results_openpyxl.xlsx");
    const Sheet& s = xl.sheets[0];
    TableOptions all;
    all.totals_words.clear();
    const Table r = read_table(xl, s, all);
    Diagnostics e;
    r.number(r.rows[0], 5, e);  // 22.12.2020 in a number column
    r.number(r.rows[4], 3, e);  // =SUM(…) without a cached value
    r.date(r.rows[0], 1, e);
    BOOST_TEST(e.format() ==
               "results_openpyxl.xlsx: Результаты!F6: столбец «Дата проведения»: ожидалось число, а записана дата "
               "«22.12.2020» [sheet.bad_number]\n"
               "results_openpyxl.xlsx: Результаты!D10: столбец «ОГЭ, математика / Участников»: в ячейке формула без "
               "вычисленного значения (файл сохранён программой, которая не пересчитывает формулы); откройте его в Excel "
               "или LibreOffice и сохраните заново [sheet.bad_number]\n"
               "results_openpyxl.xlsx: Результаты!B6: столбец «Код ОО»: ожидалась дата в виде ДД.ММ.ГГГГ, а записано "
               "«sh-1» [sheet.bad_date]\n");
}

BOOST_AUTO_TEST_CASE(must_fail_files) {
    const std::string good = io::read_file(fixtures() / "results_openpyxl.xlsx");
    // A stored (not deflated) sheet with one byte changed after its CRC was taken.
    std::string crc_broken = workbook(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), {}, {}, {}, 0);
    crc_broken[crc_broken.find("<v>1</v>") + 3] = '2';

    const std::string billion_laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;\">]><sst " + kMain + "><si><t>&lol3;</t></si></sst>";
    const std::string external =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><worksheet " + kMain +
        "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>";
    std::string deep = "<worksheet " + kMain + ">";
    for (int i = 0; i < 100; ++i) deep += "<a>";
    for (int i = 0; i < 100; ++i) deep += "</a>";
    deep += "</worksheet>";

    const std::vector<std::pair<std::string, std::string>> cases = {
        {"truncated.xlsx", good.substr(0, good.size() / 2)},
        {"garbage.xlsx", "это не архив"},
        {"encrypted.xlsx", io::read_file(fixtures() / "encrypted.xlsx")},
        {"old_format.xls", io::read_file(fixtures() / "old_format.xls")},
        {"page.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>"},
        {"document.xlsx", zip({{"word/document.xml", "<w:document/>"}})},
        {"table.ods", zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}})},
        {"crc.xlsx", crc_broken},
        {"laughs.xlsx", workbook(sheet_xml(""), billion_laughs)},
        {"external.xlsx", workbook(external)},
        {"deep.xlsx", workbook(deep)},
        {"rows.xlsx", workbook(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2000000\"><c r=\"A2000000\"><v>2</v></c></row>"))},
        {"tag.xlsx", workbook(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</c></row>"))},
        {"value.xlsx", workbook(sheet_xml("<row r=\"1\"><c r=\"C7\"><v>1,5</v></c></row>"))},
        {"twice.xlsx", workbook(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>"))},
        {"unclosed.csv", "Школа;Балл\nСШ 1;5\nСШ 2;\"4\n"},
        {"binary.csv", std::string("a;b\n\0\1", 6)},
        {"cp.csv", "\xD8\xEA\xEE\xEB\xE0\n\x98"},
        {"blank.csv", "\xEF\xBB\xBF;;\r\n;\r\n"},
    };
    const std::vector<std::string> expected = {
        "truncated.xlsx: файл повреждён: не найдено оглавление архива ZIP (файл обрезан или это не книга .xlsx) [sheet.corrupt]",
        "garbage.xlsx: файл повреждён: это не архив ZIP, каким должна быть книга .xlsx (файл обрезан или записан не "
        "полностью?) [sheet.corrupt]",
        "encrypted.xlsx: книга защищена паролем (зашифрована) и не читается; откройте её в Excel, снимите пароль (Файл → "
        "Сведения → Защитить книгу → Зашифровать с использованием пароля, пустой пароль) и сохраните [sheet.encrypted]",
        "old_format.xls: это книга Excel 97–2003 (.xls), а читаются .xlsx и CSV; откройте её в Excel или LibreOffice и "
        "сохраните как «Книга Excel (.xlsx)» [sheet.format]",
        "page.xls: это страница HTML (так некоторые системы выгружают «Excel»), а не книга Excel; откройте её в Excel или "
        "LibreOffice и сохраните как «Книга Excel (.xlsx)» [sheet.format]",
        "document.xlsx: это документ Word (.docx), а не книга Excel (.xlsx) [sheet.format]",
        "table.ods: это таблица OpenDocument (.ods), а читаются книги Excel (.xlsx) и CSV; сохраните её в LibreOffice как "
        "«Книга Excel 2007-365 (.xlsx)» [sheet.format]",
        "crc.xlsx: файл повреждён: контрольная сумма части «xl/worksheets/sheet1.xml» не совпадает [sheet.corrupt]",
        "laughs.xlsx: часть «xl/sharedStrings.xml» содержит объявление DOCTYPE, которого в книгах Excel не бывает (через "
        "него XML может раскрывать сущности без конца или читать другие файлы); такой файл не читается [sheet.unsafe]",
        "external.xlsx: Лист1: часть «xl/worksheets/sheet1.xml» содержит объявление DOCTYPE, которого в книгах Excel не "
        "бывает (через него XML может раскрывать сущности без конца или читать другие файлы); такой файл не читается "
        "[sheet.unsafe]",
        "deep.xlsx: Лист1: элементы XML в части «xl/worksheets/sheet1.xml» вложены глубже 64 уровней; такой файл не "
        "читается [sheet.too_large]",
        "rows.xlsx: Лист1: на листе есть строка 2 000 000, а читается не больше 1 048 576 строк; такой файл не читается "
        "[sheet.too_large]",
        "tag.xlsx: Лист1: файл повреждён: часть «xl/worksheets/sheet1.xml», строка 2, столбец 194: ошибка в записи XML "
        "(Tag mismatch) [sheet.corrupt]",
        "value.xlsx: Лист1!C7: файл повреждён: значение «1,5» в ячейке — не число [sheet.corrupt]",
        "twice.xlsx: Лист1!A1: файл повреждён: ячейка записана на листе дважды [sheet.corrupt]",
        "unclosed.csv:3:6: кавычка, открытая здесь, не закрыта до конца файла (кавычка внутри поля в кавычках пишется "
        "дважды: \"\") [sheet.csv_syntax]",
        "binary.csv:2:1: файл не похож на таблицу CSV: в нём двоичные данные (байт 0); читаются книги Excel (.xlsx) и CSV "
        "[sheet.format]",
        "cp.csv:2:1: файл не в кодировке UTF-8, а в Windows-1251 байта 0x98 нет; сохраните файл как «CSV UTF-8 "
        "(разделитель — запятая)» [sheet.encoding]",
        "blank.csv: в файле нет ни одного заполненного поля [sheet.empty]",
    };
    BOOST_REQUIRE_EQUAL(cases.size(), expected.size());
    for (std::size_t i = 0; i < cases.size(); ++i)
        BOOST_TEST_CONTEXT(cases[i].first) { BOOST_TEST(error_reading(cases[i].second, cases[i].first) == expected[i] + "\n"); }
}

BOOST_AUTO_TEST_CASE(must_fail_limits) {
    // A zip bomb: a 16 MB part deflated ~1000:1 is refused before it is inflated.
    const std::string bomb = deflated_bomb(16u << 20);
    BOOST_TEST(bomb.size() < 64u * 1024);
    BOOST_TEST(std::regex_match(error_reading(bomb, "bomb.xlsx"),
                                std::regex("bomb\\.xlsx: часть «xl/worksheets/sheet1\\.xml» распаковывается в [0-9 ]+ "
                                           "раз больше своего сжатого размера \\(предел — 250\\): файл похож на "
                                           "«zip-бомбу» и не читается \\[sheet\\.too_large\\]\n")));

    // The same part within the ratio but beyond the part size limit; beyond the total.
    Limits small;
    small.max_part_bytes = 1u << 20;
    BOOST_TEST(error_reading(deflated_bomb(2u << 20), "big.xlsx", small) ==
               "big.xlsx: часть «xl/worksheets/sheet1.xml» занимает 2 МБ в распакованном виде, больше предела 1 МБ; "
               "такой файл не читается [sheet.too_large]\n");
    Limits total;
    total.max_total_bytes = 2000;
    BOOST_TEST(error_reading(deflated_bomb(3000), "total.xlsx", total) ==
               "total.xlsx: распакованные части книги занимают больше 2 КБ; такой файл не читается "
               "[sheet.too_large]\n");

    // Entries, cells, columns, text.
    Parts many = workbook_parts(sheet_xml(""));
    for (int i = 0; i < 20; ++i) many.emplace_back("extra/" + std::to_string(i), "x");
    Limits entries;
    entries.max_entries = 10;
    BOOST_TEST(error_reading(zip(many), "many.xlsx", entries) ==
               "many.xlsx: в архиве 25 частей, а читается не больше 10; такой файл не читается [sheet.too_large]\n");
    Limits cells;
    cells.max_cells = 2;
    BOOST_TEST(error_reading(workbook(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>1</v></c>"
                                                "<c r=\"C1\"><v>1</v></c></row>")),
                             "cells.xlsx", cells) ==
               "cells.xlsx: Лист1!C1: в книге больше 2 заполненных ячеек; такой файл не читается [sheet.too_large]\n");
    Limits columns;
    columns.max_columns = 3;
    BOOST_TEST(error_reading("a;b;c;d", "wide.csv", columns) ==
               "wide.csv: wide!D1: в строке больше 3 полей; такой файл не читается [sheet.too_large]\n");
    Limits text_limit;
    text_limit.max_text_bytes = 4;
    BOOST_TEST(error_reading(workbook(sheet_xml("<row r=\"1\"><c r=\"B3\" t=\"inlineStr\"><is><t>длинный</t></is></c></row>")),
                             "text.xlsx", text_limit) ==
               "text.xlsx: Лист1!B3: текст длиннее 4 Б; такой файл не читается [sheet.too_large]\n");
    Limits file_limit;
    file_limit.max_file_bytes = 3;
    BOOST_TEST(error_reading("a;b;c", "f.csv", file_limit) ==
               "f.csv: файл занимает 5 Б, больше предела 3 Б; такой файл не читается [sheet.too_large]\n");
}

BOOST_AUTO_TEST_CASE(must_fail_tables) {
    const Workbook empty = read_workbook_bytes(workbook(sheet_xml("")), "empty.xlsx");
    BOOST_TEST(error_of([&] { read_table(empty, empty.sheets[0]); }) ==
               "empty.xlsx: Лист1: лист «Лист1» пуст [sheet.empty]\n");
    const Workbook titles = read_csv("Отчёт\nза 2021 год\n5\n", "t.csv");
    BOOST_TEST(error_of([&] { read_table(titles, titles.sheets[0]); }) ==
               "t.csv: t: не найдена строка заголовка таблицы: среди первых 3 строк с данными нет строки, где подписаны "
               "хотя бы два столбца [sheet.no_header]\n");
    BOOST_TEST(error_of([&] { read_table(titles, titles.sheets[0], {.expected_titles = {"Школа", "Балл"}}); }) ==
               "t.csv: t: не найдена строка заголовка таблицы: ни в одной из первых 3 строк с данными нет ни одного из "
               "заголовков «Школа», «Балл» [sheet.no_header]\n");
    const Workbook header_only = read_csv("Отчёт\nШкола;Балл\n;\n", "h.csv");
    BOOST_TEST(error_of([&] { read_table(header_only, header_only.sheets[0]); }) ==
               "h.csv: h: под заголовком таблицы (строка 2) нет ни одной строки с данными [sheet.empty]\n");
}

BOOST_AUTO_TEST_CASE(zip_structure_is_checked) {
    // Local headers that the central directory does not point at, or entries that share bytes,
    // are refused; a crafted ZIP64 extra field that claims more than it holds too.
    std::string z = workbook(sheet_xml(""));
    const auto cd = z.find("PK\x01\x02");
    BOOST_REQUIRE(cd != std::string::npos);
    std::string moved = z;
    moved[cd + 42] = static_cast<char>(moved[cd + 42] + 1);  // first entry's local header offset + 1
    BOOST_TEST(error_reading(moved, "moved.xlsx") ==
               "moved.xlsx: файл повреждён: часть «[Content_Types].xml» не найдена там, где её указывает оглавление "
               "архива [sheet.corrupt]\n");

    // Two central-directory entries pointing at the same local header (and data).
    const auto cd2 = z.find("PK\x01\x02", cd + 4);
    std::string shared = z;
    for (int k = 0; k < 4; ++k) shared[cd2 + 42 + k] = z[cd + 42 + k];
    BOOST_TEST(error_of([&] { read_workbook_bytes(shared, "shared.xlsx"); }).find("занимают одно и то же место в архиве") !=
               std::string::npos);

    BOOST_TEST(error_reading(short_zip64_extra(), "zip64.xlsx") ==
               "zip64.xlsx: файл повреждён: у части «a.xml» неверное дополнительное поле [sheet.corrupt]\n");

    // Encrypted entry flag.
    std::string flagged = z;
    flagged[cd + 8] |= 1;
    BOOST_TEST(error_reading(flagged, "flag.xlsx") ==
               "flag.xlsx: часть «[Content_Types].xml» архива зашифрована; сохраните книгу без пароля и повторите "
               "[sheet.encrypted]\n");
}

BOOST_AUTO_TEST_CASE(read_workbook_from_disk) {
    const Workbook book = read_workbook(fixtures() / "results_utf8.csv");
    BOOST_TEST(book.file == (fixtures() / "results_utf8.csv").string());
    BOOST_TEST(error_of([&] { read_workbook(fixtures() / "missing.xlsx"); }).find("[io.read]") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
