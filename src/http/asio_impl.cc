// Separate compilation of Boost.Asio, Asio SSL and Beast: their implementation is
// instantiated once here instead of in every translation unit that includes them
// (see BOOST_ASIO_SEPARATE_COMPILATION in CMakeLists.txt). Cuts build time noticeably.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
