#include "diag/diagnostic.h"

#include <algorithm>

namespace ppko {
namespace {

constexpr ErrorInfo kCatalog[] = {
#define PPKO_X(name, code, cls, descr) {ErrorId::name, code, ErrorClass::cls, descr},
    PPKO_ERROR_IDS(PPKO_X)
#undef PPKO_X
};

int severity(ErrorClass c) {
    switch (c) {
        case ErrorClass::data: return 0;
        case ErrorClass::usage: return 1;
        case ErrorClass::io: return 2;
        case ErrorClass::interrupted: return 3;
        case ErrorClass::internal: return 4;
    }
    return 3;
}

}  // namespace

const ErrorInfo& error_info(ErrorId id) { return kCatalog[static_cast<std::size_t>(id)]; }
const ErrorInfo* error_catalog_begin() { return std::begin(kCatalog); }
const ErrorInfo* error_catalog_end() { return std::end(kCatalog); }

std::string Diagnostic::format() const {
    std::string out;
    if (!file.empty()) {
        out += file;
        if (pos.line > 0) {
            out += ':' + std::to_string(pos.line);
            if (pos.column > 0) out += ':' + std::to_string(pos.column);
        }
        out += ": ";
    }
    if (!json_path.empty()) out += json_path + ": ";
    out += message;
    out += " [";
    out += error_info(id).code;
    out += ']';
    if (!note.empty()) out += "\n    " + note;
    return out;
}

void Diagnostics::add(ErrorId id, std::string file, Position pos, std::string json_path,
                      std::string message) {
    items_.push_back(Diagnostic{id, std::move(file), pos, std::move(json_path), std::move(message), {}});
}

Diagnostics Diagnostics::sorted() && {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.file != b.file) return a.file < b.file;
        if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
        return a.pos.column < b.pos.column;
    });
    return std::move(*this);
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

ErrorClass Diagnostics::worst_class() const {
    ErrorClass worst = ErrorClass::data;
    for (const auto& d : items_) {
        ErrorClass c = error_info(d.id).error_class;
        if (severity(c) > severity(worst)) worst = c;
    }
    return worst;
}

std::string Diagnostics::format() const {
    std::string out;
    for (const auto& d : items_) {
        out += d.format();
        out += '\n';
    }
    return out;
}

static std::string first_message(const Diagnostics& d) {
    return d.empty() ? std::string("ошибка") : d.items().front().format();
}

Error::Error(Diagnostics diags) : std::runtime_error(first_message(diags)), diags_(std::move(diags)) {}

Error::Error(ErrorId id, std::string file, Position pos, std::string json_path, std::string message)
    : Error([&] {
          Diagnostics d;
          d.add(id, std::move(file), pos, std::move(json_path), std::move(message));
          return d;
      }()) {}

int exit_code_for(ErrorClass c) {
    switch (c) {
        case ErrorClass::data: return exit_code::data_error;
        case ErrorClass::usage: return exit_code::usage;
        case ErrorClass::io: return exit_code::io_error;
        case ErrorClass::interrupted: return exit_code::interrupted;
        case ErrorClass::internal: return 70;
    }
    return 70;
}

}  // namespace ppko
