// JSON with positions, schemas and their messages.
#include <boost/test/unit_test.hpp>

#include "data/json_source.h"
#include "data/schema.h"

using namespace ppko;
using namespace ppko::data;

namespace {

std::string error_of(std::string_view json) {
    try {
        parse_json(json, "f.json");
    } catch (const Error& e) {
        return e.diagnostics().format();
    }
    return "no error";
}

Schema schema(std::string_view text) { return Schema::from_json(parse_json(text, "s.schema.json")); }

std::string validate(const Schema& s, std::string_view json, Json* normalised = nullptr) {
    JsonDocument doc = parse_json(json, "d.json");
    Diagnostics d;
    s.validate(doc, d);
    if (normalised) *normalised = doc.value;
    return d.format();
}

const char* kOrderSchema = R"({
  "type": "object",
  "definitions": {"item": {"type": "object", "shorthand": "text",
                           "fields": {"text": {"type": "string", "required": true},
                                      "items": {"type": "array", "items": {"ref": "item"}}}}},
  "fields": {
    "date": {"type": "date", "required": true},
    "number": {"type": "string", "required": true, "title": "номер приказа"},
    "grounds": {"type": "text"},
    "kind": {"type": "string", "enum": ["СШ", "ОШ", "гимназия"]},
    "students": {"type": "integer", "min": 0},
    "items": {"type": "array", "min_items": 1, "items": {"ref": "item"}}
  }
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(json_source)

BOOST_AUTO_TEST_CASE(records_positions_of_values_and_keys_in_characters) {
    // Cyrillic takes two bytes per letter; columns count characters.
    const auto doc = parse_json("{\n  \"имя\": \"Ёлка\",\n  \"список\": [1, {\"x\": true}]\n}", "f.json");
    BOOST_TEST(doc.position_of("$[\"имя\"]").line == 2);
    BOOST_TEST(doc.position_of("$[\"имя\"]").column == 10);
    BOOST_TEST(doc.key_position_of("$[\"имя\"]").column == 3);
    BOOST_TEST(doc.position_of("$[\"список\"][1].x").line == 3);
    BOOST_TEST(doc.position_of("$[\"список\"][1].x").column == 23);
    // A path that is not recorded falls back to its nearest ancestor.
    BOOST_TEST(doc.position_of("$[\"список\"][1].y").column == 17);
}

BOOST_AUTO_TEST_CASE(keeps_key_order_and_number_kinds) {
    const auto doc = parse_json(R"({"b": 1, "a": 2.5, "c": -3})", "f.json");
    BOOST_TEST(doc.value.dump() == R"({"b":1,"a":2.5,"c":-3})");
    BOOST_TEST(doc.value["b"].is_number_integer());
    BOOST_TEST(doc.value["a"].is_number_float());
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_the_place_and_the_expectation) {
    BOOST_TEST(error_of("{\"a\": 1 \"b\": 2}") == "f.json:1:9: ошибка в записи JSON: ожидалась «,» или «}», а встретилось «\"» [json.syntax]\n");
    BOOST_TEST(error_of("{\"a\": [1, 2,]}") == "f.json:1:13: ошибка в записи JSON: лишняя запятая перед «]» [json.syntax]\n");
    BOOST_TEST(error_of("{\"a\": 'x'}") == "f.json:1:7: ошибка в записи JSON: строки в JSON пишутся в двойных кавычках \"…\", а не в одинарных [json.syntax]\n");
    BOOST_TEST(error_of("{\"текст\": \"не закрыт\n}") == "f.json:1:11: ошибка в записи JSON: текст в кавычках не закрыт до конца строки: не хватает закрывающей \" [json.syntax]\n");
    BOOST_TEST(error_of("{\"a\": 1, \"a\": 2}") == "f.json:1:10: ошибка в записи JSON: поле «a» встречается в этом объекте дважды [json.syntax]\n");
    BOOST_TEST(error_of("{} x") == "f.json:1:4: ошибка в записи JSON: после конца данных JSON идёт лишний текст: «x» [json.syntax]\n");
    BOOST_TEST(error_of("") == "f.json:1:1: ошибка в записи JSON: ожидалось значение, а файл закончился [json.syntax]\n");
    BOOST_TEST(error_of("{\"a\": 01}") == "f.json:1:7: ошибка в записи JSON: число не может начинаться с нуля [json.syntax]\n");
}

BOOST_AUTO_TEST_CASE(rejects_invalid_utf8) {
    BOOST_TEST(error_of("{\"a\": \"\xD0\"}") == "f.json:1:8: файл не в кодировке UTF-8 (неверный байт); сохраните его как UTF-8 [json.encoding]\n");
}

BOOST_AUTO_TEST_CASE(decodes_escapes_and_surrogate_pairs) {
    const auto doc = parse_json(R"(["\u00ab\u00bb", "\ud83d\ude42", "a\tb\nc"])", "f.json");
    BOOST_TEST(doc.value[0].get<std::string>() == "«»");
    BOOST_TEST(doc.value[1].get<std::string>() == "🙂");
    BOOST_TEST(doc.value[2].get<std::string>() == "a\tb\nc");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_validation)

BOOST_AUTO_TEST_CASE(accepts_and_normalises_valid_data) {
    const Schema s = schema(kOrderSchema);
    Json v;
    BOOST_TEST(validate(s, R"({"date": "01.03.2018", "number": "43-о/д", "grounds": "Основание",
                              "items": ["Первый", {"text": "Второй", "items": ["2.1"]}]})", &v) == "");
    BOOST_TEST(v["grounds"].dump() == R"(["Основание"])");           // text → paragraphs
    BOOST_TEST(v["items"][0].dump() == R"({"text":"Первый","items":null})");  // shorthand → object
    BOOST_TEST(v["items"][1]["items"][0]["text"].get<std::string>() == "2.1");
    BOOST_TEST(v["kind"].is_null());  // optional and absent → null, so templates can test it
}

BOOST_AUTO_TEST_CASE(reports_every_problem_of_a_file_at_once) {
    const Schema s = schema(kOrderSchema);
    const std::string got = validate(s, R"({
  "date": "31.02.2018",
  "numbr": "43",
  "kind": "СЩ",
  "students": -1,
  "items": []
})");
    BOOST_TEST(got ==
               "d.json:3:3: $.numbr: поле «numbr» здесь не предусмотрено; возможно, имелось в виду «number» [data.unknown_key]\n"
               "d.json:2:11: $.date: даты «31.02.2018» не существует в календаре [data.bad_date]\n"
               "d.json:1:1: $.number: не заполнено обязательное поле «number» — номер приказа [data.missing_field]\n"
               "d.json:4:11: $.kind: значение «СЩ» не из списка допустимых: «СШ», «ОШ», «гимназия»; возможно, имелось в виду «СШ» [data.bad_value]\n"
               "d.json:5:15: $.students: значение -1 вне допустимого диапазона: не меньше 0 [data.bad_value]\n"
               "d.json:6:12: $.items: список пуст; нужен хотя бы один элемент [data.missing_field]\n");
}

BOOST_AUTO_TEST_CASE(wrong_types_say_what_was_expected) {
    const Schema s = schema(kOrderSchema);
    BOOST_TEST(validate(s, R"({"date": "2018/03/01", "number": 43, "items": "один"})") ==
               "d.json:1:10: $.date: дата «2018/03/01» записана неверно; ожидалась дата в виде ДД.ММ.ГГГГ, например «01.03.2018» [data.bad_date]\n"
               "d.json:1:34: $.number: ожидалось: текст в кавычках, а записано: число 43 [data.wrong_type]\n"
               "d.json:1:47: $.items: ожидалось: список [ … ], а записано: текст «один» [data.wrong_type]\n");
}

BOOST_AUTO_TEST_CASE(unknown_key_without_a_near_name_lists_the_allowed_ones) {
    const Schema s = schema(kOrderSchema);
    BOOST_TEST(validate(s, R"({"date": "01.03.2018", "number": "1", "items": ["x"], "подпись": "x"})") ==
               "d.json:1:55: $[\"подпись\"]: поле «подпись» здесь не предусмотрено; допустимые поля: «date», «number», «grounds», «kind», «students», «items» [data.unknown_key]\n");
}

BOOST_AUTO_TEST_CASE(nearest_finds_typos_but_not_unrelated_words) {
    BOOST_TEST(nearest("numbr", {"date", "number", "title"}) == "number");
    BOOST_TEST(nearest("дата", {"дата_приказа", "даты"}) == "даты");
    BOOST_TEST(nearest("zzz", {"date", "number"}) == "");
}

BOOST_AUTO_TEST_SUITE_END()
