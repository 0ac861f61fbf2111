// The domain on the server: a municipality's data files (workspace_files.h) loaded into a
// data::Workspace and a workflow::Municipality — cached by the municipality's data version, so a
// request after an edit sees the edit and every other request reuses the loaded model — and what
// the command line does with them: identification, status and explanation as of a date, history,
// recording a fact, advancing the store, rendering documents (one, or a batch as a job).
//
// The web pages (engine/web) and the routes (routes_domain.cpp) use only this interface:
//
//   auto& svc = *services.municipalities;
//   Json st = svc.status("smolensk", date, std::nullopt, "");      // every school as of a date
//   Json ex = svc.explain("smolensk", "sh-15", date);               // {"text": …}
//   Json adv = svc.advance("smolensk", date, actor);                // events written
//   RenderedFile f = svc.render("smolensk", {"decision", date, "", "docx"});
//
// Dates: std::nullopt means what the CLI means without --date (the date the store was advanced
// through, else the start of the first identified year). Errors are ppko::Error with the same ids
// and messages as the CLI; file names in them are the records' names ("facts.json:12:5: …").
// Nothing a caller names becomes a path: municipality and school codes are checked by the
// router's alphabet, file names by valid_file_name(), document ids against workspace.json, and
// every file the service writes lies under its work folder.
// Thread-safe: any number of requests at once over one shared model (the identifier's and the
// advancer's const members are thread-safe; timelines and renderers are made per request).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/workspace.h"
#include "domain/model.h"
#include "importer/form.h"
#include "importer/import.h"
#include "render/render.h"
#include "server/accounts.h"
#include "server/job_store.h"
#include "server/json_api.h"
#include "server/pdf_service.h"
#include "server/workspace_files.h"
#include "store/database.h"
#include "workflow/municipality.h"
#include "workflow/timeline.h"

namespace ppko::server {

// One data version of one municipality, loaded; shared by the requests that use it.
struct LoadedMunicipality {
    std::string id;
    std::int64_t data_version = 0;
    data::Workspace workspace;
    std::unique_ptr<workflow::Municipality> model;  // refers to `workspace`
};

struct RenderRequest {
    std::string document;               // a document id of workspace.json
    std::optional<domain::Date> date;   // none: the document's own date
    std::string school;                 // per-school documents: this school only ("" = all)
    std::string format;                 // "docx", "xlsx", "pdf" (the DOCX converted) or "zip" (every format
                                        // this server makes: DOCX, XLSX and, when it can, PDF); "" = the first declared
    std::string year;                   // academic year ("" = as declared / the default year)
};

// A municipality of the region's batch: its code and its title as users know it («Демидовский
// район»), which names its folder in the zip.
struct RegionMember {
    std::string id, title;
};

// Every municipality of the region, in the accounts' order, for start_region_job.
std::vector<RegionMember> region_members(Accounts& accounts);

// The folders of `members` in the region's zip, in their order: each title made a safe file name
// on any system (no path separators, control or reserved characters, no leading or trailing dots
// and spaces, not a device name such as «CON», at most 100 characters and 150 bytes; Russian letters kept), or
// «муниципалитет» when nothing is left; a name met before — case folded, and kRegionErrorsFile
// too — gets « (2)», « (3)» ….
//   region_folder_names({{"a", "г. Смоленск"}, {"b", "Г. СМОЛЕНСК"}}) == {"г. Смоленск", "Г. СМОЛЕНСК (2)"}
std::vector<std::string> region_folder_names(const std::vector<RegionMember>& members);
// The file at the top of the region's zip naming each municipality left out, and why.
inline constexpr std::string_view kRegionErrorsFile = "ошибки.txt";

struct RenderedFile {
    std::string name;          // "decision.docx", or "<document>.zip" for several files
    std::string content_type;  // the MIME type
    std::string bytes;
};

class MunicipalityService {
public:
    // `work_dir`: the server's own folder for loaded data and rendered files (created). At most
    // `max_jobs` batch jobs are queued or running at once (more → server.busy-like 429/503).
    // `job_stale_seconds`: see JobStore. `pdf`: the server's one PDF converter (pdf_service.h).
    MunicipalityService(std::shared_ptr<store::Database> db, std::filesystem::path work_dir, std::size_t max_jobs = 4,
                        std::int64_t job_stale_seconds = 30, PdfSettings pdf = {});
    ~MunicipalityService();

    WorkspaceFiles& files() { return files_; }
    // The converter render() and the jobs use for PDF: the pages ask it whether to offer PDF.
    PdfService& pdf() { return *pdf_; }

    // The municipality's model at its current data version (loaded on first use of a version).
    // Throws the loader's errors (named by the records' file names); server.not_found when the
    // municipality has no data files yet.
    std::shared_ptr<const LoadedMunicipality> load(std::string_view municipality);
    // The model and the store's snapshot as they are now, both found by the versions read in one
    // statement (WorkspaceFiles::versions); what a request that needs both starts with.
    struct Current {
        std::shared_ptr<const LoadedMunicipality> loaded;
        std::shared_ptr<const workflow::Snapshot> snapshot;
    };
    Current current(std::string_view municipality);
    // Checks that the municipality's files with `name` replaced by `content` ("" content with
    // `remove`: without it) load without errors; throws them otherwise. Writes nothing lasting.
    void check_change(std::string_view municipality, std::string_view name, const std::string& content, bool remove = false);

    // The store's programs and events of the municipality (cached until the next advance).
    workflow::Snapshot snapshot(std::string_view municipality);

    // {"year", "schools": [{"school", "name", "categories": [{"id","title"}], "reasons": […],
    //   "participates", "undecided", "missing": […]}]} — only `school` when not "".
    Json identification(std::string_view municipality, std::optional<domain::AcademicYear> year, std::string_view school);
    // As `ppko status --format json`: {"year", "date", "advanced_through", "schools": […]}.
    Json status(std::string_view municipality, std::optional<domain::Date> date,
                std::optional<domain::AcademicYear> year, std::string_view school);
    // status() as JSON text (one line, as the server sends bodies), kept per data version and
    // state version of the municipality: asked again with the same arguments before the next edit
    // or advance (on any server), it costs the two version queries and a copy.
    std::string status_text(std::string_view municipality, std::optional<domain::Date> date,
                            std::optional<domain::AcademicYear> year, std::string_view school);
    // {"school", "date", "text"}: `ppko explain`'s text.
    Json explain(std::string_view municipality, std::string_view school, std::optional<domain::Date> date);
    // The partners of every school in `year` under the partnership in force on `date` (the
    // decision's pairs, then the matched ones; names as the data give them), and the decision's
    // date (ISO); both empty when there is no decision.
    struct Partner {
        std::string id, name;
    };
    struct YearPartners {
        std::string decided;
        std::map<std::string, std::vector<Partner>, std::less<>> of;  // school → its partners
    };
    YearPartners partners(std::string_view municipality, domain::AcademicYear year, domain::Date date);
    // A school's program of its academic year as of `date` (none: the default date), for its page:
    // {"date", "year", "program": bool, "stages": [{"title", "from", "to", "current", "tasks":
    // [{"activity", "responsible", "from", "due", "done_on", "marked", "overdue"}]}], "partnership_date",
    // "partners": [{"id", "name", "role": "partner"|"supported"}]} — dates ISO, "" when unknown;
    // `marked`: the workflow names a fact that marks the task done.
    Json program_plan(std::string_view municipality, std::string_view school, std::optional<domain::Date> date);
    // {"school", "events": [{"seq","date","kind","from","to","note","guard","facts","workflow","version"}]}
    Json history(std::string_view municipality, std::string_view school);
    // Appends a fact to facts.json (at `facts_version`, optimistic as any edit), validated with the
    // whole workspace as `ppko check` would: {"file": facts.json's record}.
    Json record_fact(std::string_view municipality, const Json& fact, std::int64_t facts_version, const Actor& actor);
    // Advances the municipality's programs to `date` under its store's write lock (SQLite: the
    // file's; PostgreSQL: an advisory lock per municipality), so concurrent advances from any
    // number of servers write each transition once. {"date", "events": […], "programs": n}.
    Json advance(std::string_view municipality, domain::Date date, const Actor& actor);

    // One document as of a date (the files of a per-school document for one school, or a zip).
    // PDF: the DOCX this method returns for the same request, converted; pdf.unavailable or
    // pdf.busy (503) before anything is rendered when the converter cannot take it.
    RenderedFile render(std::string_view municipality, const RenderRequest& request);

    // The document models render() would write (render::PackageRenderer::build_models): for the
    // web preview, so what is previewed is what is downloaded. `format` is not read.
    std::vector<render::PackageRenderer::Built> preview(std::string_view municipality, const RenderRequest& request);

    // An import (importer::plan_import, the path of `ppko import`) of `book` over the
    // municipality's current data: the plan, the data file it changes and that file's record
    // version (0: a new file). Errors name the records' file names and the book's sheet!cell.
    // Writes nothing.
    struct ImportPlan {
        importer::Plan plan;
        std::string file;          // "indicators.json"
        std::int64_t version = 0;
    };
    ImportPlan plan_import(std::string_view municipality, const sheets::Workbook& book, importer::Options options);
    // Writes a plan's file as an edit (check_change, then files().put at the plan's version:
    // record.conflict when the file changed since; audited). Returns the new record.
    DataFile apply_import(std::string_view municipality, const ImportPlan& plan, const Actor& actor);
    // Undoes the change of data file `name` that made its version `version` (WorkspaceFiles::
    // before_change: still the latest, made by `actor`): the earlier text written back as a new
    // change (checked as every edit; removed when that change created the file). Returns the
    // file's record after (version 0 when removed).
    DataFile undo_change(std::string_view municipality, std::string_view name, std::int64_t version, const Actor& actor);
    // `ppko form`'s workbook for the municipality's data (importer/form.h).
    std::string form(std::string_view municipality, const importer::FormOptions& options);

    // Starts rendering every declared document (or `only`) of the municipality as a job on the
    // render pool of this server, in `formats` ("docx", "xlsx", "pdf"; empty: as declared);
    // returns at once. pdf.unavailable when PDF is asked for and this server makes none. server.busy when `max_jobs` jobs of this server
    // are queued or running. Jobs and their zips live in the database (job_store.h), so any server
    // of it answers job() and the zip; a job whose server died is reported failed; finished
    // ones are removed a day after they started.
    JobStatus start_job(std::string_view municipality, std::vector<std::string> only,
                        std::optional<domain::Date> date, const std::string& owner,
                        std::vector<std::string> formats = {});
    // The region's annual package as one job: every municipality of `members` rendered as
    // start_job renders one (the same `only` — each municipality the documents of it that it
    // declares — and date) into its folder (region_folder_names), with one progress over all the
    // documents of all of them, counted before the first is built. A municipality that cannot
    // render (no data, load or template errors) is left out: the others' documents are what the
    // region came for, so they are not held back by one municipality's data. Its errors go into
    // kRegionErrorsFile at the top of the zip and the job's note; the job fails only when no
    // municipality renders. Nothing is loaded before the job runs; server.busy as start_job;
    // server.not_found when `members` is empty.
    JobStatus start_region_job(std::vector<RegionMember> members, std::vector<std::string> only,
                               std::optional<domain::Date> date, const std::string& owner);
    std::optional<JobStatus> job(std::string_view id);
    // A finished job's zip, streamed (JobStore::result_bytes, write_result): its size, or nullopt
    // when the job is not done; then the zip itself.
    std::optional<std::int64_t> job_result_bytes(std::string_view id);
    void write_job_result(std::string_view id, std::ostream& out);

    const std::filesystem::path& work_dir() const { return work_dir_; }

private:
    struct Jobs;
    struct QueuedJob;
    // Progress of a running job: (documents started, all documents); throws to stop the job.
    using JobProgress = std::function<void(std::size_t, std::size_t)>;
    JobStatus enqueue(QueuedJob job, const std::string& owner);
    void run_job(const QueuedJob& job);
    std::string municipality_zip(std::string_view municipality, const render::Options& options, const JobProgress& progress);
    std::string region_zip(const std::vector<RegionMember>& members, const render::Options& options,
                           const JobProgress& progress, std::string& note);
    bool stopping() const;
    std::shared_ptr<const LoadedMunicipality> load_for_region(std::string_view municipality);
    RenderedFile render_one(const LoadedMunicipality& l, const workflow::Snapshot& snap, const RenderRequest& rq,
                            const std::string& format, bool pdf_in_zip);
    // render::Options::pdf for this server's converter.
    std::function<void(std::span<const pdf::Source>, std::vector<std::string>&)> pdf_hook();
    Json status_of(const LoadedMunicipality& l, const workflow::Snapshot& snap, std::optional<domain::Date> date,
                   std::optional<domain::AcademicYear> year, std::string_view school);
    std::shared_ptr<store::Database> db_;
    WorkspaceFiles files_;
    std::filesystem::path work_dir_;
    std::mutex cache_mutex_;
    std::map<std::string, std::shared_ptr<const LoadedMunicipality>, std::less<>> cache_;
    // Per municipality: the store's "state_version" meta and the snapshot read at it.
    std::map<std::string, std::pair<std::string, std::shared_ptr<const workflow::Snapshot>>, std::less<>> snapshots_;
    std::shared_ptr<const workflow::Snapshot> shared_snapshot(std::string_view municipality);
    // load() and shared_snapshot() at versions already read.
    std::shared_ptr<const LoadedMunicipality> load_at(std::string_view municipality, std::int64_t version);
    std::shared_ptr<const workflow::Snapshot> snapshot_at(std::string_view municipality, const std::string& version);
    // Per municipality: status_text()'s answers for one loaded model and one snapshot (held, so
    // their addresses identify them), by their arguments.
    struct StatusTexts {
        std::shared_ptr<const LoadedMunicipality> loaded;
        std::shared_ptr<const workflow::Snapshot> snapshot;
        std::map<std::string, std::string, std::less<>> texts;
    };
    std::map<std::string, StatusTexts, std::less<>> status_texts_;
    std::unique_ptr<PdfService> pdf_;  // outlives the jobs, which convert through it
    std::unique_ptr<Jobs> jobs_;
};

}  // namespace ppko::server
