#include "io/allocator.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace ppko::io {

void tune_allocator_for_batches() {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
}

void prefault(void* p, std::size_t n) {
#ifdef MADV_POPULATE_WRITE
    static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(page - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
    (void)p, (void)n;
#endif
}

void prefault_heap_growth() {
#ifdef MADV_POPULATE_WRITE
    // The end of the heap as far as it has been mapped in; null until the first call, which
    // only takes the current end (what lies below it was touched or will fault as before).
    static std::atomic<char*> done{nullptr};
    char* const top = static_cast<char*>(::sbrk(0));  // glibc answers from its cache: no system call
    if (top == reinterpret_cast<char*>(-1)) return;
    char* const from = done.exchange(top);
    if (from && top > from) prefault(from, static_cast<std::size_t>(top - from));
#endif
}

}  // namespace ppko::io
