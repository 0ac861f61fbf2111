#include "io/parallel.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ppko;

BOOST_AUTO_TEST_SUITE(io_parallel)

BOOST_AUTO_TEST_CASE(every_item_runs_once_on_the_given_threads) {
    for (unsigned threads : {1u, 2u, 4u}) {
        std::vector<std::atomic<int>> runs(1000);
        std::atomic<unsigned> highest_thread{0};
        io::parallel_for(runs.size(), threads, [&](unsigned t, std::size_t k) {
            ++runs[k];
            for (unsigned seen = highest_thread; t > seen && !highest_thread.compare_exchange_weak(seen, t);) {
            }
        });
        for (const auto& r : runs) BOOST_TEST(r.load() == 1);
        BOOST_TEST(highest_thread.load() < threads);
    }
}

BOOST_AUTO_TEST_CASE(the_error_of_the_lowest_failing_item_is_reported) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        try {
            io::parallel_for(200, threads, [](unsigned, std::size_t k) {
                if (k == 37 || k == 38 || k == 150) throw std::runtime_error(std::to_string(k));
            });
            BOOST_FAIL("no exception with " << threads << " threads");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "37");
        }
    }
}

BOOST_AUTO_TEST_CASE(no_item_starts_after_a_failure_on_one_thread) {
    std::size_t ran = 0;
    BOOST_CHECK_THROW(io::parallel_for(100, 1, [&](unsigned, std::size_t k) {
                          ++ran;
                          if (k == 9) throw std::runtime_error("stop");
                      }),
                      std::runtime_error);
    BOOST_TEST(ran == 10u);
}

BOOST_AUTO_TEST_CASE(thread_count_is_bounded_by_the_items) {
    BOOST_TEST(io::thread_count(4, 2) == 2u);
    BOOST_TEST(io::thread_count(3, 100) == 3u);
    BOOST_TEST(io::thread_count(5, 0) == 1u);
    BOOST_TEST(io::thread_count(0, 1) == 1u);
    BOOST_TEST(io::thread_count(0, 1000) >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
