#include "server/municipality_service.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <Poco/Zip/Compress.h>

#include "diag/diagnostic.h"
#include "io/atomic_file.h"
#include "text/russian.h"
#include "text/utf8.h"
#include "render/render.h"
#include "server/failpoint.h"
#include "server/passwords.h"
#include "view/words.h"
#include "workflow/pairing.h"

namespace ppko::server {
namespace fs = std::filesystem;

namespace {

std::atomic<std::uint64_t> g_counter{0};

// A folder of its own under `parent` for one use: "<pid>-<n>"; removed with everything in it
// when the object dies.
class TempDir {
public:
    explicit TempDir(const fs::path& parent)
        : path_(parent / (std::to_string(::getpid()) + "-" + std::to_string(++g_counter))) {
        std::error_code ec;
        fs::remove_all(path_, ec);
        io::ensure_directory(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// The first 16 hex digits of SHA-256 over the files' names and their contents' SHA-256: with the
// data version it names the folder a version is materialised in, so that two databases whose
// municipalities have the same code and version (two regions, a test's servers) never read each
// other's folder when they share a work folder by mistake.
std::string content_digest(const std::vector<DataFile>& files) {
    std::string list;
    for (const auto& f : files) list += f.name + '\0' + sha256_hex(f.content) + '\n';
    return sha256_hex(list).substr(0, 16);
}

void write_files(const fs::path& dir, const std::vector<DataFile>& files) {
    io::OutputTransaction out;
    for (const auto& f : files) {
        io::ensure_directory((dir / f.name).parent_path());  // workflows/
        out.write(dir / f.name, f.content);
    }
    out.commit();
}

// The loader's errors with the materialised folder taken out of file names: "facts.json:3:5".
Error relabel(const Error& e, const fs::path& dir) {
    const std::string prefix = dir.lexically_normal().string() + "/";
    auto strip = [&](std::string s) {
        for (std::size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
        return s;
    };
    Diagnostics d;
    for (Diagnostic x : e.diagnostics().items()) {
        x.file = strip(x.file);
        x.message = strip(x.message);
        x.note = strip(x.note);
        d.add(std::move(x));
    }
    return Error(std::move(d));
}

// Runs f(), reporting its errors with the records' file names instead of the loaded folder's paths
// (templates and documents name workspace.json's positions as they render).
template <class F>
decltype(auto) named(const LoadedMunicipality& l, F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        throw relabel(e, l.workspace.dir);
    }
}

std::shared_ptr<LoadedMunicipality> load_from(const fs::path& dir, std::string id, std::int64_t version) {
    auto l = std::make_shared<LoadedMunicipality>();
    l->id = std::move(id);
    l->data_version = version;
    try {
        l->workspace = data::load_workspace(dir);
        l->model = std::make_unique<workflow::Municipality>(l->workspace);
    } catch (const Error& e) {
        throw relabel(e, dir);
    }
    if (!l->model->workflow()) {
        throw Error(ErrorId::workflow_not_found, "workspace.json", {}, "$.workflow",
                    "в workspace.json не указан рабочий процесс программ («workflow»: \"ppko\")");
    }
    return l;
}

domain::Date default_date(const LoadedMunicipality& l, const workflow::Snapshot& s) {
    if (s.advanced_through) return *s.advanced_through;
    const auto& years = l.model->domain().list_years();
    return years.empty() ? domain::AcademicYear::of(*domain::Date::from_ymd(2000, 9, 1)).start() : years.front().start();
}

std::size_t require_school(const LoadedMunicipality& l, std::string_view id) {
    const auto k = l.model->domain().school_index(std::string(id));
    if (!k) throw Error(ErrorId::server_not_found, "", {}, "", "в schools.json нет школы с кодом «" + std::string(id) + "»");
    return *k;
}

Json event_json(const workflow::Event& e) {
    return Json{{"seq", e.seq},         {"date", e.date.iso()}, {"kind", std::string(workflow::kind_name(e.kind))},
                {"from", e.from_stage}, {"to", e.to_stage},           {"note", e.note},
                {"guard", e.guard},     {"facts", e.read},      {"workflow", e.workflow},
                {"version", e.version}, {"school", e.school}};
}

// DOCX and XLSX files are zips already: stored as they are (deflating them again gains nothing and
// cost most of a large package's time); the rest (manifest.json …) deflated.
std::string zip_of(const fs::path& root, const std::vector<fs::path>& files) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    for (const auto& f : files) {
        const std::string ext = f.extension().string();
        const bool packed = ext == ".docx" || ext == ".xlsx" || ext == ".zip" || ext == ".pdf";
        zip.addFile(Poco::Path(f.string()), Poco::Path(f.lexically_relative(root).generic_string()),
                    packed ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE,
                    Poco::Zip::ZipCommon::CL_NORMAL);
    }
    zip.close();
    return out.str();
}

std::string content_type(const std::string& format) {
    if (format == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (format == "zip") return "application/zip";
    if (format == "pdf") return "application/pdf";
    return "application/octet-stream";
}

}  // namespace

// A job waiting for the worker: a municipality's, or the region's (municipality "", `members`).
struct MunicipalityService::QueuedJob {
    std::string id, municipality;
    std::vector<std::string> only;
    std::optional<domain::Date> date;
    std::vector<RegionMember> members;
    std::vector<std::string> formats;  // empty: as the workspace declares
};

// The batch jobs of this server: a bounded queue served by one worker thread (each job renders
// on the engine's pool of threads, one per core), and a keeper thread that beats the heart of this
// server's jobs in the database (job_store.h) while they wait or run.
struct MunicipalityService::Jobs {
    std::unique_ptr<JobStore> table;
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<QueuedJob> queue;
    std::size_t max_jobs = 4;
    std::size_t active = 0;  // queued or running here
    bool stopping = false;
    std::thread worker, keeper;
};

namespace {

// This server instance's name on the jobs it runs: host, process and a random part.
std::string server_instance() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(::getpid()) + ":" + sha256_hex(random_token(16)).substr(0, 8);
}

// The error text of a job that failed with an exception.
std::string job_error(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const Error& x) {
        std::string t = x.diagnostics().format();
        while (!t.empty() && t.back() == '\n') t.pop_back();
        return t;
    } catch (const std::exception& x) {
        return std::string("внутренняя ошибка: ") + x.what();
    }
}

}  // namespace

MunicipalityService::MunicipalityService(std::shared_ptr<store::Database> db, fs::path work_dir, std::size_t max_jobs,
                                         std::int64_t job_stale_seconds, PdfSettings pdf)
    : db_(std::move(db)),
      files_(db_),
      work_dir_(std::move(work_dir)),
      pdf_(std::make_unique<PdfService>(std::move(pdf))),
      jobs_(std::make_unique<Jobs>()) {
    io::ensure_directory(work_dir_ / "data");
    io::ensure_directory(work_dir_ / "tmp");
    jobs_->table = std::make_unique<JobStore>(db_, server_instance(), job_stale_seconds);
    jobs_->max_jobs = max_jobs;
    jobs_->worker = std::thread([this] {
        for (;;) {
            QueuedJob job;
            {
                std::unique_lock lock(jobs_->mutex);
                jobs_->wake.wait(lock, [&] { return jobs_->stopping || !jobs_->queue.empty(); });
                if (jobs_->stopping) return;
                job = std::move(jobs_->queue.front());
                jobs_->queue.pop_front();
            }
            run_job(job);
            std::lock_guard lock(jobs_->mutex);
            --jobs_->active;
        }
    });
    jobs_->keeper = std::thread([this] {
        std::unique_lock lock(jobs_->mutex);
        for (;;) {
            jobs_->wake.wait_for(lock, std::chrono::seconds(jobs_->table->heartbeat_seconds()), [&] { return jobs_->stopping; });
            if (jobs_->stopping) return;
            if (jobs_->active == 0) continue;
            lock.unlock();
            try {
                jobs_->table->heartbeat();
            } catch (...) {
                // Tried again at the next beat; a database away for the stale time fails the jobs.
            }
            lock.lock();
        }
    });
}

bool MunicipalityService::stopping() const {
    std::lock_guard lock(jobs_->mutex);
    return jobs_->stopping;
}

// Renders one job and records its end (done with its zip, or failed with its error).
void MunicipalityService::run_job(const QueuedJob& job) {
    std::string error, zip, note;
    std::size_t total = 0;
    try {
        jobs_->table->progress(job.id, 0, 0);
        failpoint("jobs.run");
        // Progress reaches the database at most every quarter second (and at the end); the pool's
        // threads report it one at a time.
        auto last = std::chrono::steady_clock::now();
        std::mutex progress_mutex;
        const JobProgress progress = [&](std::size_t done, std::size_t n) {
            std::lock_guard progress_lock(progress_mutex);
            if (stopping()) throw Error(ErrorId::cli_interrupted, "", {}, "", "сервер останавливается: задание прервано");
            total = n;
            const auto now = std::chrono::steady_clock::now();
            if (done == n || now - last >= std::chrono::milliseconds(250)) {
                last = now;
                jobs_->table->progress(job.id, done, n);
            }
        };
        render::Options o;
        o.only = job.only;
        o.formats = job.formats;
        o.pdf = pdf_hook();
        if (job.date) o.date = job.date->iso();
        o.durable = false;  // zipped and removed as soon as written
        zip = job.municipality.empty() ? region_zip(job.members, o, progress, note) : municipality_zip(job.municipality, o, progress);
    } catch (...) {
        error = job_error(std::current_exception());
        zip.clear();
        note.clear();
    }
    try {
        jobs_->table->finish(job.id, error, zip, total, note);
    } catch (...) {
        // The database is gone: the row's heart stops and readers report the job failed.
        std::cerr << "ppko serve: задание " << job.id << ": " << job_error(std::current_exception()) << '\n';
    }
}

MunicipalityService::~MunicipalityService() {
    {
        std::lock_guard lock(jobs_->mutex);
        jobs_->stopping = true;
    }
    jobs_->wake.notify_all();
    pdf_->stop();  // a job converting PDF ends with its current turn, not with its last file
    if (jobs_->worker.joinable()) jobs_->worker.join();
    if (jobs_->keeper.joinable()) jobs_->keeper.join();
    try {
        jobs_->table->abandon("сервер остановлен до начала задания; запустите задание снова");
    } catch (...) {
        // Nobody beats their hearts any more: readers report them failed after the stale time.
    }
}

std::shared_ptr<const LoadedMunicipality> MunicipalityService::load(std::string_view municipality) {
    return load_at(municipality, files_.data_version(municipality));
}

MunicipalityService::Current MunicipalityService::current(std::string_view municipality) {
    const auto v = files_.versions(municipality);
    auto loaded = load_at(municipality, v.data);
    return {std::move(loaded), snapshot_at(municipality, v.state)};
}

std::shared_ptr<const LoadedMunicipality> MunicipalityService::load_at(std::string_view municipality, std::int64_t version) {
    {
        std::lock_guard lock(cache_mutex_);
        const auto it = cache_.find(municipality);
        if (it != cache_.end() && it->second->data_version == version) return it->second;
    }
    std::int64_t read_version = 0;
    const auto files = files_.all(municipality, &read_version);
    if (files.empty()) {
        throw Error(ErrorId::server_not_found, "", {}, "",
                    "у муниципалитета «" + std::string(municipality) + "» нет данных: загрузите папку данных (ppko municipality import)");
    }
    // Each version in a folder of its own, "data/<municipality>/v<version>-<content digest>",
    // written under a temporary name and renamed whole, so no server ever loads a half-written
    // version, nor another database's version of the same number.
    const fs::path base = work_dir_ / "data" / std::string(municipality);
    const fs::path dir = base / ("v" + std::to_string(read_version) + "-" + content_digest(files));
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        io::ensure_directory(base);
        const fs::path tmp = base / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++g_counter));
        io::ensure_directory(tmp);
        write_files(tmp, files);
        fs::rename(tmp, dir, ec);
        if (ec) fs::remove_all(tmp, ec);  // another server or thread made it first
    }
    auto l = load_from(dir, std::string(municipality), read_version);
    std::lock_guard lock(cache_mutex_);
    auto& slot = cache_[std::string(municipality)];
    if (!slot || slot->data_version < l->data_version) {
        // Older versions' folders are no longer read by this server.
        for (const auto& e : fs::directory_iterator(base, ec)) {
            const std::string n = e.path().filename().string();
            if (n.size() > 1 && n[0] == 'v' && n != dir.filename().string()) {
                const auto v = std::strtoll(n.c_str() + 1, nullptr, 10);
                if (v < read_version) fs::remove_all(e.path(), ec);
            }
        }
        slot = l;
    }
    return slot;
}

void MunicipalityService::check_change(std::string_view municipality, std::string_view name, const std::string& content,
                                       bool remove) {
    auto files = files_.all(municipality);
    std::erase_if(files, [&](const DataFile& f) { return f.name == name; });
    if (!remove) files.push_back(DataFile{std::string(name), content, 0, 0, 0});
    TempDir dir(work_dir_ / "tmp");
    write_files(dir.path(), files);
    load_from(dir.path(), std::string(municipality), 0);
}

workflow::Snapshot MunicipalityService::snapshot(std::string_view municipality) { return *shared_snapshot(municipality); }

// The store's content, read again only when its "state_version" (raised by every advance of this
// service, on any server) is not the one cached.
std::shared_ptr<const workflow::Snapshot> MunicipalityService::shared_snapshot(std::string_view municipality) {
    return snapshot_at(municipality, db_->store(municipality)->meta("state_version").value_or("0"));
}

std::shared_ptr<const workflow::Snapshot> MunicipalityService::snapshot_at(std::string_view municipality, const std::string& version) {
    {
        std::lock_guard lock(cache_mutex_);
        const auto it = snapshots_.find(municipality);
        if (it != snapshots_.end() && it->second.first == version) return it->second.second;
    }
    auto st = db_->store(municipality);
    auto snap = std::make_shared<const workflow::Snapshot>(
        workflow::Snapshot::read(*st, "municipality:" + std::string(municipality)));
    // Read after the version: an advance between the two makes the cached pair older, never newer,
    // and the next request reads again (the version it sees differs).
    std::lock_guard lock(cache_mutex_);
    snapshots_[std::string(municipality)] = {version, snap};
    return snap;
}

Json MunicipalityService::identification(std::string_view municipality, std::optional<domain::AcademicYear> year,
                                         std::string_view school) {
    const auto l = load(municipality);
    const auto& m = *l->model;
    if (!year) year = m.default_year();
    if (!year) year = domain::AcademicYear::of(default_date(*l, *shared_snapshot(municipality)));
    const view::Words words(m.table());
    const auto& id = *m.identifier();
    Json rows = Json::array();
    for (std::size_t k = 0; k < m.domain().schools().size(); ++k) {
        const auto& s = m.domain().schools()[k];
        if (!school.empty() && s.id != school) continue;
        const auto ident = id.identify(k, *year);
        Json cats = Json::array(), missing = Json::array();
        for (const auto& c : ident.categories) cats.push_back(Json{{"id", c}, {"title", words.category_short(c)}});
        for (const auto& [input, path] : ident.unknown_inputs) missing.push_back(path);
        rows.push_back(Json{{"school", s.id},
                            {"name", s.short_name},
                            {"categories", cats},
                            {"reasons", ident.reasons},
                            {"participates", id.participates(k, *year)},
                            {"undecided", id.undecided(ident)},
                            {"has_basis", ident.basis != nullptr},
                            {"missing", missing}});
    }
    const auto basis = workflow::Identifier::basis_period(*year);
    return Json{{"year", year->name()}, {"basis_year", basis ? basis->name() : std::string()}, {"schools", rows}};
}

Json MunicipalityService::status(std::string_view municipality, std::optional<domain::Date> when,
                                 std::optional<domain::AcademicYear> year, std::string_view school) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& snap = now.snapshot;
    return named(*l, [&] { return status_of(*l, *snap, when, year, school); });
}

std::string MunicipalityService::status_text(std::string_view municipality, std::optional<domain::Date> when,
                                             std::optional<domain::AcademicYear> year, std::string_view school) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& snap = now.snapshot;
    std::string key = when ? when->iso() : std::string();
    key += '|';
    key += year ? year->name() : std::string();
    key += '|';
    key += school;
    {
        std::lock_guard lock(cache_mutex_);
        const auto it = status_texts_.find(municipality);
        if (it != status_texts_.end() && it->second.loaded == l && it->second.snapshot == snap) {
            const auto t = it->second.texts.find(key);
            if (t != it->second.texts.end()) return t->second;
        }
    }
    std::string text = named(*l, [&] { return status_of(*l, *snap, when, year, school); })
                           .dump(-1, ' ', false, Json::error_handler_t::replace);
    std::lock_guard lock(cache_mutex_);
    auto& e = status_texts_[std::string(municipality)];
    // Newer versions replace older ones; a request that read older versions does not evict them.
    if (!e.loaded || e.loaded->data_version < l->data_version || (e.loaded == l && e.snapshot != snap)) {
        e = StatusTexts{l, snap, {}};
    }
    constexpr std::size_t kKeptAnswers = 1024;  // dates, years and schools asked: bounded memory
    if (e.loaded == l && e.snapshot == snap) {
        if (e.texts.size() >= kKeptAnswers) e.texts.clear();
        e.texts.emplace(std::move(key), text);
    }
    return text;
}

Json MunicipalityService::status_of(const LoadedMunicipality& loaded, const workflow::Snapshot& snap,
                                    std::optional<domain::Date> when, std::optional<domain::AcademicYear> year,
                                    std::string_view school) {
    const auto* l = &loaded;
    const domain::Date date = when ? *when : default_date(*l, snap);
    if (!year) year = domain::AcademicYear::of(date);
    const auto& m = *l->model;
    const workflow::Timeline t = workflow::as_of(snap, *m.advancer(), date);
    const view::Words words(m.table());
    const auto& dom = m.domain();
    Json rows = Json::array();
    for (std::size_t k = 0; k < dom.schools().size(); ++k) {
        const auto& s = dom.schools()[k];
        if (!school.empty() && s.id != school) continue;
        const auto& cats = m.identifier()->categories(k, *year);
        const workflow::Program* p = t.program(s.id);
        if (cats.empty() && !p && school.empty()) continue;
        Json row{{"school", s.id}, {"name", s.short_name}};
        Json titles = Json::array();
        for (const auto& c : cats) titles.push_back(words.category_short(c));
        row["categories"] = titles;
        if (p) {
            const auto& wf = m.advancer()->workflow_of(*p);
            row["stage"] = p->stage;
            row["stage_title"] = view::Words::stage_title(wf, p->stage);
            row["status"] = p->status == workflow::ProgramStatus::completed ? "реализована"
                            : m.identifier()->participates(k, p->year)      ? "по перечню"
                                                                            : "на доверии";
            row["program_year"] = p->year.name();
            const auto tasks = m.advancer()->tasks(*p, date);
            Json overdue = Json::array();
            for (const auto& o : tasks.overdue) overdue.push_back(o.task->activity + " (до " + o.due.ru() + ")");
            row["overdue"] = overdue;
            row["next_deadline"] = tasks.next ? tasks.next->due.ru() + " — " + tasks.next->task->activity : std::string();
        }
        rows.push_back(row);
    }
    return Json{{"year", year->name()},
                {"date", date.iso()},
                {"advanced_through", snap.advanced_through ? snap.advanced_through->iso() : std::string()},
                {"data_version", l->data_version},
                {"schools", rows}};
}

Json MunicipalityService::explain(std::string_view municipality, std::string_view school, std::optional<domain::Date> when) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& shared = now.snapshot;
    const std::size_t k = require_school(*l, school);
    const auto& snap = *shared;
    const domain::Date date = when ? *when : default_date(*l, snap);
    const auto& m = *l->model;
    const workflow::Timeline t = workflow::as_of(snap, *m.advancer(), date);
    const workflow::Program* p = t.program(school);
    const domain::AcademicYear year = p && p->status == workflow::ProgramStatus::active ? p->year : domain::AcademicYear::of(date);
    std::optional<workflow::YearPairs> pairs;
    if (const domain::Partnership* decision = m.domain().partnership(year, date)) pairs = workflow::pair_schools(*m.identifier(), *decision);
    const view::Words words(m.table());
    return Json{{"school", std::string(school)},
                {"date", date.iso()},
                {"text", view::explain(words, *m.identifier(), m.advancer(), k, year, p, pairs ? &*pairs : nullptr, date)}};
}

namespace {

// A partner's name: a school's short name, an organisation's short name (or name), else its id.
std::string partner_name(const domain::Domain& dom, const std::string& id) {
    if (const auto i = dom.school_index(id)) return dom.schools()[*i].short_name;
    if (const auto* o = dom.organisation(id)) return o->short_name.empty() ? o->name : o->short_name;
    return id;
}

MunicipalityService::YearPartners partners_of(const workflow::Municipality& m, domain::AcademicYear year, domain::Date date) {
    const auto& dom = m.domain();
    MunicipalityService::YearPartners out;
    const domain::Partnership* decision = dom.partnership(year, date);
    if (!decision || !m.identifier()) return out;
    out.decided = decision->date.iso();
    for (const auto& sp : workflow::pair_schools(*m.identifier(), *decision).schools) {
        auto& partners = out.of[dom.schools()[sp.school].id];
        for (const auto& link : sp.partners) partners.push_back({link.partner, partner_name(dom, link.partner)});
    }
    return out;
}

}  // namespace

MunicipalityService::YearPartners MunicipalityService::partners(std::string_view municipality, domain::AcademicYear year,
                                                                domain::Date date) {
    return partners_of(*load(municipality)->model, year, date);
}

Json MunicipalityService::program_plan(std::string_view municipality, std::string_view school,
                                      std::optional<domain::Date> when) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    require_school(*l, school);
    const domain::Date date = when ? *when : default_date(*l, *now.snapshot);
    const auto& m = *l->model;
    const auto& dom = m.domain();
    const workflow::Timeline t = workflow::as_of(*now.snapshot, *m.advancer(), date);
    const workflow::Program* p = t.program(school);
    const domain::AcademicYear year = p && p->status == workflow::ProgramStatus::active ? p->year : domain::AcademicYear::of(date);
    auto iso = [](const std::optional<domain::Date>& d) { return d ? d->iso() : std::string(); };
    Json stages = Json::array();
    if (p) {
        for (const auto& s : m.advancer()->year_plan(*p, date)) {
            Json tasks = Json::array();
            for (const auto& x : s.tasks) {
                tasks.push_back(Json{{"activity", x.task->activity}, {"responsible", x.task->responsible}, {"from", iso(x.from)},
                                     {"due", iso(x.due)}, {"done_on", iso(x.done_on)}, {"marked", !x.task->done.empty()},
                                     {"overdue", x.overdue}});
            }
            stages.push_back(Json{{"title", s.stage->title.empty() ? s.stage->id : s.stage->title}, {"from", iso(s.from)},
                                  {"to", iso(s.to)}, {"current", s.current}, {"tasks", tasks}});
        }
    }
    // Its partners under the year's partnership in force on the date, and the schools it supports.
    const YearPartners pairs = partners_of(m, year, date);
    Json partners = Json::array();
    if (const auto own = pairs.of.find(school); own != pairs.of.end()) {
        for (const auto& x : own->second) partners.push_back(Json{{"id", x.id}, {"name", x.name}, {"role", "partner"}});
    }
    for (const auto& [other, list] : pairs.of) {
        for (const auto& x : list) {
            if (x.id == school) partners.push_back(Json{{"id", other}, {"name", partner_name(dom, other)}, {"role", "supported"}});
        }
    }
    return Json{{"date", date.iso()},          {"year", year.name()},             {"program", p != nullptr},
                {"stages", stages},            {"partnership_date", pairs.decided}, {"partners", partners}};
}

Json MunicipalityService::history(std::string_view municipality, std::string_view school) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& shared = now.snapshot;
    require_school(*l, school);
    const auto& snap = *shared;
    Json events = Json::array();
    for (const auto& e : snap.events) {
        if (e.school == school) events.push_back(event_json(e));
    }
    return Json{{"school", std::string(school)}, {"events", events}};
}

Json MunicipalityService::record_fact(std::string_view municipality, const Json& fact, std::int64_t facts_version,
                                      const Actor& actor) {
    const auto cur = files_.get(municipality, "facts.json");
    nlohmann::ordered_json doc = cur ? nlohmann::ordered_json::parse(cur->content, nullptr, false) : nlohmann::ordered_json::object();
    if (!doc.is_object()) doc = nlohmann::ordered_json::object();
    if (!doc.contains("facts") || !doc["facts"].is_array()) doc["facts"] = nlohmann::ordered_json::array();
    doc["facts"].push_back(fact);
    std::string text = doc.dump(2, ' ', false) + "\n";
    check_change(municipality, "facts.json", text);
    const DataFile f = files_.put(municipality, "facts.json", text, facts_version, actor);
    return Json{{"file", f.json(false)}, {"index", doc["facts"].size() - 1}};
}

Json MunicipalityService::advance(std::string_view municipality, domain::Date date, const Actor& actor) {
    const auto l = load(municipality);
    const auto& m = *l->model;
    const view::Words words(m.table());
    auto st = db_->store(municipality);
    // The tenant's write lock before the state is read: two advances cannot interleave.
    auto tx = st->begin();
    const auto snap = workflow::Snapshot::read(*st, "municipality:" + std::string(municipality));
    workflow::Plan plan = named(*l, [&] { return m.advancer()->advance(snap.programs, date); });
    Json events = Json::array();
    for (auto& e : plan.events) {
        e.note = words.describe(e, m.advancer()->workflow_of(e.workflow, e.version));
        events.push_back(event_json(e));
    }
    for (const auto& p : plan.programs) tx->put_program(workflow::to_store(p));
    for (std::size_t i = 0; i < plan.events.size(); ++i) events[i]["seq"] = tx->append_event(workflow::to_store(plan.events[i]));
    const domain::Date through = snap.advanced_through && *snap.advanced_through > date ? *snap.advanced_through : date;
    tx->set_meta("advanced_through", through.iso());
    const std::string state_version = st->meta("state_version").value_or("0");
    tx->set_meta("state_version", std::to_string(std::stoll(state_version) + 1));
    failpoint("advance.commit");
    tx->commit();
    (void)actor;
    return Json{{"date", date.iso()}, {"advanced_through", through.iso()}, {"events", events}, {"programs", plan.programs.size()}};
}

RenderedFile MunicipalityService::render(std::string_view municipality, const RenderRequest& rq) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const data::DocumentSpec* spec = l->workspace.find_document(rq.document);
    if (!spec) throw Error(ErrorId::server_not_found, "", {}, "", "в workspace.json нет документа «" + rq.document + "»");
    if (!rq.school.empty()) require_school(*l, rq.school);
    std::string format = rq.format;
    if (format.empty()) format = spec->docx ? "docx" : spec->xlsx ? "xlsx" : "docx";
    if (format != "docx" && format != "xlsx" && format != "pdf" && format != "zip") {
        throw Error(ErrorId::data_bad_value, "", {}, "format", "формат «" + format + "»: ожидалось docx, xlsx, pdf или zip");
    }
    // A PDF takes its place at the converter first: refused (503) before any rendering when it cannot.
    // A zip holds every format this server makes: the PDF too, when it makes PDF.
    std::optional<PdfService::Ticket> ticket;
    if (format == "pdf" || (format == "zip" && pdf_->available())) ticket.emplace(pdf_->admit());
    const auto& snap = *now.snapshot;
    return named(*l, [&] { return render_one(*l, snap, rq, format, ticket.has_value()); });
}

std::function<void(std::span<const pdf::Source>, std::vector<std::string>&)> MunicipalityService::pdf_hook() {
    return [converter = pdf_.get()](std::span<const pdf::Source> sources, std::vector<std::string>& out) {
        converter->convert(sources, out);
    };
}

RenderedFile MunicipalityService::render_one(const LoadedMunicipality& l, const workflow::Snapshot& snap,
                                             const RenderRequest& rq, const std::string& format, bool pdf_in_zip) {
    render::PackageRenderer r(*l.model, snap);
    render::Options o;
    o.only = {rq.document};
    const bool all = format == "zip";
    if (all) {
        o.formats = {"docx", "xlsx"};
        if (pdf_in_zip) o.formats.push_back("pdf");
    } else {
        o.formats = {format};
    }
    // The PDF is made from the very DOCX bytes the "docx" request returns (render_to converts
    // what its DOCX writer wrote), on the server's one converter.
    o.pdf = pdf_hook();
    o.year = rq.year;
    o.jobs = 1;
    o.durable = false;  // read back and removed below
    if (rq.date) o.date = rq.date->iso();
    TempDir out(work_dir_ / "tmp");
    std::vector<fs::path> paths;
    for (const auto& f : r.render_to(out.path(), o)) {
        const bool wanted = all ? f.format != "json" : f.format == format;
        if (wanted && (rq.school.empty() || f.school == rq.school)) paths.push_back(f.path);
    }
    if (paths.empty()) throw Error(ErrorId::server_not_found, "", {}, "", "документ «" + rq.document + "» не содержит файлов для этой школы");
    if (paths.size() == 1 && !all) return RenderedFile{paths[0].filename().string(), content_type(format), io::read_file(paths[0])};
    return RenderedFile{rq.document + ".zip", content_type("zip"), zip_of(out.path(), paths)};
}

std::vector<render::PackageRenderer::Built> MunicipalityService::preview(std::string_view municipality, const RenderRequest& rq) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& shared = now.snapshot;
    const data::DocumentSpec* spec = l->workspace.find_document(rq.document);
    if (!spec) throw Error(ErrorId::server_not_found, "", {}, "", "в workspace.json нет документа «" + rq.document + "»");
    if (!rq.school.empty()) require_school(*l, rq.school);
    return named(*l, [&] {
        render::PackageRenderer r(*l->model, *shared);
        render::Options o;
        o.year = rq.year;
        if (rq.date) o.date = rq.date->iso();
        return r.build_models(*spec, o, rq.school);
    });
}

namespace {
importer::Vocabulary vocabulary_of(const LoadedMunicipality& l) {
    importer::Vocabulary voc;
    voc.identification = l.model->table();
    if (l.model->workflow()) voc.facts = &l.model->workflow()->facts;
    return voc;
}
}  // namespace

MunicipalityService::ImportPlan MunicipalityService::plan_import(std::string_view municipality, const sheets::Workbook& book,
                                                                 importer::Options options) {
    // The file's version first: a change after it makes apply_import's put a record.conflict.
    const auto l = load(municipality);
    ImportPlan p;
    p.file = std::string(importer::stem_of(options.kind)) + ".json";
    const auto current = files_.get(municipality, p.file);
    p.version = current ? current->version : 0;
    options.mapping.reset();  // a mapping file would be a path on the server
    p.plan = named(*l, [&] { return importer::plan_import(l->workspace, vocabulary_of(*l), book, options); });
    return p;
}

DataFile MunicipalityService::apply_import(std::string_view municipality, const ImportPlan& p, const Actor& actor) {
    check_change(municipality, p.file, p.plan.text);
    return files_.put(municipality, p.file, p.plan.text, p.version, actor);
}

DataFile MunicipalityService::undo_change(std::string_view municipality, std::string_view name, std::int64_t version,
                                          const Actor& actor) {
    const auto before = files_.before_change(municipality, name, version, actor.login);
    if (!before.content) {
        check_change(municipality, name, "", true);
        files_.remove(municipality, name, version, actor);
        return DataFile{std::string(name), "", 0, now_seconds(), 0};
    }
    check_change(municipality, name, *before.content);
    return files_.put(municipality, name, *before.content, version, actor);
}

std::string MunicipalityService::form(std::string_view municipality, const importer::FormOptions& options) {
    const auto l = load(municipality);
    return named(*l, [&] { return importer::form_workbook(l->workspace, vocabulary_of(*l), options); });
}

JobStatus MunicipalityService::start_job(std::string_view municipality, std::vector<std::string> only,
                                         std::optional<domain::Date> date, const std::string& owner,
                                         std::vector<std::string> formats) {
    load(municipality);  // its errors now, not in the job
    if (std::find(formats.begin(), formats.end(), "pdf") != formats.end()) {
        if (const std::string why = pdf_->unavailable_reason(); !why.empty()) throw Error(ErrorId::pdf_unavailable, "", {}, "", why);
    }
    return enqueue(QueuedJob{{}, std::string(municipality), std::move(only), date, {}, std::move(formats)}, owner);
}

JobStatus MunicipalityService::start_region_job(std::vector<RegionMember> members, std::vector<std::string> only,
                                                std::optional<domain::Date> date, const std::string& owner) {
    if (members.empty()) {
        throw Error(ErrorId::server_not_found, "", {}, "",
                    "в регионе нет муниципалитетов: собирать нечего (их добавляет администратор сервера)");
    }
    return enqueue(QueuedJob{{}, "", std::move(only), date, std::move(members), {}}, owner);
}

JobStatus MunicipalityService::enqueue(QueuedJob j, const std::string& owner) {
    j.id = sha256_hex(random_token(32)).substr(0, 32);
    JobStatus s;
    s.id = j.id;
    s.municipality = j.municipality;
    s.state = "queued";
    s.owner = owner;
    Json request{{"only", j.only}};
    if (j.date) request["date"] = j.date->iso();
    if (!j.formats.empty()) request["formats"] = j.formats;
    if (!j.members.empty()) {
        Json members = Json::array();
        for (const auto& m : j.members) members.push_back(m.id);
        request["municipalities"] = members;
    }
    {
        std::lock_guard lock(jobs_->mutex);
        if (jobs_->active >= jobs_->max_jobs) {
            throw Error(ErrorId::server_busy, "", {}, "",
                        "в очереди уже " + std::to_string(jobs_->active) + " задания пакетной сборки; повторите позже");
        }
        ++jobs_->active;
    }
    try {
        jobs_->table->purge();
        jobs_->table->create(s, request.dump());
    } catch (...) {
        std::lock_guard lock(jobs_->mutex);
        --jobs_->active;
        throw;
    }
    std::lock_guard lock(jobs_->mutex);
    jobs_->queue.push_back(std::move(j));
    jobs_->wake.notify_all();
    return s;
}

std::string MunicipalityService::municipality_zip(std::string_view municipality, const render::Options& options,
                                                  const JobProgress& progress) {
    const Current now = current(municipality);
    const auto& l = now.loaded;
    const auto& snap = now.snapshot;
    return named(*l, [&] {
        render::PackageRenderer r(*l->model, *snap);
        render::Options o = options;
        o.progress = [&](std::size_t done, std::size_t n, const std::string&) { progress(done, n); };
        TempDir out(work_dir_ / "tmp");
        std::vector<fs::path> paths;
        for (const auto& f : r.render_to(out.path() / "package", o)) paths.push_back(f.path);
        return zip_of(out.path() / "package", paths);
    });
}

namespace {

// The ids of `only` that `ws` declares (all of them when `only` is empty); throws when `only`
// names documents and the workspace declares none of them.
std::vector<std::string> declared_of(const data::Workspace& ws, const std::vector<std::string>& only) {
    std::vector<std::string> out;
    std::string asked;
    for (const auto& id : only) {
        if (ws.find_document(id)) out.push_back(id);
        asked += (asked.empty() ? "«" : ", «") + id + "»";
    }
    if (!only.empty() && out.empty()) {
        throw Error(ErrorId::workspace_unknown_document, "workspace.json", {}, "$.documents",
                    "в данных муниципалитета нет ни одного из заказанных документов: " + asked);
    }
    return out;
}

// «1 муниципалитета», «2 муниципалитетов» (genitive: «документы … муниципалитетов»).
std::string of_municipalities(long long n) {
    return std::to_string(n) + " " + std::string(text::plural_form(n, "муниципалитета", "муниципалитетов", "муниципалитетов"));
}

// ошибки.txt: which municipalities are left out of the region's zip, and each one's errors.
std::string errors_text(const std::vector<std::pair<std::string, std::string>>& failed, std::size_t all,
                        const render::Options& options) {
    const auto n = static_cast<long long>(failed.size());
    std::string t = "Годовой пакет документов региона";
    if (const auto d = domain::Date::parse(options.date)) t += " на " + d->ru();
    t += ".\nНе собраны документы " + of_municipalities(n) + " из " + std::to_string(all) +
         ": их папок в архиве нет. Исправьте данные муниципалитета (ошибки ниже называют файл данных и место "
         "в нём) и соберите пакет снова.\n";
    for (const auto& [title, error] : failed) t += "\n" + title + "\n" + error + "\n";
    return t;
}

// A municipality's title as one folder name: reserved characters and controls become «_», outer
// spaces and dots go, a device name gets «_», at most 100 characters and 150 bytes.
std::string folder_name(std::string_view title) {
    std::string out;
    for (std::size_t i = 0; i < title.size();) {
        const char32_t c = text::decode(title, i);
        const bool reserved = c < 0x20 || (c >= 0x7F && c < 0xA0) || c == text::kReplacement ||
                              std::u32string_view(U"/\\:*?\"<>|").find(c) != std::u32string_view::npos;
        if (reserved) {
            out += '_';
        } else {
            text::append_utf8(out, c);
        }
    }
    const auto outer = [](char c) { return c == ' ' || c == '.'; };
    while (!out.empty() && outer(out.back())) out.pop_back();
    std::size_t lead = 0;
    while (lead < out.size() && outer(out[lead])) ++lead;
    std::string_view cut = text::utf8_prefix(std::string_view(out).substr(lead), 100);
    while (cut.size() > 150) cut = text::utf8_prefix(cut, text::count_code_points(cut) - 1);  // bytes: io::kMaxFileName
    out = std::string(cut);
    while (!out.empty() && outer(out.back())) out.pop_back();
    static const std::set<std::string, std::less<>> kDevices{"CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2", "COM3", "COM4",
                                                            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3",
                                                            "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
    if (kDevices.count(text::change_case(out.substr(0, out.find('.')), true))) out += '_';
    return out.empty() ? std::string("муниципалитет") : out;
}

}  // namespace

std::vector<RegionMember> region_members(Accounts& accounts) {
    std::vector<RegionMember> out;
    for (const auto& m : accounts.municipalities()) out.push_back({m.id, m.name.empty() ? m.id : m.name});
    return out;
}

std::vector<std::string> region_folder_names(const std::vector<RegionMember>& members) {
    std::set<std::string, std::less<>> taken{text::change_case(kRegionErrorsFile, false)};
    std::vector<std::string> out;
    for (const auto& m : members) {
        const std::string base = folder_name(m.title);
        std::string name = base;
        for (int k = 2; !taken.insert(text::change_case(name, false)).second; ++k) name = base + " (" + std::to_string(k) + ")";
        out.push_back(std::move(name));
    }
    return out;
}

// load(), whose «no data» message names the municipality's code and the import command (the
// coordinator's words), said for the region's ошибки.txt.
std::shared_ptr<const LoadedMunicipality> MunicipalityService::load_for_region(std::string_view municipality) {
    try {
        return load(municipality);
    } catch (const Error& e) {
        const auto& items = e.diagnostics().items();
        if (items.empty() || items.front().id != ErrorId::server_not_found) throw;
        throw Error(ErrorId::server_not_found, "", {}, "", "данные муниципалитета ещё не загружены на сервер");
    }
}

std::string MunicipalityService::region_zip(const std::vector<RegionMember>& members, const render::Options& options,
                                            const JobProgress& progress, std::string& note) {
    // Each municipality loaded and its documents counted before any is built: the progress's
    // total is every document of every municipality from the first report on.
    struct Part {
        std::shared_ptr<const LoadedMunicipality> loaded;
        std::shared_ptr<const workflow::Snapshot> snapshot;
        std::unique_ptr<render::PackageRenderer> renderer;  // null: left out (`error`)
        render::Options options;
        std::size_t count = 0;
        std::string error;
    };
    std::vector<Part> parts(members.size());
    std::size_t total = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        Part& p = parts[i];
        try {
            p.loaded = load_for_region(members[i].id);
            p.snapshot = shared_snapshot(members[i].id);
            p.options = options;
            named(*p.loaded, [&] {
                p.options.only = declared_of(p.loaded->workspace, options.only);
                p.renderer = std::make_unique<render::PackageRenderer>(*p.loaded->model, *p.snapshot);
                p.count = p.renderer->count(p.options);
            });
            total += p.count;
        } catch (...) {
            p.error = job_error(std::current_exception());
            p.renderer.reset();
        }
    }
    const auto folders = region_folder_names(members);
    TempDir out(work_dir_ / "tmp");
    const fs::path root = out.path() / "package";
    io::ensure_directory(root);
    std::vector<fs::path> paths;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        Part& p = parts[i];
        if (!p.renderer) continue;
        p.options.progress = [&](std::size_t done, std::size_t, const std::string&) { progress(offset + done, total); };
        try {
            // render_to writes all of a municipality's files or none of them.
            named(*p.loaded, [&] {
                for (const auto& f : p.renderer->render_to(root / folders[i], p.options)) paths.push_back(f.path);
            });
        } catch (...) {
            if (stopping()) throw;
            p.error = job_error(std::current_exception());
        }
        offset += p.count;
    }
    std::vector<std::pair<std::string, std::string>> failed;
    std::string names;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (parts[i].error.empty()) continue;
        failed.emplace_back(members[i].title, parts[i].error);
        names += (names.empty() ? "" : ", ") + members[i].title;
    }
    if (failed.size() == members.size()) {
        std::string all;
        for (const auto& [title, error] : failed) all += (all.empty() ? "" : "\n") + title + ": " + error;
        throw Error(ErrorId::server_not_found, "", {}, "", "ни один муниципалитет не собран:\n" + all);
    }
    progress(total, total);
    if (!failed.empty()) {
        const fs::path file = root / std::string(kRegionErrorsFile);
        io::OutputTransaction tx(options.durable);  // scratch, as the municipalities' folders
        tx.write(file, errors_text(failed, members.size(), options));
        tx.commit();
        paths.insert(paths.begin(), file);
        note = "не собраны документы " + of_municipalities(static_cast<long long>(failed.size())) + ": " + names +
               "; почему — в файле «" + std::string(kRegionErrorsFile) + "» архива";
    }
    return zip_of(root, paths);
}

std::optional<JobStatus> MunicipalityService::job(std::string_view id) { return jobs_->table->get(id); }

std::optional<std::int64_t> MunicipalityService::job_result_bytes(std::string_view id) { return jobs_->table->result_bytes(id); }

void MunicipalityService::write_job_result(std::string_view id, std::ostream& out) { jobs_->table->write_result(id, out); }

}  // namespace ppko::server
