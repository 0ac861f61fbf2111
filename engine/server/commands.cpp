#include "server/commands.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "server/accounts.h"
#include "server/config.h"
#include "server/passwords.h"
#include "server/schema.h"
#include "server/server.h"
#include "server/services.h"
#include "server/workspace_files.h"
#include "workflow/municipality.h"

namespace ppko::server {

const char* const kServerCommandsUsage = R"(  ppko serve [--config ФАЙЛ] [--listen АДРЕС:ПОРТ] [--db БАЗА] [--threads N] …
  ppko user add|passwd|list …
  ppko municipality add|list|import|export …
)";

const char* const kServerCommandsSummary = R"(  serve         сервер: JSON API для региона, муниципалитетов и школ (учётные записи, роли)
  user          учётные записи сервера: добавить, сменить пароль, список
  municipality  муниципалитеты сервера: добавить, список, загрузить и выгрузить папку данных
)";

namespace {

const char* kServeHelp = R"(ppko serve — сервер региона: JSON API над данными муниципалитетов, с учётными записями и ролями.

Использование:
  ppko serve [--config ФАЙЛ] [--listen АДРЕС:ПОРТ] [--db БАЗА] [--secret-file ФАЙЛ]
             [--threads N] [--max-body БАЙТ] [--access-log ФАЙЛ|-] [--port-file ФАЙЛ]
             [--pdf-instances N]

Без параметров сервер слушает 127.0.0.1:8080 (только этот компьютер) и хранит всё во
встроенной базе SQLite: $PPKO_STATE_DIR/server/region.sqlite (или ~/.local/state/ppko/server/…).
Для нескольких серверов за nginx — одна база PostgreSQL: --db postgresql://…

Параметры (перекрывают значения из файла настроек):
  --config ФАЙЛ        файл настроек JSON (listen, database, secret_file, threads,
                       access_log, cookie_secure, trusted_proxies, work_dir, max_jobs,
                       pdf_instances, pdf_queue, limits: max_body,
                       max_upload, request_timeout, keep_alive_timeout, max_queued,
                       session_hours, token_max_days, login_failures_per_login,
                       login_failures_per_address)
  --listen АДРЕС:ПОРТ  где принимать соединения (порт 0 — любой свободный)
  --db БАЗА            postgresql://пользователь@сервер:порт/база или путь к файлу SQLite
  --secret-file ФАЙЛ   секрет подписи токенов API (не короче 32 байт); без него секрет
                       создаётся один раз и хранится в базе
  --threads N          сколько запросов обслуживается одновременно (по умолчанию 32)
  --max-body БАЙТ      наибольшее тело запроса (по умолчанию 1048576); больше — ответ 413
  --access-log ФАЙЛ    журнал запросов, строка на запрос («-» — поток ошибок, по умолчанию)
  --port-file ФАЙЛ     записать в файл порт, на котором сервер принимает соединения
  --pdf-instances N    сколько экземпляров LibreOffice держать запущенными для PDF (по
                       умолчанию 1; 0 — PDF на сервере выключен). Один экземпляр занимает
                       200–300 МБ памяти; запрос документа в PDF преобразует один файл, и
                       больше одного экземпляра ускоряет лишь пакетную сборку с PDF.
                       Преобразования идут по очереди; больше pdf_queue (8) запросов PDF
                       сразу — ответ 503 с Retry-After

PDF: нужны пакеты libreoffice-writer-nogui, libreoffice-calc-nogui и fonts-liberation
(программа soffice в PATH или в переменной PPKO_SOFFICE); без них сервер работает, но PDF
не предлагает.

Завершение: SIGTERM или Ctrl+C — новые соединения не принимаются, начатые запросы
завершаются, затем останавливаются экземпляры LibreOffice и сервер выходит (код 0).

Примеры:
  ppko municipality add demidovsky --name "Демидовский район"
  ppko user add admin --role admin --name "Администратор" < пароль.txt
  ppko serve
  ppko serve --listen 0.0.0.0:8080 --db postgresql://ppko@db.local/ppko --threads 64
  ppko serve --config /etc/ppko/server.json
  curl -s http://127.0.0.1:8080/api/health
)";

const char* kUserHelp = R"(ppko user — учётные записи сервера.

Использование:
  ppko user add ИМЯ_ВХОДА --role РОЛЬ [--municipality КОД] [--school КОД] [--name "ФИО"] [БАЗА]
  ppko user passwd ИМЯ_ВХОДА [БАЗА]
  ppko user list [--format table|json] [БАЗА]

БАЗА — --db postgresql://… или путь к файлу SQLite, либо --config ФАЙЛ сервера; по
умолчанию — встроенная база сервера (см. ppko serve --help).

Роли: region (весь регион, чтение), coordinator (свой муниципалитет: --municipality),
school (своя школа: --municipality и --school), expert (--municipality), admin (учётные
записи, муниципалитеты).

Пароль читается из стандартного ввода (первая строка) или, в терминале, запрашивается дважды
без отображения; в командной строке его не указывают. Не короче 10 символов.

Примеры:
  ppko user add admin --role admin --name "Администратор"
  ppko user add moc-demidovsky --role coordinator --municipality demidovsky --name "Иванова И.И."
  printf '%s\n' "$PASSWORD" | ppko user add sh-15 --role school --municipality smolensk --school sh-15
  ppko user passwd moc-demidovsky
  ppko user list --format json --db postgresql://ppko@db.local/ppko
)";

const char* kMunicipalityHelp = R"(ppko municipality — муниципалитеты сервера.

Использование:
  ppko municipality add КОД --name "НАЗВАНИЕ" [БАЗА]
  ppko municipality list [--format table|json] [БАЗА]
  ppko municipality import КОД ПАПКА_ДАННЫХ [БАЗА]
  ppko municipality export КОД ПАПКА [БАЗА]

КОД — строчные латинские буквы, цифры, «-» и «_» (как имя папки данных: demidovsky).
БАЗА — как у ppko user: --db или --config; по умолчанию — встроенная база сервера.

import проверяет папку данных, как ppko check, и делает файлы JSON муниципалитета в базе
такими же, как в папке (новые добавляются, изменённые заменяются, отсутствующие удаляются;
каждое изменение — в журнале аудита). Своя методика муниципалитета — файлы workflows/*.json
папки — загружается вместе с данными. Другие файлы (README.md, templates/ …) не загружаются.
export записывает файлы муниципалитета в папку байт в байт такими, какими они были загружены.

Примеры:
  ppko municipality add demidovsky --name "Демидовский район"
  ppko municipality import demidovsky samples/demidovsky
  ppko municipality export demidovsky /tmp/demidovsky
)";

[[noreturn]] void usage(const std::string& message, const char* command) {
    throw Error(ErrorId::cli_usage, "", {}, "", message + "; подробнее: ppko " + command + " --help");
}

struct Options {
    std::vector<std::string> positional;
    std::string config, listen, db, secret_file, access_log, port_file, role, municipality, school, name, format;
    bool access_log_set = false;
    int threads = 0;
    long long max_body = 0;
    int pdf_instances = -1;  // -1: not given
    bool help = false;
};

long long number(const std::string& v, const char* option, long long min, long long max, const char* command) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
        usage(std::string(option) + ": «" + v + "» должно быть целым числом от " + std::to_string(min) + " до " +
                  std::to_string(max),
              command);
    }
    return n;
}

Options parse(int argc, char** argv, int first, const char* command) {
    Options o;
    for (int i = first; i < argc; ++i) {
        const std::string s = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage("после " + s + " нужно значение", command);
            return argv[++i];
        };
        if (s == "-h" || s == "--help") o.help = true;
        else if (s == "--config") o.config = value();
        else if (s == "--listen") o.listen = value();
        else if (s == "--db") o.db = value();
        else if (s == "--secret-file") o.secret_file = value();
        else if (s == "--access-log") o.access_log = value(), o.access_log_set = true;
        else if (s == "--port-file") o.port_file = value();
        else if (s == "--threads") o.threads = static_cast<int>(number(value(), "--threads", 1, 1024, command));
        else if (s == "--max-body") o.max_body = number(value(), "--max-body", 1024, 1LL << 30, command);
        else if (s == "--pdf-instances") o.pdf_instances = static_cast<int>(number(value(), "--pdf-instances", 0, 16, command));
        else if (s == "--role") o.role = value();
        else if (s == "--municipality") o.municipality = value();
        else if (s == "--school") o.school = value();
        else if (s == "--name") o.name = value();
        else if (s == "--format") o.format = value();
        else if (s == "--password") usage("пароль в командной строке не принимается: его видят другие; подайте его на стандартный ввод", command);
        else if (!s.empty() && s[0] == '-') usage("неизвестный параметр «" + s + "»", command);
        else o.positional.push_back(s);
    }
    return o;
}

ServerConfig config_of(const Options& o) {
    ServerConfig c;
    if (!o.config.empty()) load_config_file(o.config, c);
    if (!o.listen.empty()) c.listen = o.listen;
    if (!o.db.empty()) c.database = o.db;
    if (!o.secret_file.empty()) c.secret_file = o.secret_file;
    if (o.access_log_set) c.access_log = o.access_log;
    if (o.threads > 0) c.threads = o.threads;
    if (o.max_body > 0) c.limits.max_body = static_cast<std::size_t>(o.max_body);
    if (o.pdf_instances >= 0) c.pdf_instances = o.pdf_instances;
    return c;
}

// The database of the administration commands, migrated like the server's.
std::unique_ptr<Accounts> open_accounts(const Options& o) {
    const ServerConfig c = config_of(o);
    store::DatabaseOptions d;
    d.idle_connections = 1;
    auto db = store::Database::open(c.database.empty() ? default_database_path() : c.database, d);
    db->migrate(server_schema());
    return std::make_unique<Accounts>(db, c.password_iterations > 0 ? c.password_iterations : kPasswordIterations);
}

Actor cli_actor() {
    const passwd* pw = ::getpwuid(::geteuid());
    return Actor{"cli:" + std::string(pw ? pw->pw_name : std::to_string(::geteuid())), "local"};
}

// One line from a terminal with echo off.
std::string ask_hidden(const char* prompt) {
    std::cerr << prompt << std::flush;
    termios old{};
    const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << '\n';
    return line;
}

std::string read_password(const char* command) {
    if (::isatty(STDIN_FILENO)) {
        const std::string a = ask_hidden("Пароль: ");
        const std::string b = ask_hidden("Ещё раз: ");
        if (a != b) usage("пароли не совпали", command);
        return a;
    }
    std::string line;
    if (!std::getline(std::cin, line)) usage("на стандартном вводе нет пароля (одна строка)", command);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void check_format(const Options& o, const char* command) {
    if (!o.format.empty() && o.format != "table" && o.format != "json") {
        usage("формат «" + o.format + "»: ожидалось table или json", command);
    }
}

int run_user(int argc, char** argv) {
    const Options o = parse(argc, argv, 3, "user");
    const std::string sub = argc > 2 ? argv[2] : "";
    if (o.help || sub == "--help" || sub == "-h") return std::cout << kUserHelp, exit_code::ok;
    if (sub == "list") {
        check_format(o, "user");
        if (!o.positional.empty()) usage("лишний аргумент «" + o.positional[0] + "»", "user");
        const auto users = open_accounts(o)->users();
        if (o.format == "json") {
            Json items = Json::array();
            for (const auto& u : users) items.push_back(u.json());
            std::cout << items.dump(2) << '\n';
            return exit_code::ok;
        }
        for (const auto& u : users) {
            std::cout << u.login << " | " << role_name(u.role) << " | " << (u.municipality.empty() ? "—" : u.municipality)
                      << " | " << (u.school.empty() ? "—" : u.school) << " | " << u.name
                      << (u.disabled ? " | отключена" : "") << '\n';
        }
        std::cerr << "Учётных записей: " << users.size() << '\n';
        return exit_code::ok;
    }
    if (sub != "add" && sub != "passwd") usage(sub.empty() ? "не указано действие: add, passwd или list" : "неизвестное действие «" + sub + "»; есть: add, passwd, list", "user");
    if (o.positional.size() != 1) usage(o.positional.empty() ? "не указано имя входа" : "лишний аргумент «" + o.positional[1] + "»", "user");
    const std::string& login = o.positional[0];
    if (sub == "passwd") {
        auto accounts = open_accounts(o);
        if (!accounts->user(login)) usage("учётной записи «" + login + "» нет", "user");
        accounts->set_password(login, read_password("user"), cli_actor());
        std::cerr << "Пароль учётной записи «" << login << "» изменён; её сеансы и токены API завершены\n";
        return exit_code::ok;
    }
    if (o.role.empty()) usage("нужна роль: --role region|coordinator|school|expert|admin", "user");
    const auto role = parse_role(o.role);
    if (!role) usage("роль «" + o.role + "» не из списка: region, coordinator, school, expert, admin", "user");
    NewUser u;
    u.login = login;
    u.name = o.name.empty() ? login : o.name;
    u.role = *role;
    u.municipality = o.municipality;
    u.school = o.school;
    auto accounts = open_accounts(o);
    u.password = read_password("user");
    const User made = accounts->create_user(u, cli_actor());
    std::cerr << "Учётная запись «" << made.login << "» (" << role_name(made.role) << ") создана\n";
    return exit_code::ok;
}

int run_municipality(int argc, char** argv) {
    const Options o = parse(argc, argv, 3, "municipality");
    const std::string sub = argc > 2 ? argv[2] : "";
    if (o.help || sub == "--help" || sub == "-h") return std::cout << kMunicipalityHelp, exit_code::ok;
    if (sub == "list") {
        check_format(o, "municipality");
        const auto list = open_accounts(o)->municipalities();
        if (o.format == "json") {
            Json items = Json::array();
            for (const auto& m : list) items.push_back(m.json());
            std::cout << items.dump(2) << '\n';
            return exit_code::ok;
        }
        for (const auto& m : list) std::cout << m.id << " | " << m.name << '\n';
        return exit_code::ok;
    }
    if (sub == "import" || sub == "export") {
        if (o.positional.size() != 2) usage(o.positional.size() < 2 ? "нужны код муниципалитета и папка" : "лишний аргумент «" + o.positional[2] + "»", "municipality");
        const std::string& id = o.positional[0];
        auto accounts = open_accounts(o);
        if (!accounts->municipality(id)) usage("муниципалитета «" + id + "» нет; сначала ppko municipality add", "municipality");
        WorkspaceFiles files(accounts->database());
        if (sub == "export") {
            const auto written = files.export_folder(id, o.positional[1]);
            std::cerr << "Выгружено файлов: " << written.size() << " в " << o.positional[1] << '\n';
            return exit_code::ok;
        }
        // The folder must be a valid workspace, as `ppko check` sees it, before the database changes.
        const data::Workspace ws = data::load_workspace(o.positional[1]);
        const workflow::Municipality model(ws);
        const ImportResult r = files.import_folder(id, o.positional[1], cli_actor());
        std::cerr << "Муниципалитет «" << id << "»: добавлено " << r.created << ", изменено " << r.updated << ", удалено "
                  << r.removed << ", без изменений " << r.unchanged << " (версия данных " << r.data_version << ")";
        if (!r.skipped.empty()) {
            std::cerr << "; не загружены (не файлы данных):";
            for (const auto& n : r.skipped) std::cerr << ' ' << n;
        }
        std::cerr << '\n';
        return exit_code::ok;
    }
    if (sub != "add") usage(sub.empty() ? "не указано действие: add, list, import или export" : "неизвестное действие «" + sub + "»; есть: add, list, import, export", "municipality");
    if (o.positional.size() != 1) usage(o.positional.empty() ? "не указан код муниципалитета" : "лишний аргумент «" + o.positional[1] + "»", "municipality");
    if (o.name.empty()) usage("нужно название: --name \"Демидовский район\"", "municipality");
    const Municipality m = open_accounts(o)->create_municipality(o.positional[0], o.name, cli_actor());
    std::cerr << "Муниципалитет «" << m.id << "» (" << m.name << ") добавлен\n";
    return exit_code::ok;
}

int run_serve(int argc, char** argv) {
    const Options o = parse(argc, argv, 2, "serve");
    if (o.help) return std::cout << kServeHelp, exit_code::ok;
    if (!o.positional.empty()) usage("лишний аргумент «" + o.positional[0] + "»", "serve");
    return serve(config_of(o), o.port_file);
}

}  // namespace

std::optional<int> run_server_command(int argc, char** argv) {
    if (argc < 2) return std::nullopt;
    const std::string command = argv[1];
    if (command == "serve") return run_serve(argc, argv);
    if (command == "user") return run_user(argc, argv);
    if (command == "municipality") return run_municipality(argc, argv);
    return std::nullopt;
}

}  // namespace ppko::server
