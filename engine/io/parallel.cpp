#include "io/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace ppko::io {

unsigned thread_count(unsigned asked, std::size_t count) {
    const unsigned n = asked != 0 ? asked : std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(count, 1)));
}

void parallel_for(std::size_t count, unsigned threads, const std::function<void(unsigned, std::size_t)>& work) {
    threads = std::max(1u, threads);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex failure_mutex;
    std::size_t failed_at = std::numeric_limits<std::size_t>::max();
    std::exception_ptr failure;
    auto loop = [&](unsigned thread) {
        while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t k = next.fetch_add(1);
            if (k >= count) return;
            try {
                work(thread, k);
            } catch (...) {
                stop = true;
                const std::lock_guard lock(failure_mutex);
                if (k < failed_at) {
                    failed_at = k;
                    failure = std::current_exception();
                }
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(loop, t);
    loop(0);
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace ppko::io
