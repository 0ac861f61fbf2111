// DOCX/XLSX bytes → PDF bytes through LibreOffice: a small pool of headless office instances,
// each started once (with a profile of its own) and kept running for the batch, with files handed
// to a running instance by LibreOffice's own thin client (`soffice --convert-to pdf` finds the
// instance over its pipe), many files per request — never a new office per file. Fonts: Debian's
// fonts-liberation (Liberation Serif has Times New Roman's metrics, so pages break as in Word).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::pdf {

struct Source {
    std::string name;        // file name for messages, ending in .docx or .xlsx ("prikaz.docx")
    std::string_view bytes;  // the file's bytes; must stay alive during convert()
};

// Not thread-safe: one convert() at a time. The instances live until the pool is destroyed
// (or the process dies: they get SIGTERM then, Linux PR_SET_PDEATHSIG).
class Pool {
public:
    // At most `instances` offices (started on the first convert()); `soffice` is the program
    // (PATH lookup), by default $PPKO_SOFFICE or "soffice".
    explicit Pool(unsigned instances = 2, std::string soffice = {});
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // out[i] becomes the PDF of sources[i]. The sources are split into one batch per instance,
    // converted in parallel. The PDFs are made reproducible: the creation date, the document ID
    // and checksum LibreOffice writes are replaced (same length, so every offset holds) by a fixed
    // date and a digest of the source bytes — the same file gives the same PDF bytes.
    // Throws ppko::Error: pdf.unavailable when LibreOffice cannot be run at all; pdf.convert
    // naming the source when it gives no PDF (unreadable file, office crash, over 5 minutes).
    void convert(std::span<const Source> sources, std::vector<std::string>& out);

    // The offices started so far (for tests and the bench).
    unsigned running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The office program a Pool made with `configured` runs: `configured`, else $PPKO_SOFFICE, else
// "soffice".
std::string soffice_program(std::string configured = {});

// True when `program` can be run: a path to an executable file, or a name found on PATH. What
// convert() checks before it throws pdf.unavailable (the server asks it to offer PDF or not).
bool can_run(const std::string& program);

// Replaces, in place and with bytes of the same length, what makes two conversions of the same
// file differ: /CreationDate and /ModDate (→ D:20000101000000Z…), the /ID pair and /DocChecksum
// (→ hex digits of `digest`, repeated as needed). Other bytes are kept. For tests and Pool.
void make_reproducible(std::string& pdf, std::string_view digest_hex);

}  // namespace ppko::pdf
