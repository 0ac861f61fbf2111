// The rendering pipeline: a loaded workspace in, document models and files out. Every selected
// document is built in memory first; files are written through one io::OutputTransaction, so a
// run that fails anywhere leaves the output folder as it was.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "data/workspace.h"
#include "document/layout_profile.h"
#include "document/model.h"

namespace ppko::render {

struct Options {
    std::vector<std::string> only;  // document ids; empty = all declared documents
    bool text = false;              // also write <file>.txt with the text dump (for review)
    bool text_plain = false;        // …without list numbers, as python-docx and pandoc see the text
};

struct OutputFile {
    std::filesystem::path path;
    std::string format;    // "docx", "xlsx", "txt"
    std::string document;  // id of the declared document
};

class PackageRenderer {
public:
    // Compiles nothing yet; templates are compiled on first use and cached for later documents.
    explicit PackageRenderer(const data::Workspace& ws);
    ~PackageRenderer();

    const doc::LayoutProfile& profile() const;

    // The document model of one declared document, its appendices appended (each after a page
    // break, numbered from 1 in the order declared). Throws ppko::Error on template errors.
    doc::Document build(const data::DocumentSpec& spec);

    // Checks that every id in `only` is declared; throws usage errors naming the known ids.
    std::vector<const data::DocumentSpec*> select(const std::vector<std::string>& only) const;

    // Builds the selected documents and writes them into `out_dir` (created if needed).
    // All-or-nothing: on any error nothing is left in `out_dir`.
    std::vector<OutputFile> render_to(const std::filesystem::path& out_dir, const Options& options);

    // Serialises one model to DOCX bytes (buffer reused between calls).
    const std::string& docx_bytes(const doc::Document& d);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ppko::render
