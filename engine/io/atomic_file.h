// Atomic output: files are written to a temporary name in the target folder and renamed into
// place only when the whole run has succeeded, so a failed run leaves no half-written file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace ppko::io {

// Collects the files of one run. Each file is first written to a temporary file next to its
// final path, "<name>.ppko-tmp-<pid>-<random>", created exclusively (O_EXCL | O_NOFOLLOW: a
// symlink or file planted under that name is never followed or reused); commit() makes the data
// durable (fsync) and renames them all; the destructor removes whatever was not committed.
// Temporary files left in a folder by a run that was killed (its process no longer exists) are
// removed when a later transaction first writes into that folder.
// A path given twice, or a final path that is a folder, is refused by write() before anything is
// renamed, so commit() does not fail half-way on them. Errors throw ppko::Error with io.write /
// io.read ids. write() may be called from several threads at once (for different paths);
// commit() and the destructor may not.
class OutputTransaction {
public:
    // `durable`: commit() syncs the data and the folders (the default). False for a scratch
    // folder that is read back and removed at once (the server zips a rendered package and
    // deletes it): the renames still make it all-or-nothing, but nothing waits for the disk —
    // a syncfs() on a file system busy with other writers can take tens of seconds.
    explicit OutputTransaction(bool durable = true);
    OutputTransaction(const OutputTransaction&) = delete;
    OutputTransaction& operator=(const OutputTransaction&) = delete;
    ~OutputTransaction();

    // Writes `bytes` to a temporary file that becomes `path` on commit().
    void write(const std::filesystem::path& path, std::string_view bytes);
    // Makes every temporary file durable, then renames each into place, in the order they were
    // added, then syncs their folders.
    void commit();

    // Files of this many or fewer are synced one by one as they are written; a larger batch is
    // synced with one syncfs() per file system at commit (40,000 fsyncs would take minutes).
    static constexpr std::size_t kSyncEachUpTo = 64;

private:
    struct Pending {
        std::string final_path;
        std::string temporary;
    };
    // Registers `path` as pending (refusing a repeat) and returns its index in pending_.
    std::size_t add_pending(const std::filesystem::path& path);
    void sweep_once(const std::filesystem::path& dir);

    std::string prefix_;  // ".ppko-tmp-<pid>-": a temporary name is final + prefix_ + random
    std::mutex mutex_;    // guards everything below
    std::vector<Pending> pending_;
    std::unordered_set<std::string> finals_;  // pending_'s final paths, for repeats
    std::unordered_set<std::string> swept_;   // folders already cleared of stale temporaries
    std::uint64_t counter_ = 0;
    std::uint64_t seed_ = 0;
    bool durable_ = true;
};

// Removes from `dir` the temporary files ("*.ppko-tmp-<pid>[-<random>]") of runs whose process
// no longer exists; returns how many. Files of live processes and anything else stay.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

// Why `name` cannot be one file name inside an output folder ("" when it can): empty, longer
// than kMaxFileName bytes, starting with a dot ("..", hidden files), containing «/» or «\»,
// control characters or bytes that are not UTF-8. Output names come from data (a document's
// "file", a school's id): they are checked here whatever a (replaceable) schema says.
inline constexpr std::size_t kMaxFileName = 180;
std::string file_name_problem(std::string_view name);

// Creates `dir` (and parents) or throws io.write with a Russian explanation.
void ensure_directory(const std::filesystem::path& dir);

// Reads a whole file or throws io.read (with the reason: no permission to read, no such file…).
std::string read_file(const std::filesystem::path& path);

}  // namespace ppko::io
