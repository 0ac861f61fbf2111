// The catalogue of error ids: the one place where every stable id the engine can report is
// listed, with its class (which decides the exit code) and a Russian description. README.md
// («Каталог ошибок») shows an example of each; tests/diag_catalog_test.cpp checks that it does.
#pragma once

#include <cstdint>
#include <string_view>

namespace ppko {

enum class ErrorClass : std::uint8_t { data, usage, io, interrupted, internal };

// X(enum name, stable id, class, description)
#define PPKO_ERROR_IDS(X)                                                                          \
    X(json_syntax, "json.syntax", data, "файл данных не является правильным JSON")                 \
    X(json_encoding, "json.encoding", data, "файл не в кодировке UTF-8")                           \
    X(data_missing_field, "data.missing_field", data, "не заполнено обязательное поле")            \
    X(data_wrong_type, "data.wrong_type", data, "значение не того типа (текст, число, список…)")  \
    X(data_unknown_key, "data.unknown_key", data, "поле с таким именем не предусмотрено")          \
    X(data_bad_date, "data.bad_date", data, "дата записана неверно или не существует")             \
    X(data_bad_value, "data.bad_value", data, "значение вне допустимого набора или диапазона")     \
    X(data_unknown_file, "data.unknown_file", data, "в папке данных лишний файл .json")            \
    X(data_unknown_reference, "data.unknown_reference", data, "ссылка на школу, партнёра или факт, которых нет") \
    X(data_duplicate, "data.duplicate", data, "запись повторяет уже описанную (тот же код, школа и год)") \
    X(data_missing_file, "data.missing_file", data, "в папке данных нет нужного файла")            \
    X(data_bad_name, "data.bad_name", data, "имя не годится для файла: пустое, с «/», «..» или управляющими символами") \
    X(workspace_not_found, "workspace.not_found", io, "папка данных не найдена")                   \
    X(workspace_unknown_document, "workspace.unknown_document", usage,                             \
      "в папке данных нет документа с таким именем")                                               \
    X(workspace_unknown_school, "workspace.unknown_school", usage, "в папке данных нет школы с таким кодом") \
    X(template_syntax, "template.syntax", data, "ошибка в записи шаблона")                         \
    X(template_unclosed, "template.unclosed", data, "не закрыт блок шаблона ({% for %}, <p> …)")  \
    X(expr_syntax, "expr.syntax", data, "ошибка в записи выражения")                               \
    X(expr_unknown_name, "expr.unknown_name", data, "неизвестная переменная или поле")             \
    X(expr_unknown_filter, "expr.unknown_filter", data, "неизвестный фильтр или функция")          \
    X(expr_bad_argument, "expr.bad_argument", data, "неверный аргумент фильтра или функции")       \
    X(expr_type, "expr.type", data, "значение не того типа для этой операции")                     \
    X(expr_overflow, "expr.overflow", data, "целое число вне допустимого диапазона")                 \
    X(limit_nesting, "limit.nesting", data,                                                        \
      "слишком глубокая вложенность: JSON, элементы шаблона, выражения, вызовы макросов, включения") \
    X(limit_size, "limit.size", data,                                                              \
      "превышен предел объёма: повторения циклов, размер документа, ячейки таблицы, число проверок") \
    X(template_unknown_macro, "template.unknown_macro", data, "неизвестный макрос")                \
    X(template_bad_argument, "template.bad_argument", data, "неверное число аргументов макроса")    \
    X(template_not_found, "template.not_found", data, "шаблон не найден")                          \
    X(template_include_cycle, "template.include_cycle", data, "шаблоны включают друг друга по кругу") \
    X(template_empty_value, "template.empty_value", data, "выводится незаполненное значение")     \
    X(rules_overlap, "rules.overlap", data, "правила таблицы решений пересекаются при политике unique") \
    X(rules_gap, "rules.gap", data, "таблица решений не покрывает часть значений входов")          \
    X(workflow_invalid, "workflow.invalid", data, "ошибка в описании рабочего процесса")         \
    X(workflow_unknown_stage, "workflow.unknown_stage", data, "ссылка на несуществующий этап")     \
    X(workflow_unreachable, "workflow.unreachable", data, "в этап нельзя попасть из начального")   \
    X(workflow_dead_end, "workflow.dead_end", data, "из этапа нет выхода")                         \
    X(workflow_no_progress, "workflow.no_progress", data, "переходы зациклились без новых фактов")  \
    X(workflow_not_found, "workflow.not_found", data, "нет описания рабочего процесса или таблицы") \
    X(sheet_format, "sheet.format", data, "файл не книга Excel (.xlsx) и не таблица CSV")          \
    X(sheet_corrupt, "sheet.corrupt", data, "файл книги повреждён")                                \
    X(sheet_encrypted, "sheet.encrypted", data, "книга защищена паролем (зашифрована)")           \
    X(sheet_too_large, "sheet.too_large", data, "файл за пределами допустимого (размер, строки, zip-бомба)") \
    X(sheet_unsafe, "sheet.unsafe", data, "в книге опасная конструкция XML (DOCTYPE, сущности)")  \
    X(sheet_empty, "sheet.empty", data, "в книге нет листов или лист пуст")                        \
    X(sheet_not_found, "sheet.not_found", usage, "в книге нет листа с таким именем")               \
    X(sheet_encoding, "sheet.encoding", data, "CSV не в кодировке UTF-8 и не в Windows-1251")      \
    X(sheet_csv_syntax, "sheet.csv_syntax", data, "ошибка в записи CSV (незакрытая кавычка)")     \
    X(sheet_no_header, "sheet.no_header", data, "на листе не найдена строка заголовка таблицы")    \
    X(sheet_bad_number, "sheet.bad_number", data, "в ячейке ожидалось число")                     \
    X(sheet_bad_date, "sheet.bad_date", data, "в ячейке ожидалась дата")                          \
    X(import_unknown_column, "import.unknown_column", data, "заголовок столбца не соответствует ни одному полю") \
    X(import_missing_column, "import.missing_column", data, "в таблице нет нужного столбца (школа, учебный год…)") \
    X(import_unknown_school, "import.unknown_school", data, "школа из таблицы не найдена в schools.json") \
    X(import_ambiguous_school, "import.ambiguous_school", data, "название подходит к нескольким школам") \
    X(import_bad_value, "import.bad_value", data, "значение ячейки вне допустимого набора или диапазона") \
    X(import_conflict, "import.conflict", data, "таблица меняет уже записанное значение (нужен --replace)") \
    X(import_mapping, "import.mapping", data, "ошибка в файле сопоставления столбцов") \
    X(archive_invalid, "archive.invalid", data, "файл не архив ppko archive или содержит недопустимые имена") \
    X(cli_usage, "cli.usage", usage, "неверная командная строка")                                  \
    X(cli_interrupted, "cli.interrupted", interrupted, "запуск прерван пользователем (Ctrl+C)")                                  \
    X(io_read, "io.read", io, "файл не удаётся прочитать")                                         \
    X(io_write, "io.write", io, "файл не удаётся записать")                                        \
    X(store_not_database, "store.not_database", io, "файл состояния не является базой ppko")      \
    X(store_damaged, "store.damaged", io, "файл состояния повреждён")                              \
    X(store_too_new, "store.too_new", io, "файл состояния записан более новой версией ppko")       \
    X(store_busy, "store.busy", io, "файл состояния занят другим запуском ppko")                   \
    X(pdf_unavailable, "pdf.unavailable", io, "для PDF нужен LibreOffice, а его нет")              \
    X(pdf_convert, "pdf.convert", io, "LibreOffice не сделал PDF из документа")                    \
    X(pdf_busy, "pdf.busy", io, "сервер занят: очередь документов в PDF полна")                    \
    X(store_unavailable, "store.unavailable", io, "сервер базы данных недоступен")                 \
    X(server_bad_request, "server.bad_request", usage, "неверный запрос к серверу")                \
    X(server_bad_name, "server.bad_name", usage, "недопустимое имя или код в адресе запроса")       \
    X(server_not_found, "server.not_found", usage, "нет такого адреса или записи")                 \
    X(server_method_not_allowed, "server.method_not_allowed", usage, "метод не поддерживается по этому адресу") \
    X(server_too_large, "server.too_large", usage, "запрос больше допустимого размера")            \
    X(server_busy, "server.busy", usage, "сервер занят: слишком много заданий в очереди")         \
    X(auth_required, "auth.required", usage, "нужен вход в систему")                               \
    X(auth_bad_credentials, "auth.bad_credentials", usage, "неверное имя пользователя или пароль") \
    X(auth_bad_token, "auth.bad_token", usage, "сеанс или токен недействителен или истёк")          \
    X(auth_forbidden, "auth.forbidden", usage, "у учётной записи нет прав на это действие")        \
    X(auth_csrf, "auth.csrf", usage, "нет или неверен токен CSRF изменяющего запроса")             \
    X(auth_throttled, "auth.throttled", usage, "вход временно заблокирован после неудачных попыток") \
    X(auth_weak_password, "auth.weak_password", usage, "пароль не подходит")                       \
    X(record_conflict, "record.conflict", usage, "запись изменена другим пользователем")           \
    X(record_exists, "record.exists", usage, "запись с таким кодом уже есть")                      \
    X(internal, "internal", internal, "внутренняя ошибка программы")

enum class ErrorId : std::uint16_t {
#define PPKO_X(name, id, cls, descr) name,
    PPKO_ERROR_IDS(PPKO_X)
#undef PPKO_X
};

struct ErrorInfo {
    ErrorId id;
    std::string_view code;         // stable, ASCII
    ErrorClass error_class;
    std::string_view description;  // Russian
};

const ErrorInfo& error_info(ErrorId id);
// All entries, in catalogue order.
const ErrorInfo* error_catalog_begin();
const ErrorInfo* error_catalog_end();

}  // namespace ppko
