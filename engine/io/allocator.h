// Process-wide allocator settings for rendering batches. Call once at the start of main().
#pragma once

namespace ppko::io {

// A batch frees and allocates again large blocks for every document (models, XML, zip buffers;
// libxlsxwriter, which wrote the XLSX until 22 Nov 2026, freed ~256 KB of zlib state per part).
// With glibc's default trim threshold that memory goes back to the kernel each time and is
// faulted in again for the next one: ~400 page faults and 18 ms per Demidovsky package instead
// of 2 ms then (bench/README.md). Raising the trim threshold keeps the freed memory for reuse.
void tune_allocator_for_batches();

}  // namespace ppko::io
