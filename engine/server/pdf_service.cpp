#include "server/pdf_service.h"

#include <algorithm>

#include "diag/diagnostic.h"
#include "server/json_api.h"

namespace ppko::server {
namespace {

// Sources converted in one turn per office: a few seconds of work, then the next task's turn.
constexpr std::size_t kTurnPerInstance = 4;
// What a refused request is told to wait: about one turn of every waiting request.
constexpr int kRetryAfterSeconds = 10;

const char* const kNoOffice =
    "PDF на этом сервере не формируется: не установлен офисный пакет LibreOffice; обратитесь к администратору сервера";
const char* const kTurnedOff = "PDF на этом сервере не формируется: выключен в настройках сервера; обратитесь к администратору сервера";

// The pool's own pdf.unavailable names the program and the packages to install — words for the
// one who runs the command line; the server's users get the server's words.
bool is_unavailable(const Error& e) {
    const auto& items = e.diagnostics().items();
    return !items.empty() && items.front().id == ErrorId::pdf_unavailable;
}

}  // namespace

PdfService::PdfService(PdfSettings settings) : settings_(std::move(settings)), soffice_(pdf::soffice_program(settings_.soffice)) {}

PdfService::~PdfService() {
    stop();
    if (thread_.joinable()) thread_.join();
}

void PdfService::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
}

std::string PdfService::unavailable_reason() const {
    if (settings_.instances == 0) return kTurnedOff;
    if (!pdf::can_run(soffice_)) return kNoOffice;
    return {};
}

PdfService::Ticket::~Ticket() {
    if (!service_) return;
    std::lock_guard lock(service_->mutex_);
    --service_->admitted_;
}

PdfService::Ticket PdfService::admit() {
    if (const std::string why = unavailable_reason(); !why.empty()) throw Error(ErrorId::pdf_unavailable, "", {}, "", why);
    std::lock_guard lock(mutex_);
    if (admitted_ >= std::max<std::size_t>(1, settings_.max_requests)) {
        const std::string wait = std::to_string(kRetryAfterSeconds);
        throw HttpError(ErrorId::pdf_busy,
                        "сервер занят: документы в PDF уже ждут своей очереди (" + std::to_string(admitted_) +
                            "); повторите через " + wait + " с",
                        Json{{"retry_after", kRetryAfterSeconds}}, Headers{{"Retry-After", wait}});
    }
    ++admitted_;
    return Ticket(this);
}

void PdfService::convert(std::span<const pdf::Source> sources, std::vector<std::string>& out) {
    out.assign(sources.size(), std::string());
    if (sources.empty()) return;
    if (const std::string why = unavailable_reason(); !why.empty()) throw Error(ErrorId::pdf_unavailable, "", {}, "", why);
    Task task;
    task.sources = sources;
    task.out = &out;
    std::unique_lock lock(mutex_);
    if (stopping_) throw Error(ErrorId::cli_interrupted, "", {}, "", "сервер останавливается: PDF не сделан");
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    queue_.push_back(&task);
    wake_.notify_all();
    done_.wait(lock, [&] { return task.done; });
    if (task.error) std::rethrow_exception(task.error);
}

void PdfService::finish(Task& task, std::exception_ptr error) {
    task.error = std::move(error);
    task.done = true;
    done_.notify_all();
}

// The converter's thread: the pool lives here, so its offices live as long as this thread does.
void PdfService::run() {
    std::unique_ptr<pdf::Pool> pool;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        Task& task = *queue_.front();
        queue_.pop_front();
        const std::size_t turn = std::max(1u, settings_.instances) * kTurnPerInstance;
        const std::size_t n = std::min(turn, task.sources.size() - task.next);
        const auto part = task.sources.subspan(task.next, n);
        lock.unlock();
        std::exception_ptr error;
        std::vector<std::string> pdfs;
        try {
            if (!pool) pool = std::make_unique<pdf::Pool>(settings_.instances, soffice_);
            pool->convert(part, pdfs);
        } catch (const Error& e) {
            error = is_unavailable(e) ? std::make_exception_ptr(Error(ErrorId::pdf_unavailable, "", {}, "", kNoOffice))
                                      : std::current_exception();
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        if (error) {
            finish(task, error);
            continue;
        }
        std::move(pdfs.begin(), pdfs.end(), task.out->begin() + static_cast<std::ptrdiff_t>(task.next));
        task.next += n;
        if (task.next == task.sources.size()) {
            finish(task, nullptr);
        } else {
            queue_.push_back(&task);  // the rest after the others' turns
        }
    }
    // Stopping: who still waits is told so; the pool (and its offices) ends with this thread.
    for (Task* t : queue_) {
        finish(*t, std::make_exception_ptr(Error(ErrorId::cli_interrupted, "", {}, "", "сервер останавливается: PDF не сделан")));
    }
    queue_.clear();
    lock.unlock();
}

}  // namespace ppko::server
