// Diagnostics: every problem the engine reports to a user carries a stable English id (see
// catalog.h, the one list of ids), the file, a position (line:column counted in Unicode
// characters, 1-based) and/or a JSON path, and a message in Russian for the methodologist.
//
// Formatted as (GCC-like, so editors can jump to it):
//   samples/demidovsky/order.json:12:5: $.number: сообщение [data.unknown_key]
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "diag/catalog.h"

namespace ppko {

struct Position {
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based, in Unicode characters (not bytes); 0 when unknown
};

struct Diagnostic {
    ErrorId id = ErrorId::internal;
    std::string file;       // as the user named it; may be empty for command-line problems
    Position pos;
    std::string json_path;  // "$.items[2].text"; empty when not about JSON data
    std::string message;    // Russian, without the id
    // A second line saying where the problem was met, when that is not where it is: a value in a
    // data file that failed inside a methodology's expression points at the value, and the note
    // at the expression («workflows/identification.json:12:14: здесь …»). Empty: no second line.
    std::string note;

    std::string format() const;  // one line (two with a note), see the header comment
};

// An ordered collection of diagnostics; validators add every problem they find rather than
// stopping at the first.
class Diagnostics {
public:
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void add(ErrorId id, std::string file, Position pos, std::string json_path, std::string message);
    void append(const Diagnostics& other);
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    const std::vector<Diagnostic>& items() const { return items_; }
    // Exit-code class of the worst diagnostic (I/O beats usage beats data/template).
    ErrorClass worst_class() const;
    std::string format() const;  // one diagnostic per line
    // In file order and, within a file, by position (stable): the order a methodologist fixes them.
    Diagnostics sorted() &&;

private:
    std::vector<Diagnostic> items_;
};

// Thrown when an operation cannot continue; carries all diagnostics collected so far.
class Error : public std::runtime_error {
public:
    explicit Error(Diagnostics diags);
    Error(ErrorId id, std::string file, Position pos, std::string json_path, std::string message);
    const Diagnostics& diagnostics() const { return diags_; }

private:
    Diagnostics diags_;
};

// Process exit codes of `ppko` (documented in README.md, «Коды завершения»).
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int data_error = 1;   // data, template, workflow errors
inline constexpr int usage = 2;        // bad command line
inline constexpr int io_error = 3;     // cannot read or write files
inline constexpr int interrupted = 130;  // stopped by Ctrl+C / SIGTERM (128 + SIGINT, as shells do)
}  // namespace exit_code

int exit_code_for(ErrorClass c);

}  // namespace ppko
