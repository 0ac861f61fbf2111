#include "io/allocator.h"

#include <malloc.h>

namespace ppko::io {

void tune_allocator_for_batches() {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
}

}  // namespace ppko::io
