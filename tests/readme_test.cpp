// The examples of README.md are tested: every row of the filter table is evaluated, the template
// example is rendered and compared with its text, and every error id of the catalogue appears
// in the catalogue table.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "data/json_source.h"
#include "document/text_dump.h"
#include "expr/expr.h"
#include "template/template.h"

using namespace ppko;

namespace {

std::string readme_text() {
    std::ifstream in(PPKO_SOURCE_DIR "/README.md");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string section(const std::string& text, const std::string& name) {
    const std::string begin = "<!-- " + name + ":begin -->", end = "<!-- " + name + ":end -->";
    const auto b = text.find(begin), e = text.find(end);
    BOOST_REQUIRE_MESSAGE(b != std::string::npos && e != std::string::npos, "README has no " << name << " section");
    return text.substr(b + begin.size(), e - b - begin.size());
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
    return s;
}

std::string render(tpl::Environment& env, const std::string& source, const data::Json& data) {
    auto t = env.compile(source, "README.md");
    doc::Document d;
    env.render(*t, data, d.body);
    std::string s = doc::dump_text(d);
    s.pop_back();
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(readme_examples)

BOOST_AUTO_TEST_CASE(filter_table_rows_evaluate_to_their_results) {
    io::Resources res;
    tpl::Environment env(res);
    std::istringstream rows(section(readme_text(), "filters"));
    std::string line;
    int checked = 0;
    const std::regex row(R"(^\| `(\w+)` \| `(.*)` \| (.*) \|$)");
    while (std::getline(rows, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, row)) continue;
        const std::string expr = replace_all(m[2], "\\|", "|");
        const std::string got = replace_all(render(env, "<p>" + expr + "</p>", data::Json::object()), "\xC2\xA0", " ");
        BOOST_TEST(got == std::string(m[3]), "README filter example " << expr);
        ++checked;
    }
    BOOST_TEST(checked >= 20);
    // Every built-in filter has at least one example row.
    const std::string table = section(readme_text(), "filters");
    for (const auto& name : env.filters().names()) BOOST_TEST(table.find("| `" + name + "` |") != std::string::npos, "no example for " << name);
}

BOOST_AUTO_TEST_CASE(template_example_renders_as_shown) {
    const std::string ex = section(readme_text(), "example");
    const std::regex blocks(R"(```json\n([\s\S]*?)```\s*```\n([\s\S]*?)```\s*```text\n([\s\S]*?)```)");
    std::smatch m;
    BOOST_REQUIRE(std::regex_search(ex, m, blocks));
    io::Resources res;
    tpl::Environment env(res);
    const auto data = data::parse_json(m[1].str(), "README.md").value;
    std::string expected = m[3].str();
    expected.pop_back();
    BOOST_TEST(replace_all(render(env, m[2].str(), data), "\xC2\xA0", " ") == expected);
}

BOOST_AUTO_TEST_CASE(function_table_rows_evaluate_to_their_results) {
    class Empty final : public expr::Scope {
    public:
        const data::Json* find(std::string_view) const override { return nullptr; }
        void names(std::vector<std::string>&) const override {}
    } empty;
    const expr::FunctionTable functions = expr::make_rule_functions(), no_filters;
    std::istringstream rows(section(readme_text(), "functions"));
    std::string line;
    int checked = 0;
    const std::regex row(R"(^\| `(\w+)` \| `(.*)` \| (.*) \|$)");
    while (std::getline(rows, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, row)) continue;
        const auto e = expr::Expr::parse(m[2].str(), "README.md", {1, 1}, no_filters, functions);
        const expr::Value v = e.evaluate(empty, expr::Mode::facts);
        BOOST_TEST((v.is_missing() ? std::string("нет данных") : v->dump()) == m[3].str(), "README function example " << m[2]);
        ++checked;
    }
    BOOST_TEST(checked == static_cast<int>(functions.names().size()));
}

BOOST_AUTO_TEST_CASE(every_error_id_is_in_the_catalogue_table) {
    const std::string table = section(readme_text(), "errors");
    for (auto* e = error_catalog_begin(); e != error_catalog_end(); ++e) {
        BOOST_TEST(table.find("| `" + std::string(e->code) + "` |") != std::string::npos, "README lacks " << e->code);
    }
}

BOOST_AUTO_TEST_SUITE_END()
