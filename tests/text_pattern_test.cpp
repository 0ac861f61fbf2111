// Schema patterns (engine/text/pattern.h): the ECMAScript subset matches as std::regex_match
// does, in linear time, without recursion over the text; what it does not support is refused
// with the position.
#include "text/pattern.h"

#include <boost/test/unit_test.hpp>

#include <regex>
#include <string>
#include <vector>

using namespace ppko;
using text::Pattern;
using text::PatternMatch;

namespace {

bool matches(const std::string& pattern, const std::string& s) { return Pattern::compile(pattern).match(s) == PatternMatch::yes; }

std::string compile_error(const std::string& pattern) {
    try {
        Pattern::compile(pattern);
    } catch (const text::PatternError& e) {
        return std::to_string(e.offset()) + ": " + e.what();
    }
    return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_patterns)

BOOST_AUTO_TEST_CASE(the_schemas_patterns_agree_with_std_regex) {
    // The patterns of templates/schemas and a few more shapes, against short texts where
    // std::regex is safe to ask.
    const std::vector<std::string> patterns = {
        "^(19|20)\\d\\d-(19|20)\\d\\d$", "^[a-z0-9][a-z0-9_-]*$", "^[A-Za-z0-9][A-Za-z0-9._-]*$", "^[a-z][a-z0-9_]*$",
        "a|b|", "(ab)*c?", "x{2,3}", "x{2}", "x{2,}", "[^a-c]+", "\\w+\\s\\d", "(?:ab|a)b", "a.c", "[\\-.]+", "\\.", "(a+)+b",
        "", "^$", "a??b", "(a|b)*?c"};
    const std::vector<std::string> texts = {"", "a", "b", "c", "ab", "abc", "aab", "xx", "xxx", "xxxx", "2019-2020", "1999-2000",
                                            "2019-20201", "sh-1", "Sh-1", "a_b", "file.docx", "-a", "d9", "a 1", "a.c", "a\nc", ".-",
                                            "aaaab", "ababc"};
    for (const auto& p : patterns) {
        const Pattern ours = Pattern::compile(p);
        const std::regex theirs(p);
        for (const auto& t : texts) {
            const bool expected = std::regex_match(t, theirs);
            BOOST_TEST((ours.match(t) == PatternMatch::yes) == expected, "pattern «" << p << "» on «" << t << "»");
        }
    }
}

BOOST_AUTO_TEST_CASE(empty_classes_as_in_ecmascript) {
    BOOST_TEST(!matches("[]", "a"));
    BOOST_TEST(matches("[^]", "a"));
}

BOOST_AUTO_TEST_CASE(characters_are_code_points) {
    BOOST_TEST(matches("^.$", "ж"));
    BOOST_TEST(matches("^[а-я]+$", "школа"));
    BOOST_TEST(!matches("^[а-я]+$", "школа1"));
    BOOST_TEST(matches("^\\u0436$", "ж"));
    BOOST_TEST(matches("^[^ж]$", "z"));
    BOOST_TEST(!matches("^.$", "\n"));
    BOOST_TEST(matches("^\\s$", "\xC2\xA0"));  // no-break space is \s in ECMAScript
}

BOOST_AUTO_TEST_CASE(long_values_and_hostile_patterns_take_linear_time) {
    // std::regex recursed once per character here (stack overflow near 30,000) and backtracked
    // for minutes on ^(a+)+$ against "aaa…!".
    // A backtracking engine would not finish these (the test would hang, not fail).
    const std::string a(1'000'000, 'a');
    BOOST_TEST((Pattern::compile("^[a-z0-9][a-z0-9_-]*$").match(a) == PatternMatch::yes));
    BOOST_TEST((Pattern::compile("^(a+)+$").match(a + "!") == PatternMatch::no));
    BOOST_TEST((Pattern::compile("^(a|aa)*(b|a)*$").match(a) == PatternMatch::yes));
}

BOOST_AUTO_TEST_CASE(a_match_over_its_budget_says_so) {
    const Pattern p = Pattern::compile("^(a|b|c|d|e|f|g|h)*x{0,200}$");
    BOOST_TEST((p.match(std::string(100'000, 'a'), 1000) == PatternMatch::too_costly));
    BOOST_TEST((p.match(std::string(100, 'a')) == PatternMatch::yes));
}

BOOST_AUTO_TEST_CASE(what_is_not_supported_is_refused_with_the_position) {
    BOOST_TEST(compile_error("(a)\\1") == "3: обратные ссылки \\1…\\9 не поддерживаются");
    BOOST_TEST(compile_error("a(?=b)") == "1: проверки вперёд и назад (?=…), (?!…), (?<…) не поддерживаются; для группы пишите (?:…)");
    BOOST_TEST(compile_error("\\bword") == "0: границы слов \\b и \\B не поддерживаются");
    BOOST_TEST(compile_error("ab(c") == "2: скобка «(» не закрыта");
    BOOST_TEST(compile_error("ab)") == "2: лишняя «)» без открывающей «(»");
    BOOST_TEST(compile_error("*a") == "0: нечего повторять: перед «*» нет символа или группы");
    BOOST_TEST(compile_error("[a-") == "0: набор символов «[» не закрыт «]»");
    BOOST_TEST(compile_error("[z-a]") == "1: в диапазоне [a-z] начало больше конца");
    BOOST_TEST(compile_error("a{3,2}") == "1: в {n,m} n больше m");
    BOOST_TEST(compile_error("a{2000}") == "1: число повторений больше 1000");
    BOOST_TEST(compile_error("\\q") == "0: неизвестная escape-последовательность «\\q»");
}

BOOST_AUTO_TEST_CASE(compiling_is_bounded_too) {
    BOOST_TEST(compile_error("(a{1000}){1000}") == "0: регулярное выражение слишком сложное (больше 4000 шагов после развёртки повторений {n,m})");
    BOOST_TEST(compile_error("((a{0}){1000}){1000}") == "0: регулярное выражение слишком сложное (больше 4000 шагов после развёртки повторений {n,m})");
    BOOST_TEST(compile_error(std::string(40, '(') + "a" + std::string(40, ')')) == "33: слишком глубокая вложенность скобок (больше 32)");
    BOOST_TEST(compile_error(std::string(1001, 'a')) == "1000: регулярное выражение длиннее 1000 символов");
}

BOOST_AUTO_TEST_SUITE_END()
