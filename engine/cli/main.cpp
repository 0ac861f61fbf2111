// `ppko`: the command line. Sub-commands: render, check. Messages for users are Russian; every
// error line ends with its stable id in brackets. Exit codes: README.md («Коды завершения»).
#include <charconv>
#include <csignal>
#include <cstdio>
#include <unistd.h>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "io/atomic_file.h"
#include "render/render.h"
#include "server/commands.h"
#include "store/store.h"
#include "text/russian.h"
#include "text/utf8.h"
#include "workflow/engine.h"

namespace {

using namespace ppko;
namespace fs = std::filesystem;

constexpr const char* kVersion = "0.1.0";

const char* kMainHelp = R"(ppko — документы программ повышения качества образования (ППКО) из данных.

Использование:
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--text] [-j N]
  ppko check ПАПКА_ДАННЫХ [-j N]
  ppko advance ПАПКА_ДАННЫХ --date ГГГГ-ММ-ДД [--dry-run] [--state ФАЙЛ]
  ppko status ПАПКА_ДАННЫХ [--year 2019-2020] [--format table|json] [--state ФАЙЛ]
  ppko summary ПАПКА_ДАННЫХ [--state ФАЙЛ]
  ppko explain ПАПКА_ДАННЫХ ШКОЛА [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]
  ppko history ПАПКА_ДАННЫХ ШКОЛА [--state ФАЙЛ]
  ppko graph РАБОЧИЙ_ПРОЦЕСС [--format mermaid|dot]
  ppko serve | user | municipality …   (сервер региона: ppko serve --help)
  ppko --help | ppko КОМАНДА --help | ppko --version

Команды:
  render   создаёт документы DOCX и XLSX, объявленные в workspace.json папки данных
  check    проверяет данные, шаблоны и рабочие процессы, ничего не записывая
  advance  продвигает программы школ по этапам по фактам, известным к дате
  status   школы: категории, этап программы, просроченные задачи, ближайшие сроки
  summary  по годам: участники, продолжающие «на доверии», реализовавшие ППКО, процент
  explain  почему школа в своих категориях и на своём этапе
  history  журнал событий программы школы
  graph    схема рабочего процесса (Mermaid или Graphviz)
  serve, user, municipality — сервер региона с учётными записями и ролями (JSON API)

Примеры:
  ppko render samples/demidovsky -o out/demidovsky
  ppko render samples/demidovsky -o out/demidovsky --only roadmap
  ppko check samples/demidovsky
  ppko advance samples/smolensk --date 2021-09-01
  ppko explain samples/smolensk sh-15 --date 2019-05-31
  ppko graph ppko --format dot

Состояние программ хранится в базе SQLite вне папки данных: по умолчанию
$PPKO_STATE_DIR, иначе $XDG_STATE_HOME/ppko, иначе ~/.local/state/ppko, файл <имя>.sqlite;
другой файл — параметр --state.

Коды завершения: 0 — успешно; 1 — ошибки в данных или шаблонах; 2 — неверная командная
строка; 3 — файл или папку не удаётся прочитать или записать.
)";

const char* kRenderHelp = R"(ppko render — создать документы из папки данных.

Использование:
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--year 2020-2021]
              [--state ФАЙЛ] [--text] [--quiet] [--jobs N]

Папка данных содержит workspace.json (список документов) и файлы данных JSON; шаблоны можно
переопределить в её подпапке templates/. Каждый документ записывается в форматах, указанных
в workspace.json («docx», «xlsx»). Файлы пишутся атомарно: при любой ошибке в папке
результатов не остаётся ни одного нового или недописанного файла.

Параметры:
  -o, --output ПАПКА   куда записать документы (создаётся при необходимости)
  --only ДОКУМЕНТ      только этот документ (имя из workspace.json); можно повторять
  --year 2020-2021     учебный год для документов «по каждой школе» ("per": "participant"),
                       по умолчанию — последний год с показателями; они пишутся в
                       ПАПКА_РЕЗУЛЬТАТОВ/<файл>/<код школы>.docx
  --state ФАЙЛ         состояние программ (как у advance) для документов по школам
  --text               дополнительно записать текст каждого документа (.txt) для проверки
  --text-plain         то же, но без номеров пунктов (как текст видят другие программы)
  -q, --quiet          не печатать список созданных файлов
  -j, --jobs N         строить не больше N документов одновременно (по умолчанию — по числу
                       ядер процессора); от N результат не зависит

Рядом с документами пишется manifest.json: каждый файл, его вид, школа и SHA-256. На
терминале показывается ход работы; прерванный (Ctrl+C) запуск не оставляет файлов (код 130).

Примеры:
  ppko render samples/demidovsky -o out/demidovsky
  ppko render samples/demidovsky -o out/demidovsky --only roadmap --only staff
  ppko render samples/smolensk -o out/smolensk --year 2020-2021
)";

const char* kCheckHelp = R"(ppko check — проверить папку данных и шаблоны, ничего не записывая.

Использование:
  ppko check ПАПКА_ДАННЫХ [--jobs N]

Проверяет каждый файл данных по его схеме (обязательные поля, типы, лишние поля с подсказкой
похожего имени, даты), компилирует шаблоны и строит все документы в памяти. Сообщает обо всех
найденных ошибках файла сразу, с номером строки и столбца. Документы строятся на всех ядрах
процессора; --jobs N — не больше N одновременно.

Пример:
  ppko check samples/demidovsky
)";

const char* kAdvanceHelp = R"(ppko advance — продвинуть программы школ по фактам, известным к дате.

Использование:
  ppko advance ПАПКА_ДАННЫХ --date ГГГГ-ММ-ДД [--dry-run] [--state ФАЙЛ]

По годам от первого года с показателями до учебного года даты: определяет списки участников
по таблице идентификации, открывает программы, переводит их между этапами, когда выполнены
условия переходов (по фактам из facts.json не позже даты), и подводит итог каждого
завершившегося учебного года. Все изменения записываются одной транзакцией вместе с журналом
событий; повторный запуск с той же датой ничего не меняет. Время берётся только из --date.

Параметры:
  --date ДАТА      дата, на которую известны факты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)
  --dry-run        показать, что изменится, ничего не записывая
  --state ФАЙЛ     файл состояния (по умолчанию вне папки данных, см. ppko --help)

Пример:
  ppko advance samples/smolensk --date 2019-05-31 --dry-run
)";

const char* kStatusHelp = R"(ppko status — состояние программ школ.

Использование:
  ppko status ПАПКА_ДАННЫХ [--year 2019-2020] [--date ГГГГ-ММ-ДД] [--format table|json] [--state ФАЙЛ]

Для каждой школы с категорией или программой: категории за учебный год, этап программы,
участие (по списку / «на доверии» / реализована), просроченные задачи этапа и ближайший срок.
По умолчанию — учебный год и дата последнего запуска advance.
)";

const char* kExplainHelp = R"(ppko explain — объяснить категории и этап школы.

Использование:
  ppko explain ПАПКА_ДАННЫХ ШКОЛА [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]

Показывает каждый вход таблицы идентификации со значением, каждое правило с результатом
каждой ячейки (да / нет / нет данных), и для этапа программы — условия переходов со
значениями фактов, которые они видели, включая невыполненные.
)";

const char* kHistoryHelp = R"(ppko history — журнал событий программы школы.

Использование:
  ppko history ПАПКА_ДАННЫХ ШКОЛА [--state ФАЙЛ]
)";

const char* kSummaryHelp = R"(ppko summary — итоги по учебным годам.

Использование:
  ppko summary ПАПКА_ДАННЫХ [--state ФАЙЛ]

Таблица: учебный год; школы-участники по списку; продолжающие реализацию программ «на доверии»
(программа идёт, а школы в списке года нет); реализовавшие программу с положительными
результатами (в конце года); процент = (продолжающие ∪ реализовавшие) / число участников
первого года.
)";

const char* kGraphHelp = R"(ppko graph — схема рабочего процесса.

Использование:
  ppko graph РАБОЧИЙ_ПРОЦЕСС [--format mermaid|dot]

РАБОЧИЙ_ПРОЦЕСС — имя встроенного (ppko, sasovo-cycle) или путь к файлу .json.
Пример:  ppko graph ppko --format dot | dot -Tsvg > ppko.svg
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
    bool dry_run = false;
    std::string date, state, year, format;
    unsigned jobs = 0;  // 0: one per core
};

// A thread count from the command line: 1…256.
unsigned parse_jobs(const std::string& v, const char* cmd) {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 1 || n > 256) {
        usage_error("число потоков «" + v + "» должно быть целым от 1 до 256; пример: --jobs 2", cmd);
    }
    return n;
}

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
        } else if (s == "--date") {
            a.date = value("--date");
        } else if (s == "--state") {
            a.state = value("--state");
        } else if (s == "--year") {
            a.year = value("--year");
        } else if (s == "--format") {
            a.format = value("--format");
        } else if (s == "--dry-run") {
            a.dry_run = true;
        } else if (s == "-j" || s == "--jobs") {
            a.jobs = parse_jobs(value("--jobs"), cmd);
        } else if (s.rfind("--jobs=", 0) == 0) {
            a.jobs = parse_jobs(s.substr(7), cmd);
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

// Ctrl+C / SIGTERM during a batch: the progress callback notices and throws, so the output
// transaction removes every file of the run instead of leaving some behind.
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

int run_render(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "render");
    if (a.output.empty()) usage_error("не указана папка результатов: -o ПАПКА", "render");
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    render::PackageRenderer r(ws);
    render::Options o;
    o.only = a.only;
    o.text = a.text;
    o.text_plain = a.text_plain;
    o.year = a.year;
    o.state = a.state.empty() ? store::default_state_path(ws.name) : fs::path(a.state);
    o.jobs = a.jobs;
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    // A terminal gets a bar redrawn at most every 1/500 of the batch; a log gets a line per
    // document up to 200 documents, then one per 1 % of them.
    std::size_t shown = 0;
    o.progress = [&](std::size_t done, std::size_t total, const std::string& what) {
        if (g_interrupted) throw Error(ErrorId::cli_interrupted, "", {}, "", "прервано: ни один файл этого запуска не записан");
        if (a.quiet || total < 2) return;
        const std::size_t step = tty ? std::max<std::size_t>(1, total / 500) : total <= 200 ? 1 : total / 100;
        if (done != total && done != 0 && done < shown + step) return;
        if (tty) {
            const int width = 30, filled = static_cast<int>(width * done / total);
            std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#') << std::string(static_cast<std::size_t>(width - filled), '.')
                      << "] " << done << "/" << total << " " << text::utf8_prefix(what, 60) << "\x1b[K" << std::flush;
            if (done == total) std::cerr << '\n';
        } else if (!what.empty()) {
            std::cerr << done + 1 << "/" << total << " " << what << '\n';
        }
        shown = done;
    };
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
    // Workflows and decision tables: loading validates them, the tables' static checks included.
    const workflow::Registry registry(ws.resources);
    if (!ws.workflow.empty()) {
        const workflow::Engine engine(ws, registry);
        std::cout << "рабочий процесс «" << engine.workflow().id << "» v" << engine.workflow().version << ": "
                  << engine.years().size() << " учебн. год(а) с показателями — в порядке\n";
    }
    render::PackageRenderer r(ws);
    const std::size_t built = r.check_all(a.jobs);
    for (const auto& spec : ws.documents) {
        std::cout << spec.id << ": шаблон «" << spec.template_name << "»" << (spec.per_participant ? " (по каждой школе)" : "") << " — в порядке\n";
    }
    std::cout << "построено в памяти документов: " << built << '\n';
    std::cerr << "Ошибок нет: " << ws.documents.size() << " документ(ов) в " << a.positional[0] << '\n';
    return exit_code::ok;
}

std::string iso_date(const std::string& d, const char* cmd) {
    auto x = text::parse_date(d);
    if (!x) usage_error("дата «" + d + "» записана неверно или не существует; пример: --date 2019-05-31", cmd);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", x->year, x->month, x->day);
    return buf;
}

struct Session {
    data::Workspace ws;
    workflow::Registry registry;
    workflow::Engine engine;
    std::unique_ptr<store::Store> store;

    Session(const Args& a, std::size_t positional, const char* cmd)
        : ws(load(a, positional, cmd)), registry(ws.resources), engine(ws, registry) {
        const fs::path path = a.state.empty() ? store::default_state_path(ws.name) : fs::path(a.state);
        // State never goes into the input folder (samples/ stay read-only inputs).
        std::error_code ec;
        const fs::path wsdir = fs::weakly_canonical(ws.dir, ec), spath = fs::weakly_canonical(path, ec);
        const auto rel = spath.lexically_relative(wsdir);
        if (!rel.empty() && *rel.begin() != "..") {
            usage_error("файл состояния " + path.string() + " оказался внутри папки данных; укажите другой: --state ФАЙЛ", cmd);
        }
        // A dry run never creates the state file; with no file there is simply no state yet.
        if (!(a.dry_run && !fs::exists(path))) store = store::open_sqlite_store(path);
    }
    std::vector<store::ProgramState> programs() { return store ? store->programs() : std::vector<store::ProgramState>{}; }
    static data::Workspace load(const Args& a, std::size_t positional, const char* cmd) {
        if (a.positional.size() != positional) {
            usage_error(a.positional.empty() ? "не указана папка данных"
                        : a.positional.size() < positional ? "не указана школа (код из schools.json)"
                                                           : "лишний аргумент «" + a.positional.back() + "»",
                        cmd);
        }
        return data::load_workspace(a.positional[0]);
    }
    std::string last_date() { return store ? store->meta("advanced_through").value_or("") : ""; }
    void require_school(const std::string& id) {
        if (!engine.has_school(id)) {
            throw Error(ErrorId::workspace_unknown_school, "", {}, "", "в schools.json нет школы с кодом «" + id + "»");
        }
    }
};

int run_advance(const Args& a) {
    if (a.date.empty()) usage_error("нужна дата: --date ГГГГ-ММ-ДД", "advance");
    const std::string date = iso_date(a.date, "advance");
    Session s(a, 1, "advance");
    // The write lock is taken before the state is read, so two runs cannot interleave; a dry
    // run only reads.
    std::unique_ptr<store::Transaction> tx;
    if (!a.dry_run) tx = s.store->begin();
    const auto plan = s.engine.advance(s.programs(), date);
    for (const auto& e : plan.events) {
        std::cout << e.date << "  " << s.engine.school_name(e.school) << "  " << e.note << '\n';
    }
    const std::string prev = s.last_date();
    if (a.dry_run) {
        std::cerr << "Пробный запуск: " << plan.events.size() << " событий, " << plan.programs.size()
                  << " программ изменилось бы; ничего не записано\n";
        return exit_code::ok;
    }
    for (const auto& p : plan.programs) tx->put_program(p);
    for (const auto& e : plan.events) tx->append_event(e);
    tx->set_meta("advanced_through", std::max(prev, date));
    tx->commit();
    std::cerr << (plan.events.empty() ? "Изменений нет" : "Записано: " + std::to_string(plan.events.size()) + " событий, " +
                                                            std::to_string(plan.programs.size()) + " программ")
              << " (на " << date << ")\n";
    return exit_code::ok;
}

std::string join_names(const workflow::Engine& e, const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + e.school_name(id);
    return out.empty() ? "—" : out;
}

int run_summary(const Args& a) {
    Session s(a, 1, "summary");
    const std::string date = a.date.empty() ? s.last_date() : iso_date(a.date, "summary");
    if (date.empty()) usage_error("программы ещё не продвигались: сначала ppko advance … --date", "summary");
    const auto rows = s.engine.summary(s.store->events(), workflow::academic_year_of(date));
    std::cout << "Учебный год | Участники (по списку) | Продолжают реализацию программ (на доверии) | "
                 "Программа реализована (положительные результаты) | Процент\n";
    for (const auto& r : rows) {
        std::cout << r.year << " | " << join_names(s.engine, r.participants) << " | " << join_names(s.engine, r.on_trust) << " | "
                  << join_names(s.engine, r.completed) << " | " << (r.percent < 0 ? std::string("—") : std::to_string(r.percent) + "%")
                  << '\n';
    }
    return exit_code::ok;
}

int run_status(const Args& a) {
    Session s(a, 1, "status");
    std::string date = a.date.empty() ? s.last_date() : iso_date(a.date, "status");
    if (date.empty()) date = s.engine.years().empty() ? "2000-09-01" : workflow::year_start(s.engine.years().back());
    const std::string year = a.year.empty() ? workflow::academic_year_of(date) : a.year;
    if (!a.format.empty() && a.format != "table" && a.format != "json") usage_error("формат «" + a.format + "»: ожидалось table или json", "status");
    const auto listed = s.engine.participants(year);
    data::Json rows = data::Json::array();
    std::map<std::string, store::ProgramState> programs;
    for (auto& p : s.store->programs()) programs[p.school] = p;
    const data::Json& schools = s.ws.data["schools"]["schools"];
    for (const auto& sc : schools) {
        const std::string id = sc["id"].get<std::string>();
        const auto ident = s.engine.identify(id, year);
        auto it = programs.find(id);
        if (ident.categories.empty() && it == programs.end()) continue;
        data::Json row;
        row["school"] = id;
        row["name"] = sc["short_name"];
        row["categories"] = ident.categories;
        const bool in_list = std::find(listed.begin(), listed.end(), id) != listed.end();
        if (it != programs.end()) {
            const auto& p = it->second;
            const auto& wf = s.registry.workflow(p.workflow, p.workflow_version);
            const auto* st = wf.stage(p.stage);
            row["stage"] = p.stage;
            row["stage_title"] = st ? st->title : p.stage;
            row["status"] = p.status == "completed" ? "реализована" : in_list ? "по списку" : "на доверии";
            row["program_year"] = p.academic_year;
            const auto t = s.engine.tasks(p, date);
            row["overdue"] = t.overdue;
            row["next_deadline"] = t.next_deadline;
        }
        rows.push_back(row);
    }
    if (a.format == "json") {
        std::cout << data::Json{{"year", year}, {"date", date}, {"schools", rows}}.dump(2) << '\n';
        return exit_code::ok;
    }
    std::cout << "Учебный год " << year << ", на " << date << "\n";
    for (const auto& r : rows) {
        std::string cats;
        for (const auto& c : r["categories"]) cats += (cats.empty() ? "" : ", ") + c.get<std::string>();
        std::cout << r["name"].get<std::string>() << " | " << (cats.empty() ? "—" : cats) << " | "
                  << (r.contains("stage_title") ? r["stage_title"].get<std::string>() + " (" + r["status"].get<std::string>() + ")" : "программы нет");
        if (r.contains("overdue") && !r["overdue"].empty()) {
            std::cout << " | просрочено: ";
            for (std::size_t i = 0; i < r["overdue"].size(); ++i) std::cout << (i ? "; " : "") << r["overdue"][i].get<std::string>();
        }
        if (r.contains("next_deadline") && !r["next_deadline"].get<std::string>().empty()) std::cout << " | далее: " << r["next_deadline"].get<std::string>();
        std::cout << '\n';
    }
    return exit_code::ok;
}

int run_explain(const Args& a) {
    Session s(a, 2, "explain");
    const std::string school = a.positional[1];
    s.require_school(school);
    std::string date = a.date.empty() ? s.last_date() : iso_date(a.date, "explain");
    if (date.empty()) date = s.engine.years().empty() ? "2000-09-01" : workflow::year_start(s.engine.years().front());
    const auto p = s.store->program(school);
    std::cout << s.engine.explain(school, p ? &*p : nullptr, date);
    return exit_code::ok;
}

int run_history(const Args& a) {
    Session s(a, 2, "history");
    const std::string school = a.positional[1];
    s.require_school(school);
    const auto events = s.store->events(school);
    if (events.empty()) std::cout << "Событий нет: программа школы не открывалась (или advance не запускался).\n";
    for (const auto& e : events) {
        std::cout << "#" << e.seq << "  " << e.date << "  " << e.kind << "  " << e.note << '\n';
        if (!e.guard.empty()) std::cout << "      условие: " << e.guard << "\n      факты: " << e.facts_json << '\n';
        std::cout << "      рабочий процесс: " << e.workflow << " v" << e.workflow_version << '\n';
    }
    return exit_code::ok;
}

int run_graph(const Args& a) {
    if (a.positional.size() != 1) usage_error("укажите рабочий процесс: ppko graph ppko", "graph");
    const std::string format = a.format.empty() ? "mermaid" : a.format;
    if (format != "mermaid" && format != "dot") usage_error("формат «" + format + "»: ожидалось mermaid или dot", "graph");
    const std::string& what = a.positional[0];
    if (what.ends_with(".json")) {
        const auto doc = data::parse_json(io::read_file(what), what);
        const auto fns = expr::make_rule_functions();
        std::cout << workflow::graph(workflow::load_workflow(doc, fns), format);
        return exit_code::ok;
    }
    io::Resources res;
    workflow::Registry reg(res);
    std::cout << workflow::graph(reg.workflow(what), format);
    return exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
    ppko::io::tune_allocator_for_batches();
    try {
        // serve, user, municipality: engine/server/commands.h
        if (const auto rc = ppko::server::run_server_command(argc, argv)) return *rc;
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
        struct Sub {
            const char* name;
            const char* help;
            int (*run)(const Args&);
        };
        static const Sub subs[] = {{"advance", kAdvanceHelp, run_advance}, {"status", kStatusHelp, run_status},
                                   {"summary", kSummaryHelp, run_summary}, {"explain", kExplainHelp, run_explain},
                                   {"history", kHistoryHelp, run_history}, {"graph", kGraphHelp, run_graph}};
        for (const auto& sub : subs) {
            if (a.command != sub.name) continue;
            if (a.help) return std::cout << sub.help, exit_code::ok;
            return sub.run(a);
        }
        if (a.command == "help") {
            std::cout << kMainHelp;
            return exit_code::ok;
        }
        usage_error("неизвестная команда «" + a.command + "»; есть: render, check, advance, status, summary, explain, history, graph, serve, user, municipality", nullptr);
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
