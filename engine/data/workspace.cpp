#include "data/workspace.h"

#include <algorithm>

#include "data/schema.h"
#include "io/atomic_file.h"
#include "text/russian.h"

namespace ppko::data {
namespace fs = std::filesystem;

const DocumentSpec* Workspace::find_document(std::string_view id) const {
    for (const auto& d : documents) {
        if (d.id == id) return &d;
    }
    return nullptr;
}

namespace {

constexpr std::string_view kSchemaDir = "schemas/";
constexpr std::string_view kSchemaSuffix = ".schema.json";

std::string display(const fs::path& p) { return p.lexically_normal().string(); }

// Reads the schema for data files named `stem`, or nullopt when there is none.
std::optional<Schema> schema_for(const io::Resources& res, const std::string& stem) {
    const auto r = res.find(std::string(kSchemaDir) + stem + std::string(kSchemaSuffix));
    if (!r) return std::nullopt;
    return Schema::from_json(parse_json(r->text, r->origin));
}

std::vector<std::string> known_stems(const io::Resources& res) {
    std::vector<std::string> out;
    for (const auto& name : res.list(kSchemaDir)) {
        if (name.size() > kSchemaDir.size() + kSchemaSuffix.size() && name.ends_with(kSchemaSuffix)) {
            out.push_back(name.substr(kSchemaDir.size(), name.size() - kSchemaDir.size() - kSchemaSuffix.size()));
        }
    }
    return out;
}

// `value` is workspace.json's normalised value, `src` its parsed file (for positions).
void read_documents(Workspace& ws, const JsonDocument& src, const Json& value, Diagnostics& diags) {
    static const Json none = Json::array();
    const Json& docs = value.contains("documents") && value["documents"].is_array() ? value["documents"] : none;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const Json& d = docs[i];
        DocumentSpec spec;
        spec.json_path = path_index("$.documents", i);
        spec.id = d["id"].get<std::string>();
        spec.template_name = d["template"].get<std::string>();
        spec.file = d["file"].get<std::string>();
        spec.title = d["title"].is_string() ? d["title"].get<std::string>() : spec.id;
        for (const auto& f : d["formats"]) {
            (f == "docx" ? spec.docx : spec.xlsx) = true;
        }
        if (d["appendices"].is_array()) spec.appendices = d["appendices"].get<std::vector<std::string>>();
        spec.per_participant = d["per"].is_string() && d["per"] == "participant";
        if (d["year"].is_string()) spec.year = d["year"].get<std::string>();
        if (d["council"].is_string()) spec.council = d["council"].get<std::string>();
        if (d["date"].is_string()) {
            spec.date = d["date"].get<std::string>();
            static const std::vector<std::string> sources = {"order.date", "council.date", "partnership.date", "partnership.plan_deadline", "year.start", "year.end"};
            if (std::find(sources.begin(), sources.end(), spec.date) == sources.end() && !text::parse_date(spec.date)) {
                const std::string path = path_member(spec.json_path, "date");
                std::string msg = "дата документа «" + spec.date + "»: ожидалась дата «ДД.ММ.ГГГГ» или одно из: order.date, council.date, partnership.date, partnership.plan_deadline, year.start, year.end";
                const auto near = nearest(spec.date, sources);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                diags.add(ErrorId::data_bad_value, src.file, src.position_of(path), path, std::move(msg));
            }
        }
        if (ws.find_document(spec.id)) {
            diags.add(ErrorId::data_bad_value, src.file, src.position_of(path_member(spec.json_path, "id")),
                      path_member(spec.json_path, "id"), "документ «" + spec.id + "» объявлен дважды");
        }
        ws.documents.push_back(std::move(spec));
    }
    std::vector<std::string> ids;
    for (const auto& d : ws.documents) ids.push_back(d.id);
    for (const auto& d : ws.documents) {
        for (std::size_t k = 0; k < d.appendices.size(); ++k) {
            const auto& a = d.appendices[k];
            if (ws.find_document(a) && a != d.id) continue;
            const std::string path = path_index(path_member(d.json_path, "appendices"), k);
            std::string msg = a == d.id ? "документ не может быть приложением к самому себе"
                                        : "в списке документов нет «" + a + "»";
            const auto near = nearest(a, ids);
            if (a != d.id && !near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            diags.add(ErrorId::data_bad_value, src.file, src.position_of(path), path, std::move(msg));
        }
        if (!ws.resources.find(d.template_name + ".tpl")) {
            const std::string path = path_member(d.json_path, "template");
            std::vector<std::string> names;
            for (const auto& n : ws.resources.list("")) {
                if (n.ends_with(".tpl") && n.find('/') == std::string::npos) names.push_back(n.substr(0, n.size() - 4));
            }
            std::string msg = "шаблона «" + d.template_name + "» нет";
            const auto near = nearest(d.template_name, names);
            msg += near.empty() ? "; есть шаблоны: " + [&] {
                std::string s;
                for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
                return s;
            }()
                                : "; возможно, имелось в виду «" + near + "»";
            diags.add(ErrorId::template_not_found, src.file, src.position_of(path), path, std::move(msg));
        }
    }
}

}  // namespace

Workspace load_workspace(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw Error(ErrorId::workspace_not_found, display(dir), {}, "",
                    fs::exists(dir, ec) ? "это файл, а не папка данных" : "папка данных не найдена");
    }
    Workspace ws;
    ws.dir = dir;
    ws.resources.add_override_dir(dir / "templates");
    ws.resources.add_override_dir(dir / "workflows", "workflows/");

    Diagnostics diags;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    const auto stems = known_stems(ws.resources);
    if (std::none_of(files.begin(), files.end(), [](const fs::path& p) { return p.filename() == "workspace.json"; })) {
        throw Error(ErrorId::data_missing_file, display(dir / "workspace.json"), {}, "",
                    "в папке данных нет файла workspace.json со списком документов");
    }
    // Sized once: a growing ordered_json object copies its members' values instead of moving them.
    ws.data.get_ref<Json::object_t&>().reserve(files.size());
    for (const auto& path : files) {
        const std::string stem = path.stem().string();
        const std::string shown = display(path);
        auto schema = schema_for(ws.resources, stem);
        if (!schema) {
            std::string msg = "файл «" + path.filename().string() + "» не относится ни к одному виду данных";
            const auto near = nearest(stem, stems);
            msg += near.empty() ? "; известные файлы: " + [&] {
                std::string s;
                for (const auto& n : stems) s += (s.empty() ? "" : ", ") + n + ".json";
                return s;
            }()
                                : "; возможно, его следует назвать «" + near + ".json»";
            diags.add(ErrorId::data_unknown_file, shown, {}, "", std::move(msg));
            continue;
        }
        try {
            JsonDocument doc = parse_json(io::read_file(path), shown);
            const std::size_t before = diags.size();
            schema->validate(doc, diags);
            if (diags.size() == before) {
                ws.data[stem] = std::move(doc.value);  // the values live once, in data
                ws.sources.emplace(stem, std::move(doc));
            }
        } catch (const Error& e) {
            diags.append(e.diagnostics());
        }
    }
    if (!diags.empty()) throw Error(std::move(diags).sorted());

    const JsonDocument& wsdoc = ws.sources.at("workspace");
    const Json wsvalue = std::move(ws.data["workspace"]);
    ws.data.erase("workspace");
    ws.name = wsvalue["workspace"].get<std::string>();
    ws.title = wsvalue["title"].get<std::string>();
    ws.profile = wsvalue["profile"].is_string() ? wsvalue["profile"].get<std::string>() : "gost-r-7.0.97-2016";
    ws.workflow = wsvalue["workflow"].is_string() ? wsvalue["workflow"].get<std::string>() : "";
    ws.identification = wsvalue["identification"].is_string() ? wsvalue["identification"].get<std::string>() : "";
    read_documents(ws, wsdoc, wsvalue, diags);
    if (!ws.resources.find("profiles/" + ws.profile + ".json")) {
        diags.add(ErrorId::data_bad_value, wsdoc.file, wsdoc.position_of("$.profile"), "$.profile",
                  "профиля оформления «" + ws.profile + "» нет; есть: gost-r-7.0.97-2016, gost-r-7.0.97-2025");
    }
    if (!diags.empty()) throw Error(std::move(diags));
    return ws;
}

}  // namespace ppko::data
