// The rendering pipeline: a municipality (workspace, methodology, domain) and a snapshot of its
// program state in, document models and files out. Every document has a date — from the command
// line, or where workspace.json says to take it (the council's date, the plan deadline, …) — and
// says only what was known on it: programs, facts, indicators, partnerships and events as of that
// date (view::Presenter). Every selected document is built in memory first; files are written
// through one io::OutputTransaction, so a run that fails anywhere leaves the output folder as it
// was.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/workspace.h"
#include "document/layout_profile.h"
#include "document/model.h"
#include "pdf/pdf_pool.h"
#include "workflow/municipality.h"
#include "workflow/timeline.h"

namespace ppko::render {

struct Options {
    std::vector<std::string> only;  // document ids; empty = all declared documents
    bool text = false;              // also write <file>.txt with the text dump (for review)
    bool text_plain = false;        // …without list numbers, as python-docx and pandoc see the text
    std::string year;               // academic year of the documents ("" = as declared, else the default year)
    std::string date;               // every document as of this date ("" = each its own date)
    unsigned jobs = 0;              // documents built at once, on that many threads; 0 = one per core
    // Formats to write instead of each document's declared ones ("docx", "xlsx", "pdf"); empty:
    // as declared. A PDF is the DOCX converted by LibreOffice (engine/pdf, a pool of two offices).
    std::vector<std::string> formats;
    // Makes the run's PDFs from their DOCX bytes, as pdf::Pool::convert does (same contract and
    // errors). Empty: a pool of two offices of the run's own, stopped when the run ends. The
    // server passes its one converter, shared by every request and job (server/pdf_service.h).
    std::function<void(std::span<const pdf::Source>, std::vector<std::string>&)> pdf;
    // Called before each document is built: (started, total, what), where `started` counts the
    // documents started before this one — each value 0 … total − 1 exactly once, whatever the
    // number of threads — and once more at the end with (total, total, ""). Calls come from the
    // rendering threads but never two at once. May throw to stop the run (the transaction then
    // removes every file of the run).
    std::function<void(std::size_t, std::size_t, const std::string&)> progress;
    // False when `out_dir` is scratch, read back and removed at once (the server's zips): the
    // files are not synced to disk (io::OutputTransaction's `durable`).
    bool durable = true;
};

struct OutputFile {
    std::filesystem::path path;
    std::string format;    // "docx", "xlsx", "pdf", "txt", "json" (the manifest)
    std::string document;  // id of the declared document
    std::string school;    // for documents made per school
    std::string date;      // the document's date (ISO); "" for the manifest
    std::string sha256;
    std::uintmax_t bytes = 0;
};

class PackageRenderer {
public:
    // Renders from `snapshot` (the state store's content; an empty one means "compute the
    // programs from the facts"). The municipality and the snapshot must outlive the renderer.
    // Compiles nothing yet; templates are compiled on first use and cached.
    PackageRenderer(const workflow::Municipality& municipality, const workflow::Snapshot& snapshot);
    // Both are kept by reference: a temporary would dangle (ASan: stack-use-after-scope).
    PackageRenderer(const workflow::Municipality&, workflow::Snapshot&&) = delete;
    // A renderer over its own municipality of `ws` and an empty snapshot (tests, benchmarks).
    explicit PackageRenderer(const data::Workspace& ws);
    ~PackageRenderer();

    const doc::LayoutProfile& profile() const;

    // The document model of one declared document as of its own date, its appendices appended
    // (each after a page break, numbered from 1 in the order declared). Throws ppko::Error on
    // template errors.
    doc::Document build(const data::DocumentSpec& spec);

    // The models of `spec` as render_to builds them with `options`' year and date (the web
    // preview: what is previewed is what is downloaded): one, or one per participant school of a
    // per-school document — only `school`'s when not empty (then none when it is not a
    // participant). Throws as build().
    struct Built {
        std::string school;       // "" for a document of the whole workspace
        std::string school_name;  // the participant's name as the documents write it
        std::string date;         // the document's date (ISO)
        doc::Document model;
    };
    std::vector<Built> build_models(const data::DocumentSpec& spec, const Options& options, std::string_view school = {});

    // Checks that every id in `only` is declared; throws usage errors naming the known ids.
    std::vector<const data::DocumentSpec*> select(const std::vector<std::string>& only) const;

    // How many documents render_to(…, options) builds — its progress's total — without building
    // any (the views are made and kept for render_to). Throws as render_to does before it builds:
    // unknown ids in `only`, template errors. A region's batch sums these for one progress bar.
    std::size_t count(const Options& options);

    // Builds the selected documents and writes them into `out_dir` (created if needed), on
    // `options.jobs` threads, each document written as soon as it is built (memory does not grow
    // with the number of schools), with manifest.json listing every file with its kind, school,
    // date and SHA-256 in the declared order of the documents (and of the schools within one),
    // whatever the number of threads. Documents of the whole workspace are built first, then the
    // per-school ones. Per-school documents go to <file>/<school>.docx. All-or-nothing: on any
    // error or interruption nothing new is left in `out_dir`; when several documents fail, the
    // error reported is that of the first in the building order.
    std::vector<OutputFile> render_to(const std::filesystem::path& out_dir, const Options& options);

    // Builds every declared document in memory on `jobs` threads (0 = one per core) and returns
    // how many were built; writes nothing. For `ppko check`.
    std::size_t check_all(unsigned jobs = 0);

    // Serialises one model to DOCX bytes (buffer reused between calls).
    const std::string& docx_bytes(const doc::Document& d);

private:
    struct Owned;
    struct Impl;
    std::unique_ptr<Owned> owned_;  // before impl_: it refers into it
    std::unique_ptr<Impl> impl_;
};

}  // namespace ppko::render
