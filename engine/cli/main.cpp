// `ppko`: the command line. Sub-commands: render, check. Messages for users are Russian; every
// error line ends with its stable id in brackets. Exit codes: README.md («Коды завершения»).
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "render/render.h"

namespace {

using namespace ppko;
namespace fs = std::filesystem;

constexpr const char* kVersion = "0.1.0";

const char* kMainHelp = R"(ppko — документы программ повышения качества образования (ППКО) из данных.

Использование:
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--text]
  ppko check ПАПКА_ДАННЫХ
  ppko --help | ppko КОМАНДА --help | ppko --version

Команды:
  render   создаёт документы DOCX и XLSX, объявленные в workspace.json папки данных
  check    проверяет данные и шаблоны, ничего не записывая

Примеры:
  ppko render samples/demidovsky -o out/demidovsky
  ppko render samples/demidovsky -o out/demidovsky --only roadmap
  ppko check samples/demidovsky

Коды завершения: 0 — успешно; 1 — ошибки в данных или шаблонах; 2 — неверная командная
строка; 3 — файл или папку не удаётся прочитать или записать.
)";

const char* kRenderHelp = R"(ppko render — создать документы из папки данных.

Использование:
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--text] [--quiet]

Папка данных содержит workspace.json (список документов) и файлы данных JSON; шаблоны можно
переопределить в её подпапке templates/. Каждый документ записывается в форматах, указанных
в workspace.json («docx», «xlsx»). Файлы пишутся атомарно: при любой ошибке в папке
результатов не остаётся ни одного нового или недописанного файла.

Параметры:
  -o, --output ПАПКА   куда записать документы (создаётся при необходимости)
  --only ДОКУМЕНТ      только этот документ (имя из workspace.json); можно повторять
  --text               дополнительно записать текст каждого документа (.txt) для проверки
  --text-plain         то же, но без номеров пунктов (как текст видят другие программы)
  -q, --quiet          не печатать список созданных файлов

Примеры:
  ppko render samples/demidovsky -o out/demidovsky
  ppko render samples/demidovsky -o out/demidovsky --only roadmap --only staff
)";

const char* kCheckHelp = R"(ppko check — проверить папку данных и шаблоны, ничего не записывая.

Использование:
  ppko check ПАПКА_ДАННЫХ

Проверяет каждый файл данных по его схеме (обязательные поля, типы, лишние поля с подсказкой
похожего имени, даты), компилирует шаблоны и строит все документы в памяти. Сообщает обо всех
найденных ошибках файла сразу, с номером строки и столбца.

Пример:
  ppko check samples/demidovsky
)";

[[noreturn]] void usage_error(const std::string& message, const char* command) {
    Diagnostics d;
    d.add(ErrorId::cli_usage, "", {}, "",
          message + "; подробнее: ppko " + (command ? std::string(command) + " " : std::string()) + "--help");
    throw Error(std::move(d));
}

struct Args {
    std::string command;
    std::vector<std::string> positional;
    std::string output;
    std::vector<std::string> only;
    bool text = false;
    bool text_plain = false;
    bool quiet = false;
    bool help = false;
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        const char* cmd = a.command.empty() ? nullptr : a.command.c_str();
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) usage_error(std::string("после ") + name + " нужно значение", cmd);
            return argv[++i];
        };
        if (s == "-h" || s == "--help") {
            a.help = true;
        } else if (s == "--version") {
            a.command = "version";
        } else if (s == "-o" || s == "--output") {
            a.output = value("-o");
        } else if (s.rfind("--output=", 0) == 0) {
            a.output = s.substr(9);
        } else if (s == "--only") {
            a.only.push_back(value("--only"));
        } else if (s.rfind("--only=", 0) == 0) {
            a.only.push_back(s.substr(7));
        } else if (s == "--text") {
            a.text = true;
        } else if (s == "--text-plain") {
            a.text_plain = true;
        } else if (s == "-q" || s == "--quiet") {
            a.quiet = true;
        } else if (!s.empty() && s[0] == '-') {
            usage_error("неизвестный параметр «" + s + "»", cmd);
        } else if (a.command.empty()) {
            a.command = s;
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

int run_render(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "render");
    if (a.output.empty()) usage_error("не указана папка результатов: -o ПАПКА", "render");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    render::PackageRenderer r(ws);
    render::Options o;
    o.only = a.only;
    o.text = a.text;
    o.text_plain = a.text_plain;
    const auto files = r.render_to(a.output, o);
    if (!a.quiet) {
        for (const auto& f : files) std::cout << f.path.string() << '\n';
        std::cerr << "Готово: " << files.size() << " файл(ов) в " << a.output << '\n';
    }
    return exit_code::ok;
}

int run_check(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "check");
    if (!a.output.empty() || !a.only.empty()) usage_error("check ничего не записывает: параметры -o и --only здесь не нужны", "check");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    render::PackageRenderer r(ws);
    for (const auto* spec : r.select({})) {
        const auto d = r.build(*spec);
        std::cout << spec->id << ": " << d.body.size() << " блок(ов), шаблон «" << spec->template_name << "» — в порядке\n";
    }
    std::cerr << "Ошибок нет: " << ws.documents.size() << " документ(ов) в " << a.positional[0] << '\n';
    return exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
    ppko::io::tune_allocator_for_batches();
    try {
        const Args a = parse_args(argc, argv);
        if (a.command == "version") {
            std::cout << "ppko " << kVersion << '\n';
            return exit_code::ok;
        }
        if (a.command.empty()) {
            std::cout << kMainHelp;
            return a.help ? exit_code::ok : exit_code::usage;
        }
        if (a.command == "render") {
            if (a.help) return std::cout << kRenderHelp, exit_code::ok;
            return run_render(a);
        }
        if (a.command == "check") {
            if (a.help) return std::cout << kCheckHelp, exit_code::ok;
            return run_check(a);
        }
        if (a.command == "help") {
            std::cout << kMainHelp;
            return exit_code::ok;
        }
        usage_error("неизвестная команда «" + a.command + "»; есть: render, check", nullptr);
    } catch (const Error& e) {
        const auto& d = e.diagnostics();
        std::cerr << d.format();
        if (d.size() > 1) std::cerr << "Всего ошибок: " << d.size() << '\n';
        return exit_code_for(d.worst_class());
    } catch (const std::exception& e) {
        std::cerr << "внутренняя ошибка: " << e.what() << " [internal]\n";
        return 70;
    }
}
