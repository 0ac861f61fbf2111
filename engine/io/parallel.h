// Work spread over the processor's cores: one mechanism for every batch of independent items
// (documents of a render, school contexts, rows of the partner cost table).
#pragma once

#include <cstddef>
#include <functional>

namespace ppko::io {

// How many threads to use for `count` items: `asked`, or one per core when 0; at least 1 and
// never more than there are items.
unsigned thread_count(unsigned asked, std::size_t count);

// Runs work(thread, k) for every k in [0, count) on `threads` threads, the caller's among them
// (thread numbers 0 … threads − 1, so a caller can keep per-thread state in a vector). Items are
// handed out in increasing order of k. After one throws, no new item starts; when all threads
// are done, the exception rethrown is that of the lowest k that threw — every lower k had
// started, so it is the same error whatever the number of threads.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(unsigned, std::size_t)>& work);

}  // namespace ppko::io
