#include "importer/archive.h"

#include <algorithm>
#include <memory>

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "docx/zip_writer.h"
#include "io/atomic_file.h"
#include "sheets/zip_archive.h"

namespace ppko::importer {

namespace {

namespace fs = std::filesystem;
constexpr std::string_view kManifest = "ppko-archive.json";
constexpr std::string_view kWorkspace = "workspace/";
constexpr std::string_view kState = "state/state.sqlite";

[[noreturn]] void invalid(const std::string& file, const std::string& message) {
    throw Error(ErrorId::archive_invalid, file, {}, "", message);
}

// "a/b/c.json" is a safe relative path: every part a valid file name (io::file_name_problem).
bool safe_relative(std::string_view p) {
    if (p.empty() || p.find('\\') != std::string_view::npos) return false;
    std::size_t start = 0;
    while (true) {
        const auto slash = p.find('/', start);
        const auto part = p.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!io::file_name_problem(part).empty()) return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

}  // namespace

std::string make_archive(const fs::path& workspace_dir, const std::string& workspace_name, const std::optional<fs::path>& state) {
    std::vector<std::string> names;
    for (auto it = fs::recursive_directory_iterator(workspace_dir); it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_symlink() || !it->is_regular_file()) continue;
        const std::string rel = fs::relative(it->path(), workspace_dir).generic_string();
        if (rel.find(".ppko-tmp-") != std::string::npos) continue;
        names.push_back(rel);
    }
    std::sort(names.begin(), names.end());
    std::string out;
    docx::ZipWriter zip;
    zip.begin(out);
    data::Json manifest = data::Json::object();
    manifest["workspace"] = workspace_name;
    std::error_code ec;
    const bool with_state = state && fs::is_regular_file(*state, ec);
    manifest["state"] = with_state;
    zip.add(kManifest, manifest.dump(2) + "\n");
    for (const auto& n : names) zip.add(std::string(kWorkspace) + n, io::read_file(workspace_dir / n));
    if (with_state) zip.add(kState, io::read_file(*state));
    zip.finish();
    return out;
}

Unpacked read_archive(std::string_view bytes, const std::string& file) {
    // The ZIP reader's messages speak of workbooks: say what this file should have been.
    std::unique_ptr<sheets::ZipArchive> opened;
    try {
        opened = std::make_unique<sheets::ZipArchive>(bytes, file, sheets::Limits{});
    } catch (const Error& e) {
        const std::string& m = e.diagnostics().items().front().message;
        invalid(file, "файл не архив ppko archive или повреждён (" + m.substr(m.rfind(": ") == std::string::npos ? 0 : m.rfind(": ") + 2) + ")");
    }
    sheets::ZipArchive& zip = *opened;
    if (!zip.contains(kManifest)) invalid(file, "это не архив ppko archive: в нём нет ppko-archive.json");
    Unpacked u;
    const auto manifest = data::parse_json(zip.read(kManifest), file + ":" + std::string(kManifest));
    if (!manifest.value.is_object() || !manifest.value.contains("workspace") || !manifest.value["workspace"].is_string()) {
        invalid(file, "в ppko-archive.json нет имени папки данных («workspace»)");
    }
    u.workspace_name = manifest.value["workspace"].get<std::string>();
    for (const auto& name : zip.names()) {
        if (name == kManifest || name.ends_with("/")) continue;
        if (name == kState) {
            u.state = zip.read(name);
        } else if (name.starts_with(kWorkspace) && safe_relative(std::string_view(name).substr(kWorkspace.size()))) {
            u.files.emplace_back(name.substr(kWorkspace.size()), zip.read(name));
        } else {
            invalid(file, "в архиве файл «" + name + "» вне workspace/ и state/ или с недопустимым именем; такой архив не восстанавливается");
        }
    }
    if (std::none_of(u.files.begin(), u.files.end(), [](const auto& f) { return f.first == "workspace.json"; })) {
        invalid(file, "в архиве нет workspace/workspace.json");
    }
    return u;
}

}  // namespace ppko::importer
