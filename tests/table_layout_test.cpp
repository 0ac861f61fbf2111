// Text measurement (Times New Roman's advance widths) and the column widths and row heights of
// tables that print (engine/document/text_metrics.h, table_layout.h).
#include <boost/test/unit_test.hpp>

#include <numeric>
#include <string>

#include "document/prepare.h"
#include "document/table_layout.h"
#include "document/text_metrics.h"

using namespace ppko;
using doc::text_extent;
using doc::text_width_mm;
using doc::wrapped_lines;

namespace {

const double em12 = 12 * 25.4 / 72;  // one em of a 12 pt font, mm
const auto tol = boost::test_tools::tolerance(1e-6);

doc::Cell cell(std::string text, bool bold = false) {
    doc::Cell c;
    doc::Paragraph p;
    p.role = doc::Role::cell;
    p.runs.push_back({std::move(text)});
    c.blocks.push_back({p});
    c.bold = bold;
    return c;
}

doc::Table table(std::vector<double> widths, std::vector<std::vector<std::string>> rows) {
    doc::Table t;
    t.widths = std::move(widths);
    for (auto& r : rows) {
        doc::Row row;
        for (auto& text : r) row.cells.push_back(cell(text));
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace

// fit() keeps the profile by pointer: one that outlives every layout of the tests.
const doc::LayoutProfile kProfile{};

BOOST_AUTO_TEST_SUITE(text_metrics)

BOOST_AUTO_TEST_CASE(times_new_roman_advances) {
    // Times New Roman: digits 0.5 em, space 0.25 em, «а» 909/2048 em, bold «а» 1024/2048 em.
    BOOST_TEST(text_width_mm("12", 12, false) == em12, tol);
    BOOST_TEST(text_width_mm("1 2", 12, false) == 1.25 * em12, tol);
    BOOST_TEST(text_width_mm("а", 12, false) == 909.0 / 2048 * em12, tol);
    BOOST_TEST(text_width_mm("а", 12, true) == 1024.0 / 2048 * em12, tol);
    BOOST_TEST(text_width_mm("1\n2", 12, false) == em12, tol);
    BOOST_TEST(text_width_mm("1\u20602", 12, false) == em12, tol);  // the joiner has no width
}

BOOST_AUTO_TEST_CASE(words_break_where_word_and_libreoffice_break) {
    // A hyphen or dash ends a word; U+2060 beside the dash and U+00A0 join.
    const double western = text_width_mm("западный", 12, false);
    BOOST_TEST(text_extent("северо-западный район", 12, false).word_mm == western, tol);
    BOOST_TEST(text_extent("2020\u2060–\u20602021", 12, false).word_mm == text_width_mm("2020–2021", 12, false), tol);
    BOOST_TEST(text_extent("2020–2021", 12, false).word_mm == text_width_mm("2020–", 12, false), tol);
    BOOST_TEST(text_extent("№\u00A043", 12, false).word_mm == text_width_mm("№ 43", 12, false), tol);
    // The widest line: line breaks start new lines; spaces between words count.
    BOOST_TEST(text_extent("аа бб\nв", 12, false).line_mm == text_width_mm("аа бб", 12, false), tol);
    BOOST_TEST(text_extent(" \n ", 12, false).word_mm == 0.0);
}

BOOST_AUTO_TEST_CASE(wrapping) {
    BOOST_TEST(wrapped_lines("", 30, 12, false) == 1);
    BOOST_TEST(wrapped_lines("а\nб", 30, 12, false) == 2);
    BOOST_TEST(wrapped_lines("а\n\nб\n", 30, 12, false) == 4);
    const double word = text_width_mm("слово", 12, false), space = 0.25 * em12;
    BOOST_TEST(wrapped_lines("слово слово", 2 * word + space, 12, false) == 1);
    BOOST_TEST(wrapped_lines("слово слово", 2 * word + space - 0.01, 12, false) == 2);
    BOOST_TEST(wrapped_lines("слово слово слово", 2 * word + space, 12, false) == 2);
    // A word wider than the box is broken inside it.
    BOOST_TEST(wrapped_lines(std::string(100, '0'), 10 * em12 / 2, 12, false) == 10);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(table_layout)

BOOST_AUTO_TEST_CASE(proportions_when_the_text_allows) {
    doc::TableLayout l;
    const doc::Table t = table({1, 3}, {{"длинный текст первого столбца", "и второго, который ещё длиннее, чем первый"}});
    l.fit(t, kProfile, 100, 2);
    BOOST_TEST(l.fits());
    BOOST_TEST(l.widths_mm()[0] == 25.0, tol);
    BOOST_TEST(l.widths_mm()[1] == 75.0, tol);
}

BOOST_AUTO_TEST_CASE(no_word_breaks_and_no_useless_width) {
    doc::TableLayout l;
    // The template wants 1:1:6:1, but «реализовавших» needs more than 1/9 of 90 mm, and «7» needs
    // far less: the narrow number column gives its room away, the word column takes its floor.
    const doc::Table t = table({1, 1, 6, 1}, {{"7", "реализовавших", "текст текст текст текст текст текст текст", "1"}});
    l.fit(t, kProfile, 90, 2);
    const auto& w = l.widths_mm();
    BOOST_TEST(std::accumulate(w.begin(), w.end(), 0.0) == 90.0, tol);
    BOOST_TEST(w[1] >= text_width_mm("реализовавших", 12, false) + 2 - 1e-9);
    // One digit: its floor (the digit, a little slack, the padding), no more.
    BOOST_TEST(w[0] < text_width_mm("7", 12, false) + 3);
    BOOST_TEST(w[3] < text_width_mm("1", 12, false) + 3);
    BOOST_TEST(w[2] > w[1]);
}

BOOST_AUTO_TEST_CASE(floors_that_do_not_fit_are_scaled_and_reported) {
    doc::TableLayout l;
    const doc::Table t = table({1, 1}, {{"непреодолимейший", "непреодолимейший"}});
    l.fit(t, kProfile, 30, 2);
    BOOST_TEST(!l.fits());
    BOOST_TEST(l.floors_mm() > 30.0);
    BOOST_TEST(l.widths_mm()[0] + l.widths_mm()[1] == 30.0, tol);
}

BOOST_AUTO_TEST_CASE(spanning_cells_set_no_floor_and_rows_have_heights) {
    doc::TableLayout l;
    doc::Table t = table({1, 1}, {{"а", "б"}});
    doc::Row wide;
    doc::Cell c = cell("очень длинный текст ячейки, которая занимает оба столбца таблицы сразу");
    c.col_span = 2;
    wide.cells.push_back(c);
    t.rows.push_back(wide);
    l.fit(t, kProfile, 40, 2);
    const double line = 12 * 25.4 / 72 * doc::kTableLineFactor;
    BOOST_TEST(l.row_height_mm(t, 0) == line, tol);
    BOOST_TEST(l.row_height_mm(t, 1) == line * wrapped_lines(c.blocks.size() ? "очень длинный текст ячейки, которая занимает оба столбца таблицы сразу" : "", 36, 12, false), tol);
    BOOST_TEST(l.row_height_mm(t, 1) > 2 * line);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pagination)

doc::Paragraph para(doc::Role role, std::string text) {
    doc::Paragraph p;
    p.role = role;
    p.runs.push_back({std::move(text)});
    return p;
}

BOOST_AUTO_TEST_CASE(page_references_get_estimated_page_numbers) {
    doc::Document d;
    doc::Paragraph toc = para(doc::Role::toc, "Раздел\tстр. ");
    for (const char* to : {"one", "two", "three", "nowhere"}) {
        doc::Run r;
        r.text = "?";
        r.page_ref = to;
        toc.runs.push_back(r);
    }
    d.body.push_back({toc});
    d.body.push_back({doc::PageBreak{}});
    doc::Paragraph h = para(doc::Role::heading1, "Раздел 1");
    h.bookmark = "one";
    d.body.push_back({h});
    // 60 one-line paragraphs of 14 pt (about 5.7 mm each) fill more than one 257 mm page.
    for (int i = 0; i < 60; ++i) d.body.push_back({para(doc::Role::body, "Строка.")});
    h.bookmark = "two";
    d.body.push_back({h});
    d.body.push_back({doc::PageBreak{}});
    h.bookmark = "three";
    d.body.push_back({h});
    doc::paginate(d, {});
    const auto& runs = std::get<doc::Paragraph>(d.body[0].value).runs;
    BOOST_TEST(runs[1].text == "2");
    BOOST_TEST(runs[2].text == "3");
    BOOST_TEST(runs[3].text == "4");
    BOOST_TEST(runs[4].text == "?");
}

BOOST_AUTO_TEST_SUITE_END()
