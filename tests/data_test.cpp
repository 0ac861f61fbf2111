// JSON with positions, schemas and their messages.
#include <boost/test/unit_test.hpp>

#include <charconv>
#include <cmath>
#include <string>

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

BOOST_AUTO_TEST_CASE(positions_are_computed_on_the_first_lookup_and_kept) {
    const auto doc = parse_json(R"({"a": [1, 2, {"b": null}], "c": "x"})", "f.json");
    BOOST_TEST(doc.position_index() == nullptr);  // parsing alone builds nothing
    BOOST_TEST(doc.position_of("$.c").column == 33);
    const PositionIndex* index = doc.position_index();
    BOOST_REQUIRE(index != nullptr);
    BOOST_TEST(index->size() == 7u);  // one node per value: {…}, […], 1, 2, {…}, null, "x"
    BOOST_TEST(doc.key_position_of("$.a[2].b").column == 15);
    BOOST_TEST(doc.position_index() == index);  // the same index serves later lookups
}

BOOST_AUTO_TEST_CASE(positions_of_nested_values_keys_and_escaped_keys) {
    // Line 1 is a BOM (not counted) and the opening brace; CRLF ends lines; a tab is one column;
    // «Ё» and «🙂» (2 and 4 bytes) are one column each, as is every character of an escape.
    const std::string text =
        "\xEF\xBB\xBF{\r\n"
        "\t\"Ёж\": [[10, [20, 30]], {\"a.b\": {\"c[0]\": \"🙂\"}}],\r\n"
        "  \"q\\\"u\\\\o\": {\"\\u0041\": [true, false]}, \"🙂\": 1\n"
        "}";
    const auto doc = parse_json(std::string(text), "f.json");
    BOOST_TEST(doc.position_of("$").line == 1);
    BOOST_TEST(doc.position_of("$").column == 1);
    auto at = [&](const std::string& path, bool key = false) {
        const Position p = key ? doc.key_position_of(path) : doc.position_of(path);
        return std::to_string(p.line) + ":" + std::to_string(p.column);
    };
    BOOST_TEST(at("$[\"Ёж\"]", true) == "2:2");
    BOOST_TEST(at("$[\"Ёж\"]") == "2:8");
    BOOST_TEST(at("$[\"Ёж\"][0][1][1]") == "2:19");
    BOOST_TEST(at("$[\"Ёж\"][1][\"a.b\"]", true) == "2:26");
    BOOST_TEST(at("$[\"Ёж\"][1][\"a.b\"][\"c[0]\"]") == "2:42");
    BOOST_TEST(at("$[\"q\\\"u\\\\o\"]", true) == "3:3");  // the key q"u\o, as path_member writes it
    BOOST_TEST(path_member("$", "q\"u\\o") == "$[\"q\\\"u\\\\o\"]");
    BOOST_TEST(at("$[\"q\\\"u\\\\o\"].A[1]") == "3:32");  // "\u0041" is the key A
    BOOST_TEST(at("$[\"🙂\"]", true) == "3:41");
    BOOST_TEST(at("$[\"🙂\"]") == "3:46");
    // Absent steps fall back to the nearest ancestor present in the text; a key position falls
    // back to the value's when the path names no object member.
    BOOST_TEST(at("$[\"Ёж\"][0][1][7]") == "2:14");
    BOOST_TEST(at("$[\"Ёж\"][0].x") == "2:9");
    BOOST_TEST(at("$[\"Ёж\"][0][1]", true) == "2:14");
    BOOST_TEST(at("$.nothing.deeper", true) == "1:1");
    BOOST_TEST(at("items[0]") == "0:0");  // not a path of this notation
}

BOOST_AUTO_TEST_CASE(positions_survive_normalisation_copies_and_moves) {
    const Schema s = schema(R"({"type": "object", "fields": {"t": {"type": "text"}, "n": {"type": "integer"}}})");
    JsonDocument doc = parse_json("{\n  \"t\": \"абзац\"\n}", "d.json");
    Diagnostics d;
    s.validate(doc, d);
    BOOST_TEST(doc.value.dump() == R"({"t":["абзац"],"n":null})");
    // $.t[0] exists only in the normalised value: the text's $.t answers for it.
    BOOST_TEST(doc.position_of("$.t[0]").column == 8);
    const Json taken = std::move(doc.value);
    BOOST_TEST(doc.key_position_of("$.t").line == 2);
    const JsonDocument copy = doc;
    BOOST_TEST(copy.position_of("$.t").column == 8);
    const JsonDocument moved = std::move(doc);
    BOOST_TEST(moved.position_of("$.t").column == 8);
    BOOST_TEST(JsonDocument().position_of("$").line == 0);  // made without text: no positions
}

BOOST_AUTO_TEST_CASE(containers_are_sized_exactly) {
    // Spare capacity in 160,000 small objects is tens of MB: the parser sizes each container
    // once, and normalisation makes room for all absent fields at once.
    const auto doc = parse_json(R"({"a": 1, "b": [1, 2, 3], "c": {"x": 1, "y": 2, "z": 3, "w": 4, "v": 5}})", "f.json");
    BOOST_TEST(doc.value.get_ref<const Json::object_t&>().capacity() == 3u);
    BOOST_TEST(doc.value["b"].get_ref<const Json::array_t&>().capacity() == 3u);
    BOOST_TEST(doc.value["c"].get_ref<const Json::object_t&>().capacity() == 5u);
    const Schema s = schema(R"({"type": "object", "fields": {"a": {"type": "integer"}, "b": {"type": "any"},
                                                            "p": {"type": "string"}, "q": {"type": "string"}}})");
    JsonDocument d = parse_json(R"({"b": 2, "a": 1})", "d.json");
    Diagnostics problems;
    s.validate(d, problems);
    BOOST_TEST(d.value.dump() == R"({"b":2,"a":1,"p":null,"q":null})");
    BOOST_TEST(d.value.get_ref<const Json::object_t&>().capacity() == 4u);
}

BOOST_AUTO_TEST_CASE(numbers_read_as_the_standard_library_reads_them) {
    for (const char* n : {"0.1", "0.2", "0.3", "4.8", "34.9", "-12.25", "99999999999999.9", "0.000000000000001",
                          "123456789012345.6", "1.5e3", "1E-2", "0.30000000000000004", "2.2250738585072014e-308", "1e400"}) {
        const std::string text = n;
        double expected = 0;
        if (std::from_chars(text.data(), text.data() + text.size(), expected).ec != std::errc()) continue;  // 1e400: an error
        const Json v = parse_json(text, "f.json").value;
        BOOST_TEST(v.is_number_float());
        BOOST_TEST(v.get<double>() == expected, n);
    }
    BOOST_TEST(std::signbit(parse_json("-0.0", "f.json").value.get<double>()));
    BOOST_TEST(parse_json("9223372036854775807", "f.json").value.is_number_integer());
    BOOST_TEST(parse_json("9223372036854775808", "f.json").value.is_number_float());
    BOOST_TEST(error_of("1e400") == "f.json:1:1: ошибка в записи JSON: число вне допустимого диапазона [json.syntax]\n");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_found_in_large_objects_too) {
    std::string text = "{";
    for (int i = 0; i < 40; ++i) text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
    text += "\"k17\": 0}";
    BOOST_TEST(error_of(text) == "f.json:1:422: ошибка в записи JSON: поле «k17» встречается в этом объекте дважды [json.syntax]\n");
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

// --- limits and hostile inputs ------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(hostile_data)

BOOST_AUTO_TEST_CASE(deep_json_is_refused_with_the_position) {
    BOOST_TEST(error_of(std::string(100000, '[')) ==
               "f.json:1:258: списки и объекты JSON вложены друг в друга глубже 256 уровней [limit.nesting]\n");
    BOOST_TEST(error_of(std::string(256, '[') + std::string(256, ']')) == "no error");
}

BOOST_AUTO_TEST_CASE(patterns_check_long_values_quickly_and_quote_them_short) {
    // A pattern on a 30,000-character value overflowed the stack (std::regex); ^(a+)+$ ran for
    // minutes.
    const Schema s = schema(R"({"type": "object", "fields": {"id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
                                                               "x": {"type": "string", "pattern": "^(a+)+$"}}})");
    BOOST_TEST(validate(s, "{\"id\": \"" + std::string(30000, 'a') + "\"}").empty());
    const std::string bad = validate(s, "{\"id\": \"" + std::string(30000, 'a') + "!\", \"x\": \"" + std::string(50, 'a') + "!\"}");
    BOOST_TEST(bad == "d.json:1:8: $.id: значение «" + std::string(200, 'a') + "…» записано неверно [data.bad_value]\n"
                      "d.json:1:30018: $.x: значение «" + std::string(50, 'a') + "!» записано неверно [data.bad_value]\n");
}

BOOST_AUTO_TEST_CASE(a_pattern_that_cannot_be_compiled_says_why_and_where) {
    try {
        schema(R"({"type": "object", "fields": {"x": {"type": "string", "pattern": "(a)\\1"}}})");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.diagnostics().format() ==
                   "s.schema.json:1:66: $.fields.x.pattern: ошибка в схеме: неверное регулярное выражение «(a)\\1»: обратные ссылки \\1…\\9 не "
                   "поддерживаются (символ 4) [data.bad_value]\n");
    }
}

BOOST_AUTO_TEST_SUITE_END()
