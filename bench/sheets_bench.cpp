// sheets_bench: reading a results table of the whole country (40,000 schools, 10 columns) from
// XLSX and from CSV — the reader (engine/sheets: ZIP, XML, cells) and the table layer (header,
// rows, every value parsed) — timed per run; prints medians, CPU and peak RSS. The workbook is
// written by our own XLSX writer (engine/xlsx) with a title row and a two-row merged header; the
// CSV is the same table in Windows-1251 with ';', as Russian Excel saves it. Nothing asserted;
// see bench/README.md («sheets_bench»).
//
//   sheets_bench [--schools N] [--runs R]      N = 40000, R = 7 by default
//   sheets_bench --write DIR [--schools N]     only write DIR/results.xlsx and DIR/results.csv
//   sheets_bench --read FILE [--runs R]        time reading one file (what the above runs, in a
//                                              process of its own per file, for its peak RSS)
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "io/allocator.h"
#include "io/atomic_file.h"
#include "sheets/csv_reader.h"
#include "sheets/read.h"
#include "sheets/table.h"
#include "document/table_cells.h"
#include "xlsx/xlsx_writer.h"

#include "bench_util.h"

namespace {

using namespace ppko;
using doc::covered_cell;
using doc::text_cell;
using namespace ppko::bench;

const char* const kDistricts[] = {"Заднепровский", "Ленинский", "Промышленный", "Демидовский", "Сафоновский"};
const char* const kKinds[] = {"СШ", "ОШ", "Гимназия", "Лицей", "НШ"};

// Row i of the table as text, the way an export writes it.
std::vector<std::string> school_row(int i) {
    const int participants = 20 + i % 180;
    char share[16], average[16], date[16];
    std::snprintf(share, sizeof share, "%d,%d", i % 40, i % 10);
    std::snprintf(average, sizeof average, "%d,%d", 2 + i % 4, i % 10);
    std::snprintf(date, sizeof date, "%02d.%02d.2021", 1 + i % 28, 4 + i % 3);
    return {std::to_string(i + 1),
            "sh-" + std::to_string(100000 + i),
            "МБОУ «" + std::string(kKinds[i % 5]) + " № " + std::to_string(1 + i % 97) + "» г. Энска-" + std::to_string(i / 97),
            kDistricts[i % 5],
            kKinds[i % 5],
            std::to_string(participants),
            std::string(share) + "%",
            average,
            std::to_string(participants * (i % 40) / 100),
            date};
}

const std::vector<std::string> kSub = {"Участников", "Доля «2», %", "Средний балл", "Получили «2»"};

std::string make_xlsx(int schools) {
    doc::Table t;
    t.sheet_name = "Результаты";
    t.caption = "Результаты ОГЭ по математике, 2020-2021 учебный год";
    t.widths = {1, 2, 6, 3, 2, 2, 2, 2, 2, 3};
    doc::Row h1, h2;
    h1.header = h2.header = true;
    h1.cells = {text_cell("№ п/п", 1, 2), text_cell("Код ОО", 1, 2), text_cell("Наименование ОО", 1, 2),
                text_cell("Район", 1, 2), text_cell("Вид", 1, 2), text_cell("ОГЭ, математика", 4),
                text_cell("Дата", 1, 2)};
    h2.cells = {covered_cell(), covered_cell(), covered_cell(), covered_cell(), covered_cell()};
    for (const auto& s : kSub) h2.cells.push_back(text_cell(s));
    h2.cells.push_back(covered_cell());
    t.rows = {h1, h2};
    t.rows.reserve(static_cast<std::size_t>(schools) + 2);
    for (int i = 0; i < schools; ++i) {
        doc::Row r;
        for (auto& v : school_row(i)) r.cells.push_back(text_cell(std::move(v)));
        t.rows.push_back(std::move(r));
    }
    doc::Document d;
    d.body.push_back(doc::Block{std::move(t)});
    std::string bytes;
    xlsx::XlsxWriter().write(d, doc::LayoutProfile{}, bytes);
    return bytes;
}

std::string utf8_to_cp1251(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            out += s[i++];
            continue;
        }
        const char32_t c = (b & 0x1F) << 6 | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
        i += 2;
        if (c >= 0x410 && c <= 0x44F) out += static_cast<char>(0xC0 + (c - 0x410));
        else if (c == 0xAB) out += '\xAB';
        else if (c == 0xBB) out += '\xBB';
        else if (c == 0x2116) out += '\xB9';
        else out += '?';
    }
    return out;
}

std::string make_csv(int schools) {
    std::string text = "Результаты ОГЭ по математике, 2020-2021 учебный год;;;;;;;;;\r\n"
                       "№ п/п;Код ОО;Наименование ОО;Район;Вид;ОГЭ, математика;;;;Дата\r\n"
                       ";;;;;Участников;Доля «2», %;Средний балл;Получили «2»;\r\n";
    for (int i = 0; i < schools; ++i) {
        const auto row = school_row(i);
        for (std::size_t c = 0; c < row.size(); ++c) text += (c ? ";" : "") + row[c];
        text += "\r\n";
    }
    // The one non-ASCII character outside А..я used above: «№» (U+2116 → 0xB9).
    return utf8_to_cp1251(text);
}

// Reads the file and every value of the table; returns a checksum so nothing is optimised away.
double read_all(std::string_view bytes, const std::string& name, std::size_t& rows, double& reader_ms) {
    const auto t0 = Clock::now();
    const sheets::Workbook book = sheets::read_workbook_bytes(bytes, name);
    reader_ms = ms_between(t0, Clock::now());
    const sheets::Table t = sheets::read_table(book, book.sheets.front());
    Diagnostics diags;
    double sum = 0;
    for (const auto& r : t.rows) {
        sum += t.number(r, 0, diags).value_or(0);
        sum += static_cast<double>(t.text(r, 1).size() + t.text(r, 2).size() + t.text(r, 3).size() + t.text(r, 4).size());
        for (std::size_t c = 5; c < 9; ++c) sum += t.number(r, c, diags).value_or(0);
        sum += t.date(r, 9, diags).value_or(text::Date{}).day;
    }
    if (!diags.empty()) throw std::runtime_error("unexpected diagnostics:\n" + diags.format());
    rows = t.rows.size();
    return sum;
}

// The peak resident set of this process image, from /proc/self/status (VmHWM; unlike
// ru_maxrss it starts afresh at exec), in MB; 0 where there is none.
double peak_rss_since_exec_mb() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    return 0;
}

// Times `runs` reads of the file at `path` in this process (started for it alone, so that its
// peak RSS is the reading's).
int time_reading(const std::string& path, int runs) {
    const std::string bytes = io::read_file(path);
    const std::string name = fs::path(path).filename().string();
    std::vector<double> wall, reader;
    const rusage before = usage_now();
    std::size_t rows = 0;
    double check = 0;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        double reader_ms = 0;
        check += read_all(bytes, name, rows, reader_ms);
        wall.push_back(ms_between(t0, Clock::now()));
        reader.push_back(reader_ms);
    }
    const rusage after = usage_now();
    std::printf("%-13s %5.1f MB, %zu rows: wall median %6.1f ms (reader %6.1f, table and values %5.1f), "
                "CPU per run %6.1f ms, peak RSS %5.1f MB  [check %.0f]\n",
                name.c_str(), static_cast<double>(bytes.size()) / (1024.0 * 1024.0), rows, median(wall),
                median(reader), median(wall) - median(reader), cpu_ms(before, after) / runs, peak_rss_since_exec_mb(), check);
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    io::tune_allocator_for_batches();
    int schools = 40000, runs = 7;
    std::string read, write;
    for (int i = 1; i < argc; ++i) {
        const std::string_view s = argv[i];
        if ((s == "--schools" || s == "--runs") && i + 1 < argc) {
            (s == "--schools" ? schools : runs) = parse_schools(argv[++i]);
        } else if (s == "--read" && i + 1 < argc) {
            read = argv[++i];
        } else if (s == "--write" && i + 1 < argc) {
            write = argv[++i];
        } else {
            std::cout << "usage: sheets_bench [--schools N] [--runs R]   (N = 40000, R = 7)\n"
                         "       sheets_bench --read FILE [--runs R]     (time reading one file)\n"
                         "       sheets_bench --write DIR [--schools N]  (only write results.xlsx and .csv)\n";
            return s == "-h" || s == "--help" ? 0 : 2;
        }
    }
    if (!read.empty()) return time_reading(read, runs);

    ScratchDir scratch("ppko-sheets-bench");
    const fs::path dir = write.empty() ? scratch.path() : fs::path(write);
    const auto t0 = Clock::now();
    io::ensure_directory(dir);
    io::OutputTransaction files;
    files.write(dir / "results.xlsx", make_xlsx(schools));
    files.write(dir / "results.csv", make_csv(schools));
    files.commit();
    std::printf("generated %d schools in %.0f ms (writer's peak RSS %.1f MB)\n", schools,
                ms_between(t0, Clock::now()), peak_rss_mb());
    std::fflush(stdout);
    if (!write.empty()) return 0;
    for (const char* file : {"results.xlsx", "results.csv"}) {
        const std::string path = (dir / file).string(), n = std::to_string(runs);
        char* child[] = {const_cast<char*>("/proc/self/exe"), const_cast<char*>("--read"), const_cast<char*>(path.c_str()),
                         const_cast<char*>("--runs"), const_cast<char*>(n.c_str()), nullptr};
        pid_t pid = 0;
        if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, child, environ) != 0)
            throw std::runtime_error("posix_spawn failed");
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(std::string("reading ") + file + " failed");
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "sheets_bench: " << e.what() << "\n";
    return 1;
}
