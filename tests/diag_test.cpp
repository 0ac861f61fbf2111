#include "diag/diagnostic.h"

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using namespace ppko;

BOOST_AUTO_TEST_SUITE(diag)

BOOST_AUTO_TEST_CASE(formats_file_position_path_message_and_id) {
    Diagnostic d{ErrorId::data_unknown_key, "samples/x/order.json", {12, 5}, "$.numbr",
                 "неизвестное поле «numbr»", {}};
    BOOST_TEST(d.format() == "samples/x/order.json:12:5: $.numbr: неизвестное поле «numbr» [data.unknown_key]");
}

BOOST_AUTO_TEST_CASE(omits_missing_parts) {
    Diagnostic d{ErrorId::cli_usage, "", {}, "", "не указана папка данных", {}};
    BOOST_TEST(d.format() == "не указана папка данных [cli.usage]");
}

BOOST_AUTO_TEST_CASE(a_note_is_a_second_indented_line) {
    Diagnostic d{ErrorId::expr_type, "indicators.json", {40, 9}, "$.indicators[3]", "значение не подходит методике",
                 "(workflows/identification.json:12:14: ожидалось число)"};
    BOOST_TEST(d.format() == "indicators.json:40:9: $.indicators[3]: значение не подходит методике [expr.type]\n"
                             "    (workflows/identification.json:12:14: ожидалось число)");
}

BOOST_AUTO_TEST_CASE(catalogue_ids_are_unique_ascii) {
    std::set<std::string> seen;
    for (auto* e = error_catalog_begin(); e != error_catalog_end(); ++e) {
        std::string code(e->code);
        BOOST_TEST(seen.insert(code).second, "duplicate id " << code);
        for (char c : code) {
            const bool ok = (c >= 'a' && c <= 'z') || c == '.' || c == '_';
            BOOST_TEST(ok);
        }
        BOOST_TEST(&error_info(e->id) == e);
    }
}

BOOST_AUTO_TEST_CASE(worst_class_decides_exit_code) {
    Diagnostics ds;
    ds.add(ErrorId::data_missing_field, "a.json", {1, 1}, "$.x", "m");
    BOOST_TEST(exit_code_for(ds.worst_class()) == exit_code::data_error);
    ds.add(ErrorId::io_write, "out", {}, "", "m");
    BOOST_TEST(exit_code_for(ds.worst_class()) == exit_code::io_error);
}

BOOST_AUTO_TEST_SUITE_END()
