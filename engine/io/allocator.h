// Process-wide allocator settings for rendering batches. Call once at the start of main().
#pragma once

namespace ppko::io {

// libxlsxwriter creates and frees about 256 KB of zlib state for every part of every XLSX file.
// With glibc's default trim threshold that memory goes back to the kernel each time and is
// faulted in again for the next part: ~400 page faults and 18 ms per Demidovsky package instead
// of 2 ms (bench/README.md). Raising the trim threshold keeps the freed memory for reuse.
void tune_allocator_for_batches();

}  // namespace ppko::io
