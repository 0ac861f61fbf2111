// PDF on the server: one converter per server process, shared by every request and batch job —
// a pdf::Pool (engine/pdf) of running LibreOffice instances, which is not thread-safe, driven by
// one thread of the converter's own that takes the waiting conversions in turn.
//
//   PdfService pdf({.instances = 1, .max_requests = 8});
//   if (!pdf.available()) show(pdf.unavailable_reason());          // for the documents page
//   auto ticket = pdf.admit();          // a request's place; 503 pdf.busy when the queue is full
//   pdf.convert(sources, out);          // waits its turn; out[i] = PDF of sources[i]
//
// Why a thread of its own: an office started by the pool gets SIGTERM when the thread that
// started it ends (PR_SET_PDEATHSIG), and the server's request threads come and go; this thread
// lives as long as the service. Conversions are taken a few files at a time, in turn: a request's
// one document never waits behind the whole of a long batch job. The offices start on the first
// conversion and stop when the service is destroyed (the server's SIGTERM path).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "pdf/pdf_pool.h"

namespace ppko::server {

struct PdfSettings {
    unsigned instances = 1;         // running offices; 0 turns PDF off on this server
    std::size_t max_requests = 8;   // requests admitted at once (waiting or converting); more → pdf.busy
    std::string soffice;            // the office program; "" — $PPKO_SOFFICE or "soffice" (pdf_pool.h)
};

class PdfService {
public:
    explicit PdfService(PdfSettings settings);
    ~PdfService();  // fails the conversions still waiting, stops the thread and the offices
    PdfService(const PdfService&) = delete;
    PdfService& operator=(const PdfService&) = delete;

    // Why this server makes no PDF, in words for users (no program or file names); "" when it
    // does. Asked each time: an office installed while the server runs is found.
    std::string unavailable_reason() const;
    bool available() const { return unavailable_reason().empty(); }

    // A request's place among the conversions; released when destroyed.
    class Ticket {
    public:
        Ticket(Ticket&& other) noexcept : service_(other.service_) { other.service_ = nullptr; }
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        Ticket& operator=(Ticket&&) = delete;
        ~Ticket();

    private:
        friend class PdfService;
        explicit Ticket(PdfService* s) : service_(s) {}
        PdfService* service_;
    };
    // Throws pdf.unavailable (unavailable_reason()) or, when `max_requests` requests hold tickets,
    // pdf.busy as an HttpError with Retry-After. Batch jobs take no ticket: their number is
    // bounded by the server's max_jobs.
    Ticket admit();

    // Stops taking turns: the turn under way ends, every conversion still waiting (a batch job's
    // rest too) fails with cli.interrupted, and convert() refuses from then on. The server's
    // SIGTERM path calls it before it waits for its jobs.
    void stop();

    // out[i] becomes the PDF of sources[i] (pdf::Pool::convert's contract and reproducible bytes);
    // blocks until done. Throws pdf.unavailable, pdf.convert (naming the source), or
    // cli.interrupted when the service is destroyed first. Thread-safe.
    void convert(std::span<const pdf::Source> sources, std::vector<std::string>& out);

private:
    struct Task {
        std::span<const pdf::Source> sources;
        std::vector<std::string>* out = nullptr;
        std::size_t next = 0;  // sources before it are converted
        std::exception_ptr error;
        bool done = false;
    };
    void run();
    void finish(Task& task, std::exception_ptr error);

    PdfSettings settings_;
    std::string soffice_;
    std::mutex mutex_;
    std::condition_variable wake_;   // the thread: a task came, or stop
    std::condition_variable done_;   // the callers: a task finished
    std::deque<Task*> queue_;
    std::size_t admitted_ = 0;
    bool stopping_ = false;
    std::thread thread_;             // started by the first convert()
};

}  // namespace ppko::server
