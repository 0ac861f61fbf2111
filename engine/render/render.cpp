#include "render/render.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <mutex>

#include <Poco/Crypto/DigestEngine.h>

#include "data/schema.h"
#include "docx/docx_writer.h"
#include "document/text_dump.h"
#include "io/atomic_file.h"
#include "io/parallel.h"
#include "text/utf8.h"
#include "template/template.h"
#include "store/store.h"
#include "workflow/engine.h"
#include "xlsx/xlsx_writer.h"

namespace ppko::render {

namespace {

constexpr std::size_t kNoSchool = std::numeric_limits<std::size_t>::max();

// One unit of work: a declared document for the whole workspace, or for one school.
struct Job {
    const data::DocumentSpec* spec = nullptr;
    std::size_t school = kNoSchool;  // index into the year's participants
};

// What one thread reuses from document to document: the writers and their buffers, and the small
// top data layer of the document being built.
struct Worker {
    Poco::Crypto::DigestEngine sha256{"SHA256"};  // OpenSSL's (SHA-NI where the processor has it)
    docx::DocxWriter docx;
    xlsx::XlsxWriter xlsx;
    std::string bytes;
    std::string scratch;
    data::Json roots = data::Json::object();  // document, appendix
};

// A declared document with its templates compiled: threads only read these.
struct Compiled {
    const tpl::Template* main = nullptr;
    std::vector<std::pair<const data::DocumentSpec*, const tpl::Template*>> appendices;
};

std::string sha256(Poco::DigestEngine& engine, std::string_view bytes) {
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());  // digest() also resets the engine
}

// Runs work(worker, order[i]) for every i (io::parallel_for: handed out in `order`, the error
// of the earliest failed job in `order` reported), each thread with its own Worker.
template <class Work>
void run_parallel(const std::vector<std::size_t>& order, unsigned threads, std::deque<Worker>& workers, Work work) {
    if (workers.size() < threads) workers.resize(threads);
    io::parallel_for(order.size(), threads, [&](unsigned t, std::size_t i) { work(workers[t], order[i]); });
}

// The order documents are built in: those of the whole workspace first (the big ones — the
// annual report lists every participant — so that no thread is left alone with one at the
// end), then the per-school ones; each group in the declared order.
std::vector<std::size_t> build_order(const std::vector<Job>& jobs) {
    std::vector<std::size_t> order;
    order.reserve(jobs.size());
    for (std::size_t k = 0; k < jobs.size(); ++k)
        if (jobs[k].school == kNoSchool) order.push_back(k);
    for (std::size_t k = 0; k < jobs.size(); ++k)
        if (jobs[k].school != kNoSchool) order.push_back(k);
    return order;
}

}  // namespace

struct PackageRenderer::Impl {
    explicit Impl(const data::Workspace& w) : ws(w), env(w.resources), workers(1) {
        const auto r = ws.resources.find("profiles/" + ws.profile + ".json");
        if (!r) throw Error(ErrorId::data_bad_value, "workspace.json", {}, "$.profile", "профиль «" + ws.profile + "» не найден");
        profile = doc::parse_layout_profile(std::string(r->text), r->origin);
        year_roots["workspace"] = data::Json{{"name", ws.name}, {"title", ws.title}};
        year_roots["partnership"] = nullptr;
        year_roots["academic_year"] = nullptr;
        year_roots["participants"] = data::Json::array();
        year_roots["summary"] = data::Json::array();
        if (!ws.workflow.empty()) {
            registry = std::make_unique<workflow::Registry>(ws.resources);
            engine = std::make_unique<workflow::Engine>(ws, *registry);
            if (!engine->years().empty()) year = engine->years().back();
        }
    }

    // Fills the year's layer: the partner pairs, the participants with their school contexts
    // (and programs from `state`), each school's event history, and the table of participation
    // by year — from the state's log when a state file is given, otherwise from the facts
    // replayed in memory up to the end of the year. Everything the threads read later.
    void prepare(const std::string& y, const std::filesystem::path& state) {
        prepared = true;
        if (!engine || y.empty()) return;
        year = y;
        year_roots["academic_year"] = y;
        year_roots["partnership"] = engine->partnership(y);
        schools = engine->participants(y);
        std::map<std::string, store::ProgramState, std::less<>> programs;
        std::vector<store::Event> events;
        // Read only: a missing or empty state file is no state, and is left as it is.
        store::SqliteOptions read_only;
        read_only.create = false;
        const auto st = state.empty() ? nullptr : store::open_sqlite_store(state, read_only);
        const bool from_state = st != nullptr;
        if (from_state) {
            for (auto& p : st->programs()) programs[p.school] = p;
            events = st->events();
        } else {
            events = engine->advance({}, workflow::year_start(workflow::next_year(y))).events;
        }
        set_summary(events);
        std::map<std::string, data::Json, std::less<>> history;
        if (from_state) {
            for (const auto& e : events) history[e.school].push_back({{"date", e.date}, {"kind", e.kind}, {"note", e.note}});
        }
        school_layers.clear();
        school_names.clear();
        for (const auto& s : schools) {
            auto h = history.find(s);
            school_layers.push_back(data::Json{{"history", h == history.end() ? data::Json::array() : std::move(h->second)}});
            school_names.push_back(engine->school_name(s));
        }
        // The contexts on every core (Engine::school_context allows it once the partnership is
        // computed, as it is above); each lands in its own slot, so the order is the list's.
        std::vector<data::Json> contexts(schools.size());
        io::parallel_for(contexts.size(), schools.size() < 256 ? 1u : io::thread_count(0, schools.size()), [&](unsigned, std::size_t k) {
            auto it = programs.find(schools[k]);
            contexts[k] = engine->school_context(schools[k], y, it == programs.end() ? nullptr : &it->second);
        });
        data::Json list = data::Json::array();
        list.get_ref<data::Json::array_t&>().reserve(contexts.size());
        for (auto& c : contexts) list.push_back(std::move(c));
        year_roots["participants"] = std::move(list);
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
        year_roots["summary"] = std::move(rows);
    }

    void ensure_prepared() {
        if (!prepared) prepare(year, {});
    }

    // The number of `id` among the appendices of another declared document, or 0.
    int appendix_number(const std::string& id) const {
        for (const auto& d : ws.documents) {
            for (std::size_t k = 0; k < d.appendices.size(); ++k) {
                if (d.appendices[k] == id) return static_cast<int>(k + 1);
            }
        }
        return 0;
    }

    // Compiles (once) the templates of `spec` and its appendices. Not for the threads.
    const Compiled& compiled(const data::DocumentSpec& spec) {
        auto [it, added] = compiled_.try_emplace(&spec);
        if (added) {
            try {
                it->second.main = &env.get(spec.template_name);
                for (const auto& id : spec.appendices) {
                    const auto* a = ws.find_document(id);
                    it->second.appendices.emplace_back(a, &env.get(a->template_name));
                }
            } catch (...) {
                compiled_.erase(it);
                throw;
            }
        }
        return it->second;
    }

    // Renders one template with the data layers, most specific first: the worker's document
    // layer, for a per-school document the school's history and context (participant number
    // `school`, kNoSchool otherwise), the year, the workspace's data files. Only reads shared
    // state: safe on several threads at once.
    void render_one(Worker& w, const data::DocumentSpec& spec, const tpl::Template& t, int number, std::size_t school,
                    std::vector<doc::Block>& out) const {
        w.roots["document"] = data::Json{{"id", spec.id}, {"title", spec.title}};
        w.roots["appendix"] = number > 0 ? data::Json{{"number", number}} : data::Json();
        const data::Json* layers[5];
        std::size_t n = 0;
        layers[n++] = &w.roots;
        if (school != kNoSchool) {
            layers[n++] = &school_layers[school];
            layers[n++] = &year_roots["participants"][school];
        }
        layers[n++] = &year_roots;
        layers[n++] = &ws.data;
        env.render(t, std::span<const data::Json* const>(layers, n), out);
    }

    doc::Document build(Worker& w, const data::DocumentSpec& spec, const Compiled& c) const {
        doc::Document d;
        text::append_sanitized(d.title, spec.title);  // document properties get the same clean text as the body
        render_one(w, spec, *c.main, appendix_number(spec.id), kNoSchool, d.body);
        for (std::size_t k = 0; k < c.appendices.size(); ++k) {
            d.body.push_back(doc::Block{doc::PageBreak{}});
            render_one(w, *c.appendices[k].first, *c.appendices[k].second, static_cast<int>(k + 1), kNoSchool, d.body);
        }
        return d;
    }

    doc::Document build_for_school(Worker& w, const data::DocumentSpec& spec, const Compiled& c, std::size_t school) const {
        doc::Document d;
        const data::Json& context = year_roots["participants"][school];
        const std::string name = context.contains("school") ? context["school"].value("short_name", std::string()) : std::string();
        text::append_sanitized(d.title, spec.title + (name.empty() ? "" : " — " + name));
        render_one(w, spec, *c.main, 0, school, d.body);
        return d;
    }

    doc::Document build_job(Worker& w, const Job& job) const {
        const Compiled& c = compiled_.at(job.spec);
        if (job.school == kNoSchool) return build(w, *job.spec, c);
        return build_for_school(w, *job.spec, c, job.school);
    }

    // The jobs for `selected`, in order: a workspace document once, a per-school one for each
    // participant. Compiles their templates first (on this thread).
    std::vector<Job> jobs_for(const std::vector<const data::DocumentSpec*>& selected) {
        std::vector<Job> jobs;
        for (const auto* spec : selected) {
            compiled(*spec);
            if (!spec->per_participant) {
                jobs.push_back({spec, kNoSchool});
                continue;
            }
            if (!engine || year.empty()) {
                throw Error(ErrorId::cli_usage, "", {}, "",
                            "документ «" + spec->id +
                                "» делается для каждой школы-участника учебного года, а в папке данных нет рабочего процесса и показателей: укажите \"workflow\" в workspace.json и --year");
            }
            for (std::size_t k = 0; k < schools.size(); ++k) jobs.push_back({spec, k});
        }
        return jobs;
    }

    const data::Workspace& ws;
    tpl::Environment env;
    doc::LayoutProfile profile;
    std::unique_ptr<workflow::Registry> registry;
    std::unique_ptr<workflow::Engine> engine;
    std::string year;
    bool prepared = false;
    // The year's layer: workspace, academic_year, partnership, participants (school contexts, in
    // the order of `schools`), summary.
    data::Json year_roots = data::Json::object();
    std::vector<std::string> schools;        // the year's participants
    std::vector<data::Json> school_layers;   // per participant: {"history": [...]}
    std::vector<std::string> school_names;   // per participant, for progress lines
    std::map<const data::DocumentSpec*, Compiled> compiled_;
    std::deque<Worker> workers;  // [0] serves the single-document calls below
};

PackageRenderer::PackageRenderer(const data::Workspace& ws) : impl_(std::make_unique<Impl>(ws)) {}
PackageRenderer::~PackageRenderer() = default;

const doc::LayoutProfile& PackageRenderer::profile() const { return impl_->profile; }

doc::Document PackageRenderer::build(const data::DocumentSpec& spec) {
    impl_->ensure_prepared();
    return impl_->build(impl_->workers[0], spec, impl_->compiled(spec));
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

const std::string& PackageRenderer::docx_bytes(const doc::Document& d) {
    auto& w = impl_->workers[0];
    w.docx.write(d, impl_->profile, w.bytes);
    return w.bytes;
}

std::size_t PackageRenderer::check_all(unsigned jobs) {
    impl_->ensure_prepared();
    std::vector<const data::DocumentSpec*> all;
    for (const auto& spec : impl_->ws.documents) all.push_back(&spec);
    const auto list = impl_->jobs_for(all);
    run_parallel(build_order(list), io::thread_count(jobs, list.size()), impl_->workers,
                 [&](Worker& w, std::size_t k) { impl_->build_job(w, list[k]); });
    return list.size();
}

std::vector<OutputFile> PackageRenderer::render_to(const std::filesystem::path& out_dir, const Options& options) {
    namespace fs = std::filesystem;
    auto& impl = *impl_;
    const auto selected = select(options.only);
    impl.prepare(options.year.empty() ? impl.year : options.year, options.state);
    const auto jobs = impl.jobs_for(selected);

    io::ensure_directory(out_dir);
    for (const auto* spec : selected) {
        if (spec->per_participant) io::ensure_directory(out_dir / spec->file);
    }
    io::OutputTransaction tx;
    std::vector<std::vector<OutputFile>> files_of(jobs.size());  // by job: the manifest's order
    std::mutex progress_mutex;
    std::size_t started = 0;  // each job takes the next number under the lock: no two see the same
    auto progress = [&](const std::string& what) {
        const std::lock_guard lock(progress_mutex);
        options.progress(started++, jobs.size(), what);
    };

    run_parallel(build_order(jobs), io::thread_count(options.jobs, jobs.size()), impl.workers, [&](Worker& w, std::size_t k) {
        const Job& job = jobs[k];
        const auto& spec = *job.spec;
        if (options.progress) {
            const std::string what = job.school == kNoSchool ? spec.title : spec.title + ": " + impl.school_names[job.school];
            progress(what);
        }
        const doc::Document model = impl.build_job(w, job);
        const fs::path dir = job.school == kNoSchool ? out_dir : out_dir / spec.file;
        const std::string& stem = job.school == kNoSchool ? spec.file : impl.schools[job.school];
        const std::string& school = job.school == kNoSchool ? std::string() : impl.schools[job.school];
        auto& files = files_of[k];
        auto record = [&](const fs::path& path, const char* format, std::string_view bytes) {
            files.push_back({path, format, spec.id, school, sha256(w.sha256, bytes), bytes.size()});
        };
        if (spec.docx) {
            const auto path = dir / (stem + ".docx");
            w.docx.write(model, impl.profile, w.bytes);
            tx.write(path, w.bytes);
            record(path, "docx", w.bytes);
        }
        if (spec.xlsx) {
            const auto path = dir / (stem + ".xlsx");
            w.xlsx.write(model, impl.profile, w.bytes, path.native());
            tx.write(path, w.bytes);
            record(path, "xlsx", w.bytes);
        }
        if (options.text || options.text_plain) {
            const auto path = dir / (stem + ".txt");
            doc::TextDumpOptions to;
            to.list_numbers = !options.text_plain;
            w.scratch = doc::dump_text(model, to);
            tx.write(path, w.scratch);
            record(path, "txt", w.scratch);
        }
    });
    if (options.progress) options.progress(jobs.size(), jobs.size(), "");

    // The manifest: every file of this run, relative to out_dir.
    std::vector<OutputFile> files;
    for (auto& f : files_of) std::move(f.begin(), f.end(), std::back_inserter(files));
    data::Json manifest = data::Json::object();
    manifest["workspace"] = impl.ws.name;
    if (!impl.year.empty()) manifest["year"] = impl.year;
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
    std::string text = manifest.dump(2) + "\n";
    tx.write(manifest_path, text);
    files.push_back({manifest_path, "json", "", "", sha256(impl.workers[0].sha256, text), text.size()});
    tx.commit();
    return files;
}

}  // namespace ppko::render
