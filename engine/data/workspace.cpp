#include "data/workspace.h"

#include <algorithm>

#include "data/fields.h"
#include "data/schema.h"
#include "io/atomic_file.h"
#include "text/russian.h"
#include "text/utf8.h"

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
        // Schemas in subfolders (schemas/methodology/) describe configuration, not data files.
        if (name.size() > kSchemaDir.size() + kSchemaSuffix.size() && name.ends_with(kSchemaSuffix) &&
            name.find('/', kSchemaDir.size()) == std::string::npos) {
            out.push_back(name.substr(kSchemaDir.size(), name.size() - kSchemaDir.size() - kSchemaSuffix.size()));
        }
    }
    return out;
}

// `value` is workspace.json's normalised value, `src` its parsed file (for positions).
// A name in a message: whole when short, its first 60 characters and «…» otherwise.
std::string shown_name(const std::string& name) {
    const std::string_view head = text::utf8_prefix(name, 60);
    return head.size() == name.size() ? name : std::string(head) + "…";
}

// The schema of workspace.json normally guarantees the shape read here, but a workspace may
// replace its schemas: the fields are read through a FieldReader, which checks them again.
void read_documents(Workspace& ws, const JsonDocument& src, const Json& value, Diagnostics& diags) {
    FieldReader f(src, diags);
    const Json& docs = f.list(value, "documents", "$");
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const Json& d = docs[i];
        DocumentSpec spec;
        spec.json_path = path_index("$.documents", i);
        if (!d.is_object()) {
            f.error(ErrorId::data_wrong_type, spec.json_path, "ожидалось описание документа { … }, а записано: " + describe_value(d));
            continue;
        }
        spec.id = f.str(d, "id", spec.json_path, true);
        spec.template_name = f.str(d, "template", spec.json_path, true);
        spec.file = f.str(d, "file", spec.json_path, true);
        spec.title = f.str(d, "title", spec.json_path, false);
        if (spec.title.empty()) spec.title = spec.id;
        const auto formats = f.strings(d, "formats", spec.json_path);
        for (std::size_t k = 0; k < formats.size(); ++k) {
            if (formats[k] == "docx" || formats[k] == "xlsx") {
                (formats[k] == "docx" ? spec.docx : spec.xlsx) = true;
            } else {
                f.error(ErrorId::data_bad_value, path_index(path_member(spec.json_path, "formats"), k),
                        "формат «" + formats[k] + "» неизвестен; допустимые: «docx», «xlsx»");
            }
        }
        spec.appendices = f.strings(d, "appendices", spec.json_path);
        spec.per_participant = f.str(d, "per", spec.json_path, false) == "participant";
        spec.year = f.str(d, "year", spec.json_path, false);
        spec.council = f.str(d, "council", spec.json_path, false);
        spec.date = f.str(d, "date", spec.json_path, false);
        if (!spec.date.empty()) {
            static const std::vector<std::string> sources = {"order.date", "council.date", "partnership.date", "partnership.plan_deadline", "year.start", "year.end"};
            if (std::find(sources.begin(), sources.end(), spec.date) == sources.end() && !text::parse_date(spec.date)) {
                const std::string path = path_member(spec.json_path, "date");
                std::string msg = "дата документа «" + spec.date + "»: ожидалась дата «ДД.ММ.ГГГГ» или одно из: order.date, council.date, partnership.date, partnership.plan_deadline, year.start, year.end";
                const auto near = nearest(spec.date, sources);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                f.error(ErrorId::data_bad_value, path, std::move(msg));
            }
        }
        if (spec.id.empty() || spec.template_name.empty() || spec.file.empty()) continue;
        if (ws.find_document(spec.id)) {
            diags.add(ErrorId::data_bad_value, src.file, src.position_of(path_member(spec.json_path, "id")),
                      path_member(spec.json_path, "id"), "документ «" + spec.id + "» объявлен дважды");
        }
        // The output names: one file (or, per school, one folder) in the output folder each.
        const std::string fpath = path_member(spec.json_path, "file");
        if (const std::string problem = io::file_name_problem(spec.file); !problem.empty()) {
            diags.add(ErrorId::data_bad_name, src.file, src.position_of(fpath), fpath,
                      "«" + shown_name(spec.file) + "» не годится как имя файла результата: " + problem);
        } else {
            for (const auto& other : ws.documents) {
                if (other.file != spec.file) continue;
                diags.add(ErrorId::data_bad_value, src.file, src.position_of(fpath), fpath,
                          "документы «" + other.id + "» и «" + spec.id + "» записываются в один файл «" + spec.file +
                              "»; у каждого документа должно быть своё имя файла");
                break;
            }
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

// School ids name the files of per-school documents (<file>/<id>.docx).
void check_school_ids(const Workspace& ws, Diagnostics& diags) {
    const auto src = ws.sources.find("schools");
    if (src == ws.sources.end() || !ws.data.contains("schools")) return;
    const Json& file = ws.data["schools"];
    if (!file.is_object() || !file.contains("schools") || !file["schools"].is_array()) return;
    const Json& schools = file["schools"];
    for (std::size_t i = 0; i < schools.size(); ++i) {
        if (!schools[i].is_object() || !schools[i].contains("id") || !schools[i]["id"].is_string()) continue;
        const std::string& id = schools[i]["id"].get_ref<const std::string&>();
        if (const std::string problem = io::file_name_problem(id); !problem.empty()) {
            const std::string path = path_member(path_index("$.schools", i), "id");
            diags.add(ErrorId::data_bad_name, src->second.file, src->second.position_of(path), path,
                      "код школы «" + shown_name(id) + "» не годится как имя файла её документов: " + problem);
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
    FieldReader f(wsdoc, diags);
    if (!wsvalue.is_object()) f.error(ErrorId::data_wrong_type, "$", "ожидался объект { … }, а записано: " + describe_value(wsvalue));
    ws.name = f.str(wsvalue, "workspace", "$", true);
    // The name becomes the default state file's name (and school ids output file names): checked
    // here whatever the schemas, which a workspace may replace, say.
    if (const std::string problem = io::file_name_problem(ws.name); !ws.name.empty() && !problem.empty()) {
        diags.add(ErrorId::data_bad_name, wsdoc.file, wsdoc.position_of("$.workspace"), "$.workspace",
                  "«" + shown_name(ws.name) + "» не годится как короткое имя папки данных: " + problem);
    }
    check_school_ids(ws, diags);
    ws.title = f.str(wsvalue, "title", "$", false);
    ws.profile = f.str(wsvalue, "profile", "$", false);
    if (ws.profile.empty()) ws.profile = "gost-r-7.0.97-2016";
    ws.workflow = f.str(wsvalue, "workflow", "$", false);
    ws.identification = f.str(wsvalue, "identification", "$", false);
    read_documents(ws, wsdoc, wsvalue, diags);
    if (!ws.resources.find("profiles/" + ws.profile + ".json")) {
        diags.add(ErrorId::data_bad_value, wsdoc.file, wsdoc.position_of("$.profile"), "$.profile",
                  "профиля оформления «" + ws.profile + "» нет; есть: gost-r-7.0.97-2016, gost-r-7.0.97-2025");
    }
    if (!diags.empty()) throw Error(std::move(diags));
    return ws;
}

}  // namespace ppko::data
