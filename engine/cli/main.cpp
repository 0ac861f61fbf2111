// `ppko`: the command line. Sub-commands: render, check. Messages for users are Russian; every
// error line ends with its stable id in brackets. Exit codes: README.md («Коды завершения»).
#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <unistd.h>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "data/schema.h"
#include "data/workspace.h"
#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "importer/archive.h"
#include "importer/describe.h"
#include "importer/form.h"
#include "importer/import.h"
#include "importer/starter.h"
#include "io/atomic_file.h"
#include "sheets/read.h"
#include "render/render.h"
#include "server/commands.h"
#include "store/store.h"
#include "text/russian.h"
#include "text/utf8.h"
#include "view/words.h"
#include "workflow/municipality.h"
#include "workflow/summary.h"
#include "workflow/timeline.h"

namespace {

using namespace ppko;
namespace fs = std::filesystem;

constexpr const char* kVersion = "0.1.0";

const char* kMainHelp = R"(ppko — документы программ повышения качества образования (ППКО) из данных.

Использование:
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--date ДАТА] [--format docx,pdf] [--text] [-j N]
  ppko check ПАПКА_ДАННЫХ [-j N]
  ppko advance ПАПКА_ДАННЫХ --date ГГГГ-ММ-ДД [--dry-run] [--state ФАЙЛ]
  ppko status ПАПКА_ДАННЫХ [--year 2019-2020] [--format table|json] [--state ФАЙЛ]
  ppko summary ПАПКА_ДАННЫХ [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]
  ppko explain ПАПКА_ДАННЫХ ШКОЛА [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]
  ppko history ПАПКА_ДАННЫХ ШКОЛА [--state ФАЙЛ]
  ppko graph РАБОЧИЙ_ПРОЦЕСС [--format mermaid|dot]
  ppko import ПАПКА_ДАННЫХ ФАЙЛ.xlsx|.csv --as indicators|schools|facts [--year 2020-2021] [--mapping MAP.json] [--sheet ЛИСТ] [--replace] [--dry-run]
  ppko form ПАПКА_ДАННЫХ indicators|facts|schools -o БЛАНК.xlsx [--year 2020-2021] [--school КОД]
  ppko init ПАПКА [--authority НАИМЕНОВАНИЕ] [--year 2021-2022]
  ppko describe ПАПКА_ДАННЫХ
  ppko export builtin ПАПКА_ДАННЫХ [ИМЯ]...
  ppko archive ПАПКА_ДАННЫХ -o ФАЙЛ.zip [--state ФАЙЛ]
  ppko restore ФАЙЛ.zip ПАПКА [--state ФАЙЛ]
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
  describe какие показатели, факты и файлы данных нужны методике и документам папки
  export   копирует встроенные шаблоны, схемы, профили и рабочие процессы в папку данных
  archive  папка данных и состояние программ одним файлом (передать коллеге)
  restore  восстанавливает папку данных и состояние из такого файла
  init     создаёт новую папку данных с примерами всех файлов и README.md
  import   загружает показатели, школы или факты из таблицы XLSX или CSV в файл данных
  form     бланк XLSX для заполнения школами и загрузки через import (списки, защита заголовка)
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
  ppko render ПАПКА_ДАННЫХ -o ПАПКА_РЕЗУЛЬТАТОВ [--only ДОКУМЕНТ]... [--date ДАТА]
              [--year 2020-2021] [--state ФАЙЛ | --no-state] [--format docx,xlsx,pdf]
              [--text] [--quiet] [--jobs N]

Папка данных содержит workspace.json (список документов) и файлы данных JSON; шаблоны можно
переопределить в её подпапке templates/. Каждый документ записывается в форматах, указанных
в workspace.json («docx», «xlsx», «pdf»). Файлы пишутся атомарно: при любой ошибке в папке
результатов не остаётся ни одного нового или недописанного файла.

У каждого документа своя дата (в workspace.json: дата заседания, срок план-графиков, конец
учебного года …), и он говорит только то, что было известно на неё: этапы программ, факты,
показатели, пары школ, мероприятия. Состояние программ берётся из файла состояния (его
продвигает ppko advance); на дату позже последнего продвижения оно досчитывается в памяти,
ничего не записывая. Поэтому документ не меняется от того, что программы продвинуты дальше.

Параметры:
  -o, --output ПАПКА   куда записать документы (создаётся при необходимости; не внутри
                       папки данных)
  --only ДОКУМЕНТ      только этот документ (имя из workspace.json); можно повторять
  --date ДАТА          все документы — на эту дату (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)
  --year 2020-2021     учебный год документов, если в workspace.json он не указан
                       (по умолчанию — последний год, за который в данных есть записи);
                       документы «по каждой школе» пишутся в ПАПКА_РЕЗУЛЬТАТОВ/<файл>/<код>.docx
  --state ФАЙЛ         файл состояния программ (по умолчанию — файл advance для этой папки
                       данных, если он есть; команда называет, какой читает)
  --no-state           не читать файл состояния: программы вычисляются по фактам
  --format docx,pdf    записать эти форматы вместо объявленных в workspace.json; PDF делает
                       LibreOffice (пакеты libreoffice-writer-nogui, fonts-liberation)
  --text               дополнительно записать текст каждого документа (.txt) для проверки
  --text-plain         то же, но без номеров пунктов (как текст видят другие программы)
  -q, --quiet          не печатать список созданных файлов
  -j, --jobs N         строить не больше N документов одновременно (по умолчанию — по числу
                       ядер процессора); от N результат не зависит

Рядом с документами пишется manifest.json: каждый файл, его вид, школа, дата документа и
SHA-256. На терминале показывается ход работы; прерванный (Ctrl+C) запуск не оставляет файлов
(код 130).

Примеры:
  ppko render samples/demidovsky -o out/demidovsky
  ppko render samples/demidovsky -o out/demidovsky --only roadmap --only staff
  ppko render samples/smolensk -o out/smolensk
  ppko render samples/smolensk -o out/smolensk-jan --date 2021-01-20 --only decision
)";

const char* kCheckHelp = R"(ppko check — проверить папку данных и шаблоны, ничего не записывая.

Использование:
  ppko check ПАПКА_ДАННЫХ [--jobs N]

Проверяет каждый файл данных по его схеме (обязательные поля, типы, лишние поля с подсказкой
похожего имени, даты) и целостность данных: ссылки на школы, партнёров, факты, заседания;
повторяющиеся записи; значения показателей и фактов по словарю методики (workflows/);
вместимость школ-партнёров. Компилирует шаблоны, рабочие процессы и таблицы решений, строит все
документы в памяти и называет школы, категорию которых идентификация не смогла определить, с
недостающими показателями. Сообщает обо всех ошибках сразу, с номером строки и столбца.

Пример:
  ppko check samples/smolensk
)";

const char* kAdvanceHelp = R"(ppko advance — продвинуть программы школ по фактам, известным к дате.

Использование:
  ppko advance ПАПКА_ДАННЫХ --date ГГГГ-ММ-ДД [--dry-run] [--state ФАЙЛ]

По учебным годам от первого идентифицированного до года даты: определяет перечни участников по
таблице идентификации (по показателям предыдущего года), открывает программы, переводит их
между этапами, когда выполнены условия переходов (по фактам из facts.json не позже даты), и в
конце последнего дня каждого завершившегося учебного года (31 августа) подводит его итог:
программа реализована, если итоговый мониторинг проведён и динамика показателей положительная
(вычисляется по показателям года или указывается фактом final_monitoring с полем dynamics).
Все изменения записываются одной транзакцией вместе с журналом событий; повторный запуск с той
же датой ничего не меняет. Время берётся только из --date.

Параметры:
  --date ДАТА      дата, на которую известны факты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)
  --dry-run        показать, что изменится, ничего не записывая
  --state ФАЙЛ     файл состояния (по умолчанию вне папки данных, см. ppko --help)

Примеры:
  ppko advance samples/smolensk --date 2021-08-31
  ppko advance samples/smolensk --date 2019-05-31 --dry-run
)";

const char* kStatusHelp = R"(ppko status — состояние программ школ.

Использование:
  ppko status ПАПКА_ДАННЫХ [--year 2019-2020] [--date ГГГГ-ММ-ДД] [--format table|json] [--state ФАЙЛ]

Для каждой школы с категорией или программой: категории за учебный год, этап программы,
участие (по списку / «на доверии» / реализована), просроченные задачи этапа и ближайший срок.
По умолчанию — учебный год и дата последнего запуска advance.
)";

const char* kExplainHelp = R"(ppko explain — объяснить категории, партнёров и этап школы.

Использование:
  ppko explain ПАПКА_ДАННЫХ ШКОЛА [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]

На дату (по умолчанию — дата последнего advance): каждый вход таблицы идентификации со
значением, каждое правило с результатом каждой ячейки (да / нет / нет данных); партнёров школы
и почему они выбраны; для программы — условия переходов текущего этапа и исходы конца учебного
года со значениями, которые они видели, и вычисленную динамику показателей с её правилами.

Пример:
  ppko explain samples/smolensk sh-18 --date 2021-08-01
)";

const char* kHistoryHelp = R"(ppko history — журнал событий программы школы.

Использование:
  ppko history ПАПКА_ДАННЫХ ШКОЛА [--state ФАЙЛ]
)";

const char* kSummaryHelp = R"(ppko summary — итоги по учебным годам.

Использование:
  ppko summary ПАПКА_ДАННЫХ [--date ГГГГ-ММ-ДД] [--state ФАЙЛ]

Для каждой категории программ (ШНРО, ШФНСУ …), на дату (по умолчанию — последнего advance):
учебный год; школы по перечню; продолжающие реализацию программ «на доверии» (программа идёт,
а школы в перечне года нет); реализовавшие программу с положительными результатами (в конце
года); процент к перечню первого года — как в источнике: (продолжающие ∪ реализовавшие) / число
школ перечня первого года (может превышать 100 %); доля реализовавших из программ года; и
сколько программ каждого года открытия реализовано.
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

// "1 файл", "3 файла", "5 файлов": a count with its noun agreed (text::plural_form).
std::string count_of(std::size_t n, std::string_view one, std::string_view few, std::string_view many) {
    return std::to_string(n) + " " + std::string(text::plural_form(static_cast<long long>(n), one, few, many));
}

// `p` with symbolic links followed to the end (also a link whose target does not exist yet, which
// weakly_canonical would leave as it is) and made absolute: the path a file would really be
// created at.
fs::path resolved(fs::path p) {
    std::error_code ec;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) break;
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    return fs::weakly_canonical(fs::absolute(p, ec), ec);
}

// True when `p` is `dir` itself or lies inside it (links followed).
bool inside(const fs::path& p, const fs::path& dir) {
    const auto rel = resolved(p).lexically_relative(resolved(dir));
    return !rel.empty() && *rel.begin() != "..";
}

// A state file of a workflow command or of render: never inside the data folder (samples/ stay
// read-only inputs).
void check_state_outside(const fs::path& state, const data::Workspace& ws, const char* cmd) {
    if (inside(state, ws.dir)) {
        usage_error("файл состояния " + state.string() + " оказался внутри папки данных; укажите другой: --state ФАЙЛ", cmd);
    }
}

// An academic year from the command line: "2019-2020".
void check_year(const std::string& year, const char* cmd) {
    if (!year.empty() && !text::parse_academic_year(year)) {
        usage_error("учебный год «" + year + "» записан неверно; пример: --year 2019-2020", cmd);
    }
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
    bool no_state = false;
    std::string date, state, year, format;
    std::string as, mapping, sheet;  // import
    std::string school;              // form
    std::string authority;           // init
    bool replace = false;
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
        } else if (s == "--only" || s.rfind("--only=", 0) == 0) {
            // A document named twice is built once (its files would otherwise be written twice).
            std::string id = s == "--only" ? value("--only") : s.substr(7);
            if (std::find(a.only.begin(), a.only.end(), id) == a.only.end()) a.only.push_back(std::move(id));
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
        } else if (s == "--as") {
            a.as = value("--as");
        } else if (s == "--mapping") {
            a.mapping = value("--mapping");
        } else if (s == "--school") {
            a.school = value("--school");
        } else if (s == "--sheet") {
            a.sheet = value("--sheet");
        } else if (s == "--authority") {
            a.authority = value("--authority");
        } else if (s == "--replace") {
            a.replace = true;
        } else if (s == "--dry-run") {
            a.dry_run = true;
        } else if (s == "--no-state") {
            a.no_state = true;
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

// Where a command's program state lives: --state, or the default file. `must_exist`: reading
// commands never create a state file (no file: nothing advanced yet).
struct StatePlace {
    fs::path path;
    bool given = false;  // --state on the command line
};

StatePlace state_place(const Args& a, const data::Workspace& ws, const char* cmd) {
    StatePlace p;
    p.given = !a.state.empty();
    p.path = p.given ? fs::path(a.state) : store::default_state_path(ws.name);
    check_state_outside(p.path, ws, cmd);
    return p;
}

// The store's content, or an empty snapshot when there is no state file yet. Reading never
// creates, migrates or otherwise changes the file.
workflow::Snapshot read_snapshot(const StatePlace& place) {
    std::error_code ec;
    if (!fs::exists(place.path, ec)) return {};
    store::SqliteOptions options;
    options.create = false;
    auto st = store::open_sqlite_store(place.path, options);
    if (!st) return {};
    return workflow::Snapshot::read(*st, place.path.string());
}

std::string plural(long long n, const char* one, const char* few, const char* many) {
    return count_of(static_cast<std::size_t>(n < 0 ? -n : n), one, few, many);
}

int run_render(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "render");
    if (a.output.empty()) usage_error("не указана папка результатов: -o ПАПКА", "render");
    if (a.dry_run) usage_error("у render нет параметра --dry-run", "render");
    if (a.no_state && !a.state.empty()) usage_error("--state и --no-state вместе не указываются", "render");
    check_year(a.year, "render");
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    // Results outside the data folder: a manifest.json there would be read as data by the next
    // run, and the workspace would be changed by a command that should only read it.
    if (inside(a.output, ws.dir)) {
        usage_error("папка результатов " + a.output + " находится внутри папки данных " + a.positional[0] + "; укажите другую: -o ПАПКА", "render");
    }
    const workflow::Municipality m(ws);
    workflow::Snapshot snapshot;
    if (m.workflow() && !a.no_state) {
        const StatePlace place = state_place(a, ws, "render");
        std::error_code ec;
        if (place.given && !fs::exists(place.path, ec)) {
            throw Error(ErrorId::io_read, place.path.string(), {}, "", "файла состояния нет; проверьте путь в --state или уберите параметр, чтобы программы были вычислены по фактам");
        }
        snapshot = read_snapshot(place);
        if (!a.quiet) {
            if (snapshot.advanced_through) {
                std::cerr << "Состояние программ: " << place.path.string() << " (продвинуто по " << snapshot.advanced_through->ru() << ")\n";
            } else {
                std::cerr << "Состояние программ не сохранялось (" << place.path.string() << " нет): программы вычислены по фактам\n";
            }
        }
    }
    render::PackageRenderer r(m, snapshot);
    render::Options o;
    o.only = a.only;
    o.text = a.text;
    o.text_plain = a.text_plain;
    o.year = a.year;
    o.date = a.date;
    o.jobs = a.jobs;
    for (std::size_t at = 0; !a.format.empty() && at <= a.format.size();) {  // --format docx,pdf
        const std::size_t comma = std::min(a.format.find(',', at), a.format.size());
        const std::string f = a.format.substr(at, comma - at);
        if (f != "docx" && f != "xlsx" && f != "pdf") usage_error("формат «" + f + "»: ожидалось docx, xlsx или pdf (через запятую)", "render");
        o.formats.push_back(f);
        at = comma + 1;
    }
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
            std::cerr << done + 1 << "/" << total << " " << what << '\n';  // `done` counts the documents started before
        }
        shown = done;
    };
    const auto files = r.render_to(a.output, o);
    if (!a.quiet) {
        for (const auto& f : files) std::cout << f.path.string() << '\n';
        std::cerr << "Готово: " << plural(static_cast<long long>(files.size()), "файл", "файла", "файлов") << " в " << a.output << '\n';
    }
    return exit_code::ok;
}

int run_check(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "check");
    if (!a.output.empty() || !a.only.empty()) usage_error("check ничего не записывает: параметры -o и --only здесь не нужны", "check");
    if (a.dry_run || !a.state.empty() || !a.date.empty()) usage_error("у check нет параметров --dry-run, --state и --date", "check");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    // Workflows, decision tables (their static checks included) and the data's integrity.
    const workflow::Municipality m(ws);
    if (const workflow::Identifier* id = m.identifier()) {
        const auto& years = m.domain().list_years();
        std::cout << "рабочий процесс «" << m.workflow()->title << "» (" << m.workflow()->id << ", версия " << m.workflow()->version << "): "
                  << plural(static_cast<long long>(years.size()), "учебный год", "учебных года", "учебных лет") << " с показателями для идентификации — в порядке\n";
        // Schools the identification could not decide, with what it missed.
        const view::Words words(m.table());
        std::size_t undecided = 0;
        for (const auto& year : years) {
            for (std::size_t k = 0; k < m.domain().schools().size(); ++k) {
                const auto ident = id->identify(k, year);
                if (!id->undecided(ident)) continue;
                ++undecided;
                std::string missing;
                for (const auto& [input, path] : ident.unknown_inputs) missing += (missing.empty() ? "" : ", ") + path;
                const auto period = workflow::Identifier::basis_period(year);
                std::cout << "  не определена категория: " << m.domain().schools()[k].short_name << " (" << m.domain().schools()[k].id << "), "
                          << year.name() << ": " << (ident.basis ? "не хватает показателей за " + period->name() + ": " + missing
                                                                 : "нет показателей за " + (period ? period->name() : std::string("предыдущий год")))
                          << '\n';
            }
        }
        if (undecided) std::cout << "идентификация не решена для " << plural(static_cast<long long>(undecided), "случая", "случаев", "случаев") << " (школа и год): дополните indicators.json\n";
    }
    const workflow::Snapshot no_state;  // the renderer keeps a reference: it must outlive `r`
    render::PackageRenderer r(m, no_state);
    const std::size_t built = r.check_all(a.jobs);
    for (const auto& spec : ws.documents) {
        std::cout << spec.id << ": шаблон «" << spec.template_name << "»" << (spec.per_participant ? " (по каждой школе)" : "") << " — в порядке\n";
    }
    std::cout << "построено в памяти документов: " << built << '\n';
    std::cerr << "Ошибок нет: " << plural(static_cast<long long>(ws.documents.size()), "документ", "документа", "документов") << " в " << a.positional[0] << '\n';
    return exit_code::ok;
}

domain::Date parse_date_arg(const std::string& d, const char* cmd) {
    const auto x = domain::Date::parse(d);
    if (!x) usage_error("дата «" + d + "» записана неверно или не существует; пример: --date 2019-05-31", cmd);
    return *x;
}

// A workflow command's world: the workspace, its methodology and domain, and the state file.
struct Session {
    data::Workspace ws;
    std::unique_ptr<workflow::Municipality> m;
    StatePlace place;
    const char* cmd;

    Session(const Args& a, std::size_t positional, const char* command) : ws(load(a, positional, command)), cmd(command) {
        m = std::make_unique<workflow::Municipality>(ws);
        if (!m->workflow()) {
            throw Error(ErrorId::workflow_not_found, (ws.dir / "workspace.json").string(), {}, "$.workflow",
                        "в workspace.json не указан рабочий процесс программ («workflow»: \"ppko\")");
        }
        place = state_place(a, ws, command);
    }
    static data::Workspace load(const Args& a, std::size_t positional, const char* cmd) {
        if (a.positional.size() != positional) {
            usage_error(a.positional.empty() ? "не указана папка данных"
                        : a.positional.size() < positional ? "не указана школа (код из schools.json)"
                                                           : "лишний аргумент «" + a.positional.back() + "»",
                        cmd);
        }
        return data::load_workspace(a.positional[0]);
    }
    const workflow::Identifier& identifier() const { return *m->identifier(); }
    const workflow::Advancer& advancer() const { return *m->advancer(); }
    std::size_t require_school(const std::string& id) const {
        const auto k = m->domain().school_index(id);
        if (!k) {
            std::vector<std::string> ids;
            for (const auto& s : m->domain().schools()) ids.push_back(s.id);
            std::string msg = "в schools.json нет школы с кодом «" + id + "»";
            const auto near = data::nearest(id, ids);
            if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            throw Error(ErrorId::workspace_unknown_school, "", {}, "", msg);
        }
        return *k;
    }
    // The date a reading command looks at: --date, else the last advance, else the start of
    // the first identified year.
    domain::Date date(const Args& a, const workflow::Snapshot& s) const {
        if (!a.date.empty()) return parse_date_arg(a.date, cmd);
        if (s.advanced_through) return *s.advanced_through;
        const auto& years = m->domain().list_years();
        return years.empty() ? domain::AcademicYear::of(*domain::Date::from_ymd(2000, 9, 1)).start() : years.front().start();
    }
    void say_state(const workflow::Snapshot& s) const {
        std::cerr << "Состояние программ: " << place.path.string()
                  << (s.advanced_through ? " (продвинуто по " + s.advanced_through->ru() + ")" : std::string(" (ещё не продвигалось: программы вычислены по фактам)")) << '\n';
    }
};

int run_advance(const Args& a) {
    if (a.date.empty()) usage_error("нужна дата: --date ГГГГ-ММ-ДД", "advance");
    const domain::Date date = parse_date_arg(a.date, "advance");
    Session s(a, 1, "advance");
    const view::Words words(s.m->table());
    auto print = [&](workflow::Plan& plan) {
        for (auto& e : plan.events) {
            e.note = words.describe(e, s.advancer().workflow_of(e.workflow, e.version));
            std::cout << e.date.iso() << "  " << s.m->domain().party_name(e.school) << "  " << e.note << '\n';
        }
    };
    if (a.dry_run) {
        const workflow::Snapshot snap = read_snapshot(s.place);
        workflow::Plan plan = s.advancer().advance(snap.programs, date);
        print(plan);
        std::cerr << "Пробный запуск: " << plural(static_cast<long long>(plan.events.size()), "событие", "события", "событий") << ", "
                  << plural(static_cast<long long>(plan.programs.size()), "программа изменилась бы", "программы изменились бы", "программ изменились бы")
                  << "; ничего не записано\n";
        return exit_code::ok;
    }
    auto store = store::open_sqlite_store(s.place.path);
    // The write lock is taken before the state is read, so two runs cannot interleave.
    auto tx = store->begin();
    const workflow::Snapshot snap = workflow::Snapshot::read(*store, s.place.path.string());
    workflow::Plan plan = s.advancer().advance(snap.programs, date);
    print(plan);
    for (const auto& p : plan.programs) tx->put_program(workflow::to_store(p));
    for (const auto& e : plan.events) tx->append_event(workflow::to_store(e));
    const domain::Date through = snap.advanced_through && *snap.advanced_through > date ? *snap.advanced_through : date;
    tx->set_meta("advanced_through", through.iso());
    tx->commit();
    std::cerr << (plan.events.empty() ? std::string("Изменений нет")
                                      : "Записано: " + plural(static_cast<long long>(plan.events.size()), "событие", "события", "событий") + ", " +
                                            plural(static_cast<long long>(plan.programs.size()), "программа", "программы", "программ"))
              << " (на " << date.ru() << ") в " << s.place.path.string() << "\n";
    return exit_code::ok;
}

std::string join_names(const workflow::Municipality& m, const std::vector<std::size_t>& ids) {
    std::string out;
    for (const auto k : ids) out += (out.empty() ? "" : ", ") + m.domain().schools()[k].short_name;
    return out.empty() ? "—" : out;
}

int run_summary(const Args& a) {
    Session s(a, 1, "summary");
    const workflow::Snapshot snap = read_snapshot(s.place);
    if (!snap.advanced_through && a.date.empty()) usage_error("программы ещё не продвигались: сначала ppko advance … --date, или укажите --date", "summary");
    const domain::Date date = s.date(a, snap);
    const workflow::Timeline t = workflow::as_of(snap, s.advancer(), date);
    const view::Words words(s.m->table());
    auto pct = [](const std::optional<int>& p) { return p ? std::to_string(*p) + "%" : std::string("—"); };
    bool first_table = true;
    for (const auto& cs : workflow::summarize(s.identifier(), t.events, date)) {
        if (!first_table) std::cout << '\n';
        first_table = false;
        if (!cs.category.empty()) {
            const auto c = words.category(cs.category);
            std::cout << "Программы " << (c.abbr.empty() ? c.title : c.abbr) << " (" << c.title << "), на " << date.ru() << "\n";
        }
        std::cout << "Учебный год | Участники (по перечню) | Продолжают реализацию программ (на доверии) | "
                     "Программа реализована (положительные результаты) | Процент (к перечню первого года) | Реализовали из программ года\n";
        for (const auto& r : cs.rows) {
            std::cout << r.year.name() << " | " << join_names(*s.m, r.listed) << " | " << join_names(*s.m, r.on_trust) << " | "
                      << join_names(*s.m, r.completed) << " | " << pct(r.first_list_percent) << " | "
                      << (r.running ? std::to_string(r.completed.size()) + " из " + std::to_string(r.running) + " (" + pct(r.completed_percent) + ")" : std::string("—"))
                      << '\n';
        }
        if (!cs.cohorts.empty()) {
            std::cout << "По году открытия программы:";
            for (const auto& c : cs.cohorts) std::cout << " " << c.opened.name() << " — реализовано " << c.completed << " из " << c.programs << ";";
            std::cout << '\n';
        }
    }
    std::cout << "\nПроцент к перечню первого года — как в источнике (seed 002): (продолжающие «на доверии» ∪ реализовавшие) / число школ перечня первого года; "
                 "может превышать 100 %, если позднейшие перечни больше первого. «Реализовали из программ года» — доля программ, шедших в этом году, "
                 "которые реализованы в его конце.\n";
    return exit_code::ok;
}

int run_status(const Args& a) {
    if (a.dry_run) usage_error("status ничего не записывает: --dry-run здесь не нужен", "status");
    Session s(a, 1, "status");
    const workflow::Snapshot snap = read_snapshot(s.place);
    const domain::Date date = s.date(a, snap);
    std::optional<domain::AcademicYear> year = domain::AcademicYear::of(date);
    if (!a.year.empty()) {
        year = domain::AcademicYear::parse(a.year);
        if (!year) usage_error("учебный год «" + a.year + "» записан неверно; пример: --year 2019-2020", "status");
    }
    if (!a.format.empty() && a.format != "table" && a.format != "json") usage_error("формат «" + a.format + "»: ожидалось table или json", "status");
    const workflow::Timeline t = workflow::as_of(snap, s.advancer(), date);
    const view::Words words(s.m->table());
    data::Json rows = data::Json::array();
    const auto& dom = s.m->domain();
    for (std::size_t k = 0; k < dom.schools().size(); ++k) {
        const auto& school = dom.schools()[k];
        const auto& cats = s.identifier().categories(k, *year);
        const workflow::Program* p = t.program(school.id);
        if (cats.empty() && !p) continue;
        data::Json row;
        row["school"] = school.id;
        row["name"] = school.short_name;
        data::Json titles = data::Json::array();
        for (const auto& c : cats) titles.push_back(words.category_short(c));
        row["categories"] = titles;
        if (p) {
            const auto& wf = s.advancer().workflow_of(*p);
            row["stage"] = p->stage;
            row["stage_title"] = view::Words::stage_title(wf, p->stage);
            row["status"] = p->status == workflow::ProgramStatus::completed ? "реализована" : s.identifier().participates(k, p->year) ? "по перечню" : "на доверии";
            row["program_year"] = p->year.name();
            const auto tasks = s.advancer().tasks(*p, date);
            data::Json overdue = data::Json::array();
            for (const auto& o : tasks.overdue) overdue.push_back(o.task->activity + " (до " + o.due.ru() + ")");
            row["overdue"] = overdue;
            row["next_deadline"] = tasks.next ? tasks.next->due.ru() + " — " + tasks.next->task->activity : std::string();
        }
        rows.push_back(row);
    }
    if (a.format == "json") {
        std::cout << data::Json{{"year", year->name()}, {"date", date.iso()}, {"state", s.place.path.string()}, {"schools", rows}}.dump(2) << '\n';
        return exit_code::ok;
    }
    s.say_state(snap);
    std::cout << "Учебный год " << year->name() << ", на " << date.ru() << "\n";
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
    if (a.dry_run) usage_error("explain ничего не записывает: --dry-run здесь не нужен", "explain");
    Session s(a, 2, "explain");
    const std::size_t school = s.require_school(a.positional[1]);
    const workflow::Snapshot snap = read_snapshot(s.place);
    const domain::Date date = s.date(a, snap);
    const workflow::Timeline t = workflow::as_of(snap, s.advancer(), date);
    const workflow::Program* p = t.program(a.positional[1]);
    const domain::AcademicYear year = p && p->status == workflow::ProgramStatus::active ? p->year : domain::AcademicYear::of(date);
    std::optional<workflow::YearPairs> pairs;
    if (const domain::Partnership* decision = s.m->domain().partnership(year, date)) pairs = workflow::pair_schools(s.identifier(), *decision);
    const view::Words words(s.m->table());
    std::cout << view::explain(words, s.identifier(), &s.advancer(), school, year, p, pairs ? &*pairs : nullptr, date);
    return exit_code::ok;
}

int run_history(const Args& a) {
    if (a.dry_run) usage_error("history ничего не записывает: --dry-run здесь не нужен", "history");
    Session s(a, 2, "history");
    s.require_school(a.positional[1]);
    const workflow::Snapshot snap = read_snapshot(s.place);
    bool any = false;
    for (const auto& e : snap.events) {
        if (e.school != a.positional[1]) continue;
        any = true;
        std::cout << "#" << e.seq << "  " << e.date.ru() << "  " << e.note << '\n';
        if (!e.guard.empty()) std::cout << "      условие: " << e.guard << "\n      данные: " << e.read.dump() << '\n';
        std::cout << "      рабочий процесс: " << e.workflow << ", версия " << e.version << '\n';
    }
    if (!any) std::cout << "Событий нет: программа школы не открывалась (или advance не запускался). Файл состояния: " << s.place.path.string() << "\n";
    return exit_code::ok;
}

int run_graph(const Args& a) {
    if (a.positional.size() != 1) usage_error("укажите рабочий процесс: ppko graph ppko", "graph");
    if (a.dry_run || !a.state.empty() || !a.date.empty()) usage_error("у graph нет параметров --dry-run, --state и --date", "graph");
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

const char* kImportHelp = R"(ppko import ПАПКА_ДАННЫХ ФАЙЛ.xlsx|.csv --as indicators|schools|facts [параметры]

Загружает строки таблицы в файл данных (indicators.json, schools.json или facts.json): столбцы
узнаются по заголовкам (тем, что пишет ppko form, и русским названиям полей и показателей
методики), школы — по коду, полному или сокращённому наименованию. Строки заголовка над
таблицей, объединённые ячейки, числа текстом («16,5», «16%»), пустые ячейки и строка «Итого»
допускаются. Печатает, что добавлено и изменено; файл записывается атомарно.

  --as ВИД            indicators (показатели), schools (школы) или facts (факты)
  --year 2020-2021    учебный год показателей, если в таблице нет столбца «Учебный год»
  --mapping MAP.json  сопоставление столбцов полям: {"columns": {"Заголовок": "results.oge_rus_fail",
                      "Лишний столбец": null}, "sheet": "Лист1"}
  --sheet ЛИСТ        лист книги (по умолчанию первый видимый, кроме «Инструкция»)
  --replace           заменять записанные значения, которые в таблице другие (без него это ошибка)
  --dry-run           только показать, что будет добавлено и изменено
)";

int run_import(const Args& a) {
    if (a.positional.size() != 2) usage_error(a.positional.empty() ? "не указана папка данных" : a.positional.size() == 1 ? "не указан файл таблицы (.xlsx или .csv)" : "лишний аргумент «" + a.positional[2] + "»", "import");
    const auto kind = importer::parse_kind(a.as);
    if (!kind) usage_error(a.as.empty() ? "не указано, что загружать: --as indicators|schools|facts" : "--as «" + a.as + "»: ожидалось indicators, schools или facts", "import");
    if (!a.year.empty()) check_year(a.year, "import");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    const workflow::Municipality m(ws);
    importer::Options opts;
    opts.kind = *kind;
    opts.year = a.year;
    opts.sheet = a.sheet;
    if (!a.mapping.empty()) opts.mapping = fs::path(a.mapping);
    opts.replace = a.replace;
    const auto book = sheets::read_workbook(a.positional[1]);
    importer::Vocabulary voc;
    voc.identification = m.table();
    if (m.workflow()) voc.facts = &m.workflow()->facts;
    const auto plan = importer::plan_import(ws, voc, book, opts);
    std::cout << importer::report(plan, a.dry_run);
    if (!a.dry_run && plan.changes_anything()) {
        io::OutputTransaction tx;
        tx.write(plan.file, plan.text);
        tx.commit();
    }
    return exit_code::ok;
}

const char* kFormHelp = R"(ppko form ПАПКА_ДАННЫХ indicators|facts|schools -o БЛАНК.xlsx [--year 2020-2021] [--school КОД]

Создаёт бланк XLSX для заполнения: лист «Данные» — строка на каждую школу из schools.json
(или одну, --school), столбцы с теми заголовками, которые ppko import узнаёт без сопоставления:
код и наименование школы, затем показатели методики (indicators), дата, факт и пояснение
(facts) или поля школы, уже заполненные из schools.json (schools). В ячейках — проверка значений:
списки допустимых значений, числа в пределах показателя, даты. Заголовок и коды школ защищены
от изменения (без пароля), ячейки для данных открыты. Лист «Инструкция» — что вписать и как
загрузить бланк обратно: ppko import ПАПКА_ДАННЫХ БЛАНК.xlsx --as indicators|facts|schools.

  -o БЛАНК.xlsx       файл бланка (записывается атомарно)
  --year 2020-2021    indicators: учебный год показателей — столбец «Учебный год», уже заполненный
                      (без него при загрузке укажите --year)
  --school КОД        только эта школа
)";

int run_form(const Args& a) {
    if (a.positional.size() != 2) usage_error(a.positional.empty() ? "не указана папка данных" : a.positional.size() == 1 ? "не указан вид бланка: indicators, facts или schools" : "лишний аргумент «" + a.positional[2] + "»", "form");
    const auto kind = importer::parse_kind(a.positional[1]);
    if (!kind) usage_error("вид бланка «" + a.positional[1] + "»: ожидалось indicators, facts или schools", "form");
    if (a.output.empty()) usage_error("не указан файл бланка: -o БЛАНК.xlsx", "form");
    if (!a.year.empty()) check_year(a.year, "form");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    const workflow::Municipality m(ws);
    importer::Vocabulary voc;
    voc.identification = m.table();
    if (m.workflow()) voc.facts = &m.workflow()->facts;
    importer::FormOptions opts;
    opts.kind = *kind;
    opts.year = *kind == importer::Kind::indicators ? a.year : "";
    opts.school = a.school;
    const std::string bytes = importer::form_workbook(ws, voc, opts);
    if (const fs::path parent = fs::path(a.output).parent_path(); !parent.empty()) io::ensure_directory(parent);
    io::OutputTransaction tx;
    tx.write(a.output, bytes);
    tx.commit();
    std::cout << "Бланк записан: " << a.output << "\nПосле заполнения: ppko import " << a.positional[0] << " " << a.output
              << " --as " << importer::stem_of(*kind)
              << (*kind == importer::Kind::indicators && a.year.empty() ? " --year 2020-2021" : "") << "\n";
    return exit_code::ok;
}

const char* kInitHelp = R"(ppko init ПАПКА [--authority НАИМЕНОВАНИЕ] [--year 2021-2022]

Создаёт новую папку данных: workspace.json со списком документов (приказ и дорожная карта),
authority.json, order.json, roadmap.json, schools.json, indicators.json, facts.json — в каждом по
одной примерной записи — и README.md с полями каждого файла и их описаниями. Проверка
(ppko check) и создание документов (ppko render) проходят на ней сразу. Папка не должна
существовать или должна быть пустой.

  --authority НАИМЕНОВАНИЕ  орган управления образованием («Управление образования города N»)
  --year 2021-2022          учебный год программ (по умолчанию — текущий); показатели примера —
                            за предыдущий год
)";

int run_init(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка, которую создать" : "лишний аргумент «" + a.positional[1] + "»", "init");
    const fs::path dir = a.positional[0];
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
        usage_error("папка " + dir.string() + " уже есть и не пуста; ppko init создаёт новую папку данных", "init");
    }
    importer::StarterOptions opts;
    opts.authority = a.authority;
    opts.year = a.year;
    if (opts.year.empty()) {
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        localtime_r(&now, &tm);
        const int y = tm.tm_year + 1900 - (tm.tm_mon < 8 ? 1 : 0);  // from September on, the new year
        opts.year = std::to_string(y) + "-" + std::to_string(y + 1);
    }
    check_year(opts.year, "init");
    const auto files = importer::starter_files(opts);
    io::ensure_directory(dir);
    io::OutputTransaction tx;
    for (const auto& [name, text] : files) tx.write(dir / name, text);
    tx.commit();
    std::cout << "Создана папка данных " << dir.string() << ": " << files.size() << " файлов (описание полей — в README.md)\n"
              << "Дальше: ppko check " << dir.string() << "\n";
    return exit_code::ok;
}

const char* kDescribeHelp = R"(ppko describe ПАПКА_ДАННЫХ

Печатает, что нужно методике и документам папки: каждый показатель, который читает
идентификация (путь в indicators.json, название, единица и диапазон), каждый факт рабочего
процесса с допустимыми значениями его полей и для каждого документа из workspace.json — файлы
данных, которые может читать его шаблон.
)";

int run_describe(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "describe");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    const workflow::Municipality m(ws);
    std::cout << importer::describe(m);
    return exit_code::ok;
}

const char* kExportHelp = R"(ppko export builtin ПАПКА_ДАННЫХ [ИМЯ]...

Записывает встроенные файлы в папки переопределений папки данных: шаблоны, схемы и профили —
в ПАПКА_ДАННЫХ/templates/ (order.tpl, schemas/schools.schema.json, profiles/…), рабочие
процессы и таблицы решений — в ПАПКА_ДАННЫХ/workflows/. Файл там заменяет встроенный с тем же
именем: правьте копию. С именами — только эти файлы (ppko export builtin ПАПКА order.tpl
workflows/ppko.json). Уже существующие файлы не перезаписываются: тогда ничего не записывается.
)";

int run_export(const Args& a) {
    if (a.positional.empty() || a.positional[0] != "builtin") usage_error("ожидалось: ppko export builtin ПАПКА_ДАННЫХ [ИМЯ]...", "export");
    if (a.positional.size() < 2) usage_error("не указана папка данных", "export");
    const fs::path dir = a.positional[1];
    if (!fs::is_regular_file(dir / "workspace.json")) usage_error("в " + dir.string() + " нет workspace.json: это не папка данных", "export");
    const auto files = importer::builtin_files({a.positional.begin() + 2, a.positional.end()});
    std::string existing;
    for (const auto& [name, text] : files) {
        std::error_code ec;
        if (fs::exists(dir / name, ec)) existing += (existing.empty() ? "" : ", ") + name;
    }
    if (!existing.empty()) usage_error("в папке данных уже есть (не перезаписываются): " + existing + "; ничего не записано", "export");
    io::OutputTransaction tx;
    for (const auto& [name, text] : files) {
        io::ensure_directory((dir / name).parent_path());
        tx.write(dir / name, text);
    }
    tx.commit();
    std::cout << "Записано в " << dir.string() << ": " << plural(static_cast<long long>(files.size()), "файл", "файла", "файлов") << '\n';
    return exit_code::ok;
}

const char* kArchiveHelp = R"(ppko archive ПАПКА_ДАННЫХ -o ФАЙЛ.zip [--state ФАЙЛ]

Записывает папку данных (все файлы, включая templates/ и workflows/) и файл состояния программ
(по умолчанию — тот, что читают advance и status; --state — другой) в один архив ZIP, чтобы
передать работу коллеге: ppko restore ФАЙЛ.zip ПАПКА восстановит и то и другое.
)";

int run_archive(const Args& a) {
    if (a.positional.size() != 1) usage_error(a.positional.empty() ? "не указана папка данных" : "лишний аргумент «" + a.positional[1] + "»", "archive");
    if (a.output.empty()) usage_error("не указан файл архива: -o ФАЙЛ.zip", "archive");
    const data::Workspace ws = data::load_workspace(a.positional[0]);
    const StatePlace place = state_place(a, ws, "archive");
    const fs::path out = a.output;
    if (resolved(out).string().rfind(resolved(ws.dir).string() + "/", 0) == 0) {
        usage_error("файл архива " + out.string() + " оказался внутри папки данных; укажите другой: -o ФАЙЛ.zip", "archive");
    }
    const std::string bytes = importer::make_archive(ws.dir, ws.name, place.path);
    io::OutputTransaction tx;
    tx.write(out, bytes);
    tx.commit();
    std::error_code ec;
    std::cout << "Архив " << out.string() << ": папка данных " << ws.dir.string() << " и "
              << (fs::is_regular_file(place.path, ec) ? "состояние программ " + place.path.string() : "без состояния (" + place.path.string() + " нет)") << '\n';
    return exit_code::ok;
}

const char* kRestoreHelp = R"(ppko restore ФАЙЛ.zip ПАПКА [--state ФАЙЛ]

Восстанавливает из архива ppko archive папку данных в ПАПКА (её не должно быть, или она пуста)
и состояние программ — в файл состояния по умолчанию для этой папки или в --state ФАЙЛ
(существующий файл состояния не перезаписывается).
)";

int run_restore(const Args& a) {
    if (a.positional.size() != 2) usage_error(a.positional.empty() ? "не указан файл архива" : a.positional.size() == 1 ? "не указана папка, куда восстановить" : "лишний аргумент «" + a.positional[2] + "»", "restore");
    const fs::path file = a.positional[0], dir = a.positional[1];
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
        usage_error("папка " + dir.string() + " уже есть и не пуста; укажите новую", "restore");
    }
    const std::string bytes = io::read_file(file);
    const auto u = importer::read_archive(bytes, file.string());
    fs::path state;
    if (u.state) {
        state = a.state.empty() ? store::default_state_path(u.workspace_name) : fs::path(a.state);
        if (fs::exists(state, ec)) usage_error("файл состояния " + state.string() + " уже есть и не перезаписывается; укажите другой: --state ФАЙЛ", "restore");
        if (resolved(state).string().rfind(resolved(dir).string() + "/", 0) == 0) {
            usage_error("файл состояния " + state.string() + " оказался внутри папки данных; укажите другой: --state ФАЙЛ", "restore");
        }
    }
    io::ensure_directory(dir);
    io::OutputTransaction tx;
    for (const auto& [name, text] : u.files) {
        io::ensure_directory((dir / name).parent_path());
        tx.write(dir / name, text);
    }
    if (u.state) {
        io::ensure_directory(state.parent_path().empty() ? fs::path(".") : state.parent_path());
        tx.write(state, *u.state);
    }
    tx.commit();
    std::cout << "Восстановлено: папка данных " << dir.string() << " (" << plural(static_cast<long long>(u.files.size()), "файл", "файла", "файлов") << ")"
              << (u.state ? ", состояние программ " + state.string() : std::string(", без состояния программ")) << '\n';
    if (u.state && !a.state.empty()) std::cout << "Указывайте его командам: --state " << state.string() << '\n';
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
                                   {"history", kHistoryHelp, run_history}, {"graph", kGraphHelp, run_graph},
                                   {"import", kImportHelp, run_import}, {"form", kFormHelp, run_form},
                                   {"init", kInitHelp, run_init},
                                   {"describe", kDescribeHelp, run_describe}, {"export", kExportHelp, run_export},
                                   {"archive", kArchiveHelp, run_archive}, {"restore", kRestoreHelp, run_restore}};
        for (const auto& sub : subs) {
            if (a.command != sub.name) continue;
            if (a.help) return std::cout << sub.help, exit_code::ok;
            return sub.run(a);
        }
        if (a.command == "help") {
            std::cout << kMainHelp;
            return exit_code::ok;
        }
        usage_error("неизвестная команда «" + a.command + "»; есть: render, check, advance, status, summary, explain, history, graph, import, form, init, describe, export, archive, restore, serve, user, municipality", nullptr);
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
