#include "render/render.h"

#include <algorithm>
#include <map>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "data/schema.h"
#include "docx/docx_writer.h"
#include "document/text_dump.h"
#include "io/atomic_file.h"
#include "text/utf8.h"
#include "template/template.h"
#include "store/store.h"
#include "workflow/engine.h"
#include "xlsx/xlsx_writer.h"

namespace ppko::render {

struct PackageRenderer::Impl {
    explicit Impl(const data::Workspace& w) : ws(w), env(w.resources), context(w.data) {
        const auto r = ws.resources.find("profiles/" + ws.profile + ".json");
        if (!r) throw Error(ErrorId::data_bad_value, "workspace.json", {}, "$.profile", "профиль «" + ws.profile + "» не найден");
        profile = doc::parse_layout_profile(std::string(r->text), r->origin);
        context["workspace"] = data::Json{{"name", ws.name}, {"title", ws.title}};
        context["partnership"] = nullptr;
        context["academic_year"] = nullptr;
        context["participants"] = data::Json::array();
        context["summary"] = data::Json::array();
        if (!ws.workflow.empty()) {
            registry = std::make_unique<workflow::Registry>(ws.resources);
            engine = std::make_unique<workflow::Engine>(ws, *registry);
            if (!engine->years().empty()) set_year(engine->years().back());
        }
    }

    // Documents of the whole workspace see the year's partner pairs as `partnership`.
    void set_year(const std::string& y) {
        year = y;
        context["academic_year"] = y;
        context["partnership"] = engine->partnership(y);
        // The table of participation by year, from the facts replayed in memory up to the end of
        // the year (render_to uses the state's log instead when a state file is given).
        set_summary(engine->advance({}, workflow::year_start(workflow::next_year(y))).events);
    }

    void set_summary(const std::vector<store::Event>& events) {
        data::Json rows = data::Json::array();
        auto names = [&](const std::vector<std::string>& ids) {
            data::Json out = data::Json::array();
            for (const auto& id : ids) out.push_back(engine->school_name(id));
            return out;
        };
        for (const auto& r : engine->summary(events, year)) {
            rows.push_back({{"year", r.year}, {"participants", names(r.participants)}, {"on_trust", names(r.on_trust)},
                            {"completed", names(r.completed)}, {"count", r.participants.size()},
                            {"percent", r.percent < 0 ? data::Json() : data::Json(r.percent)}});
        }
        context["summary"] = std::move(rows);
    }

    std::unique_ptr<workflow::Registry> registry;
    std::unique_ptr<workflow::Engine> engine;
    std::string year;

    // The number of `id` among the appendices of another declared document, or 0.
    int appendix_number(const std::string& id) const {
        for (const auto& d : ws.documents) {
            for (std::size_t k = 0; k < d.appendices.size(); ++k) {
                if (d.appendices[k] == id) return static_cast<int>(k + 1);
            }
        }
        return 0;
    }

    void render_one(const data::DocumentSpec& spec, int number, std::vector<doc::Block>& out) {
        context["document"] = data::Json{{"id", spec.id}, {"title", spec.title}};
        context["appendix"] = number > 0 ? data::Json{{"number", number}} : data::Json();
        env.render(env.get(spec.template_name), context, out);
    }

    // The school's keys are added to the shared context for one document and removed after.
    void render_for_school(const data::DocumentSpec& spec, const data::Json& school, std::vector<doc::Block>& out) {
        for (const auto& [k, v] : school.items()) context[k] = v;
        try {
            render_one(spec, 0, out);
        } catch (...) {
            for (const auto& [k, v] : school.items()) context.erase(k);
            throw;
        }
        for (const auto& [k, v] : school.items()) context.erase(k);
    }

    const data::Workspace& ws;
    tpl::Environment env;
    data::Json context;
    doc::LayoutProfile profile;
    docx::DocxWriter docx;
    std::string buffer;
};

PackageRenderer::PackageRenderer(const data::Workspace& ws) : impl_(std::make_unique<Impl>(ws)) {}
PackageRenderer::~PackageRenderer() = default;

const doc::LayoutProfile& PackageRenderer::profile() const { return impl_->profile; }

doc::Document PackageRenderer::build(const data::DocumentSpec& spec) {
    doc::Document d;
    text::append_sanitized(d.title, spec.title);  // document properties get the same clean text as the body
    impl_->render_one(spec, impl_->appendix_number(spec.id), d.body);
    for (std::size_t k = 0; k < spec.appendices.size(); ++k) {
        d.body.push_back(doc::Block{doc::PageBreak{}});
        impl_->render_one(*impl_->ws.find_document(spec.appendices[k]), static_cast<int>(k + 1), d.body);
    }
    return d;
}

std::vector<const data::DocumentSpec*> PackageRenderer::select(const std::vector<std::string>& only) const {
    std::vector<const data::DocumentSpec*> out;
    if (only.empty()) {
        for (const auto& d : impl_->ws.documents) out.push_back(&d);
        return out;
    }
    std::vector<std::string> ids;
    for (const auto& d : impl_->ws.documents) ids.push_back(d.id);
    for (const auto& id : only) {
        const auto* d = impl_->ws.find_document(id);
        if (!d) {
            std::string msg = "в папке данных нет документа «" + id + "»";
            const auto near = data::nearest(id, ids);
            if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            std::string all;
            for (const auto& i : ids) all += (all.empty() ? "" : ", ") + i;
            throw Error(ErrorId::workspace_unknown_document, "", {}, "", msg + "; есть: " + all);
        }
        out.push_back(d);
    }
    return out;
}

doc::Document PackageRenderer::build_for_school(const data::DocumentSpec& spec, const data::Json& school_context) {
    doc::Document d;
    const std::string name = school_context.contains("school") ? school_context["school"].value("short_name", std::string()) : std::string();
    text::append_sanitized(d.title, spec.title + (name.empty() ? "" : " — " + name));
    impl_->render_for_school(spec, school_context, d.body);
    return d;
}

const std::string& PackageRenderer::docx_bytes(const doc::Document& d) {
    impl_->docx.write(d, impl_->profile, impl_->buffer);
    return impl_->buffer;
}

namespace {

std::string sha256(std::string_view bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace

std::size_t PackageRenderer::check_all() {
    std::size_t n = 0;
    for (const auto& spec : impl_->ws.documents) {
        if (!spec.per_participant) {
            build(spec);
            ++n;
            continue;
        }
        if (!impl_->engine || impl_->year.empty()) {
            throw Error(ErrorId::cli_usage, "", {}, "", "документ «" + spec.id + "» делается по школам, а в папке данных нет рабочего процесса и показателей");
        }
        for (const auto& school : impl_->engine->participants(impl_->year)) {
            data::Json ctx = impl_->engine->school_context(school, impl_->year, nullptr);
            ctx["history"] = data::Json::array();
            build_for_school(spec, ctx);
            ++n;
        }
    }
    return n;
}

std::vector<OutputFile> PackageRenderer::render_to(const std::filesystem::path& out_dir, const Options& options) {
    namespace fs = std::filesystem;
    const auto selected = select(options.only);

    // Per-school documents need the year's participants; with a state file, every document also
    // sees the programs (`participants` with their stages) and each school its event history.
    auto& engine = impl_->engine;
    std::vector<std::string> schools;
    std::map<std::string, store::ProgramState> programs;
    std::map<std::string, data::Json> history;
    if (!options.year.empty() && engine) impl_->set_year(options.year);
    const std::string year = impl_->year;
    if (engine && !year.empty()) {
        schools = engine->participants(year);
        if (!options.state.empty() && fs::exists(options.state)) {
            auto st = store::open_sqlite_store(options.state);
            for (auto& p : st->programs()) programs[p.school] = p;
            const auto events = st->events();
            for (const auto& e : events) {
                history[e.school].push_back({{"date", e.date}, {"kind", e.kind}, {"note", e.note}});
            }
            impl_->set_summary(events);
        }
        data::Json list = data::Json::array();
        for (const auto& s : schools) {
            auto it = programs.find(s);
            list.push_back(engine->school_context(s, year, it == programs.end() ? nullptr : &it->second));
        }
        impl_->context["participants"] = std::move(list);
    }
    if (std::any_of(selected.begin(), selected.end(), [](const auto* d) { return d->per_participant; }) && (!engine || year.empty())) {
        const auto* first = *std::find_if(selected.begin(), selected.end(), [](const auto* d) { return d->per_participant; });
        throw Error(ErrorId::cli_usage, "", {}, "",
                    "документ «" + first->id + "» делается для каждой школы-участника учебного года, а в папке данных нет рабочего процесса и показателей: укажите \"workflow\" в workspace.json и --year");
    }
    std::size_t total = 0;
    for (const auto* spec : selected) total += spec->per_participant ? schools.size() : 1;

    io::ensure_directory(out_dir);
    io::OutputTransaction tx;
    std::vector<OutputFile> files;
    std::size_t done = 0;
    std::string scratch;
    auto emit = [&](const data::DocumentSpec& spec, const doc::Document& model, const fs::path& dir, const std::string& stem,
                    const std::string& school) {
        if (dir != out_dir) io::ensure_directory(dir);
        auto record = [&](const fs::path& path, const char* format, std::string_view bytes) {
            files.push_back({path, format, spec.id, school, sha256(bytes), bytes.size()});
        };
        if (spec.docx) {
            const auto path = dir / (stem + ".docx");
            const std::string& bytes = docx_bytes(model);
            tx.write(path, bytes);
            record(path, "docx", bytes);
        }
        if (spec.xlsx) {
            const auto path = dir / (stem + ".xlsx");
            const auto tmp = tx.temporary_for(path);
            xlsx::write_xlsx(model, impl_->profile, tmp.string());
            scratch = io::read_file(tmp);
            record(path, "xlsx", scratch);
        }
        if (options.text || options.text_plain) {
            const auto path = dir / (stem + ".txt");
            doc::TextDumpOptions to;
            to.list_numbers = !options.text_plain;
            scratch = doc::dump_text(model, to);
            tx.write(path, scratch);
            record(path, "txt", scratch);
        }
    };
    for (const auto* spec : selected) {
        if (!spec->per_participant) {
            if (options.progress) options.progress(done, total, spec->title);
            emit(*spec, build(*spec), out_dir, spec->file, "");
            ++done;
            continue;
        }
        for (const auto& school : schools) {
            if (options.progress) options.progress(done, total, spec->title + ": " + engine->school_name(school));
            auto it = programs.find(school);
            data::Json ctx = engine->school_context(school, year, it == programs.end() ? nullptr : &it->second);
            auto h = history.find(school);
            ctx["history"] = h == history.end() ? data::Json::array() : h->second;
            emit(*spec, build_for_school(*spec, ctx), out_dir / spec->file, school, school);
            ++done;
        }
    }
    if (options.progress) options.progress(done, total, "");

    // The manifest: every file of this run, relative to out_dir.
    data::Json manifest = data::Json::object();
    manifest["workspace"] = impl_->ws.name;
    if (!year.empty()) manifest["year"] = year;
    data::Json list = data::Json::array();
    for (const auto& f : files) {
        data::Json j = {{"path", f.path.lexically_relative(out_dir).generic_string()}, {"format", f.format}, {"document", f.document}};
        if (!f.school.empty()) j["school"] = f.school;
        j["bytes"] = f.bytes;
        j["sha256"] = f.sha256;
        list.push_back(std::move(j));
    }
    manifest["files"] = std::move(list);
    const auto manifest_path = out_dir / "manifest.json";
    scratch = manifest.dump(2) + "\n";
    tx.write(manifest_path, scratch);
    files.push_back({manifest_path, "json", "", "", sha256(scratch), scratch.size()});
    tx.commit();
    return files;
}

}  // namespace ppko::render
