#include "render/render.h"

#include <algorithm>
#include <deque>
#include <tuple>
#include <limits>
#include <map>
#include <mutex>

#include <Poco/Crypto/DigestEngine.h>

#include "data/schema.h"
#include "docx/docx_writer.h"
#include "document/text_dump.h"
#include "document/prepare.h"
#include "io/atomic_file.h"
#include "io/parallel.h"
#include "pdf/pdf_pool.h"
#include "text/utf8.h"
#include "template/template.h"
#include "view/context.h"
#include "xlsx/xlsx_writer.h"

namespace ppko::render {

namespace {

constexpr std::size_t kNoSchool = std::numeric_limits<std::size_t>::max();

// One unit of work: a declared document for the whole workspace, or for one school.
// A PDF a job wants: the DOCX to convert (empty: none), where it goes, its manifest fields.
struct PdfWanted {
    std::string docx;
    std::filesystem::path path;
    std::string school, date;
};

struct Job {
    const data::DocumentSpec* spec = nullptr;
    std::size_t view = 0;            // the document view it is built from
    std::size_t school = kNoSchool;  // index into the view's participants
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
    Impl(const workflow::Municipality& m, const workflow::Snapshot& s)
        : municipality(m), ws(m.workspace()), snapshot(s), env(ws.resources), presenter(m.domain(), m.identifier(), m.advancer(), s), workers(1) {
        const auto r = ws.resources.find("profiles/" + ws.profile + ".json");
        if (!r) throw Error(ErrorId::data_bad_value, "workspace.json", {}, "$.profile", "профиль «" + ws.profile + "» не найден");
        profile = doc::parse_layout_profile(std::string(r->text), r->origin);
        base_roots["workspace"] = data::Json{{"name", ws.name}, {"title", ws.title}};
    }

    // Where a declared document stands: its academic year, its date, its council.
    struct Resolved {
        domain::AcademicYear year;
        domain::Date date;
        const domain::Council* council = nullptr;
    };

    [[noreturn]] void spec_error(const data::DocumentSpec& spec, const char* field, const std::string& message,
                                 ErrorId id = ErrorId::data_missing_field) const {
        const auto it = ws.sources.find("workspace");
        const std::string path = data::path_member(spec.json_path, field);
        throw Error(id, it != ws.sources.end() ? it->second.file : "workspace.json",
                    it != ws.sources.end() ? it->second.position_of(path) : Position{}, path, message);
    }

    Resolved resolve(const data::DocumentSpec& spec, const Options& o) const {
        const domain::Domain& dom = municipality.domain();
        std::optional<domain::AcademicYear> year;
        std::optional<domain::Date> date;
        if (!o.year.empty()) {
            year = domain::AcademicYear::parse(o.year);
            if (!year) throw Error(ErrorId::cli_usage, "", {}, "", "учебный год «" + o.year + "» записан неверно; пример: --year 2020-2021; подробнее: ppko render --help");
        } else if (!spec.year.empty()) {
            year = domain::AcademicYear::parse(spec.year);
            if (!year) spec_error(spec, "year", "учебный год «" + spec.year + "» записан неверно; пример: «2020-2021»");
        }
        if (!o.date.empty()) {
            date = domain::Date::parse(o.date);
            if (!date) throw Error(ErrorId::cli_usage, "", {}, "", "дата «" + o.date + "» записана неверно или не существует; пример: --date 2020-12-22; подробнее: ppko render --help");
        }
        const std::string source = !spec.date.empty() ? spec.date : ws.data.contains("order") ? "order.date" : "year.end";
        if (!date && source == "order.date") {
            if (!ws.data.contains("order")) spec_error(spec, "date", "дата документа берётся из приказа (order.date), а файла order.json в папке данных нет");
            date = domain::Date::parse(ws.data["order"]["date"].get<std::string>());
        } else if (!date && source.find('.') == std::string::npos) {
            date = domain::Date::parse(source);
        }
        if (!year && date) year = domain::AcademicYear::of(*date);
        if (!year) year = municipality.default_year();
        if (!year) spec_error(spec, "year", "не удаётся определить учебный год документа: в данных нет ни показателей, ни датированных записей; укажите --year или «year» документа");
        Resolved r;
        r.year = *year;
        if (!spec.council.empty()) {
            r.council = dom.council(spec.council);
            if (!r.council) {
                std::vector<std::string> ids;
                for (const auto& c : dom.councils()) ids.push_back(c.id);
                std::string msg = "заседания «" + spec.council + "» в councils.json нет";
                const auto near = data::nearest(spec.council, ids);
                if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
                spec_error(spec, "council", msg, ErrorId::data_unknown_reference);
            }
        } else {
            r.council = dom.latest_council(*year, year->end());
        }
        if (!date) {
            const domain::Partnership* p = dom.partnership(*year, year->end());
            if (source == "year.start") date = year->start();
            else if (source == "year.end") date = year->end();
            else if (source == "council.date") {
                if (!r.council) spec_error(spec, "date", "дата документа — дата заседания совета, а в councils.json нет заседания в " + year->name() + " учебном году");
                date = r.council->date;
            } else if (source == "partnership.date" || source == "partnership.plan_deadline") {
                if (!p) spec_error(spec, "date", "дата документа берётся из партнёрства, а в partners.json нет партнёрства на " + year->name() + " учебный год");
                if (source == "partnership.date") date = p->date;
                else if (!p->plan_deadline) spec_error(spec, "date", "у партнёрства на " + year->name() + " не указан срок план-графиков (plan_deadline)");
                else date = p->plan_deadline;
            }
        }
        r.date = *date;
        return r;
    }

    using ViewKey = std::tuple<int, domain::Date, const domain::Council*>;
    static ViewKey key_of(const Resolved& r) { return {r.year.first(), r.date, r.council}; }

    // What the templates of `spec` (and its appendices) read of a view.
    view::Presenter::Needs needs_of(const data::DocumentSpec& spec) {
        const Compiled& c = compiled(spec);
        view::Presenter::Needs n{spec.per_participant, false, false, false, false, false, false};
        auto add = [&](const tpl::Template& t) {
            n.participants = n.participants || t.may_read("participants");
            n.summary = n.summary || t.may_read("summary");
            n.partnership = n.partnership || t.may_read("partnership");
            n.measures = n.measures || t.may_name("problems") || t.may_name("baseline");
            n.dynamics = n.dynamics || t.may_name("dynamics");
            n.facts = n.facts || t.may_name("facts");
            n.history = n.history || t.may_name("history");
        };
        add(*c.main);
        for (const auto& [a, t] : c.appendices) add(*t);
        return n;
    }

    // The view for a resolved document (built once for each year, date and council, with what
    // every document of it reads).
    std::size_t view_for(const Resolved& r, const view::Presenter::Needs& needs) {
        const auto key = key_of(r);
        auto it = view_index.find(key);
        if (it != view_index.end()) return it->second;
        views.push_back(presenter.build(r.year, r.date, r.council, needs));
        view_index.emplace(key, views.size() - 1);
        return views.size() - 1;
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
    // layer, for a per-school document the school's context (participant number `school` of the
    // view, kNoSchool otherwise), the view's year layer, the workspace, the workspace's data
    // files. Only reads shared state: safe on several threads at once.
    void render_one(Worker& w, const data::DocumentSpec& spec, const tpl::Template& t, int number, const view::DocumentView& v,
                    std::size_t school, std::vector<doc::Block>& out) const {
        w.roots["document"] = data::Json{{"id", spec.id}, {"title", spec.title}};
        w.roots["appendix"] = number > 0 ? data::Json{{"number", number}} : data::Json();
        const data::Json* layers[5];
        std::size_t n = 0;
        layers[n++] = &w.roots;
        if (school != kNoSchool) layers[n++] = &v.roots["participants"][school];
        layers[n++] = &v.roots;
        layers[n++] = &base_roots;
        layers[n++] = &ws.data;
        env.render(t, std::span<const data::Json* const>(layers, n), out);
    }

    doc::Document build_job(Worker& w, const Job& job) const {
        const Compiled& c = compiled_.at(job.spec);
        const view::DocumentView& v = views[job.view];
        const auto& spec = *job.spec;
        doc::Document d;
        if (job.school == kNoSchool) {
            text::append_sanitized(d.title, spec.title);  // document properties get the same clean text as the body
            render_one(w, spec, *c.main, appendix_number(spec.id), v, kNoSchool, d.body);
            for (std::size_t k = 0; k < c.appendices.size(); ++k) {
                d.body.push_back(doc::Block{doc::PageBreak{}});
                render_one(w, *c.appendices[k].first, *c.appendices[k].second, static_cast<int>(k + 1), v, kNoSchool, d.body);
            }
        } else {
            text::append_sanitized(d.title, spec.title + " — " + v.names[job.school]);
            render_one(w, spec, *c.main, 0, v, job.school, d.body);
        }
        doc::prepare(d, profile);
        return d;
    }

    // The jobs for `selected`, in order: a workspace document once, a per-school one for each
    // participant of its view. Compiles their templates and builds their views first (on this
    // thread).
    std::vector<Job> jobs_for(const std::vector<const data::DocumentSpec*>& selected, const Options& options) {
        std::vector<Job> jobs;
        // Resolve every document first: a view is built once, with what all its documents read.
        std::vector<Resolved> resolved;
        std::map<ViewKey, view::Presenter::Needs> needs;
        for (const auto* spec : selected) {
            compiled(*spec);
            if (spec->per_participant && !municipality.identifier()) {
                throw Error(ErrorId::cli_usage, "", {}, "",
                            "документ «" + spec->id +
                                "» делается для каждой школы-участника учебного года, а в папке данных нет рабочего процесса: укажите \"workflow\" в workspace.json");
            }
            resolved.push_back(resolve(*spec, options));
            const auto n = needs_of(*spec);
            auto [it, added] = needs.try_emplace(key_of(resolved.back()), n);
            if (!added) {
                auto& m = it->second;
                for (auto [have, add] : {std::pair{&m.participants, n.participants}, {&m.summary, n.summary}, {&m.partnership, n.partnership},
                                         {&m.measures, n.measures}, {&m.dynamics, n.dynamics}, {&m.facts, n.facts}, {&m.history, n.history}}) {
                    *have = *have || add;
                }
            }
        }
        for (std::size_t i = 0; i < selected.size(); ++i) {
            const auto* spec = selected[i];
            const std::size_t v = view_for(resolved[i], needs.at(key_of(resolved[i])));
            if (!spec->per_participant) {
                jobs.push_back({spec, v, kNoSchool});
                continue;
            }
            for (std::size_t k = 0; k < views[v].schools.size(); ++k) jobs.push_back({spec, v, k});
        }
        return jobs;
    }

    const workflow::Municipality& municipality;
    const data::Workspace& ws;
    const workflow::Snapshot& snapshot;
    tpl::Environment env;
    doc::LayoutProfile profile;
    view::Presenter presenter;
    data::Json base_roots = data::Json::object();
    std::deque<view::DocumentView> views;  // stable addresses
    std::map<std::tuple<int, domain::Date, const domain::Council*>, std::size_t> view_index;
    std::map<const data::DocumentSpec*, Compiled> compiled_;

    // The PDFs of the run: each wanted one (non-empty DOCX) through one pool of LibreOffice
    // instances, written into the transaction after that job's other files.
    void convert_to_pdf(const Options& options, const std::vector<Job>& jobs, std::vector<PdfWanted>& wanted,
                        io::OutputTransaction& tx, std::vector<std::vector<OutputFile>>& files_of) {
        std::vector<pdf::Source> sources;
        std::vector<std::size_t> job_of;
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            if (wanted[k].docx.empty()) continue;
            sources.push_back({wanted[k].path.filename().replace_extension(".docx").string(), wanted[k].docx});
            job_of.push_back(k);
        }
        if (sources.empty()) return;
        std::vector<std::string> pdfs;
        if (options.pdf) {
            options.pdf(sources, pdfs);
        } else {
            pdf::Pool(2).convert(sources, pdfs);
        }
        for (std::size_t i = 0; i < sources.size(); ++i) {
            const std::size_t k = job_of[i];
            const PdfWanted& p = wanted[k];
            tx.write(p.path, pdfs[i]);
            files_of[k].push_back({p.path, "pdf", jobs[k].spec->id, p.school, p.date, sha256(workers[0].sha256, pdfs[i]), pdfs[i].size()});
        }
    }
    std::deque<Worker> workers;  // [0] serves the single-document calls below
};

PackageRenderer::PackageRenderer(const workflow::Municipality& m, const workflow::Snapshot& s) : impl_(std::make_unique<Impl>(m, s)) {}
// What the Workspace-only constructor owns.
struct PackageRenderer::Owned {
    explicit Owned(const data::Workspace& ws) : municipality(ws) {}
    workflow::Municipality municipality;
    workflow::Snapshot snapshot;
};

PackageRenderer::PackageRenderer(const data::Workspace& ws)
    : owned_(std::make_unique<Owned>(ws)), impl_(std::make_unique<Impl>(owned_->municipality, owned_->snapshot)) {}
PackageRenderer::~PackageRenderer() = default;

const doc::LayoutProfile& PackageRenderer::profile() const { return impl_->profile; }

doc::Document PackageRenderer::build(const data::DocumentSpec& spec) {
    const auto jobs = impl_->jobs_for({&spec}, Options{});
    if (jobs.empty()) throw Error(ErrorId::cli_usage, "", {}, "", "документ «" + spec.id + "»: в учебном году нет школ-участников");
    return impl_->build_job(impl_->workers[0], jobs.front());
}

std::vector<PackageRenderer::Built> PackageRenderer::build_models(const data::DocumentSpec& spec, const Options& options,
                                                                  std::string_view school) {
    auto& impl = *impl_;
    std::vector<Built> out;
    for (const Job& job : impl.jobs_for({&spec}, options)) {
        const view::DocumentView& v = impl.views[job.view];
        Built b;
        if (job.school != kNoSchool) {
            b.school = impl.municipality.domain().schools()[v.schools[job.school]].id;
            if (!school.empty() && b.school != school) continue;
            b.school_name = v.names[job.school];
        }
        b.date = v.date.iso();
        b.model = impl.build_job(impl.workers[0], job);
        out.push_back(std::move(b));
    }
    return out;
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
    std::vector<const data::DocumentSpec*> all;
    for (const auto& spec : impl_->ws.documents) all.push_back(&spec);
    const auto list = impl_->jobs_for(all, Options{});
    run_parallel(build_order(list), io::thread_count(jobs, list.size()), impl_->workers,
                 [&](Worker& w, std::size_t k) { impl_->build_job(w, list[k]); });
    return list.size();
}

std::size_t PackageRenderer::count(const Options& options) { return impl_->jobs_for(select(options.only), options).size(); }

std::vector<OutputFile> PackageRenderer::render_to(const std::filesystem::path& out_dir, const Options& options) {
    namespace fs = std::filesystem;
    auto& impl = *impl_;
    const auto selected = select(options.only);
    const auto jobs = impl.jobs_for(selected, options);

    io::ensure_directory(out_dir);
    for (const auto* spec : selected) {
        if (spec->per_participant) io::ensure_directory(out_dir / spec->file);
    }
    io::OutputTransaction tx(options.durable);
    std::vector<std::vector<OutputFile>> files_of(jobs.size());  // by job: the manifest's order
    std::mutex progress_mutex;
    std::size_t started = 0;  // each job takes the next number under the lock: no two see the same
    auto progress = [&](const std::string& what) {
        const std::lock_guard lock(progress_mutex);
        options.progress(started++, jobs.size(), what);
    };

    // Formats per document: the declared ones, or --format's for all.
    const auto wants = [&](const data::DocumentSpec& spec, std::string_view f) {
        if (options.formats.empty()) return f == "docx" ? spec.docx : f == "xlsx" ? spec.xlsx : spec.pdf;
        return std::find(options.formats.begin(), options.formats.end(), f) != options.formats.end();
    };
    std::vector<PdfWanted> pdf_wanted(jobs.size());  // by job

    run_parallel(build_order(jobs), io::thread_count(options.jobs, jobs.size()), impl.workers, [&](Worker& w, std::size_t k) {
        const Job& job = jobs[k];
        const auto& spec = *job.spec;
        const view::DocumentView& v = impl.views[job.view];
        const std::string school = job.school == kNoSchool ? std::string() : impl.municipality.domain().schools()[v.schools[job.school]].id;
        if (options.progress) {
            const std::string what = job.school == kNoSchool ? spec.title : spec.title + ": " + v.names[job.school];
            progress(what);
        }
        const doc::Document model = impl.build_job(w, job);
        const fs::path dir = job.school == kNoSchool ? out_dir : out_dir / spec.file;
        const std::string& stem = job.school == kNoSchool ? spec.file : school;
        const std::string date = v.date.iso();
        auto& files = files_of[k];
        auto record = [&](const fs::path& path, const char* format, std::string_view bytes) {
            files.push_back({path, format, spec.id, school, date, sha256(w.sha256, bytes), bytes.size()});
        };
        if (wants(spec, "docx") || wants(spec, "pdf")) w.docx.write(model, impl.profile, w.bytes);
        if (wants(spec, "docx")) {
            const auto path = dir / (stem + ".docx");
            tx.write(path, w.bytes);
            record(path, "docx", w.bytes);
        }
        if (wants(spec, "pdf")) pdf_wanted[k] = {w.bytes, dir / (stem + ".pdf"), school, date};
        if (wants(spec, "xlsx")) {
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
    impl.convert_to_pdf(options, jobs, pdf_wanted, tx, files_of);

    // The manifest: every file of this run, relative to out_dir.
    std::vector<OutputFile> files;
    for (auto& f : files_of) std::move(f.begin(), f.end(), std::back_inserter(files));
    data::Json manifest = data::Json::object();
    manifest["workspace"] = impl.ws.name;
    data::Json list = data::Json::array();
    for (const auto& f : files) {
        data::Json j = {{"path", f.path.lexically_relative(out_dir).generic_string()}, {"format", f.format}, {"document", f.document}};
        if (!f.school.empty()) j["school"] = f.school;
        j["date"] = f.date;
        j["bytes"] = f.bytes;
        j["sha256"] = f.sha256;
        list.push_back(std::move(j));
    }
    manifest["files"] = std::move(list);
    const auto manifest_path = out_dir / "manifest.json";
    std::string text = manifest.dump(2) + "\n";
    tx.write(manifest_path, text);
    files.push_back({manifest_path, "json", "", "", "", sha256(impl.workers[0].sha256, text), text.size()});
    tx.commit();
    return files;
}

}  // namespace ppko::render
