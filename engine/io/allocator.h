// Process-wide allocator settings for rendering batches, and prefaulting of memory that is about
// to be filled. Call tune_allocator_for_batches() once at the start of main().
#pragma once

#include <cstddef>

namespace ppko::io {

// A batch frees and allocates again large blocks for every document (models, XML, zip buffers;
// libxlsxwriter, which wrote the XLSX until 22 Nov 2026, freed ~256 KB of zlib state per part).
// With glibc's default trim threshold that memory goes back to the kernel each time and is
// faulted in again for the next one: ~400 page faults and 18 ms per Demidovsky package instead
// of 2 ms then (bench/README.md). Raising the trim threshold keeps the freed memory for reuse.
void tune_allocator_for_batches();

// Fresh memory is paid for once per 4 KB page at first touch, and on the project's VM a page
// fault costs ~20 µs: filling 50 MB by touching it takes ~250 ms, mapping the same pages in one
// madvise(MADV_POPULATE_WRITE) call ~15 ms. Both functions below are best effort: they do nothing
// where the kernel (Linux < 5.14) or the platform has no such call, and never fail.

// Maps in the whole pages inside [p, p + n), writable, before the caller fills them.
void prefault(void* p, std::size_t n);

// Maps in the part of the malloc heap (glibc's main arena, grown with brk in M_TOP_PAD steps)
// added since the previous call, so that many small allocations do not fault page by page.
// Cheap when the heap has not grown (no system call): call it every few hundred allocations
// while building a large structure (the JSON parser does). Adds at most one M_TOP_PAD (4 MB)
// of resident memory beyond what malloc hands out.
void prefault_heap_growth();

}  // namespace ppko::io
