// The one translation unit that defines the Boost.Test main for every suite.
#define BOOST_TEST_MODULE ppko
#include <boost/test/unit_test.hpp>
