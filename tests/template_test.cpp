// The template language: rendering into the document model, whitespace, statements, macros,
// includes, and the exact messages of its errors.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "document/text_dump.h"
#include "template/template.h"

using namespace ppko;
using data::Json;

namespace {

struct Fixture {
    io::Resources resources;
    tpl::Environment env{resources};

    std::vector<doc::Block> render_blocks(std::string_view source, const Json& data = Json::object()) {
        auto t = env.compile(source, "t.tpl");
        std::vector<doc::Block> out;
        env.render(*t, data, out);
        return out;
    }
    std::string render(std::string_view source, const Json& data = Json::object()) {
        doc::Document d;
        d.body = render_blocks(source, data);
        std::string s = doc::dump_text(d);
        s.pop_back();  // the dump's final newline
        return s;
    }
    std::string error(std::string_view source, const Json& data = Json::object()) {
        try {
            render(source, data);
        } catch (const Error& e) {
            return e.diagnostics().format();
        }
        return "no error";
    }
};

Json demo() {
    return Json::parse(R"({
      "order": {"date": "01.03.2018", "number": "43-о/д", "items": ["Первый", "Второй", "Третий"], "note": null},
      "head": {"name": "Ковальская Татьяна Ивановна", "position": ["Начальник отдела", "образования"]},
      "n": 5
    })");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(template_language, Fixture)

BOOST_AUTO_TEST_CASE(collapses_template_whitespace_but_keeps_spaces_between_values) {
    BOOST_TEST(render("<p>\n   от   {{ order.date | date }}\n   {{ order.number | number_sign }}  </p>", demo()) ==
               "от 01.03.2018 №\xC2\xA0" "43-о/д");
    BOOST_TEST(render("<p>«{{ order.number }}»</p>", demo()) == "«43-о/д»");
}

BOOST_AUTO_TEST_CASE(loops_number_and_know_first_and_last) {
    BOOST_TEST(render("{% for i in order.items %}<p>{{ loop.index }}/{{ loop.length }} {{ i }}{% if loop.last %}.{% endif %}</p>{% endfor %}",
                      demo()) == "1/3 Первый\n\n2/3 Второй\n\n3/3 Третий.");
    BOOST_TEST(render("{% for i in order.note %}<p>{{ i }}</p>{% else %}<p>пусто</p>{% endfor %}", demo()) == "пусто");
}

BOOST_AUTO_TEST_CASE(if_elif_else_and_set) {
    const char* t = "{% set k = n * 2 %}{% if k > 20 %}<p>много</p>{% elif k == 10 %}<p>десять</p>{% else %}<p>мало</p>{% endif %}";
    BOOST_TEST(render(t, demo()) == "десять");
    BOOST_TEST(render("<p>{{ n }} {{ n | plural(\"школа\", \"школы\", \"школ\") }}</p>", demo()) == "5 школ");
}

BOOST_AUTO_TEST_CASE(numbered_lists_nest_and_restart) {
    const char* t = "<ol><li>Раздел<ol><li>пункт</li><li>пункт<ul><li>тире</li></ul></li></ol></li><li>Второй</li></ol>"
                    "<ol start=\"5\"><li>Пятый</li></ol>";
    BOOST_TEST(render(t) == "1. Раздел\n\n1.1. пункт\n\n1.2. пункт\n\n– тире\n\n2. Второй\n\n5. Пятый");
}

BOOST_AUTO_TEST_CASE(tables_check_columns_and_fill_vertical_merges) {
    const char* t = "<table widths=\"1,2,3\"><tr header><th>А</th><th>Б</th><th>В</th></tr>"
                    "<tr><td rowspan=\"2\">x</td><td colspan=\"2\">y</td></tr><tr><td>z</td><td>w</td></tr></table>";
    BOOST_TEST(render(t) == "[таблица 3×3]\n|* А | Б | В |\n| x | y |\n| ^ | z | w |\n[/таблица]");
    BOOST_TEST(error("<table widths=\"1,2\">\n<tr><td>a</td></tr></table>") ==
               "t.tpl:1:1: в строке 1 таблицы 1 столбц., а ожидалось 2 (по атрибуту widths или первой строке) [template.syntax]\n");
}

BOOST_AUTO_TEST_CASE(table_chart_attributes_reach_the_model) {
    const char* t = "<table sheet=\"ППКО\" chart=\"line\" chart_title=\"Процент ОО, реализовавших ППКО\" "
                    "chart_categories=\"2\" chart_values=\"3, 1\"><tr header><th>№</th><th>Год</th><th>%</th></tr>"
                    "<tr><td>1</td><td>2019</td><td>40</td></tr></table>"
                    "<table chart=\"column\" chart_values=\"2\"><tr><td>2020</td><td>5</td></tr></table>"
                    "<table><tr><td>без диаграммы</td></tr></table>";
    const auto blocks = render_blocks(t);
    BOOST_REQUIRE(blocks.size() == 3);
    const auto& line = std::get<doc::Table>(blocks[0].value);
    BOOST_REQUIRE(line.charts.size() == 1);
    BOOST_TEST((line.charts[0].kind == doc::Chart::Kind::line));
    BOOST_TEST(line.charts[0].title == "Процент ОО, реализовавших ППКО");
    BOOST_TEST(line.charts[0].categories_column == 1);
    BOOST_TEST(line.charts[0].value_columns == (std::vector<int>{2, 0}), boost::test_tools::per_element());
    const auto& column = std::get<doc::Table>(blocks[1].value);
    BOOST_REQUIRE(column.charts.size() == 1);
    BOOST_TEST((column.charts[0].kind == doc::Chart::Kind::column));
    BOOST_TEST(column.charts[0].title == "");
    BOOST_TEST(column.charts[0].categories_column == 0);
    BOOST_TEST(column.charts[0].value_columns == (std::vector<int>{1}), boost::test_tools::per_element());
    BOOST_TEST(std::get<doc::Table>(blocks[2].value).charts.empty());
    // Counts and percentages: one chart per «;» group, titles in the same order.
    const auto two = render_blocks("<table chart=\"column\" chart_values=\"2;3\" chart_title=\"Число;Процент\">"
                                   "<tr><td>2019</td><td>5</td><td>40</td></tr></table>");
    const auto& charts = std::get<doc::Table>(two[0].value).charts;
    BOOST_REQUIRE(charts.size() == 2);
    BOOST_TEST(charts[0].value_columns == (std::vector<int>{1}), boost::test_tools::per_element());
    BOOST_TEST(charts[1].value_columns == (std::vector<int>{2}), boost::test_tools::per_element());
    BOOST_TEST(charts[0].title == "Число");
    BOOST_TEST(charts[1].title == "Процент");
}

BOOST_AUTO_TEST_CASE(bad_table_chart_attributes_say_what_is_expected) {
    const std::string row = "><tr><td>2019</td><td>5</td></tr></table>";
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"2;x\"" + row) ==
               "t.tpl:1:23: chart_values: ожидались номера столбцов через запятую (считая с 1), диаграммы — через «;», например \"2,5\" или \"5;6\", а указано «2;x» [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"2,\"" + row) ==
               "t.tpl:1:23: chart_values: ожидались номера столбцов через запятую (считая с 1), диаграммы — через «;», например \"2,5\" или \"5;6\", а указано «2,» [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"0\"" + row) ==
               "t.tpl:1:23: chart_values: ожидались номера столбцов через запятую (считая с 1), диаграммы — через «;», например \"2,5\" или \"5;6\", а указано «0» [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"2,3\"" + row) ==
               "t.tpl:1:23: chart_values: в таблице 2 столбц., а указан столбец 3 [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"2\" chart_categories=\"5\"" + row) ==
               "t.tpl:1:40: chart_categories: в таблице 2 столбц., а указан столбец 5 [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"column\" chart_values=\"2\" chart_categories=\"первый\"" + row) ==
               "t.tpl:1:40: chart_categories: ожидалось целое число от 1 до 63, а указано «первый» [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"pie\" chart_values=\"2\"" + row) ==
               "t.tpl:1:8: chart: ожидалось column (столбцы) или line (линии), а указано «pie» [template.syntax]\n");
    BOOST_TEST(error("<table chart=\"line\"" + row) ==
               "t.tpl:1:8: chart: укажите столбцы с данными в chart_values, например chart_values=\"2,5\" [template.syntax]\n");
    BOOST_TEST(error("<table chart_values=\"2\"" + row) ==
               "t.tpl:1:8: chart_values: без атрибута chart диаграмма не строится; добавьте chart=\"column\" или chart=\"line\" [template.syntax]\n");
}

BOOST_AUTO_TEST_CASE(macros_see_their_arguments_and_data_but_not_the_callers_variables) {
    const char* t = "{% macro sign(person) %}<signature>{% for l in person.position %}<line>{{ l }}</line>{% endfor %}"
                    "<name>{{ person.name | initials }}</name></signature>{% endmacro %}{% call sign(head) %}";
    BOOST_TEST(render(t, demo()) == "Начальник отдела\nобразования\n\tТ.И. Ковальская");
    BOOST_TEST(error("{% macro m() %}<p>{{ x }}</p>{% endmacro %}{% set x = 1 %}{% call m() %}") ==
               "t.tpl:1:22: неизвестная переменная «x»; известные имена:  [expr.unknown_name]\n");
}

BOOST_AUTO_TEST_CASE(data_values_are_always_text) {
    Json d;
    d["v"] = "</w:t><p>{% for %}{{ x }}\n\tконец\x01\x1b";
    const auto blocks = render_blocks("<p>до {{ v }} после</p>", d);
    BOOST_REQUIRE(blocks.size() == 1);
    const auto& p = std::get<doc::Paragraph>(blocks[0].value);
    BOOST_REQUIRE(p.runs.size() == 1);
    BOOST_TEST(p.runs[0].text == "до </w:t><p>{% for %}{{ x }}\n\tконец\xEF\xBF\xBD\xEF\xBF\xBD после");
}

BOOST_AUTO_TEST_CASE(entities_and_inline_formatting) {
    const auto blocks = render_blocks("<p>&lt;&amp;&gt; <b>жирный</b> <i>курсив</i>&nbsp;конец</p>");
    const auto& p = std::get<doc::Paragraph>(blocks[0].value);
    BOOST_REQUIRE(p.runs.size() == 5);
    BOOST_TEST(p.runs[0].text == "<&> ");
    BOOST_TEST((p.runs[1].bold && p.runs[1].text == "жирный"));
    BOOST_TEST((p.runs[3].italic && p.runs[3].text == "курсив"));
    BOOST_TEST(p.runs[4].text == "\xC2\xA0конец");
}

BOOST_AUTO_TEST_CASE(unknown_names_list_what_is_known) {
    BOOST_TEST(error("<p>\n  {{ ordr.date }}</p>", demo()) ==
               "t.tpl:2:6: неизвестная переменная «ordr»; возможно, имелось в виду «order»; известные имена: head, n, order [expr.unknown_name]\n");
    BOOST_TEST(error("<p>{{ order.dat }}</p>", demo()) ==
               "t.tpl:1:12: у «order» нет поля «dat»; возможно, имелось в виду «date»; есть поля: date, number, items, note [expr.unknown_name]\n");
}

BOOST_AUTO_TEST_CASE(unknown_filter_is_a_compile_error_with_the_list) {
    const std::string e = error("<p>{{ order.date | dat }}</p>");
    BOOST_TEST(e.rfind("t.tpl:1:20: неизвестный фильтр «dat»; возможно, имелось в виду «date»; известные: capitalize, date, ", 0) == 0);
    BOOST_TEST(error("<p>{{ n | plural(\"школа\") }}</p>") ==
               "t.tpl:1:11: фильтр «plural»: неверное число аргументов; пишется так: {{ n | plural(\"школа\", \"школы\", \"школ\") }} → школы (для n = 2) [expr.bad_argument]\n");
}

BOOST_AUTO_TEST_CASE(unclosed_and_mismatched_blocks) {
    BOOST_TEST(error("<ol>\n{% for i in order.items %}<li>{{ i }}</li>\n</ol>") ==
               "t.tpl:2:1: {% for %} не закрыт: ожидался {% endfor %} раньше, чем </ol> на 3:1 [template.unclosed]\n");
    BOOST_TEST(error("<p>текст") == "t.tpl:1:1: <p> не закрыт: до конца шаблона нет </p> [template.unclosed]\n");
    BOOST_TEST(error("<p>{{ order.date </p>") == "t.tpl:1:4: {{ не закрыт: не хватает }} [template.unclosed]\n");
    BOOST_TEST(error("{% endif %}") == "t.tpl:1:1: {% endif %} без открывающего блока [template.syntax]\n");
    BOOST_TEST(error("<para>x</para>") ==
               "t.tpl:1:1: неизвестный элемент <para>; известные: p, h1, h2, doctype, doctitle, stamp, signature, line, name, table, tr, td, th, ol, ul, li, b, i, u, br, tab, pagebreak, pageref [template.syntax]\n");
    BOOST_TEST(error("<p allign=\"center\">x</p>") ==
               "t.tpl:1:4: у элемента <p> нет атрибута «allign»; допустимые: align, indent, role, keep, left, bookmark, bold, italic [template.syntax]\n");
}

BOOST_AUTO_TEST_CASE(empty_value_is_an_error_unless_defaulted) {
    BOOST_TEST(error("<p>{{ order.note }}</p>", demo()) ==
               "t.tpl:1:4: значение «order.note» не заполнено; если оно может быть пустым, напишите {{ order.note | default(\"\") }} [template.empty_value]\n");
    BOOST_TEST(render("<p>[{{ order.note | default(\"—\") }}]</p>", demo()) == "[—]");
}

// The requisites of templates/common.tpl: what the data has is printed in the role the profile
// places; what it lacks is a visible blank; an illustrative person is marked «(образец)».
BOOST_AUTO_TEST_CASE(requisite_blocks_print_blanks_and_mark_illustrative_people) {
    const Json data = Json::parse(R"({
      "authority": {"heading": ["ОТДЕЛ ОБРАЗОВАНИЯ", "РАЙОНА"], "city": "Демидов", "name_genitive": "Отдела",
                    "stamp_lines": ["к приказу Отдела"],
                    "head": {"name": "Ковальская Татьяна Ивановна", "position": ["Начальник", "Отдела"], "illustrative": null}},
      "order": {"date": "2018-03-01", "number": "43-о/д"},
      "expert": {"name": "Петров П.П.", "position": ["Эксперт"], "illustrative": true},
      "nobody": null
    })");
    const std::string nb = "\xC2\xA0";
    BOOST_TEST(render("{% include \"common\" %}{% call authority_heading(authority.heading) %}{% call doc_type(\"ПРИКАЗ\") %}"
                      "{% call date_number(order.date, order.number) %}{% call issue_place(authority.city) %}"
                      "{% call doc_title(null) %}",
                      data) == "ОТДЕЛ ОБРАЗОВАНИЯ\nРАЙОНА\n\nПРИКАЗ\n\nот 01.03.2018 №" + nb + "43-о/д\n\nг." + nb +
                                   "Демидов\n\n[не указано: заголовок к тексту]");
    BOOST_TEST(render("{% include \"common\" %}{% call date_number(null, null) %}", data) ==
               "от [не указано: дата] №" + nb + "[не указано: номер]");
    BOOST_TEST(render("{% include \"common\" %}{% call approval(authority.head, null) %}", data) ==
               "УТВЕРЖДАЮ\nНачальник\nОтдела\n________________ Т.И. Ковальская\n«___» ____________ 20___ г.");
    BOOST_TEST(render("{% include \"common\" %}{% call agreement(expert, \"2020-12-22\") %}{% call agreement(nobody, null) %}", data) ==
               "СОГЛАСОВАНО\nЭксперт\n________________ П.П. Петров (образец)\n22.12.2020\n\n"
               "СОГЛАСОВАНО\n[не указано: должность]\n________________ [не указано: фамилия и инициалы]\n«___» ____________ 20___ г.");
    BOOST_TEST(render("{% include \"common\" %}{% call approved_by(\"УТВЕРЖДЕНА\", \"приказом \" ~ authority.name_genitive, order.date, null) %}",
                      data) == "УТВЕРЖДЕНА\nприказом Отдела\nот 01.03.2018 №" + nb + "[не указано: номер]");
    BOOST_TEST(render("{% include \"common\" %}{% call signature(expert) %}{% call signature(nobody) %}", data) ==
               "Эксперт\n\tП.П. Петров (образец)\n\n[не указано: должность]\n\t________ / ________");
    BOOST_TEST(render("{% include \"common\" %}{% call doc_date(order.date) %}{% call doc_date(null) %}", data) ==
               "01.03.2018\n\n[не указано: дата]");
    BOOST_TEST(render("{% include \"common\" %}{% call role_signature(\"Председатель\", expert) %}"
                      "{% call role_signature(\"Секретарь\", nobody) %}", data) ==
               "Председатель\n\tП.П. Петров (образец)\n\nСекретарь\n\t[не указано: фамилия и инициалы]");
    BOOST_TEST(render("{% include \"common\" %}{% call appendix_stamp(2) %}", data) ==
               "Приложение №" + nb + "2\nк приказу Отдела\nот 01.03.2018 №" + nb + "43-о/д");

    // Roles (the profile places them) and the blanks in italics.
    const auto blocks = render_blocks("{% include \"common\" %}{% call authority_heading(authority.heading) %}"
                                      "{% call date_number(null, order.number) %}{% call issue_place(authority.city) %}"
                                      "{% call approval(expert, null) %}{% call agreement(expert, null) %}{% call doc_date(null) %}", data);
    BOOST_TEST_REQUIRE(blocks.size() == 6u);
    const doc::Role roles[] = {doc::Role::heading, doc::Role::date_number, doc::Role::place, doc::Role::approval, doc::Role::agreement,
                               doc::Role::date_number};
    for (std::size_t k = 0; k < 6; ++k) BOOST_TEST((std::get<doc::Paragraph>(blocks[k].value).role == roles[k]), k);
    const auto& date_runs = std::get<doc::Paragraph>(blocks[1].value).runs;
    BOOST_TEST_REQUIRE(date_runs.size() == 3u);
    BOOST_TEST((date_runs[1].text == "[не указано: дата]" && date_runs[1].italic));
    BOOST_TEST(!date_runs[0].italic);
    for (const auto& b : blocks) {
        for (const auto& r : std::get<doc::Paragraph>(b.value).runs) BOOST_TEST(!r.bold);  // no direct bold: styles carry it
    }
}

BOOST_AUTO_TEST_CASE(macro_calls_are_checked_at_compile_time) {
    BOOST_TEST(error("{% call stmp(1) %}") == "t.tpl:1:9: неизвестный макрос «stmp»; известные: нет [template.unknown_macro]\n");
    BOOST_TEST(error("{% macro m(a, b) %}{% endmacro %}{% call m(1) %}") ==
               "t.tpl:1:42: макрос «m» принимает 2 арг., а передано 1 [template.bad_argument]\n");
}

BOOST_AUTO_TEST_CASE(includes_report_cycles_with_file_names) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "ppko-include-test";
    fs::create_directories(dir);
    std::ofstream(dir / "a.tpl") << "{% include \"b\" %}";
    std::ofstream(dir / "b.tpl") << "<p>b</p>\n{% include \"a\" %}";
    io::Resources res;
    res.add_override_dir(dir);
    tpl::Environment e(res);
    std::string got;
    try {
        e.get("a");
    } catch (const Error& err) {
        got = err.diagnostics().format();
    }
    const std::string a = (dir / "a.tpl").string(), b = (dir / "b.tpl").string();
    BOOST_TEST(got == a + ": шаблоны включают друг друга по кругу: " + a + " → " + b + " → " + a + " [template.include_cycle]\n");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(includes_fanning_out_are_bounded) {
    // Fifty templates each including the next one fifty times: 50^5 compiled copies without a
    // bound; the count of includes stops it at the 257th.
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "ppko-include-fanout-test";
    fs::create_directories(dir);
    for (int level = 0; level < 5; ++level) {
        std::ofstream f(dir / ("l" + std::to_string(level) + ".tpl"));
        for (int k = 0; k < 50; ++k) f << (level < 4 ? "{% include \"l" + std::to_string(level + 1) + "\" %}" : std::string("<p>x</p>"));
    }
    io::Resources res;
    res.add_override_dir(dir);
    tpl::Environment e(res);
    std::string got;
    try {
        e.get("l0");
    } catch (const Error& err) {
        got = err.diagnostics().format();
    }
    BOOST_TEST(got.find("в шаблоне больше 256 включений {% include %} (считая включённые в включённые) [limit.size]") != std::string::npos, got);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(nesting_and_recursion_are_bounded) {
    std::string deep = "<p>";
    for (int i = 0; i < 30000; ++i) deep += "<b>";
    BOOST_TEST(error(deep) == "t.tpl:1:301: элементы и блоки шаблона вложены друг в друга глубже 100 уровней [limit.nesting]\n");
    std::string ifs;
    for (int i = 0; i < 150; ++i) ifs += "{% if true %}";
    BOOST_TEST(error(ifs).find("[limit.nesting]") != std::string::npos);
    BOOST_TEST(error("{% macro m() %}x{% call m() %}{% endmacro %}{% call m() %}") ==
               "t.tpl:1:17: макрос «m» вызывается внутри вызовов макросов слишком глубоко (вызывает сам себя?): больше 64 [limit.nesting]\n");
    // A macro may call itself a few times (nested items of a regulation).
    BOOST_TEST(render("{% macro m(n) %}{% if n > 0 %}{{ n }}{% call m(n - 1) %}{% endif %}{% endmacro %}<p>{% call m(5) %}</p>") == "54321");
}

BOOST_AUTO_TEST_CASE(loops_and_values_that_multiply_are_stopped) {
    std::string l = "[";
    for (int i = 1; i <= 30; ++i) l += (i > 1 ? "," : "") + std::to_string(i);
    l += "]";
    const std::string five = "{% set l = " + l + " %}{% for a in l %}{% for b in l %}{% for c in l %}{% for d in l %}{% for e in l %}x"
                             "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}";
    BOOST_TEST(error(five) == "t.tpl:1:161: циклы {% for %} документа повторились больше 1000000 раз (вложенные циклы перемножают повторения) [limit.size]\n");
    BOOST_TEST(error("{% set x = \"ab\" %}{% for a in " + l + " %}{% set x = x ~ x %}{% endfor %}") ==
               "t.tpl:1:129: выражения документа построили больше 32 МБ текста и списков (~ и […]); вероятно, значение удваивается в цикле [limit.size]\n");
    BOOST_TEST(error("{% set x = [1] %}{% for a in " + l + " %}{% set x = [x, x] %}{% endfor %}") ==
               "t.tpl:1:126: выражения документа построили больше 32 МБ текста и списков (~ и […]); вероятно, значение удваивается в цикле [limit.size]\n");
}

BOOST_AUTO_TEST_CASE(numbers_in_attributes_are_bounded_where_the_template_is_compiled) {
    BOOST_TEST(error("<table><tr><td colspan=\"2147483647\">x</td></tr></table>") ==
               "t.tpl:1:16: colspan: ожидалось целое число от 1 до 63, а указано «2147483647» [template.syntax]\n");
    BOOST_TEST(error("<table><tr><td rowspan=\"99999\">x</td></tr></table>") ==
               "t.tpl:1:16: rowspan: ожидалось целое число от 1 до 32767, а указано «99999» [template.syntax]\n");
    BOOST_TEST(error("<ol start=\"2147483647\"><li>a</li></ol>") ==
               "t.tpl:1:5: start: ожидалось целое число от 0 до 32767, а указано «2147483647» [template.syntax]\n");
    BOOST_TEST(error("<p left=\"-1\">x</p>") == "t.tpl:1:4: left: ожидалось целое число от 0 до 200, а указано «-1» [template.syntax]\n");
    for (const char* widths : {"1e308,1e308,1", "inf,1,1", "nan,1,1", "0,1,1", "1,,1"}) {
        BOOST_TEST(error(std::string("<table widths=\"") + widths + "\"><tr><td>a</td><td>b</td><td>c</td></tr></table>") ==
                   "t.tpl:1:8: widths: ожидались положительные числа через запятую, например \"1,6,2,3\" [template.syntax]\n");
    }
    std::string many = "1";
    for (int i = 0; i < 63; ++i) many += ",1";
    BOOST_TEST(error("<table widths=\"" + many + "\"></table>") == "t.tpl:1:8: widths: больше 63 столбцов [limit.size]\n");
    BOOST_TEST(error("{% if false %}<td colspan=\"0\">{% endif %}").find("colspan") != std::string::npos);  // even where no data reaches
    BOOST_TEST(error("<table><tr>{% for i in [1,2,3,4,5,6,7,8] %}{% for j in [1,2,3,4,5,6,7,8] %}<td>x</td>{% endfor %}{% endfor %}</tr></table>") ==
               "t.tpl:1:1: в строке 1 таблицы 64 столбц., а Word допускает не больше 63 [limit.size]\n");
}

BOOST_AUTO_TEST_CASE(integer_overflow_never_reaches_a_document) {
    BOOST_TEST(error("<p>{{ 9223372036854775807 + 1 }}</p>") ==
               "t.tpl:1:27: результат «+» не помещается в целое число (от -9223372036854775808 до 9223372036854775807) [expr.overflow]\n");
    BOOST_TEST(render("<p>{{ (-9223372036854775807 - 1) % -1 }}</p>") == "0");
    // 4294967297 once passed as month 1 (cut to int).
    BOOST_TEST(error("<p>{{ 3 | month_range(4294967297) }}</p>").find("номер месяца должен быть от 1 до 12") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_variable_keeps_its_value_when_what_it_was_read_from_changes) {
    // {% set %} once kept references into another variable's storage: rebinding that variable
    // (or the next loop step) freed what the first one pointed at (use after free under ASan).
    BOOST_TEST(render("{% for i in [1, 2, 3] %}{% if not loop.first %}<p>{{ y }}</p>{% endif %}{% set y = loop.index %}{% endfor %}") ==
               "1\n\n2");
    BOOST_TEST(render("{% set a = [1, 2] %}{% set b = a[0] %}{% set a = 5 %}<p>{{ b }} {{ a }}</p>") == "1 5");
    BOOST_TEST(render("{% for x in [[1], [2]] %}{% if not loop.first %}<p>{{ y[0] }}</p>{% endif %}{% set y = x %}{% endfor %}") == "1");
    BOOST_TEST(render("{% macro m(v) %}{% set w = v %}<p>{{ w }}</p>{% endmacro %}{% for i in [7, 8] %}{% call m(loop.index) %}{% endfor %}") ==
               "1\n\n2");
}

BOOST_AUTO_TEST_SUITE_END()
