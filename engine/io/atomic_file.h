// Atomic output: files are written to a temporary name in the target folder and renamed into
// place only when the whole run has succeeded, so a failed run leaves no half-written file.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::io {

// Collects the files of one run. Each file is first written as "<name>.ppko-tmp-<pid>" next to
// its final path; commit() renames them all; the destructor removes whatever was not committed.
// Errors throw ppko::Error with io.write / io.read ids. write() may be called from several threads
// at once (for different paths); commit() and the destructor may not.
class OutputTransaction {
public:
    OutputTransaction();
    OutputTransaction(const OutputTransaction&) = delete;
    OutputTransaction& operator=(const OutputTransaction&) = delete;
    ~OutputTransaction();

    // Writes `bytes` to a temporary file that becomes `path` on commit().
    void write(const std::filesystem::path& path, std::string_view bytes);
    // Renames every temporary file into place, in the order they were added.
    void commit();

private:
    // Registers `path` as pending and returns its temporary path.
    std::filesystem::path temporary_for(const std::filesystem::path& path);

    std::string suffix_;  // ".ppko-tmp-<pid>": a final path plus this is its temporary file
    std::mutex mutex_;    // guards pending_
    std::vector<std::string> pending_;  // final paths (one string each: a batch has many)
};

// Creates `dir` (and parents) or throws io.write with a Russian explanation.
void ensure_directory(const std::filesystem::path& dir);

// Reads a whole file or throws io.read.
std::string read_file(const std::filesystem::path& path);

}  // namespace ppko::io
